# DAKS-Begleiter. `make run` starts the product, `make test` installs and runs every test.
PYTHON  ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
RUNTIME := $(VENV)/.runtime
STAMP   := $(VENV)/.installed
LOCALE  := content/locale

.PHONY: run test bench lint catalogs install clean

$(BIN)/pip:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The product alone (what `make run` needs).
$(RUNTIME): pyproject.toml | $(BIN)/pip
	$(BIN)/pip install --quiet -e .
	touch $(RUNTIME)

# The product with the test extra (pytest, ruff, a Synapse for the Matrix tests).
$(STAMP): pyproject.toml | $(BIN)/pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP) $(RUNTIME)

install: $(STAMP)

run: $(RUNTIME)
	$(BIN)/daks chat

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m bot content evaluate tests/flows/toolbox/search_eval.yaml tests/flows/toolbox/search_dev.yaml tests/flows/toolbox/search_offtopic.yaml tests/flows/toolbox/search_unseen.yaml
	$(BIN)/python -m benchmarks.search tests/flows/toolbox/search_eval.yaml tests/flows/toolbox/search_dev.yaml tests/flows/toolbox/search_offtopic.yaml tests/flows/toolbox/search_unseen.yaml
	$(BIN)/python -m bot bench --users 1,8 --team 8 --db "sqlite:///$(CURDIR)/data/bench.db"
	$(BIN)/python -m bot bench --users 1,8 --team 8 --db "$${DAKS_BENCH_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/test}" \
		|| echo "PostgreSQL benchmark skipped: no server at that URL (set DAKS_BENCH_POSTGRES_URL)"
	$(BIN)/python -m benchmarks.telegram --users 200 --db "sqlite:///{tmp}/bench.db" \
		--db "$${DAKS_BENCH_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/test}"
	$(BIN)/python -m benchmarks.broadcast --subscribers 10000 --ceiling 10000
	$(BIN)/python -m benchmarks.reminders --workspaces 2000 --measures 10
	$(BIN)/python -m benchmarks.matrix --users 20
	$(BIN)/python -m benchmarks.matrix --users 20 --encrypted
	$(BIN)/python -m benchmarks.documents --runs 20 --workers 2 --users 8 --exports 5
	$(BIN)/python -m benchmarks.statistics --gemeinden 11000 --land 2100 --db "sqlite:///{tmp}/statistics.db" \
		--db "$${DAKS_BENCH_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/test}"
	$(BIN)/python -m benchmarks.exchange --profiles 10000 --runs 50 --db "sqlite:///{tmp}/exchange.db" \
		--db "$${DAKS_BENCH_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/test}"

# The house rules: ruff (lint and format), the import contracts in pyproject.toml (layers, independence,
# no circles), mypy.
lint: $(STAMP)
	$(BIN)/ruff check bot flows storage tests benchmarks
	$(BIN)/ruff format --check bot flows storage tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy

# Re-extract UI strings and merge them into the de, fr and en catalogues (translate the new ones).
catalogs: $(STAMP)
	$(BIN)/pybabel extract -F $(LOCALE)/babel.cfg -k t -k plural:1,2 -k N_ --no-location --sort-output \
		--project daks-begleiter -o $(LOCALE)/daks.pot bot flows storage content/templates
	for lang in de fr en; do \
		$(BIN)/pybabel update -D daks -i $(LOCALE)/daks.pot -d $(LOCALE) -l $$lang --no-fuzzy-matching --ignore-obsolete; done

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache

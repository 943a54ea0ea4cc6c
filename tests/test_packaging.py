"""Packaging: the Dockerfile's structure and compose.yaml (no container engine runs here, so they are read,
not built), `make run` without the test extra, and the licence."""

from __future__ import annotations

import os
import shlex
import subprocess
import tomllib
from pathlib import Path

import yaml
from dockerfile_parse import DockerfileParser

from tests.conftest import ROOT

CODE = ("bot", "flows", "storage", "content")


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, value) in order."""
    parser = DockerfileParser(path=str(ROOT / "Dockerfile"))
    return [(i["instruction"], i["value"]) for i in parser.structure]


def test_dependencies_are_installed_in_a_layer_before_the_code_is_copied():
    steps = instructions()
    [deps] = [n for n, (op, v) in enumerate(steps) if op == "RUN" and "pip install -r" in v]
    assert "['dependencies']" in steps[deps][1], "the list comes from pyproject.toml"
    assert [v for op, v in steps[:deps] if op in ("COPY", "ADD")] == ["pyproject.toml ./"], "nothing else before"
    copied = {src for op, v in steps[deps:] if op in ("COPY", "ADD") for src in shlex.split(v)[:-1]}
    assert set(CODE) <= copied
    assert [v for op, v in steps[deps + 1 :] if op == "RUN" and "pip install" in v] == ["pip install --no-deps ."]


def test_it_runs_as_a_fixed_unprivileged_user_with_a_volume_and_a_healthcheck():
    steps = instructions()
    [user] = [v for op, v in steps if op == "USER"]
    uid, _, gid = user.partition(":")
    assert uid.isdigit() and int(uid) >= 1000 and (not gid or gid.isdigit())
    assert [v for op, v in steps if op == "VOLUME"] == ['["/data"]']
    env = " ".join(v for op, v in steps if op == "ENV")
    assert "DAKS_DATA_DIR=/data" in env and "DAKS_METRICS_LISTEN=0.0.0.0:9090" in env
    assert "9090" in " ".join(v for op, v in steps if op == "EXPOSE").split()
    [check] = [v for op, v in steps if op == "HEALTHCHECK"]
    assert check.split("CMD", 1)[1].strip() == '["python", "-m", "bot.cli.healthcheck"]'
    source = (ROOT / "bot" / "cli" / "healthcheck.py").read_text()
    assert "/healthz" in source and "DAKS_METRICS_LISTEN" in source, "the probe asks /healthz where the app listens"
    assert steps[-1] == ("CMD", '["daks", "serve"]')


def test_compose_runs_the_bot_with_postgresql():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    db, bot = compose["services"]["db"], compose["services"]["bot"]
    assert db["image"].startswith("postgres:") and db["healthcheck"]["test"]
    assert any(v.endswith(":/var/lib/postgresql/data") for v in db["volumes"])
    assert bot["build"] == "." and bot["depends_on"]["db"]["condition"] == "service_healthy"
    assert bot["environment"]["DAKS_DATABASE_URL"].startswith("postgresql://daks:")
    assert bot["environment"]["DAKS_DATABASE_URL"].endswith("@db/daks")
    assert any(v.endswith(":/data") for v in bot["volumes"])
    assert set(compose["volumes"]) == {v.split(":")[0] for v in db["volumes"] + bot["volumes"]}


def test_make_run_installs_the_product_without_the_test_extra(tmp_path: Path):
    def dry(target: str) -> str:
        return subprocess.run(
            ["make", "-n", target, f"VENV={tmp_path / 'venv'}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "MAKEFLAGS": ""},
        ).stdout

    run, test = dry("run"), dry("test")
    assert "pip install --quiet -e ." in run and "[test]" not in run and "daks chat" in run
    assert "-e '.[test]'" in test and "pytest" in test


def test_the_licence_is_the_eupl():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "EUPL-1.2" and project["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")
    assert "Compatible Licences’ according to Article 5 EUPL are" in text


def test_the_image_installs_pango_and_the_pdf_font_before_the_python_dependencies():
    steps = instructions()
    [deps] = [n for n, (op, v) in enumerate(steps) if op == "RUN" and "pip install -r" in v]
    [system] = [n for n, (op, v) in enumerate(steps) if op == "RUN" and "apt-get install" in v]
    assert system < deps, "WeasyPrint's libraries are there before pip installs it"
    command = steps[system][1]
    packages = set(command.split("apt-get install", 1)[1].split("&&")[0].split())
    assert {"libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-dejavu-core"} <= packages
    assert {"-y", "--no-install-recommends"} <= packages
    assert command.index("apt-get update") < command.index("apt-get install")
    assert "rm -rf /var/lib/apt/lists/*" in command, "the package lists do not stay in the layer"
    css = (ROOT / "content" / "templates" / "document.css").read_text()
    assert 'font-family: "DejaVu Sans"' in css, "the PDF is set in the font the image installs"

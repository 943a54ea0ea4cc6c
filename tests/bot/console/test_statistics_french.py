"""A French commune through the real `daks chat` process: picked by its INSEE code in the COG imported with
`daks data import cog`, it finishes stage 2 without any German category (Kreis, Land, Stichtag …)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.bot.console.test_channel import assert_in_order
from tests.conftest import ROOT, run_chat

FIXTURES = ROOT / "tests" / "fixtures" / "statistics"
COG = ("v_region_2024.csv", "v_departement_2024.csv", "v_commune_2024.csv")
"""Régions first, so that a commune's région and département have names (README, "Statistics")."""
GERMAN = re.compile(
    r"\b(Kreis|Landkreis|Land|Bundesland|Gemeinde\w*|Stichtag\w*|Melderegister|Landesamt\w*|Regionaldatenbank"
    r"|AGS|Einwohner\w*)\b"
)
"""German categories of places and statistics, which have no place in what a French commune reads."""

# (what Marie types, what the companion must have said by then), in order.
AJACCIO_STAGE_2: list[tuple[str, str]] = [
    ("2A004", "Ajaccio — Corse-du-Sud, Corse (code INSEE 2A004)"),
    ("3", "Quels champs d'action sont particulièrement importants en ce moment pour Ajaccio"),  # the size: 20–100k
    ("1, 2", "Qui, au sein de l'exécutif local, porte la stratégie démographique"),
    ("/etape 2", "D'où proviennent vos données de population"),
    ("/aide", "préférez les chiffres officiels de l'INSEE"),
    ("1", "À quelle date de référence"),  # INSEE
    ("01/01/2021", "De quel indicateur s'agit-il"),
    ("/indicateurs", "Je ne sais pas encore importer la statistique publique française"),
    ("2", "De quel indicateur s'agit-il"),  # back to the question
    ("1", "Quelle est la valeur"),  # population municipale
    ("71 900", "À quelle année ou date de référence"),
    ("2021", "par rapport au département, à la région ou à des collectivités de taille comparable"),
    ("plus que le département", "Entrées déjà saisies (1)"),
    ("terminé", "Quels services, équipements et projets existent déjà sur le territoire de Ajaccio"),
    ("deux écoles", "C'est noté (1)"),
    ("terminé", "entretiens qualitatifs"),
    ("la directrice d'école", "quels sont les atouts de Ajaccio"),
    ("la mer", "C'est noté (1)"),
    ("terminé", "quelles sont les faiblesses"),
    ("le chômage", "C'est noté (1)"),
    ("terminé", "quelles opportunités"),
    ("le tourisme", "C'est noté (1)"),
    ("terminé", "quelles menaces"),
    ("le climat", "C'est noté (1)"),
    ("terminé", "Vers quels champs d'action votre AFOM oriente-t-elle"),
    ("1 2", "Qu'est-ce qui est déjà fait"),
    ("tout", "Récapitulatif\u00a0: Diagnostic territorial"),
    ("/quitter", "À bientôt"),
]


def import_cog(database_url: str, tmp_path: Path) -> None:
    """`daks data import cog FILE` for each COG file, as an admin runs it."""
    for name in COG:
        done = subprocess.run(
            [sys.executable, "-m", "bot", "data", "import", "cog", str(FIXTURES / name), "--db", database_url],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
            env={**os.environ, "DAKS_DATA_DIR": str(tmp_path), "PYTHONUTF8": "1"},
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert "imported (COG of 1 January 2024)" in done.stdout


def test_a_commune_picked_by_insee_code_finishes_stage_2_without_any_german_category(database_url: str, tmp_path: Path):
    import_cog(database_url, tmp_path)
    lines = [line for line, _ in AJACCIO_STAGE_2]
    result = run_chat(lines, user="marie", db=database_url, lang="fr", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    said = result.stdout
    assert_in_order(said, [expected for _, expected in AJACCIO_STAGE_2])
    assert "Région\u00a0: Corse" in said and "Type de collectivité\u00a0: Commune" in said  # from the directory
    assert "Dans quelle région se trouve" not in said, "the région came from the directory"
    assert "Combien d'habitants compte à peu près Ajaccio" in said, "the COG has no population: the size is asked"
    assert "Liste de contrôle – diagnostic territorial\u00a0: 5 sur 5 réalisés" in said
    found = sorted({m.group() for m in GERMAN.finditer(said)})
    assert not found, f"German categories in a French commune's chat: {found}"

"""French spacing: the rule, the content check over every French text, and the fr catalogue."""

from __future__ import annotations

import shutil
from pathlib import Path

from babel.messages.pofile import read_po

from flows.content.checks import french_spacing_problems
from flows.content.loader import load_content
from flows.content.typography import NBSP, NNBSP, french_spacing, spacing_faults
from tests.conftest import CONTENT


def test_spaces_are_set_before_marks_and_inside_guillemets():
    assert french_spacing("Valeur: 77 500") == f"Valeur{NBSP}: 77 500"
    assert french_spacing("Prêt ? Oui ! Puis; fin") == f"Prêt{NNBSP}? Oui{NNBSP}! Puis{NNBSP}; fin"
    assert french_spacing("répondez « terminé »") == f"répondez «{NNBSP}terminé{NNBSP}»"
    assert french_spacing("{label}: {value}") == f"{{label}}{NBSP}: {{value}}"


def test_addresses_times_and_technical_ids_are_left_alone():
    for text in (
        "https://www.insee.fr/fr/statistiques?id=3",
        "à 10:30",
        "telegram:ID|matrix:@user:server",
        "Bienvenue{NNBSP}!",
        "Vraiment{NNBSP}?!",
    ):
        text = text.replace("{NNBSP}", NNBSP)
        assert spacing_faults(text) == [], text


def test_plain_or_missing_spaces_are_faults():
    assert len(spacing_faults("Valeur : 3 et Prêt? et « x »")) == 4


def test_every_french_text_of_the_content_is_spaced(content):
    assert french_spacing_problems(content) == []


def test_the_content_check_names_file_and_line_of_a_badly_spaced_text(tmp_path: Path):
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    onboarding = root / "stages" / "onboarding.yaml"
    text = onboarding.read_text(encoding="utf-8")
    spaced = f"Quel type de collectivité est {{{{ municipality.name }}}}{NNBSP}?"
    assert spaced in text
    onboarding.write_text(text.replace(spaced, spaced.replace(NNBSP, " ")), encoding="utf-8")
    [problem] = french_spacing_problems(load_content(root))
    assert problem.file == "stages/onboarding.yaml" and problem.line is not None
    assert "French spacing" in problem.message
    assert text.splitlines()[problem.line - 1].strip().startswith("fr:")


def test_the_fr_catalogue_follows_the_rule_and_the_french_plural_rule():
    with (CONTENT / "locale" / "fr" / "LC_MESSAGES" / "daks.po").open("rb") as fh:
        catalogue = read_po(fh, locale="fr")
    assert catalogue.plural_expr == "(n > 1)"
    faults = {}
    for message in catalogue:
        texts = [message.string] if isinstance(message.string, str) else list(message.string)
        found = [f for text in texts if message.id and text for f in spacing_faults(text)]
        if found:
            faults[message.id] = found
    assert faults == {}


def test_items_on_one_line_are_separated_as_each_language_writes_it(content):
    items = ["Bildung", "Wohnen"]
    assert content.catalogues.translator("de").joined(items) == "Bildung; Wohnen"
    assert content.catalogues.translator("fr").joined(items) == f"Bildung{NNBSP}; Wohnen"

"""Language quality as a user meets it: plural forms, French municipalities, labels joined per language."""

from __future__ import annotations

from flows.content.typography import NBSP
from tests.conftest import EngineChat


def test_french_counts_use_the_singular_up_to_one_and_the_plural_above(content):
    t = content.catalogues.translator("fr")
    stages = ("{n} stage of {total} complete.", "{n} stages of {total} complete.")
    assert t.plural(*stages, 0, total=5) == "0 étape sur 5 terminée."
    assert t.plural(*stages, 1, total=5) == "1 étape sur 5 terminée."
    assert t.plural(*stages, 2, total=5) == "2 étapes sur 5 terminées."
    assert t.plural("{n} of {total} done", "{n} of {total} done", 1, total=4) == "1 sur 4 réalisé"
    de = content.catalogues.translator("de")
    assert de.plural(*stages, 1, total=5) == "1 von 5 Phasen abgeschlossen."


def test_french_progress_counts_questions_and_stages_in_good_french(content):
    chat = EngineChat(content, "fr")
    for line in ("Lunéville", "commune", "Grand Est", "2", "2, 5"):
        chat.says(line)
    reply = chat.says("/progression")
    assert f"1. {content.stage('kickoff').title.get('fr')}{NBSP}: 0 sur 10 questions traitées" in reply
    assert "0 étape sur 5 terminée." in reply
    assert "étapes sur 5 terminées" not in reply


def test_a_french_municipality_is_offered_french_types_and_asked_its_region_not_a_land(content):
    chat = EngineChat(content, "fr")
    reply = chat.says("Lunéville")
    assert "Quel type de collectivité est Lunéville" in reply
    for label in ("1) Commune", "2) Commune nouvelle", "3) Intercommunalité (EPCI)", "4) Département"):
        assert label in reply
    assert "Gemeinde" not in reply and "Landkreis" not in reply
    reply = chat.says("3")
    assert chat.answers["ob_kind"] == "epci"
    assert "Dans quelle région se trouve Lunéville" in reply and "Land" not in reply
    chat.says("Grand Est")
    assert chat.answers["ob_region"] == "ges" and "ob_land" not in chat.answers
    assert "Combien d'habitants compte à peu près Lunéville" in chat.text
    chat.says("/retour")
    assert "Dans quelle région se trouve Lunéville" in chat.text, "back goes to the region, never to a Land"


def test_a_german_municipality_can_say_so_in_french_and_is_asked_its_land(content):
    chat = EngineChat(content, "fr")
    chat.says("Kehl")
    reply = chat.says("Collectivité en Allemagne")
    assert "Dans quel Land allemand se trouve Kehl" in reply
    chat.says("Bade-Wurtemberg")
    assert chat.answers["ob_land"] == "bw" and "ob_region" not in chat.answers
    assert "Combien d'habitants" in chat.text


def test_french_users_are_pointed_to_french_data_sources(content):
    chat = EngineChat(content, "fr")
    for line in ("Lunéville", "commune", "Grand Est", "2", "2, 5"):
        chat.says(line)
    reply = chat.says("/etape 2")
    assert "INSEE" in reply and "Observatoire des territoires" in reply
    assert "Statistisches Landesamt" not in reply and "Wegweiser Kommune" not in reply


def test_german_onboarding_is_unchanged(chat):
    reply = chat.says("Musterstadt")
    assert reply.endswith(
        "Was für eine Kommune ist Musterstadt?\n1) Gemeinde\n2) Stadt\n3) Landkreis\n4) Quartier oder Stadtteil\n"
        "5) Amt, Verbands- oder Samtgemeinde"
    )
    assert "In welchem Land liegt Musterstadt?" in chat.says("2")
    assert "Wie viele Menschen leben ungefähr in Musterstadt?" in chat.says("13")
    assert chat.answers["ob_land"] == "sn" and "ob_region" not in chat.answers
    chat.says("3")
    chat.says("2, 5 und 9")
    reply = chat.says("/fortschritt")
    assert "0 von 5 Phasen abgeschlossen." in reply

"""/modellkommunen as people meet it: near me (their Land or région first), by field of action, the German–French
ones, a typed field, Land or name, in German and French, and back to the question they were at."""

from __future__ import annotations

import pytest

from flows.content.content import Content
from tests.conftest import EngineChat

SAXON = ["Adorf/Vogtl.", "Chemnitz", "Dresden", "Nebelschütz", "Oelsnitz/Vogtl.", "Riesa", "Rodewisch", "Zwickau"]


@pytest.fixture
def riesa(content: Content) -> EngineChat:
    """A person from Riesa, Saxony, at the size question of the onboarding."""
    chat = EngineChat(content)
    chat.says("Riesa")
    chat.presses("Stadt")
    assert "Wie viele Menschen leben ungefähr in Riesa?" in chat.presses("sn")  # Sachsen
    return chat


def entries(reply: str) -> list[str]:
    """The names of the entries listed, in order (the first part of each entry's first line)."""
    return [block.split(" · ")[0] for block in reply.split("\n\n") if " · " in block.split("\n")[0]]


def test_near_me_lists_the_saxon_model_municipalities_first_then_the_neighbours(riesa: EngineChat):
    reply = riesa.says("/modellkommunen")
    assert "Modellkommunen\n\nDie Modellkommunen der Bundesprogramme" in reply
    assert "1) In meiner Nähe\n2) Nach Handlungsfeld\n3) Nach Land oder Region\n4) Deutsch-französisch (DFZW)" in reply
    reply = riesa.presses("In meiner Nähe")
    assert reply.startswith("Modellkommunen in Ihrer Nähe (Sachsen)\n\nZuerst Sachsen, dann die Nachbarn")
    assert [name.split(" /")[0] for name in entries(reply)] == SAXON
    assert (
        "Zwickau · Stadt · Sachsen\nZukunftswerkstatt Kommunen (2021–2024)\nHandlungsfelder: Mobilität und ÖPNV; "
        "Wohnen und Ortsmitte\nMobilstation für Seniorinnen und Senioren"
    ) in reply
    assert (
        "Chemnitz · Sachsen*\nDeutsch-Französisches Zukunftswerk, Zyklus 3: kommunale Wärmewende (2023–2024)" in reply
    )
    assert "* Nicht aus den Quellen der Programme: Allgemeinwissen oder erschlossen." in reply
    assert "1 bis 8 von 27.\n1) Mehr\n2) Anders suchen\n3) Zurück zur Frage" in reply
    reply = riesa.presses("Mehr")
    later = entries(reply)
    assert "Barleben" in later and "Coburg" in later and "Helbedündorf" in later  # Sachsen-Anhalt, Bayern, Thüringen
    assert not set(later) & set(SAXON) and "Grabow" not in reply and "Dortmund" not in reply
    assert "9 bis 16 von 27." in reply
    reply = riesa.presses("Zurück zur Frage")
    assert reply.rstrip().endswith("5) über 500.000")  # the onboarding question again


def test_by_field_offers_the_fields_that_have_entries_and_lists_them(riesa: EngineChat):
    riesa.says("/modellkommunen")
    reply = riesa.presses("Nach Handlungsfeld")
    assert "Welches Handlungsfeld?" in reply and "Wohnen, Leerstand und Ortsmitte" in reply
    assert "Fördermittel" not in reply  # no model municipality names that field
    reply = riesa.presses("Wohnen, Leerstand")
    assert reply.startswith("Modellkommunen: Wohnen und Ortsmitte")
    assert entries(reply) == ["Barleben", "Fraunberg", "Grabow", "Landkreis Uckermark / Uckerland", "Zwickau"]
    assert "Leerstandsbörse, um leere Gebäude wieder zu nutzen" in reply and "1 bis 5 von 5." in reply
    assert "Mehr" not in [c.label for c in riesa.replies[-1].choices]
    reply = riesa.presses("Anders suchen")
    assert "Wie möchten Sie suchen?" in reply


def test_the_franco_german_ones_come_with_their_cycle(riesa: EngineChat):
    riesa.says("/modellkommunen")
    reply = riesa.presses("Deutsch-französisch")
    assert reply.startswith("Modellkommunen: Deutsch-Französisches Zukunftswerk (DFZW)")
    assert "Brest · Bretagne*\nDeutsch-Französisches Zukunftswerk, Zyklus 3: kommunale Wärmewende (2023–2024)" in reply
    assert "1 bis 8 von 18." in reply


@pytest.mark.parametrize(
    ("typed", "title", "first"),
    [
        ("/modellkommunen wohnen", "Modellkommunen: Wohnen und Ortsmitte", "Barleben"),
        ("/modellkommunen Gesundheit", None, None),  # a field no entry names
        ("/modellkommunen Sachsen-Anhalt", "Modellkommunen in Sachsen-Anhalt", "Barleben"),
        ("/modellkommunen Bayern", "Modellkommunen in Bayern", "Bamberg"),
        ("/modellkommunen grabow", "Modellkommunen: „grabow“", "Grabow"),
        ("/modellkommunen Ludwigsburg", "Modellkommunen: „Ludwigsburg“", "Landkreis Ludwigsburg"),
        ("/vorbilder DFZW", "Modellkommunen: Deutsch-Französisches Zukunftswerk (DFZW)", "Brest"),
        ("/modellkommunen digital", "Modellkommunen: Digitalisierung", "Ludwigslust / Landkreis Ludwigslust-Parchim"),
    ],
)
def test_a_typed_field_land_programme_or_name_lists_what_it_names(
    riesa: EngineChat, typed: str, title: str | None, first: str | None
):
    reply = riesa.says(typed)
    if title is None:
        assert reply.startswith("Zu „Gesundheit“ passt keine Modellkommune, kein Handlungsfeld und kein Land.")
        assert "Zum Beispiel: /modellkommunen wohnen" in reply and "Wie möchten Sie suchen?" in reply
        return
    assert reply.startswith(title + "\n\n")
    assert entries(reply)[0] == first


def test_french_municipality_sees_its_region_first_in_french(content: Content):
    chat = EngineChat(content, lang="fr")
    chat.says("Villeurbanne")
    chat.presses("Commune")
    chat.presses("Auvergne-Rhône-Alpes")
    reply = chat.says("/pilotes")
    assert "Collectivités pilotes\n\nLes communes pilotes des programmes fédéraux allemands" in reply
    assert "1) Près de chez moi\n2) Par champ d'action\n3) Par Land ou région\n4) Franco-allemand (DFZW)" in reply
    reply = chat.presses("Près de chez moi")
    assert reply.startswith("Collectivités pilotes proches de chez vous (Auvergne-Rhône-Alpes)\n\nD’abord")
    assert entries(reply) == ["Lyon", "Mouans-Sartoux", "Pau"]  # Auvergne-Rhône-Alpes, then PACA, Nouvelle-Aquitaine
    assert (
        "Lyon · Auvergne-Rhône-Alpes*\nForum pour l’avenir franco-allemand, cycle 3\u00a0: transition thermique "
        "locale (2023–2024)\nChamps d’action\u00a0: Climat et énergie"
    ) in reply
    assert "* Non indiqué par les sources des programmes" in reply
    reply = chat.says("/pilotes habitat")
    assert reply.startswith("Collectivités pilotes\u00a0: Habitat et centre-bourg")
    assert "Grabow · ville (Stadt) · Mecklembourg-Poméranie-Occidentale" in reply
    assert "Bourse aux locaux vacants pour réutiliser les bâtiments vides" in reply
    reply = chat.says("/pilotes xyz")
    assert reply.startswith("Aucune collectivité pilote, aucun champ d’action ni aucun Land ou région ne correspond")


def test_near_me_without_a_known_place_asks_for_the_land(content: Content):
    chat = EngineChat(content)
    chat.says("/modellkommunen")
    reply = chat.presses("In meiner Nähe")
    assert reply.startswith("Ich weiß noch nicht, wo Ihre Kommune liegt; mit /kommune sagen Sie es mir.")
    assert "Welches Land?" in reply and "Sachsen-Anhalt" in reply and "Auvergne-Rhône-Alpes" in reply
    reply = chat.presses("Mecklenburg-Vorpommern")
    assert reply.startswith("Modellkommunen in Mecklenburg-Vorpommern\n\n")
    assert "Grabow" in entries(reply) and "Greifswald" in entries(reply)


def test_typing_on_the_list_asks_for_a_button_and_keeps_the_list(riesa: EngineChat):
    riesa.says("/modellkommunen")
    riesa.presses("In meiner Nähe")
    reply = riesa.says("irgendwas")
    assert reply.startswith("Bitte wählen Sie") and "Zwickau" not in reply
    assert "9 bis 16 von 27." in riesa.presses("Mehr")

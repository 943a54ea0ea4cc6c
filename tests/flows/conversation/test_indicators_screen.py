"""/kennzahlen as a person meets it: the profile with its charts, a statistics file sent in the Kommunalprofil, the
indicators put into the profile, official and register figures kept apart, the register template."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from flows.content.content import Content
from flows.conversation.actions import Facts, ImportSheet, SendRegisterTemplate
from flows.documents.model import Rendering
from flows.messages import Inbound, Upload
from flows.statistics.model import Figure, Problem, Rejected, Sheet
from flows.team.view import Mate, Role, Team
from tests.conftest import EngineChat
from tests.flows.conversation.registry import AJACCIO, MemoryRegistry
from tests.flows.statistics.grabow import GRABOW, OTHER, figure, grabow, kreis, land
from tests.flows.team.chat import onboard

PICKED = {"name": "Grabow", "key": GRABOW.key, "country": "de"}
CSV = b"12411-02-03-5;Bev\xf6lkerung;...\n"  # the bytes the shell read the sheet from (their content is not read here)


class FigureChat(EngineChat):
    """A person whose municipality was picked in the directory, talking to the engine with a registry at hand."""

    def __init__(self, content: Content, registry: MemoryRegistry, lang: str = "de", role: Role | None = None):
        self.registry = registry
        self.team = Team(7, 2, role, members=(Mate(1, "coordinator", "Anna"), Mate(2, role, "Ben"))) if role else None
        self.sheet: Sheet | Rejected | None = None
        self.actions: list[Any] = []
        super().__init__(content, lang)

    def _send(self, inbound: Inbound) -> str:
        facts = Facts(team=self.team, registry=self.registry, sheet=self.sheet)
        turn = self.engine.handle(self.state, inbound, lang=self.lang if self.state is None else None, facts=facts)
        self.state, self.replies, self.effects = turn.state, turn.replies, list(turn.effects)
        self.changes, self.actions, self.sheet = turn.changes, turn.actions, None
        return self.text

    def sends(self, read: Sheet | Rejected | None, name: str = "12411-02-03-5.csv", data: bytes = CSV) -> str:
        """Sends a file that the shell read as ``read``."""
        self.sheet = read
        return self._send(Inbound(file_name=name, file=Upload("text/csv", len(data), data)))

    def documents(self) -> list[Rendering]:
        return [d for r in self.replies for d in r.documents]


def in_kommunalprofil(chat: FigureChat, picked: dict[str, str] | None = PICKED) -> FigureChat:
    onboard(chat)
    assert chat.state is not None
    if picked is not None:
        chat.state.answers["ob_name"] = picked
    chat.says("/phase 2")
    assert chat.state.step == "kp_sources"
    return chat


def official() -> list[Figure]:
    return [*grabow(), *kreis(), *land()]


def register(year: int = 2023, ortsteil: str = "") -> list[Figure]:
    """A register extract as read from the template: no region yet (the engine gives it the place's key)."""
    return [
        figure("", "population", year, n, sex, ages, source="register", table="register", ortsteil=ortsteil)
        for sex, counts in (("m", (460, 1500, 560)), ("f", (430, 1450, 730)))
        for ages, n in zip(((0, 20), (20, 65), (65, None)), counts, strict=True)
    ]


def sheet(figures: list[Figure], source: str = "official") -> Sheet:
    table = "register" if source == "register" else "12411-02-03-5"
    regions = {f.region: f.region for f in figures}
    return Sheet(tuple(figures), table, source, "register" if source == "register" else "long", "utf-8", regions)  # type: ignore[arg-type]


@pytest.fixture
def stored(content: Content) -> FigureChat:
    """Grabow with official figures imported for everybody (Grabow, its Kreis and its Land)."""
    return in_kommunalprofil(FigureChat(content, MemoryRegistry(common=official())))


# -- /kennzahlen ---------------------------------------------------------------------------
def test_without_a_picked_place_the_person_learns_how_to_pick_it(content: Content):
    chat = in_kommunalprofil(FigureChat(content, MemoryRegistry(common=official())), picked=None)
    reply = chat.says("/kennzahlen")
    assert "amtlichen Gemeindeverzeichnis" in reply and "/" in reply
    assert chat.state.mode == "step" and chat.documents() == []


def test_the_profile_with_comparison_definitions_and_charts(stored: FigureChat):
    reply = stored.says("/kennzahlen")
    assert stored.state.mode == "indicators"
    assert "Kennzahlen: Grabow (amtliche Statistik)" in reply
    assert "5.122" in reply  # the population on 31.12.2023: 2,522 men + 2,600 women
    assert "Ludwigslust-Parchim" in reply and "Mecklenburg-Vorpommern" in reply  # the comparison
    assert "Altenquotient" in reply and "65" in reply and "20 bis 64" in reply  # a definition with its age limits
    charts = stored.documents()
    assert charts and all(r.format == "png" for r in charts)
    assert all(r.file_name.startswith("kennzahlen-grabow-stadt-") and r.file_name.endswith(".png") for r in charts)
    alts = [r.document.charts()[0].alt for r in charts]
    assert any("5.122" in alt for alt in alts)  # the text alternative lists the values
    assert [c.id for c in stored.replies[-1].choices] == ["_fill", "_register", "_close"]
    assert stored.changes == []


def test_closing_returns_to_the_question(stored: FigureChat):
    stored.says("/kennzahlen")
    reply = stored.presses("_close")
    assert stored.state.mode == "step" and stored.state.step == "kp_sources"
    assert "Bevölkerungsdaten" in reply


def test_a_place_without_figures_learns_which_files_to_get(content: Content):
    chat = in_kommunalprofil(FigureChat(content, MemoryRegistry()))
    reply = chat.says("/kennzahlen")
    assert chat.state.mode == "indicators"
    for table in ("12411-02-03-5", "12612", "12613", "12711", "regionalstatistik.de"):
        assert table in reply
    assert [c.id for c in chat.replies[-1].choices] == ["_register", "_close"]


def test_a_french_commune_is_told_to_enter_its_figures_by_hand(content: Content):
    chat = FigureChat(content, MemoryRegistry(common=official()), lang="fr")
    chat.says("Ajaccio")
    assert chat.state is not None
    chat.state.answers["ob_name"] = {"name": "Ajaccio", "key": AJACCIO.key, "country": "fr"}
    reply = chat.says("/indicateurs")
    assert "à la main" in reply
    assert "Kreis" not in reply and "Regionaldatenbank" not in reply


# -- putting them into the Kommunalprofil --------------------------------------------------
def rows(chat: FigureChat) -> list[dict[str, Any]]:
    assert chat.state is not None
    return list(chat.state.answers.get("kp_indicators") or [])


def test_fill_puts_the_rows_sources_and_date_into_the_profile(stored: FigureChat):
    stored.says("/kennzahlen")
    reply = stored.presses("_fill")
    filled = rows(stored)
    assert filled and all(r["source"] == "official" and r["uid"] for r in filled)
    population = next(r for r in filled if r["indicator"] == "population")
    assert "5.122" in population["value"]
    assert stored.answers["kp_sources"] == "regionalstatistik"
    assert stored.answers["kp_reference_date"] == "2023-12-31"
    assert "in Ihr Kommunalprofil übernommen" in reply
    # the indicators question shows them, editable as before
    assert stored.state.mode == "step" and stored.state.step == "kp_indicators"
    assert "_add" in [c.id for c in stored.replies[-1].choices]


def test_hand_rows_stay_and_a_second_fill_replaces_the_imported_rows(stored: FigureChat):
    hand = {"indicator": "average_age", "value": "47,8 Jahre", "year": "2023", "comparison": None, "uid": "r90"}
    stored.state.answers["kp_indicators"] = [hand]
    stored.state.answers["kp_sources"] = "landesamt"
    stored.says("/kennzahlen")
    stored.presses("_fill")
    first = rows(stored)
    stored.says("/kennzahlen")
    stored.presses("_fill")
    second = rows(stored)
    assert first[0] == hand and second[0] == hand
    assert len(second) == len(first)  # replaced, not added again
    assert stored.answers["kp_sources"] == "landesamt"  # answered before: left as it was
    assert len({r["uid"] for r in second}) == len(second)


def test_register_rows_are_never_mixed_with_official_ones(content: Content):
    registry = MemoryRegistry(common=official(), own={7: [replace(f, region=GRABOW.key) for f in register()]})
    chat = in_kommunalprofil(FigureChat(content, registry, role="editor"))
    reply = chat.says("/kennzahlen")
    assert "Grabow (amtliche Statistik)" in reply and "Grabow (Melderegister der Gemeinde)" in reply
    assert [c.id for c in chat.replies[-1].choices] == ["_fill", "_fill:register", "_register", "_close"]
    chat.presses("_fill:register")
    assert {r["source"] for r in rows(chat)} == {"register"}
    assert chat.answers["kp_sources"] == "register"
    chat.says("/kennzahlen")
    reply = chat.presses("_fill")
    assert "nie in einer Reihe gemischt" in reply
    assert {r["source"] for r in rows(chat)} == {"register"}  # nothing changed yet
    reply = chat.presses("_cancel")
    assert "Nichts wurde geändert" in reply and {r["source"] for r in rows(chat)} == {"register"}
    chat.presses("_fill")
    chat.presses("_replace")
    assert {r["source"] for r in rows(chat)} == {"official"}


def test_a_viewer_sees_the_figures_but_cannot_fill_or_import(content: Content):
    chat = in_kommunalprofil(FigureChat(content, MemoryRegistry(common=official()), role="viewer"))
    chat.says("/kennzahlen")
    assert "_fill" not in [c.id for c in chat.replies[-1].choices]
    reply = chat.sends(sheet(grabow()))
    assert "Anna" in reply and chat.actions == []


# -- a file sent in the Kommunalprofil -----------------------------------------------------
def test_a_file_sent_in_the_kommunalprofil_is_shown_and_imported(content: Content):
    chat = in_kommunalprofil(FigureChat(content, MemoryRegistry()))
    others = [figure(OTHER.key, "population", 2023, 3800)]
    reply = chat.sends(sheet([*official(), *others]))
    [action] = chat.actions
    assert isinstance(action, ImportSheet) and action.data == CSV and action.file_name == "12411-02-03-5.csv"
    assert {f.region for f in action.sheet.figures} == {GRABOW.key, "13076", "13"}  # Goldberg is left out
    assert chat.state.mode == "indicators"
    assert "5.122" in reply and "12411-02-03-5" in reply
    assert chat.documents()  # the charts, from the file's figures before they are stored


def test_a_register_extract_gets_the_places_key(content: Content):
    chat = in_kommunalprofil(FigureChat(content, MemoryRegistry(common=official())))
    reply = chat.sends(sheet(register(), "register"), name="melderegister.csv")
    [action] = chat.actions
    assert {f.region for f in action.sheet.figures} == {GRABOW.key}
    assert action.sheet.source == "register"
    assert "Melderegister" in reply


def test_a_rejected_file_lists_each_problem_with_line_and_column(content: Content):
    chat = in_kommunalprofil(FigureChat(content, MemoryRegistry()))
    problems = [
        Problem("a broken number: {value}", (("value", "12a4"),), line=12, column=5),
        Problem("this file holds no population, births, deaths or moves figures"),
    ]
    reply = chat.sends(Rejected(problems))
    assert "Zeile 12, Spalte 5:" in reply and "12a4" in reply
    assert "nichts importiert" in reply.replace("Nichts", "nichts")
    assert chat.actions == [] and chat.state.step == "kp_sources"


def test_a_file_of_other_municipalities_names_its_regions(content: Content):
    chat = in_kommunalprofil(FigureChat(content, MemoryRegistry()))
    other = sheet([figure(OTHER.key, "population", 2023, 3800)])
    other = replace(other, regions={OTHER.key: "Goldberg, Stadt"})
    reply = chat.sends(other)
    assert "13076051 Goldberg, Stadt" in reply and GRABOW.key in reply
    assert chat.actions == []


def test_a_file_before_a_place_is_picked_asks_for_the_place(content: Content):
    chat = in_kommunalprofil(FigureChat(content, MemoryRegistry()), picked=None)
    reply = chat.sends(sheet(grabow()))
    assert "Gemeindeverzeichnis" in reply and chat.actions == []


def test_files_outside_the_kommunalprofil_keep_todays_answer(content: Content):
    chat = FigureChat(content, MemoryRegistry())
    onboard(chat)
    reply = chat.sends(sheet(grabow()))
    assert "nur Text" in reply and chat.actions == []


def test_a_file_that_is_no_statistics_or_too_big(content: Content):
    chat = in_kommunalprofil(FigureChat(content, MemoryRegistry()))
    reply = chat.sends(None, name="foto.pdf", data=b"%PDF-1.7")
    assert "Regionaldatenbank" in reply and chat.actions == []
    chat.sheet = None
    reply = chat._send(Inbound(file_name="gross.csv", file=Upload("text/csv", 80 * 1024 * 1024, None)))
    assert "10 MB" in reply and chat.actions == []


# -- the register template -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "line", "name"),
    [
        ("de", "/kennzahlen vorlage", "melderegister-vorlage.csv"),
        ("fr", "/indicateurs modèle", "modele-registre.csv"),
        ("en", "/indicators template", "register-template.csv"),
    ],
)
def test_the_register_template_is_sent_in_the_persons_language(content: Content, lang: str, line: str, name: str):
    chat = FigureChat(content, MemoryRegistry(), lang=lang)
    onboard(chat)
    assert chat.state is not None
    chat.state.answers["ob_name"] = PICKED
    chat.says(line)
    assert chat.actions == [SendRegisterTemplate(lang, name)]
    assert chat.state.mode == "indicators"  # waiting for the filled file


def test_the_register_button_sends_the_template_and_keeps_the_overlay(stored: FigureChat):
    stored.says("/kennzahlen")
    stored.presses("_register")
    assert stored.actions == [SendRegisterTemplate("de", "melderegister-vorlage.csv")]
    assert stored.state.mode == "indicators"

"""A measure's budget as a person enters it: one line, told back as understood, kept as text where no amount is in
it; and shown in the reader's language."""

from __future__ import annotations

from flows.content.content import Content
from flows.content.model import FieldBudget, RecordsStep
from flows.conversation.context import Ctx
from flows.conversation.state import State
from tests.conftest import EngineChat
from tests.flows.conversation.test_engine import onboard

NNBSP, NBSP = "\u202f", "\u00a0"


def up_to_the_budget(chat: EngineChat, title: str) -> str:
    """Answers a measure's fields before the budget (partners and target group skipped); returns the budget question."""
    chat.says("1")
    for line in ("Mehr Ärztinnen gewinnen", title, "Wirtschaftsförderung"):
        chat.says(line)
    chat.presses("Überspringen"), chat.presses("Überspringen"), chat.says("03/2027")
    return chat.says("12/2028")


def after_the_budget(chat: EngineChat) -> str:
    """Skips the indicators: the measure is saved."""
    return chat.presses("Überspringen")


def test_a_budget_is_told_back_as_understood_and_shown_with_the_measure(chat: EngineChat) -> None:
    onboard(chat)
    chat.says("/phase 4")
    asked = up_to_the_budget(chat, "Praxisbörse aufbauen")
    assert "Budget und Finanzierung (9/10)" in asked and "25.500 € Fördermittel LEADER 2027–2028" in asked
    told = chat.says("25.500 € Fördermittel LEADER 2027–2028")
    assert f"Notiert: 25.500{NBSP}€ · Fördermittel LEADER · 2027–2028." in told
    saved = after_the_budget(chat)
    assert f"Budget und Finanzierung: 25.500{NBSP}€ (Fördermittel LEADER, 2027–2028)" in saved.split("\n")
    assert chat.answers["wp_measures"][0]["budget"] == {
        "text": "25.500 € Fördermittel LEADER 2027–2028",
        "amount": "25500",
        "source": "Fördermittel LEADER",
        "funding": "grant",
        "years": [2027, 2028],
    }


def test_a_split_per_year_is_kept_per_year_and_told_back(chat: EngineChat) -> None:
    onboard(chat)
    chat.says("/phase 4")
    up_to_the_budget(chat, "Bürgerbus einrichten")
    told = chat.says("12.000 € 2027, 8.000 € 2028")
    assert f"Notiert: 20.000{NBSP}€ · 2027: 12.000{NBSP}€, 2028: 8.000{NBSP}€." in told
    after_the_budget(chat)
    budget = chat.answers["wp_measures"][0]["budget"]
    assert budget["amount"] == "20000" and budget["per_year"] == {"2027": "12000", "2028": "8000"}


def test_a_budget_without_an_amount_is_kept_as_text_and_the_person_learns_how_to_write_one(chat: EngineChat) -> None:
    onboard(chat)
    chat.says("/phase 4")
    up_to_the_budget(chat, "Praxisbörse aufbauen")
    told = chat.says("noch offen, Gespräch mit dem Kreis")
    assert "Ich habe „noch offen, Gespräch mit dem Kreis“ als Text übernommen" in told
    assert "schreiben Sie ihn zum Beispiel so: 25.500 € Fördermittel LEADER 2027–2028." in told
    assert "Indikatoren (10/10)" in told, "the input was refused instead of kept"
    saved = after_the_budget(chat)
    assert "Budget und Finanzierung: noch offen, Gespräch mit dem Kreis" in saved.split("\n")
    assert chat.answers["wp_measures"][0]["budget"]["amount"] is None


def test_french_budget_told_back_with_french_spaces(content: Content) -> None:
    chat = EngineChat(content, lang="fr")
    chat.says("Ville-Test"), chat.says("2"), chat.says("13"), chat.says("3"), chat.says("2, 5")
    chat.says("/etape 4")
    chat.says("1")
    for line in ("Attirer des médecins", "Bourse aux cabinets", "Développement économique"):
        chat.says(line)
    chat.presses("Passer"), chat.presses("Passer"), chat.says("03/2027"), chat.says("12/2029")
    told = chat.says("250 000 € subvention DETR 2027-2029")
    assert f"Noté{NBSP}: 250{NNBSP}000{NBSP}€ · subvention DETR · 2027–2029." in told
    budget = chat.answers.get("wp_measures") or []
    assert budget == []  # the measure is saved at its last field
    saved = chat.presses("Passer")  # the indicators
    assert f"Budget et financement{NBSP}: 250{NNBSP}000{NBSP}€ (subvention DETR, 2027–2029)" in saved


def _budget_field(content: Content) -> FieldBudget:
    step = content.step("wp_measures")
    assert isinstance(step, RecordsStep)
    return next(f for f in step.fields if isinstance(f, FieldBudget))


def test_a_budget_shows_in_the_readers_language_and_an_old_text_as_written(content: Content) -> None:
    field = _budget_field(content)
    stored = {"text": "25.500 € LEADER", "amount": "25500", "source": "LEADER", "funding": None, "years": [2027, 2028]}
    shown = {lang: Ctx(content, State(lang=lang)).field_value(field, stored) for lang in ("de", "fr", "en")}
    assert shown == {
        "de": f"25.500{NBSP}€ (LEADER, 2027–2028)",
        "fr": f"25{NNBSP}500{NBSP}€ (LEADER, 2027–2028)",
        "en": "€25,500 (LEADER, 2027–2028)",
    }
    ctx = Ctx(content, State(lang="de"))
    assert ctx.field_value(field, "ca. 20 T€ aus Haushalt, noch nicht beschlossen") == (
        "ca. 20 T€ aus Haushalt, noch nicht beschlossen"
    )
    assert ctx.field_value(field, {"text": "noch offen", "amount": None}) == "noch offen"


def test_a_budget_parsed_without_content_gets_its_funding_category_when_read(content: Content) -> None:
    ctx = Ctx(content, State(lang="de"))
    migrated = {"text": "5.000 € Bürgerstiftung", "amount": "5000", "source": "Bürgerstiftung", "funding": None}
    budget = ctx.budget(migrated)
    assert budget is not None and budget.funding == "third"
    assert ctx.budget("noch offen") is not None and ctx.budget("noch offen").funding is None  # type: ignore[union-attr]

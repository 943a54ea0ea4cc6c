"""Outbound as Telegram HTML and keyboards: escaping, splitting within 4096 UTF-16 units, buttons within 64 bytes."""

from __future__ import annotations

import html
import re

from bot.telegram.inbound import command
from bot.telegram.render import (
    CAPTION_LIMIT,
    DATA_LIMIT,
    TEXT_LIMIT,
    answered,
    caption,
    keyboard,
    page_of,
    render,
    split,
    units,
)
from flows.conversation.engine import Engine
from flows.messages import Bullets, Choice, Heading, Inbound, Outbound, Paragraph


def plain(part_html: str) -> str:
    return html.unescape(re.sub(r"</?b>", "", part_html))


def test_user_text_is_rendered_literally():
    [part] = render(Outbound([Heading("<b>Rathaus</b>"), Paragraph("a < b && <script>alert(1)</script>")]))
    assert part.html == "<b>&lt;b&gt;Rathaus&lt;/b&gt;</b>\n\na &lt; b &amp;&amp; &lt;script&gt;alert(1)&lt;/script&gt;"
    assert answered("<b>Frage</b>", "<i>x</i>") == "<b>Frage</b>\n\n<b>→ &lt;i&gt;x&lt;/i&gt;</b>"


def test_long_texts_split_on_paragraphs_and_count_utf16_units():
    paragraphs = [Paragraph(f"{i} " + "🙂 Wort " * 150) for i in range(12)]  # each ~1,350 units, emoji = 2
    parts = render(Outbound(paragraphs, choices=[Choice("_next", "Weiter")], turn=3))
    assert len(parts) > 1
    assert all(units(plain(p.html)) <= TEXT_LIMIT for p in parts)
    assert [p.keyboard is not None for p in parts] == [False] * (len(parts) - 1) + [True]
    joined = "\n\n".join(plain(p.html) for p in parts)
    assert joined == "\n\n".join(p.text for p in paragraphs)  # nothing lost, nothing cut mid-paragraph


def test_a_single_overlong_paragraph_is_cut_without_losing_text_or_splitting_an_emoji():
    text = ("x" * 4095 + "🙂") + " Ende"
    chunks = split(text)
    assert all(units(c) <= TEXT_LIMIT for c in chunks)
    assert "".join(chunks).replace(" ", "") == text.replace(" ", "")
    assert not any("\ud83d" in c for c in chunks)
    words = split(" ".join(["Demografie"] * 1000))
    assert all(units(c) <= TEXT_LIMIT for c in words) and all(not c.startswith(" ") for c in words)
    assert " ".join(words).split() == ["Demografie"] * 1000


def test_a_caption_within_the_limit_stays_whole_and_a_longer_one_is_cut_after_a_word():
    values = "Altersaufbau 2024: " + "; ".join(
        f"{age}–{age + 5}: Männer 1.{age:03}, Frauen 1.{age + 1:03}" for age in range(0, 200, 5)
    )
    assert units(values) > CAPTION_LIMIT
    assert caption(values[:CAPTION_LIMIT]) == values[:CAPTION_LIMIT]
    cut = caption(values)
    assert units(cut) <= CAPTION_LIMIT and cut.endswith("…")
    kept = cut.removesuffix("…")
    assert values.startswith(kept) and values[len(kept)] in " ,;:", "cut between words, never inside one"
    assert not kept.endswith((" ", ",", ";", ":")), "no dangling separator before the ellipsis"
    emoji = caption("🙂" * 600)  # one 1,200-unit word: cut hard, never inside a surrogate pair
    assert units(emoji) <= CAPTION_LIMIT and emoji == "🙂" * 511 + "…"


def test_bullets_and_a_question_without_text_still_make_a_message():
    [part] = render(Outbound([Bullets(("eins", "zwei"), numbered=True)]))
    assert part.html == "1. eins\n2. zwei"
    [only] = render(Outbound([], choices=[Choice("_next", "Weiter")], turn=1))
    assert only.html and only.keyboard is not None


def test_buttons_carry_the_turn_and_stay_within_64_bytes():
    choices = [Choice("t:" + "ü" * 30, "Ä" * 40), Choice("a", "A", selected=True), Choice("b", "B", selected=False)]
    markup = keyboard(choices, turn=123456)
    data = [b.callback_data for row in markup.inline_keyboard for b in row]
    assert all(len(d.encode()) <= DATA_LIMIT for d in data)
    assert "123456:a" in data and "123456:b" in data
    assert not any(d.startswith("123456:t:") for d in data)  # 66 bytes: left out (typed answers still work)
    texts = [b.text for row in markup.inline_keyboard for b in row]
    assert "✅ A" in texts and "▫️ B" in texts


def test_long_choice_lists_are_paged_with_the_controls_on_every_page():
    choices = [Choice(f"f{i}", f"Handlungsfeld {i}", selected=False) for i in range(1, 17)]
    choices.append(Choice("_done", "Fertig"))
    first, last = keyboard(choices, 7, 0), keyboard(choices, 7, 1)
    rows = lambda m: [[(b.text, b.callback_data) for b in row] for row in m.inline_keyboard]  # noqa: E731
    assert [d for row in rows(first)[:-2] for _, d in row] == [f"7:f{i}" for i in range(1, 9)]
    assert rows(first)[-2] == [("1/2", "p:7:0"), ("▶", "p:7:1")]
    assert rows(first)[-1] == [("Fertig", "7:_done")] == rows(last)[-1]
    assert rows(last)[-2] == [("◀", "p:7:0"), ("2/2", "p:7:1")]
    assert page_of(choices, "f9") == 1 and page_of(choices, "_done") == 0
    assert len(keyboard(choices[:10], 7).inline_keyboard) == 10  # ten or fewer: no paging


def test_a_keyboard_of_one_page_has_no_page_button(content):
    menu = Engine(content).handle(None, Inbound(text="/menue")).replies[-1]
    assert len(menu.choices) > 10 and all(c.id.startswith("_") for c in menu.choices)  # /menue: controls only
    few = [Choice(f"f{i}", f"Feld {i}") for i in range(1, 9)] + [Choice(f"_c{i}", f"Knopf {i}") for i in range(4)]
    for choices in (menu.choices, few):
        markup = keyboard(choices, 7)
        data = [b.callback_data for row in markup.inline_keyboard for b in row]
        assert not any(d.startswith("p:") for d in data), [b.text for row in markup.inline_keyboard for b in row]
        assert data == [f"7:{c.id}" for c in choices]  # every button, in order, on the one page


def test_commands_addressed_to_this_bot_lose_the_suffix():
    assert command("/hilfe@daks_test_bot", "DAKS_test_bot") == "/hilfe"
    assert command("/phase@daks_test_bot 3", "daks_test_bot") == "/phase 3"
    assert command("/hilfe@other_bot", "daks_test_bot") == "/hilfe@other_bot"


def test_buttons_carry_short_labels_and_the_message_keeps_the_full_ones():
    question = Outbound(
        [Heading("Kick-Off · Frage 10 von 10"), Paragraph("Was davon ist erledigt?")],
        [
            Choice("held", "Die Veranstaltung hat stattgefunden.", False, "Veranstaltung gehalten"),
            Choice("typed", "Ein Punkt, den jemand selbst geschrieben hat und der lang ist", False),
            Choice("_done", "Fertig"),
        ],
        turn=4,
        expects="checklist",
        typing_hint="Tippen Sie die Nummern, zum Beispiel „1, 2, 4“, oder „alle“.",
    )
    [part] = render(question)
    assert plain(part.html).endswith(
        "• Die Veranstaltung hat stattgefunden.\n• Ein Punkt, den jemand selbst geschrieben hat und der lang ist"
    )
    assert "Tippen Sie die Nummern" not in part.html, "buttons carry no numbers: no typing hint"
    assert part.keyboard is not None
    texts = [b.text for row in part.keyboard.inline_keyboard for b in row]
    assert texts == ["▫️ Veranstaltung gehalten", "▫️ Ein Punkt, den jemand…", "Fertig"]
    assert all(len(text.removeprefix("▫️ ")) <= 24 for text in texts)
    [fits] = render(Outbound([Paragraph("Format?")], [Choice("a", "vor Ort"), Choice("b", "hybrid")], turn=1))
    assert "•" not in fits.html, "labels that fit their buttons are not repeated"


def test_short_buttons_share_a_row_and_long_ones_stand_alone():
    choices = [
        Choice(i, label)
        for i, label in enumerate(["vor Ort", "hybrid", "online", "Mecklenburg-Vorpommern", "Ja", "Nein"])
    ]
    choices = [Choice(str(c.id), c.label) for c in choices] + [
        Choice("_skip", "Überspringen"),
        Choice("_cancel", "Abbrechen"),
    ]
    rows = [[b.text for b in row] for row in keyboard(choices, 2).inline_keyboard]
    assert rows == [
        ["vor Ort", "hybrid", "online"],
        ["Mecklenburg-Vorpommern"],
        ["Ja", "Nein"],
        ["Überspringen", "Abbrechen"],
    ]

"""Conversations with the real `daks serve` process through the fake Bot API server."""

from __future__ import annotations

import asyncio
import socket
import sqlite3
import sys
import time
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from flows import notices
from tests.bot.console.test_channel import FIVE_STAGES
from tests.bot.telegram.conftest import BotProcess, Person, bot_env
from tests.conftest import ROOT, free_port
from tests.fakes.bot_api import FakeBotAPI, bot_token


def refused(api: FakeBotAPI) -> list[str]:
    """Requests Telegram would have refused (anything but rate limits and injected failures)."""
    return [
        f"{c.method}: {c.response.get('description')}"
        for c in api.calls
        if c.status == 400 and "not modified" not in str(c.response.get("description"))
    ]


async def test_a_user_walks_all_five_stages_by_tapping_and_typing(api: FakeBotAPI, bot: BotProcess):
    anna = Person(api, api.user(1001, "Anna", "de"))
    await anna.says("/start", "Guten Tag! Ich bin der DAKS-Begleiter")
    for line, expect in FIVE_STAGES:
        await anna.answers(line, expect)
    await anna.says("/export md", "als Markdown")
    await api.wait_for(lambda: any(m.document for m in anna.chat))
    [(name, data)] = [m.document for m in anna.chat if m.document]
    assert name.startswith("daks-") and "-musterstadt-" in name and name.endswith(".md")
    shown = MarkdownIt("commonmark").enable("table").render(data.decode())  # as a Markdown reader shows it
    assert "Praxisbörse aufbauen" in shown and "<h2>5. Zwischenbilanz</h2>" in shown
    assert refused(api) == []
    assert {"de", "fr", "en", None} <= set(api.commands)
    assert [c["command"] for c in api.commands["fr"]][:2] == ["demarrer", "aide"]


async def test_start_greets_a_new_user_once_and_welcomes_a_returning_one_back(api: FakeBotAPI, bot: BotProcess):
    gina = Person(api, api.user(1020, "Gina", "de"))
    await gina.says("/start", "Für welche Kommune arbeiten Sie?")
    said = "\n".join(m.text for m in gina.chat)
    assert said.count("Ich bin der DAKS-Begleiter") == 1 and "Willkommen zurück" not in said
    hanna = Person(api, api.user(1021, "Hanna", "de"))
    await hanna.says("/start flyer-2027", "Für welche Kommune arbeiten Sie?")  # a deep link with a payload
    said = "\n".join(m.text for m in hanna.chat)
    assert said.count("Ich bin der DAKS-Begleiter") == 1 and "Willkommen zurück" not in said
    await gina.says("Musterstadt", "Was für eine Kommune ist Musterstadt?")
    count = len(gina.chat)
    await gina.says("/start", "Was für eine Kommune ist Musterstadt?")
    said = "\n".join(m.text for m in gina.chat[count:])
    assert "Willkommen zurück" in said and "Ich bin der DAKS-Begleiter" not in said
    assert refused(api) == []


async def test_a_button_press_shows_the_choice_and_toggles_edit_in_place(api: FakeBotAPI, bot: BotProcess):
    ben = Person(api, api.user(1002, "Ben", "de"))
    await ben.says("/start")
    await ben.says("Musterstadt", "Was für eine Kommune ist Musterstadt?")
    kind = ben.question
    label = [text for row in kind.buttons() for text, _ in row][1]
    await ben.answers("2", "In welchem Land")
    answered = ben.message(kind.message_id)
    assert answered.text.endswith(f"→ {label}") and not answered.buttons()
    await ben.answers("13", "Wie viele Menschen")
    await ben.answers("3", "Welche Handlungsfelder")
    fields = ben.question
    count = len(ben.chat)
    await ben.taps(fields.buttons()[0][0][0], None)
    assert len(ben.chat) == count, "a toggle edits the question, it does not send a new message"
    assert ben.chat[-1].buttons()[0][0][0].startswith("✅")


async def test_french_staff_get_french_from_their_telegram_language(api: FakeBotAPI, bot: BotProcess, content):
    claire = Person(api, api.user(1003, "Claire", "fr"))
    await claire.says("/start", content.stage("onboarding").steps[0].prompt.get("fr")[:30])
    t = content.catalogues.translator("fr")
    for line, _ in FIVE_STAGES:  # the same answers; what is said back is French, checked below
        await claire.answers(line, None)
    texts = "\n".join(m.text for m in claire.chat)
    for stage in content.daks_stages:
        assert t("Summary: {stage}", stage=stage.title.get("fr")) in texts
        assert (
            t("{stage} · question {index} of {total}", stage=stage.title.get("fr"), index=1, total=len(stage.steps))
            in texts
        )
    assert "Zusammenfassung" not in texts
    assert refused(api) == []


async def test_a_restart_mid_stage_resumes_and_old_buttons_are_explained(api: FakeBotAPI, bot: BotProcess):
    dora = Person(api, api.user(1004, "Dora", "de"))
    await dora.says("/start")
    for line, expect in FIVE_STAGES[:4]:
        await dora.answers(line, expect)
    old_fields = dora.question
    assert await bot.stop() == 0
    await bot.start()  # the new process does not know which message carried the buttons: they stay there
    await dora.says("2, 5, 9", "Kick-Off · Frage 1 von 10")  # typed
    assert old_fields.message_id in [m.message_id for m in dora.chat if m.buttons()]
    for line, expect in FIVE_STAGES[5:7]:
        await dora.answers(line, expect)
    update = await api.send_text(dora.user, "Sozialamt")
    await api.wait_for(
        lambda: any(
            update["update_id"] in [u["update_id"] for u in c.response.get("result", [])]
            for c in api.called("getUpdates")
        )
    )
    assert await bot.stop() == 0  # at once: the update is in hand
    assert "Telegram channel stopped" in bot.output()
    finished = any("Notiert (1)" in m.text for m in dora.chat)  # the batch in hand is finished before exiting
    await bot.start()
    if not finished:  # on a loaded machine the poll's answer may still have been in transit: it comes again
        await api.wait_for(lambda: any("Notiert (1)" in m.text for m in dora.chat))
    await dora.says("Planungsamt", "Notiert (2)")
    assert sum("Notiert (1)" in m.text for m in dora.chat) == 1  # taken once: neither lost nor repeated
    stale = await dora.presses(old_fields, old_fields.buttons()[0][0][1], "früheren Nachricht")
    assert any("Notiert (2)" in m.text or "Steuerungsgruppe" in m.text for m in stale)
    assert not dora.message(old_fields.message_id).buttons()
    await dora.says("fertig", "Wen laden Sie zum Kick-Off ein?")


async def test_a_duplicated_update_is_answered_once(api: FakeBotAPI, bot: BotProcess):
    emil = Person(api, api.user(1005, "Emil", "de"))
    await emil.says("/start")
    count = len(emil.chat)
    update = await api.send_text(emil.user, "Musterstadt")
    await api.wait_sent(emil.user.id, count + 1)
    await api.wait_idle(0.1)
    await api.push(update)
    await api.wait_for(lambda: not api.pending_updates)
    await api.wait_idle(0.3)
    assert len(emil.chat) == count + 1
    await emil.answers("2", "In welchem Land")  # and the conversation goes on from the right place


async def test_one_chats_updates_are_answered_in_order(api: FakeBotAPI, bot: BotProcess):
    nina = Person(api, api.user(1015, "Nina", "de"))
    await nina.says("/start")
    for line, expect in FIVE_STAGES[:7]:
        await nina.answers(line, expect)
    count = len(nina.chat)
    for name in ("Sozialamt", "Planungsamt", "Bauamt", "Kämmerei", "Jugendamt"):
        await api.send_text(nina.user, name)  # all at once, before any reply
    await api.wait_sent(nina.user.id, count + 5)
    assert [m.text.split("Notiert (")[1][0] for m in nina.chat[count:]] == ["1", "2", "3", "4", "5"]


async def test_markup_in_user_text_is_shown_literally(api: FakeBotAPI, bot: BotProcess):
    fritz = Person(api, api.user(1006, "Fritz", "de"))
    await fritz.says("/start")
    [reply] = await fritz.says("<b>Muster</b> & <a href='x'>stadt</a>", "Was für eine Kommune ist")
    assert "<b>Muster</b> & <a href='x'>stadt</a>" in reply.text
    assert not [e for e in reply.entities if e["type"] in ("text_link",)]
    bold = [reply.text[e["offset"] : e["offset"] + e["length"]] for e in reply.entities if e["type"] == "bold"]
    assert "Muster" not in bold


async def test_undecodable_text_and_hostile_controls_are_cleaned_and_the_export_still_works(
    api: FakeBotAPI, bot: BotProcess, database_url: str
):
    from storage.models import Answer
    from storage.store import Store

    lena = Person(api, api.user(1016, "Lena", "de"))
    await lena.says("/start")
    await lena.says("K\ud800ln\u202e\x1b[31m\x00", "Was für eine Kommune ist K\ufffdln[31m?")  # "\ud800" in the JSON
    await lena.says("/export md", "als Markdown")
    await api.wait_for(lambda: any(m.document for m in lena.chat))
    [(name, data)] = [m.document for m in lena.chat if m.document]
    assert name.isascii() and name.startswith("daks-") and name.endswith(".md")
    assert "K\ufffdln" in data.decode("utf-8")
    store = await Store.open(database_url, upgrade=False)
    try:
        values = await store.run_connection(lambda conn: conn.execute(Answer.__table__.select()).mappings().all())
    finally:
        await store.close()
    assert "K\ufffdln[31m" in [r["value"] for r in values]
    assert refused(api) == []


async def test_files_edits_and_overlong_text_get_friendly_answers(api: FakeBotAPI, bot: BotProcess):
    gina = Person(api, api.user(1007, "Gina", "de"))
    await gina.says("/start")
    before = len(gina.chat)
    await api.send_file(gina.user, "zahlen.xlsx")
    await api.wait_for(lambda: any("nur Text" in m.text for m in gina.chat[before:]))
    await api.send_photo(gina.user)
    await api.wait_sent(gina.user.id, before + 2)
    await api.edit_text(gina.user, 1, "Anders")
    await api.wait_for(lambda: any("Bearbeiten" in m.text for m in gina.chat))
    [long] = await gina.says("x" * 9000, "9.000 Zeichen")
    await gina.says("Musterstadt", "Was für eine Kommune ist Musterstadt?")
    assert refused(api) == []


async def test_groups_get_a_note_once_and_a_migrated_group_gets_it_at_its_new_id(api: FakeBotAPI, bot: BotProcess):
    team = api.group(-2001, "Steuerungsgruppe")
    hans = api.user(1008, "Hans", "de")
    await api.send_text(hans, "/start@daks_test_bot", chat=team)
    [note] = await api.wait_sent(team.id, 1)
    assert "nur in privaten Chats" in note.text and "@daks_test_bot" in note.text
    await api.send_text(hans, "/hilfe@daks_test_bot", chat=team)
    await api.wait_idle(0.2)
    assert len(api.sent(team.id)) == 1
    other = api.group(-2002, "Rat")
    api.fail("sendMessage", "migrate", chat_id=other.id, migrate_to=-1002002)
    await api.send_text(hans, "/start", chat=other)
    await api.wait_sent(-1002002, 1)


async def test_a_user_who_blocked_the_bot_is_marked_inactive_and_others_carry_on(
    api: FakeBotAPI, bot: BotProcess, database_url: str
):
    from storage.models import Identity
    from storage.store import Store

    ida, jan = Person(api, api.user(1009, "Ida", "de")), Person(api, api.user(1010, "Jan", "de"))
    karl = Person(api, api.user(1014, "Karl", "de"))
    for person in (ida, jan, karl):
        await person.says("/start")
    api.fail("sendMessage", "blocked", chat_id=ida.user.id)
    api.fail("sendMessage", "not_found", chat_id=karl.user.id)
    await api.send_text(ida.user, "Musterstadt")
    await api.send_text(karl.user, "Musterstadt")
    await jan.says("Musterstadt", "Was für eine Kommune ist Musterstadt?")
    await api.wait_idle(0.2)
    store = await Store.open(database_url, upgrade=False)
    try:
        rows = await store.run_connection(
            lambda conn: (
                conn.execute(Identity.__table__.select().where(Identity.channel == "telegram")).mappings().all()
            )
        )
    finally:
        await store.close()
    state = {r["ref"]: (r["active"], r["status"]) for r in rows}
    assert state["1009"] == (False, "blocked") and state["1010"] == (True, None)
    assert state["1014"] == (False, "chat_not_found")
    await ida.says("Gemeinde", "In welchem Land")  # writing again makes them reachable again


@pytest.mark.parametrize("bot_settings", [{"TELEGRAM_PACING": "true"}], indirect=True)
async def test_a_429_in_the_middle_is_waited_out_exactly_and_nothing_is_sent_twice(api: FakeBotAPI, bot: BotProcess):
    kai = Person(api, api.user(1011, "Kai", "de"))
    await kai.says("/start")
    api.fail("sendMessage", "retry_after", chat_id=kai.user.id, retry_after=2)
    await kai.says("Musterstadt", "Was für eine Kommune ist Musterstadt?")
    sends = [c for c in api.called("sendMessage") if c.params.get("chat_id") in (kai.user.id, str(kai.user.id))]
    refused_at = [c.at for c in sends if c.status == 429]
    accepted_at = [c.at for c in sends if c.status == 200]
    assert len(refused_at) == 1
    assert accepted_at[-1] - refused_at[0] >= 2.0
    assert sum("Was für eine Kommune ist Musterstadt?" in m.text for m in kai.chat) == 1


@pytest.mark.parametrize("bot_settings", [{"TELEGRAM_TIMEOUT": "1"}], indirect=True)
async def test_a_send_that_timed_out_is_not_sent_again(api: FakeBotAPI, bot: BotProcess):
    lea = Person(api, api.user(1012, "Lea", "de"))
    await lea.says("/start")
    api.fail("sendMessage", "timeout", chat_id=lea.user.id, delay=2.5)
    await api.send_text(lea.user, "Musterstadt")
    await api.wait_for(lambda: any("Was für eine Kommune ist Musterstadt?" in m.text for m in lea.chat), 10)
    await asyncio.sleep(1.5)
    assert sum("Was für eine Kommune ist Musterstadt?" in m.text for m in lea.chat) == 1
    await lea.says("2", "In welchem Land")
    assert "may have arrived, so it is not sent again" in bot.output()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_webhook_mode_checks_the_secret_and_asks_for_a_resend_when_it_cannot_store(
    api: FakeBotAPI, database_url: str, tmp_path: Path
):
    import aiohttp

    from tests.conftest import free_port

    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    env = bot_env(
        api,
        database_url,
        tmp_path,
        TELEGRAM_WEBHOOK_URL=url,
        TELEGRAM_WEBHOOK_LISTEN=f"127.0.0.1:{port}",
        TELEGRAM_WEBHOOK_SECRET="s3cret_-token",
    )
    process = BotProcess(api, env, tmp_path / "bot.log")
    await process.start(ready="setwebhook")
    try:
        assert api.webhook is not None and api.webhook["secret_token"] == "s3cret_-token"
        mia = Person(api, api.user(1013, "Mia", "de"))
        await mia.says("/start", "Guten Tag")
        await mia.says("Musterstadt", "Was für eine Kommune ist Musterstadt?")

        update = {
            "update_id": 999_001,
            "message": {
                "message_id": 77,
                "date": int(time.time()),
                "chat": {"id": 1013, "type": "private", "first_name": "Mia"},
                "from": {"id": 1013, "is_bot": False, "first_name": "Mia"},
                "text": "/fortschritt",
            },
        }
        async with aiohttp.ClientSession() as http:
            for headers in (
                {},
                {"X-Telegram-Bot-Api-Secret-Token": "wrong"},
                {"X-Telegram-Bot-Api-Secret-Token": "s3cret_-token" + "x"},
            ):
                async with http.post(url, json=update, headers=headers) as response:
                    assert response.status == 403
        await asyncio.sleep(0.3)
        assert not any("Fortschritt" in m.text for m in mia.chat), "nothing was taken from a forged request"

        database = Path(database_url.removeprefix("sqlite:///"))
        lock = sqlite3.connect(database, timeout=5)
        lock.execute("BEGIN EXCLUSIVE")
        try:
            await api.send_text(mia.user, "2")
            await api.wait_for(lambda: any(status == 503 for _, status in api.webhook_deliveries), timeout=20)
        finally:
            lock.rollback()
            lock.close()
        await api.wait_for(lambda: any("In welchem Land" in m.text for m in mia.chat), timeout=20)
        assert sum("In welchem Land" in m.text for m in mia.chat) == 1
        assert any("nichts speichern" in m.text for m in mia.chat)
    finally:
        assert await process.stop() == 0
    assert "Traceback" not in process.output()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_wrong_token_or_a_webhook_without_secret_is_refused_without_showing_the_token(
    api: FakeBotAPI, database_url: str, tmp_path: Path
):
    token = bot_token(999999)
    wrong = bot_env(api, database_url, tmp_path, TELEGRAM_TOKEN=token)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "serve",
        env=wrong,
        cwd=ROOT,
        stderr=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 2 and "refused the bot token" in err.decode()
    assert token.partition(":")[2] not in err.decode()
    assert "Unclosed" not in err.decode() and "Traceback" not in err.decode()
    no_secret = bot_env(api, database_url, tmp_path, TELEGRAM_WEBHOOK_URL="https://example.org/hook")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "serve",
        env=no_secret,
        cwd=ROOT,
        stderr=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 2 and "TELEGRAM_WEBHOOK_SECRET" in err.decode()
    assert api.token not in err.decode() and "Traceback" not in err.decode()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_an_unreachable_bot_api_at_start_exits_3_in_two_lines(api: FakeBotAPI, database_url: str, tmp_path: Path):
    nowhere = f"127.0.0.1:{free_port()}"
    env = bot_env(api, database_url, tmp_path, TELEGRAM_BASE_URL=f"http://{nowhere}/bot", DAKS_LOG_LEVEL="WARNING")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "serve",
        env=env,
        cwd=ROOT,
        stderr=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    _, raw = await asyncio.wait_for(process.communicate(), 90)
    err = raw.decode()
    assert process.returncode == 3, err
    assert len(err.strip().splitlines()) <= 2 and "Telegram" in err and nowhere in err, err
    assert api.token not in err and "Unclosed" not in err


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("slow", ["getMe", "setMyCommands"])
async def test_a_stop_during_the_start_closes_every_connection(
    api: FakeBotAPI, database_url: str, tmp_path: Path, slow: str
):
    api.fail(slow, "timeout", delay=30)  # Telegram answers this start-up request only after 30 s
    process = BotProcess(api, bot_env(api, database_url, tmp_path), tmp_path / "bot.log")
    await process.start(ready=slow, asked=True)
    assert await process.stop() == 0
    assert "Unclosed" not in process.output() and "Traceback" not in process.output(), process.output()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_webhook_port_in_use_is_a_configuration_error(api: FakeBotAPI, database_url: str, tmp_path: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        listen = f"127.0.0.1:{taken.getsockname()[1]}"
        env = bot_env(
            api,
            database_url,
            tmp_path,
            TELEGRAM_WEBHOOK_URL="https://bot.example.org/hook",
            TELEGRAM_WEBHOOK_SECRET="s3cret_-token",
            TELEGRAM_WEBHOOK_LISTEN=listen,
            DAKS_LOG_LEVEL="WARNING",
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "serve",
            env=env,
            cwd=ROOT,
            stderr=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        _, raw = await asyncio.wait_for(process.communicate(), 90)
    err = raw.decode()
    assert process.returncode == 2, err
    assert len(err.strip().splitlines()) <= 2 and listen in err and "TELEGRAM_WEBHOOK_LISTEN" in err, err
    assert "Unclosed" not in err


def bold(message) -> list[str]:  # noqa: ANN001
    """The bold stretches of a message, as Telegram holds them (entities)."""
    return [message.text[e["offset"] : e["offset"] + e["length"]] for e in message.entities if e["type"] == "bold"]


async def test_on_a_phone_buttons_fit_the_full_texts_are_in_the_message_and_a_done_names_the_picks(
    api: FakeBotAPI, bot: BotProcess, content
):
    gina = Person(api, api.user(1020, "Gina", "de"))
    await gina.says("/start")
    for line, expect in FIVE_STAGES[:3]:
        await gina.answers(line, expect)
    await gina.answers("3", "Welche Handlungsfelder")
    fields = gina.question
    buttons = [text for row in fields.buttons() for text, _ in row]
    assert all(len(text.removeprefix("▫️ ")) <= 24 for text in buttons), buttons
    assert "▫️ Strategie und Steuerung" in buttons and "Fertig" in buttons
    for field in content.handlungsfelder.values():  # the buttons are short; the message says it all
        assert f"• {field.label.get('de')}" in fields.text
    assert "Nummer" not in fields.text, "no typing hint where the answers are buttons"
    assert max(len(row) for row in fields.buttons()) >= 2, "short answers share a row"
    await gina.taps("Strategie und Steuerung")
    await gina.taps("Bildung und Familie")
    await gina.taps("Fertig", "Kick-Off · Frage 1 von 10")
    answered = gina.message(fields.message_id)
    assert answered.text.endswith("→ Strategie und Steuerung, Bildung und Familie") and not answered.buttons()
    assert "Nummer" not in answered.text and "„2, 5, 9“" not in answered.text
    assert refused(api) == []


async def test_a_checklist_on_a_phone_lists_its_items_and_only_the_newest_question_has_buttons(
    api: FakeBotAPI, bot: BotProcess, content
):
    hans = Person(api, api.user(1021, "Hans", "de"))
    await hans.says("/start")
    for line, expect in FIVE_STAGES[:7]:
        await hans.answers(line, expect)
    for item in ("Sozialamt", "Planungsamt", "Bauamt"):
        await hans.says(item, "Notiert")
    with_buttons = [m for m in hans.chat if m.buttons()]
    assert len(with_buttons) == 1, [m.text[:40] for m in with_buttons]
    assert with_buttons[0].button("Letzten Punkt entfernen")
    for line, expect in FIVE_STAGES[9:19]:
        await hans.answers(line, expect)
    checklist = hans.question
    items = next(s for s in content.stage("kickoff").steps if s.id == "ko_done").items
    for item in items:
        short = item.short.get("de") if item.short else item.label.get("de")
        if item.rule is None:
            assert item.label.get("de") in checklist.text and checklist.button(short)
        else:  # the answers decide it: shown with the reason, no button
            assert f"✓ {short} — Koordination: " in checklist.text
            assert short not in [text for row in checklist.buttons() for text, _ in row]
    assert "1, 2, 4" not in checklist.text and "Was davon ist erledigt?" in checklist.text
    assert len([m for m in hans.chat if m.buttons()]) == 1
    header = "Kick-Off · Frage 10 von 10"
    assert header in bold(checklist)
    await hans.taps("Veranstaltung gehalten")
    await hans.taps("Protokoll verschickt")
    await hans.taps("Fertig", "Zusammenfassung: Kick-Off")
    answered = hans.message(checklist.message_id)
    assert header in bold(answered), "the bold header stays when the question becomes its answer"
    assert "→ Veranstaltung gehalten, Protokoll verschickt" in bold(answered)
    assert hans.question.text.count("3 von 5 erledigt") == 1  # the ticks and "Steuerungsgruppe benannt"
    assert refused(api) == []


async def test_the_bold_header_stays_when_the_server_echoes_a_pressed_message_without_its_formatting(
    api: FakeBotAPI, bot: BotProcess, content
):
    ida = Person(api, api.user(1022, "Ida", "de"))
    await ida.says("/start")
    for line, expect in FIVE_STAGES[:19]:
        await ida.answers(line, expect)
    checklist = ida.question
    header = "Kick-Off · Frage 10 von 10"
    await ida.taps("Veranstaltung gehalten", formatting=False)
    await ida.taps("Fertig", "Zusammenfassung: Kick-Off", formatting=False)
    answered = ida.message(checklist.message_id)
    assert header in bold(answered), "the header is bold as sent, whatever the server echoes of it"
    assert "→ Veranstaltung gehalten" in bold(answered)
    assert refused(api) == []


async def test_the_empty_chat_explains_the_bot_in_each_language(api: FakeBotAPI, bot: BotProcess, content):
    for lang in (None, "de", "fr", "en"):
        t = content.catalogues.translator(lang or "de")
        description = api.descriptions[("description", lang)]
        short = api.descriptions[("short_description", lang)]
        assert description == t(notices.DESCRIPTION) and short == t(notices.SHORT_DESCRIPTION)
        assert len(short) <= 120 and len(description) <= 512
    assert "Demografiestrategie" in api.descriptions[("description", None)]
    assert "stratégie démographique" in api.descriptions[("short_description", "fr")]
    assert api.descriptions[("description", "en")].startswith("The DAKS companion")


async def test_a_document_arrives_with_its_bytes_and_becomes_the_workspace_template(
    api: FakeBotAPI, bot: BotProcess, database_url: str
):
    from tests.bot.app.test_templates import docx_template

    hanna = Person(api, api.user(1011, "Hanna", "de"))
    await hanna.says("/start")
    await hanna.says("Musterstadt", "Was für eine Kommune ist Musterstadt?")
    await hanna.says("/vorlage", "{{p body }}")
    template = docx_template("{{ municipality }}", "{{p body }}")
    before = len(hanna.chat)
    await api.send_file(hanna.user, "briefkopf.docx", template)
    await api.wait_for(lambda: any("Gespeichert: briefkopf.docx" in m.text for m in hanna.chat[before:]))
    assert any(c.method == "getFile" for c in api.calls)
    if database_url.startswith("sqlite:///"):  # the bytes stored are the bytes sent
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
            assert db.execute("SELECT format, data FROM template").fetchall() == [("docx", template)]
    assert refused(api) == []

"""The fake Bot API server, driven by the real python-telegram-bot client."""

from __future__ import annotations

import asyncio
import datetime as dtm
import itertools
import json
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.request import HTTPXRequest

from tests.fakes.bot_api import FakeBotAPI, parse_html, parse_markdown_v2, utf16_len

USER_ID = 100
# RetryAfter.retry_after warns about its future timedelta type even when python-telegram-bot reads it itself.
pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*")


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI() as server:
        server.user(USER_ID)
        yield server


@pytest.fixture
async def bot(api: FakeBotAPI) -> AsyncIterator[Bot]:
    async with Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url) as client:
        yield client


def keyboard(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in row] for row in rows])


def seconds(value: int | dtm.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


async def test_get_me(api: FakeBotAPI, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.is_bot and me.username == "daks_test_bot" and me.id == api.bot_id == 123456
    assert me.can_join_groups is True
    assert api.calls[0].method == "getMe" and api.calls[0].status == 200


async def test_send_message_html_entities_utf16(api: FakeBotAPI, bot: Bot) -> None:
    html = '😀 <b>fett &amp; <i>schräg</i></b>\n<a href="https://example.org">Link</a> <code>x&lt;1</code>'
    message = await bot.send_message(USER_ID, html, parse_mode="HTML")
    (sent,) = api.sent(USER_ID)
    assert sent.text == "😀 fett & schräg\nLink x<1"
    assert sent.html == html
    assert sent.entities == [
        {"offset": 3, "length": 13, "type": "bold"},
        {"offset": 10, "length": 6, "type": "italic"},
        {"offset": 17, "length": 4, "type": "text_link", "url": "https://example.org/"},
        {"offset": 22, "length": 3, "type": "code"},
    ]
    assert message.text == sent.text and message.message_id == sent.message_id == 1
    assert message.chat.id == USER_ID and message.chat.type == "private" and message.from_user.id == api.bot_id
    assert list(message.parse_entities().values()) == ["fett & schräg", "schräg", "Link", "x<1"]
    second = await bot.send_message(USER_ID, "plain <b>not parsed</b>")
    assert second.message_id == 2 and second.text == "plain <b>not parsed</b>" and not second.entities


@pytest.mark.parametrize(
    ("html", "detail"),
    [
        ("<b>fett</i>", 'unmatched end tag at byte offset 7, expected "</b>", found "</i>"'),
        ("<b>fett", 'can\'t find end tag corresponding to start tag "b"'),
        ("<p>absatz</p>", 'unsupported start tag "p" at byte offset 0'),
        ("a < b", 'unsupported start tag "" at byte offset 2'),
        ("Grüße&nbsp;dir", "unsupported entity"),
        ('<span class="x">s</span>', 'tag "span" must have class "tg-spoiler"'),
    ],
)
async def test_malformed_html_is_rejected(api: FakeBotAPI, bot: Bot, html: str, detail: str) -> None:
    with pytest.raises(BadRequest) as info:
        await bot.send_message(USER_ID, html, parse_mode="HTML")
    assert "can't parse entities" in str(info.value).lower()
    assert detail.lower() in str(info.value).lower()
    assert api.sent(USER_ID) == [] and api.calls[-1].status == 400


def test_html_parser_details() -> None:
    assert parse_html('<pre><code class="language-python">x = 1</code></pre>') == (
        "x = 1",
        [{"offset": 0, "length": 5, "type": "pre", "language": "python"}],
    )
    assert parse_html("<blockquote expandable>q</blockquote><tg-spoiler>s</tg-spoiler>&#x1F600;&#65;")[1] == [
        {"offset": 0, "length": 1, "type": "expandable_blockquote"},
        {"offset": 1, "length": 1, "type": "spoiler"},
    ]
    assert parse_html("AT&T &lt")[0] == "AT&T <"
    text, entities = parse_markdown_v2(r"*fett* _kursiv_ __unter__ ||sp|| [l](https://x.org) `c` Ende\.")
    assert text == "fett kursiv unter sp l c Ende."
    assert [e["type"] for e in entities] == ["bold", "italic", "underline", "spoiler", "text_link", "code"]
    assert utf16_len("a😀ä") == 4


async def test_markdown_v2_reserved_character(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)character '\.' is reserved and must be escaped"):
        await bot.send_message(USER_ID, "Ende.", parse_mode="MarkdownV2")
    message = await bot.send_message(USER_ID, r"*Ende*\.", parse_mode="MarkdownV2")
    assert message.text == "Ende." and message.entities[0].type == "bold"


async def test_text_length_counts_utf16(api: FakeBotAPI, bot: Bot) -> None:
    exact = "😀" * 2048  # 2048 characters, 4096 UTF-16 code units
    await bot.send_message(USER_ID, exact)
    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await bot.send_message(USER_ID, exact + "a")
    with pytest.raises(BadRequest, match="(?i)message text is empty"):
        await bot.send_message(USER_ID, "<b> </b>\n", parse_mode="HTML")
    assert len(api.sent(USER_ID)) == 1


async def test_callback_data_is_limited_to_64_bytes(api: FakeBotAPI, bot: Bot) -> None:
    await bot.send_message(USER_ID, "ok", reply_markup=keyboard([("A", "ä" * 32)]))
    with pytest.raises(BadRequest, match="(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(USER_ID, "zu lang", reply_markup=keyboard([("A", "ä" * 32 + "a")]))
    with pytest.raises(BadRequest, match="(?i)too many buttons"):
        await bot.send_message(USER_ID, "row", reply_markup=keyboard([(str(i), str(i)) for i in range(9)]))
    with pytest.raises(BadRequest, match="(?i)text buttons are unallowed"):
        await bot.send_message(USER_ID, "leer", reply_markup=keyboard([("", "x")]))
    assert len(api.sent(USER_ID)) == 1


async def test_press_round_trip(api: FakeBotAPI, bot: Bot) -> None:
    user = api.user(USER_ID)
    await bot.send_message(
        USER_ID, "<b>Frage</b>", parse_mode="HTML", reply_markup=keyboard([("Ja ✅", "yes"), ("Nein", "no")])
    )
    (sent,) = api.sent(USER_ID)
    assert sent.buttons() == [[("Ja ✅", "yes"), ("Nein", "no")]]
    assert sent.button("Ja") == ("Ja ✅", "yes")
    with pytest.raises(AssertionError, match="Vielleicht"):
        sent.button("Vielleicht")
    with pytest.raises(AssertionError):
        await api.press(user, sent, "maybe")
    update = await api.press(user, sent, sent.button("Ja")[1])
    (received,) = await bot.get_updates()
    assert received.update_id == update["update_id"]
    query = received.callback_query
    assert query.data == "yes" and query.from_user.id == USER_ID and query.from_user.language_code == "de"
    assert query.message.text == "Frage" and query.message.entities[0].type == "bold"
    assert query.message.reply_markup == keyboard([("Ja ✅", "yes"), ("Nein", "no")])
    assert await bot.answer_callback_query(query.id, text="Danke")
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await bot.answer_callback_query(query.id)


async def test_edit_message(api: FakeBotAPI, bot: Bot) -> None:
    markup = keyboard([("A", "a")])
    message = await bot.send_message(USER_ID, "<b>eins</b>", parse_mode="HTML", reply_markup=markup)
    with pytest.raises(BadRequest, match="(?i)message is not modified: specified new message content"):
        await bot.edit_message_text("<b>eins</b>", USER_ID, message.message_id, parse_mode="HTML", reply_markup=markup)
    edited = await bot.edit_message_text("zwei", USER_ID, message.message_id)
    (sent,) = api.sent(USER_ID)
    assert edited.text == "zwei" and edited.edit_date is not None
    assert sent.text == "zwei" and sent.entities == [] and sent.edits == 1
    assert sent.reply_markup is None  # like Telegram: editing without reply_markup removes the keyboard
    await bot.edit_message_reply_markup(USER_ID, message.message_id, reply_markup=markup)
    assert sent.buttons() == [[("A", "a")]] and sent.edits == 2
    await bot.edit_message_reply_markup(USER_ID, message.message_id, reply_markup=InlineKeyboardMarkup([]))
    assert sent.reply_markup is None
    with pytest.raises(BadRequest, match="(?i)message to edit not found"):
        await bot.edit_message_text("x", USER_ID, 999)
    assert await bot.delete_message(USER_ID, message.message_id)
    assert sent.deleted
    with pytest.raises(BadRequest, match="(?i)message to delete not found"):
        await bot.delete_message(USER_ID, message.message_id)


async def test_get_updates_offset_confirms(api: FakeBotAPI, bot: Bot) -> None:
    user = api.user(USER_ID)
    first = await api.send_text(user, "/start")
    second = await api.send_text(user, "Hallo")
    assert second["update_id"] == first["update_id"] + 1
    updates = await bot.get_updates()
    assert [u.update_id for u in updates] == [first["update_id"], second["update_id"]]
    assert updates[0].message.text == "/start" and updates[0].message.entities[0].type == "bot_command"
    assert updates[1].message.from_user.first_name == "Anna"
    assert len(await bot.get_updates(limit=1)) == 1
    again = await bot.get_updates(offset=second["update_id"])
    assert [u.update_id for u in again] == [second["update_id"]]
    assert await bot.get_updates(offset=second["update_id"] + 1) == ()
    await api.push(first)  # a duplicate delivery
    assert [u.update_id for u in await bot.get_updates()] == [first["update_id"]]


async def test_long_poll_returns_when_update_arrives(api: FakeBotAPI, bot: Bot) -> None:
    user = api.user(USER_ID)
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.3)
    assert not poll.done()
    await api.send_text(user, "da bin ich")
    updates = await asyncio.wait_for(poll, 3)
    assert updates[0].message.text == "da bin ich"
    assert time.monotonic() - started < 2
    started = time.monotonic()
    assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=1) == ()
    assert time.monotonic() - started >= 0.9


async def test_rate_limit_private_chat(api: FakeBotAPI, bot: Bot) -> None:
    with pytest.raises(RetryAfter) as info:
        for i in range(7):
            await bot.send_message(USER_ID, f"Nachricht {i}")
    assert seconds(info.value.retry_after) >= 1
    assert len(api.sent(USER_ID)) == 5
    assert api.calls[-1].status == 429 and api.calls[-1].response["parameters"]["retry_after"] >= 1
    api.limits = False
    await bot.send_message(USER_ID, "ohne Limit")
    assert len(api.sent(USER_ID)) == 6


async def test_rate_limit_group(api: FakeBotAPI, bot: Bot) -> None:
    api.group(-500)
    for i in range(20):
        await bot.send_message(-500, f"{i}")
    with pytest.raises(RetryAfter):
        await bot.send_message(-500, "zu viel")
    assert len(api.sent(-500)) == 20


async def test_the_token_gets_a_sliding_second_and_a_flood_wait_that_grows_when_ignored() -> None:
    async with FakeBotAPI(overall=3) as api, Bot(api.token, base_url=api.base_url) as bot:
        for chat in range(1, 6):
            api.user(chat)
        for chat in (1, 2, 3):
            await bot.send_message(chat, "eins")
        with pytest.raises(RetryAfter) as first:
            await bot.send_message(4, "die vierte in einer Sekunde")
        with pytest.raises(RetryAfter) as second:
            await bot.send_message(5, "während der Sperre")  # another chat: the wait is the token's
        assert seconds(first.value.retry_after) == 1 and seconds(second.value.retry_after) >= 2
        assert api.ignored_floods == 1 and api.busiest() == 3
        assert [len(api.sent(chat)) for chat in range(1, 6)] == [1, 1, 1, 0, 0]


async def test_arrivals_are_counted_when_they_arrive_even_while_the_test_loop_is_busy() -> None:
    """The limits count arrivals at the front door; a test that blocks its own loop (a process to
    start, a database to open) must not bunch them up into a burst the sender never sent."""
    import threading
    import urllib.request

    async with FakeBotAPI(overall=30) as api:
        api.user(1)

        def sender() -> None:
            for i in range(5):
                body = json.dumps({"chat_id": 1, "text": f"{i}"}).encode()
                request = urllib.request.Request(
                    f"{api.base_url}{api.token}/sendMessage", body, {"Content-Type": "application/json"}
                )
                threading.Thread(target=urllib.request.urlopen, args=(request,), daemon=True).start()
                time.sleep(0.08)

        client = threading.Thread(target=sender)
        client.start()
        time.sleep(0.5)  # the test's loop is blocked while all five arrive
        await asyncio.to_thread(client.join)
        await api.wait_for(lambda: len(api.counted) == 5, timeout=5)
    gaps = [b - a for a, b in itertools.pairwise(api.counted)]
    assert min(gaps) > 0.04, gaps  # 80 ms apart when sent; all within one moment if stamped by the blocked loop


async def test_timeout_still_delivers(api: FakeBotAPI) -> None:
    api.fail("sendMessage", "timeout", delay=1.5)
    request = HTTPXRequest(read_timeout=0.5, write_timeout=0.5)
    async with Bot(api.token, base_url=api.base_url, request=request) as slow:
        with pytest.raises(TimedOut):
            await slow.send_message(USER_ID, "langsam")
        assert api.sent(USER_ID) == []
        (sent,) = await api.wait_sent(USER_ID, 1, timeout=3)
        assert sent.text == "langsam"
        await slow.send_message(USER_ID, "schnell")  # the rule was consumed
    assert [c.status for c in api.called("sendMessage")] == [200, 200]


async def test_blocked_user(api: FakeBotAPI, bot: Bot) -> None:
    user = api.user(USER_ID)
    update = await api.block(user)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(USER_ID, "hallo?")
    (received,) = await bot.get_updates()
    assert received.update_id == update["update_id"]
    assert received.my_chat_member.new_chat_member.status == "kicked"
    assert received.my_chat_member.old_chat_member.status == "member"


async def test_fail_rules(api: FakeBotAPI, bot: Bot) -> None:
    api.group(-123)
    api.fail("sendMessage", "migrate", chat_id=-123, migrate_to=-100123)
    api.fail("SENDMESSAGE", "retry_after", chat_id=USER_ID, retry_after=7)
    api.fail("sendMessage", "not_found", chat_id=USER_ID)
    api.fail("sendMessage", "server")
    api.fail("sendMessage", "blocked", chat_id=-100123)
    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_message(-123, "hallo")
    assert migrated.value.new_chat_id == -100123
    with pytest.raises(RetryAfter) as retry:
        await bot.send_message(USER_ID, "a")
    assert seconds(retry.value.retry_after) == 7
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await bot.send_message(USER_ID, "b")
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.send_message(USER_ID, "c")
    with pytest.raises(Forbidden):
        await bot.send_message(-100123, "d")
    message = await bot.send_message(-100123, "e")
    assert message.chat.type == "supergroup"
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await bot.send_message(424242, "unknown chat")
    with pytest.raises(ValueError):
        api.fail("sendMessage", "nonsense")


async def test_send_document_round_trip(api: FakeBotAPI, bot: Bot) -> None:
    payload = bytes(range(256)) * 10
    message = await bot.send_document(
        USER_ID, document=payload, filename="bericht.pdf", caption="<b>Bericht</b>", parse_mode="HTML"
    )
    (sent,) = api.sent(USER_ID)
    assert sent.document == ("bericht.pdf", payload)
    assert sent.text == "Bericht" and sent.entities == [{"offset": 0, "length": 7, "type": "bold"}]
    assert message.document.file_name == "bericht.pdf" and message.document.file_size == len(payload)
    assert message.document.mime_type == "application/pdf" and message.caption == "Bericht"
    file = await bot.get_file(message.document.file_id)
    assert bytes(await file.download_as_bytearray()) == payload
    with pytest.raises(BadRequest, match="(?i)caption is too long"):
        await bot.send_document(USER_ID, document=b"x", filename="a.txt", caption="x" * 1025)


async def test_user_file_download(api: FakeBotAPI, bot: Bot) -> None:
    user = api.user(USER_ID)
    await api.send_file(user, "liste.csv", b"a;b\n1;2\n")
    await api.send_photo(user)
    doc_update, photo_update = await bot.get_updates()
    assert doc_update.message.document.file_name == "liste.csv"
    file = await doc_update.message.document.get_file()
    assert bytes(await file.download_as_bytearray()) == b"a;b\n1;2\n"
    assert len(photo_update.message.photo) == 3


async def test_commands_per_language(api: FakeBotAPI, bot: Bot) -> None:
    await bot.set_my_commands([("start", "Beginnen"), ("hilfe", "Hilfe anzeigen")])
    await bot.set_my_commands([("start", "Begin")], language_code="en")
    assert api.commands[None] == [
        {"command": "start", "description": "Beginnen"},
        {"command": "hilfe", "description": "Hilfe anzeigen"},
    ]
    assert api.commands["en"] == [{"command": "start", "description": "Begin"}]
    assert [c.command for c in await bot.get_my_commands(language_code="en")] == ["start"]
    with pytest.raises(BadRequest, match="(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([("Start", "Gross")])
    with pytest.raises(BadRequest, match="(?i)language code"):
        await bot.set_my_commands([("start", "x")], language_code="deu")
    assert await bot.delete_my_commands(language_code="en")
    assert "en" not in api.commands
    assert await bot.set_my_description("Beschreibung") and await bot.set_my_short_description("Kurz")


async def test_set_webhook_bad_secret(api: FakeBotAPI, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="(?i)secret token contains unallowed characters"):
        await bot.set_webhook("http://127.0.0.1:1/hook", secret_token="nicht erlaubt!")
    assert api.webhook is None


async def test_webhook_delivery_and_retry(api: FakeBotAPI, bot: Bot) -> None:
    received: list[tuple[dict, str | None]] = []
    statuses = [500, 200]

    async def hook(request: web.Request) -> web.Response:
        received.append((await request.json(), request.headers.get("X-Telegram-Bot-Api-Secret-Token")))
        return web.Response(status=statuses[min(len(received), len(statuses)) - 1])

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        assert await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="geheim_123")
        assert api.webhook == {"url": f"http://127.0.0.1:{port}/hook", "secret_token": "geheim_123"}
        with pytest.raises(Conflict, match="(?i)can't use getupdates method while webhook is active"):
            await bot.get_updates()
        update = await api.send_text(api.user(USER_ID), "per Webhook")
        await api.wait_for(lambda: len(received) >= 2, timeout=5)
        assert [body for body, _ in received] == [update, update]
        assert {secret for _, secret in received} == {"geheim_123"}
        assert api.webhook_deliveries == [(update["update_id"], 500), (update["update_id"], 200)]
        assert api.pending_updates == []
        info = await bot.get_webhook_info()
        assert info.pending_update_count == 0 and "500" in (info.last_error_message or "")
        assert await bot.delete_webhook()
        assert api.webhook is None
    finally:
        await runner.cleanup()


async def test_webhook_connection_error_keeps_update(api: FakeBotAPI, bot: Bot) -> None:
    await bot.set_webhook("http://127.0.0.1:9/hook")
    await api.send_text(api.user(USER_ID), "x")
    await api.wait_for(lambda: len(api.webhook_deliveries) >= 2, timeout=5)
    assert {status for _, status in api.webhook_deliveries} == {0}
    await bot.delete_webhook()
    assert len(await bot.get_updates()) == 1


async def test_wrong_token_and_unknown_method(api: FakeBotAPI, bot: Bot) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("123456:WRONG", base_url=api.base_url):
            pass
    assert api.calls[-1].status == 401 and api.calls[-1].response["description"] == "Unauthorized"
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("fooBar")
    assert api.calls[-1].status == 404


async def test_wire_formats_json_query_and_case(api: FakeBotAPI) -> None:
    async with aiohttp.ClientSession() as session:
        url = f"{api.base_url}{api.token}"
        async with session.post(
            f"{url}/SENDMESSAGE",
            json={
                "chat_id": USER_ID,
                "text": "json",
                "reply_markup": {"inline_keyboard": [[{"text": "x", "callback_data": "y"}]]},
            },
        ) as r:
            body = await r.json()
            assert r.status == 200 and body["ok"] and body["result"]["reply_markup"]["inline_keyboard"]
        async with session.get(f"{url}/sendMessage", params={"chat_id": str(USER_ID), "text": "query"}) as r:
            assert (await r.json())["result"]["text"] == "query"
        async with session.post(f"{url}/sendMessage", data={"chat_id": str(USER_ID), "text": "123"}) as r:
            assert (await r.json())["result"]["text"] == "123"
    assert [s.text for s in api.sent(USER_ID)] == ["json", "query", "123"]
    assert api.calls[-1].method == "sendMessage" and api.calls[-1].params == {"chat_id": USER_ID, "text": "123"}
    assert json.loads(json.dumps(api.calls[0].response))["result"]["message_id"] == 1


async def test_wait_idle_and_chat_action(api: FakeBotAPI, bot: Bot) -> None:
    assert await bot.send_chat_action(USER_ID, "typing")
    started = time.monotonic()
    await api.wait_idle(quiet=0.2)
    assert time.monotonic() - started < 1
    chat = await bot.get_chat(USER_ID)
    assert chat.first_name == "Anna" and chat.type == "private"


async def test_application_polling_end_to_end(api: FakeBotAPI) -> None:
    from telegram import Update
    from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, "Willkommen", reply_markup=keyboard([("Los", "go")]))

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None and query.message is not None
        await query.answer()
        await query.edit_message_text(f"gedrückt: {query.data}")

    app = Application.builder().token(api.token).base_url(api.base_url).base_file_url(api.base_file_url).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    user = api.user(USER_ID)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await api.send_text(user, "/start")
        (sent,) = await api.wait_sent(USER_ID, 1)
        await api.press(user, sent, sent.button("Los")[1])
        await api.wait_for(lambda: sent.edits == 1)
        await api.wait_idle(quiet=0.2)
        await app.updater.stop()
        await app.stop()
    assert sent.text == "gedrückt: go" and sent.reply_markup is None
    assert [c.status for c in api.called("answerCallbackQuery")] == [200]
    assert api.pending_updates == []

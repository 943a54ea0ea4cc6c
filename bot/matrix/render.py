"""Outbound messages as Matrix message contents: a plain ``body`` and a sanitised HTML ``formatted_body``.

Replies in a conversation are ``m.notice`` (bots answer with notices; clients do not ping for them).
Broadcasts (newsletters, announcements, reminders) are ``m.text``: the default push rule
``.m.rule.suppress_notices`` silences notices, and these must notify people.
"""

from __future__ import annotations

import html

from flows.messages import Bullets, Heading, Outbound

PART_LIMIT = 16_000
"""Characters per event; Matrix allows 65,536 bytes of JSON, so this leaves room for the HTML."""
MARK = {True: "[x] ", False: "[ ] ", None: ""}
NOTICE = "m.notice"
TEXT = "m.text"


def escape(text: str) -> str:
    return html.escape(text, quote=True)


def contents(message: Outbound, msgtype: str = NOTICE) -> list[dict[str, str]]:
    """Event contents of ``msgtype``; options are numbered so that a typed number or label answers, with the
    message's hint on how to type several."""
    plain: list[str] = []
    marked: list[str] = []
    for block in message.blocks:
        if isinstance(block, Bullets):
            plain.append(block.text)
            tag = "ol" if block.numbered else "ul"
            marked.append(f"<{tag}>" + "".join(f"<li>{escape(i)}</li>" for i in block.items) + f"</{tag}>")
        elif isinstance(block, Heading):
            plain.append(block.text)
            marked.append(f"<p><b>{escape(block.text)}</b></p>")
        elif block.text.strip():
            plain.append(block.text)
            marked.append("<p>" + escape(block.text).replace("\n", "<br>") + "</p>")
    if message.choices and message.kind != "broadcast":  # broadcasts name their commands in the text
        lines = [f"{n}) {MARK[c.selected]}{c.label}" for n, c in enumerate(message.choices, 1)]
        plain.append("\n".join(lines))
        marked.append(
            "<ol>" + "".join(f"<li>{escape(MARK[c.selected] + c.label)}</li>" for c in message.choices) + "</ol>"
        )
        if message.typing_hint:
            plain.append(message.typing_hint)
            marked.append(f"<p>{escape(message.typing_hint)}</p>")
    return _parts(plain, marked, msgtype)


def _parts(plain: list[str], marked: list[str], msgtype: str) -> list[dict[str, str]]:
    parts: list[dict[str, str]] = []
    body: list[str] = []
    formatted: list[str] = []
    for text, markup in zip(plain, marked, strict=True):
        if body and sum(map(len, body)) + len(text) > PART_LIMIT:
            parts.append(_content(body, formatted, msgtype))
            body, formatted = [], []
        for start in range(0, max(len(text), 1), PART_LIMIT):  # a single block longer than a part
            chunk = text[start : start + PART_LIMIT]
            body.append(chunk)
            formatted.append(markup if len(text) <= PART_LIMIT else f"<p>{escape(chunk)}</p>")
            if len(text) > PART_LIMIT:
                parts.append(_content(body, formatted, msgtype))
                body, formatted = [], []
    if body:
        parts.append(_content(body, formatted, msgtype))
    return parts


def _content(body: list[str], formatted: list[str], msgtype: str) -> dict[str, str]:
    return {
        "msgtype": msgtype,
        "body": "\n\n".join(body),
        "format": "org.matrix.custom.html",
        "formatted_body": "".join(formatted),
    }

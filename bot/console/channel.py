"""The terminal chat: one user message per line on stdin, the bot's messages on stdout."""

from __future__ import annotations

import asyncio
import sys
from typing import BinaryIO

from bot.app.companion import Companion
from bot.console.files import Unreadable, file_line
from bot.console.render import ConsoleRenderer
from flows import notices
from flows.conversation.actions import Effect
from flows.messages import Inbound


async def run_console(
    companion: Companion, user: str, lang: str | None, renderer: ConsoleRenderer, source: BinaryIO | None = None
) -> int:
    """Greet or resume, then answer line by line until EOF or /ende.

    Lines are read as bytes and decoded as UTF-8 with undecodable bytes replaced, whatever the
    locale says."""
    source = source or sys.stdin.buffer
    name = user  # the --user name (by default the OS login): how their team sees them
    renderer.show((await companion.handle("console", user, Inbound(event="resume", name=name), lang=lang)).replies)
    loop = asyncio.get_running_loop()
    while True:
        if renderer.interactive:
            renderer.out.write("› ")
            renderer.out.flush()
        line = await loop.run_in_executor(None, source.readline)
        if not line:
            return 0
        text = line.rstrip(b"\r\n").decode("utf-8", errors="replace")
        sent = file_line(text, name)
        if isinstance(sent, Unreadable):  # a wrong path is the terminal's matter: the conversation stays where it is
            message = notices.FILE_UNREADABLE if sent.path else notices.FILE_WITHOUT_PATH
            renderer.show(companion.notice(lang, message, path=sent.path).replies)
            continue
        inbound = sent or Inbound(text=text, name=name)
        response = await companion.handle("console", user, inbound)
        if Effect.DELETE_ME in response.effects:
            renderer.erase_exports()
        renderer.show(response.replies)
        if Effect.QUIT in response.effects:
            return 0

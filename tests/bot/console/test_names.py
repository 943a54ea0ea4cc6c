"""The terminal tells the team who is writing: the name given with ``daks chat --user`` (by default the login)."""

from __future__ import annotations

import io
from pathlib import Path

from bot.console.channel import run_console
from bot.console.render import ConsoleRenderer
from storage.models import Member
from tests.bot.talk import rows


async def test_a_terminal_user_is_called_by_their_user_name(companion, store, tmp_path: Path):
    out = io.StringIO()
    source = io.BytesIO(b"Musterstadt\n/team\n")
    assert await run_console(companion, "Katrin", "de", ConsoleRenderer(out, tmp_path, False), source) == 0
    assert [m["name"] for m in await rows(store, Member)] == ["Katrin"]
    assert "Katrin (Sie): Koordination (Terminal)" in out.getvalue()

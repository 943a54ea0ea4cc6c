"""How the channels name a person (``telegram:123``, ``matrix:@name:server``), for the engine's editor commands."""

from __future__ import annotations

from flows.content.i18n import N_
from flows.conversation.actions import Identities

IDENTITIES = Identities(
    prefixes=("telegram:", "matrix:@"),
    commands=N_(
        "Admin commands: /admin, /admin event, /admin newsletter, /admin events, "
        "/admin status [number], /admin cancel number, /admin editors, "
        "/admin editor add|remove telegram:ID|matrix:@user:server"
    ),
    editor=N_(
        "Write /admin editor add telegram:123456 or /admin editor remove matrix:@name:server "
        "(numeric Telegram ids and full Matrix IDs only)."
    ),
)

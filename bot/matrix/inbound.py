"""Matrix room events as the engine's Inbound."""

from __future__ import annotations

from nio import MegolmEvent, RoomEncryptedMedia, RoomMessageMedia, RoomMessageText

from flows.messages import Inbound


def inbound(event: object) -> Inbound | None:
    """What a person did in a room; an undecryptable event as an Inbound with only its id (the channel asks them
    to send it again), None for what needs no answer."""
    event_id = getattr(event, "event_id", None)
    if isinstance(event, MegolmEvent):
        return Inbound(message_id=event_id)
    source = getattr(event, "source", {}) or {}
    relation = (source.get("content") or {}).get("m.relates_to") or {}
    if relation.get("rel_type") == "m.replace":
        return Inbound(event="edited", message_id=event_id)
    if isinstance(event, RoomMessageText):
        return Inbound(text=_without_reply_fallback(event.body, relation), message_id=event_id)
    if isinstance(event, RoomMessageMedia | RoomEncryptedMedia):
        return Inbound(file_name=event.body or "file", message_id=event_id)
    return None  # notices of other bots, reactions, redactions, state: nothing to answer


def _without_reply_fallback(body: str, relation: dict[str, object]) -> str:
    """Older clients quote the message replied to as "> " lines before the answer; drop them."""
    if "m.in_reply_to" not in relation or not body.startswith("> "):
        return body
    lines = body.split("\n")
    while lines and lines[0].startswith(">"):
        lines.pop(0)
    return "\n".join(lines).lstrip("\n")


def localpart(user_id: str) -> str:
    """``@anna:example.org`` as ``anna``: how to call a person whose display name is unknown."""
    return user_id.removeprefix("@").split(":", 1)[0]

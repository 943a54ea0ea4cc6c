"""French typography: the spaces before « : ; ! ? » and inside guillemets, checked and set.

A no-break space (U+00A0) goes before ":", a narrow no-break space (U+202F) before ";", "!", "?" and
inside « ». Web addresses, times (10:30), placeholders ({label}, {{ name }}) and slash commands are left alone.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
NNBSP = "\u202f"
_SPACES = " \u00a0\u202f\t"
_LEAVE = re.compile(r"https?://\S+|www\.\S+|\{\{.*?\}\}|\{[^{}\s]*\}|(?<!\w)/\w+")
_MARK = re.compile(r"[:;!?«»]")


def _left_alone(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _LEAVE.finditer(text)]


def _wanted(text: str, i: int) -> tuple[int, int, str] | None:
    """For the mark at ``i``: the span of the space around it that should be replaced, and its replacement."""
    mark = text[i]
    if mark == "«":
        end = i + 1
        while end < len(text) and text[end] in _SPACES:
            end += 1
        if end == len(text) or text[end] == "\n":
            return None
        return (i + 1, end, NNBSP)
    start = i
    while start > 0 and text[start - 1] in _SPACES:
        start -= 1
    if start == 0 or text[start - 1] in "\n([/":
        return None
    before = text[start - 1]
    if mark != "»" and before in ":;!?…" and start == i:  # the second mark of "?!" or "…?"
        return None
    if start == i and i + 1 < len(text) and (text[i + 1].isalnum() or text[i + 1] in "@/"):
        return None  # not prose: a time (10:30), an address (matrix:@user:server)
    return (start, i, NBSP if mark == ":" else NNBSP)


def _faults(text: str) -> list[tuple[int, int, str]]:
    skip = _left_alone(text)
    faults = []
    for match in _MARK.finditer(text):
        i = match.start()
        if any(a <= i < b for a, b in skip):
            continue
        wanted = _wanted(text, i)
        if wanted is None:
            continue
        start, end, space = wanted
        if text[start:end] not in (NBSP, NNBSP):
            faults.append((start, end, space))
    return faults


def spacing_faults(text: str) -> list[str]:
    """Each place in a French text where the space before : ; ! ? or inside « » is missing or breakable."""
    return [text[max(0, start - 12) : end + 2].strip() for start, end, _ in _faults(text)]


def french_spacing(text: str) -> str:
    """The text with the French spaces set (no-break before ":", narrow no-break before ; ! ? and in « »)."""
    for start, end, space in reversed(_faults(text)):
        text = text[:start] + space + text[end:]
    return text

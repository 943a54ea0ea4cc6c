"""How the statistical offices' text files are decoded: UTF-8 in current files, ISO-8859-1 in older ones."""

from __future__ import annotations

ENCODINGS = ("utf-8", "iso-8859-1")


def decoded(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read in: UTF-8 (a byte order mark is dropped) where every byte fits,
    else ISO-8859-1, which reads any byte (so a file in either encoding keeps its umlauts)."""
    try:
        return data.decode("utf-8").removeprefix("\ufeff"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("iso-8859-1"), "iso-8859-1"


def lines(text: str) -> list[str]:
    """The lines of a text file, without their line ends (LF or CR LF). Unlike ``str.splitlines`` this never
    breaks at U+0085, the character an ISO-8859-1 byte 0x85 decodes to."""
    return [line.removesuffix("\r") for line in text.split("\n")]

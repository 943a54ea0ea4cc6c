"""How the statistical offices' text files are decoded: UTF-8 in current files, ISO-8859-1 in older ones."""

from __future__ import annotations

import codecs
import re


def encoding_of(data: bytes) -> str:
    """The codec that reads ``data``: ``utf-8-sig`` (a byte order mark), ``utf-8``, or for older downloads
    ``windows-1252`` (bytes 0x80–0x9F, such as „“ and –) and ``iso-8859-1``."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), 1 << 20):
            decoder.decode(data[start : start + (1 << 20)])
        decoder.decode(b"", final=True)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if re.search(rb"[\x80-\x9f]", data):
        try:
            codecs.decode(data, "windows-1252")
            return "windows-1252"
        except UnicodeDecodeError:
            pass
    return "iso-8859-1"


def decoded(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read in (:func:`encoding_of`; a UTF-8 byte order mark is dropped), so a
    file in either encoding keeps its umlauts."""
    encoding = encoding_of(data)
    return data.decode(encoding), "utf-8" if encoding == "utf-8-sig" else encoding


def lines(text: str) -> list[str]:
    """The lines of a text file, without their line ends (LF or CR LF). Unlike ``str.splitlines`` this never
    breaks at U+0085, the character an ISO-8859-1 byte 0x85 decodes to."""
    return [line.removesuffix("\r") for line in text.split("\n")]

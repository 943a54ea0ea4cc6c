"""Every UI string in the code is in the catalogues, translated to German and French, placeholders intact."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import CONTENT, ROOT

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def catalogue(lang: str):
    with (CONTENT / "locale" / lang / "LC_MESSAGES" / "daks.po").open("rb") as fh:
        return read_po(fh, locale=lang)


def extracted(tmp_path: Path) -> set[str]:
    pot = tmp_path / "daks.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "content/locale/babel.cfg",
            "-k",
            "t",
            "-k",
            "plural:1,2",
            "-k",
            "N_",
            "--no-location",
            "-o",
            str(pot),
            "bot",
            "flows",
            "storage",
            "content/templates",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}


def test_the_catalogues_hold_every_string_the_code_uses(tmp_path: Path):
    in_code = extracted(tmp_path)
    assert len(in_code) > 80
    for lang in ("de", "fr", "en"):
        ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue(lang) if m.id}
        assert in_code - ids == set(), f"{lang}: run `make catalogs` and translate the new strings"


@pytest.mark.parametrize("lang", ["de", "fr"])
def test_every_string_is_translated_with_its_placeholders(lang: str):
    for message in catalogue(lang):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        texts = [message.string] if isinstance(message.string, str) else list(message.string)
        assert all(texts), f"{lang}: untranslated {ids[0]!r}"
        expected = set(PLACEHOLDER.findall(ids[-1]))
        for text in texts:
            found = set(PLACEHOLDER.findall(text))
            assert found <= expected | {"{n}"} and expected - {"{n}"} <= found, f"{lang}: {ids[0]!r} -> {text!r}"

"""Checking a municipality's own template before it is stored: real DOCX and ODT files, and why one is refused,
in the reader's language."""

from __future__ import annotations

import io
import zipfile

import odfdo
import pytest

from bot.documents.errors import BadTemplate
from bot.documents.templates import (
    CANNOT_OPEN,
    NO_BODY,
    NOT_TEXT,
    UNKNOWN_PLACEHOLDERS,
    WRONG_PLACEHOLDER,
    Unusable,
    check,
)
from flows.content.content import Content
from tests.bot.app.test_templates import docx_template, odt_template


def damaged_docx() -> bytes:
    """A DOCX whose document part is not XML: it is recognised by its parts but does not open."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_template("{{p body }}"))) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, b"<w:document" if item.filename == "word/document.xml" else data)
    return out.getvalue()


def spreadsheet() -> bytes:
    out = io.BytesIO()
    odfdo.Document("spreadsheet").save(out)
    return out.getvalue()


def ott() -> bytes:
    """An ODT file saved as a document template (.ott), as LibreOffice does for letterheads."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(odt_template("{{ body }}"))) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "mimetype":
                data = b"application/vnd.oasis.opendocument.text-template"
            elif item.filename == "META-INF/manifest.xml":
                data = data.replace(b'opendocument.text"', b'opendocument.text-template"')
            target.writestr(item, data)
    return out.getvalue()


def test_usable_templates_pass():
    assert check(docx_template("{{ title }}", "{{ municipality }}, {{ date }}", "{{p body }}")) == ("docx", None)
    assert check(odt_template("{{ title }}", "{{ body }}")) == ("odt", None)
    assert check(b"%PDF-1.7 not a template") == (None, None)


@pytest.mark.parametrize(
    ("data", "kind", "reason", "values"),
    [
        (lambda: docx_template("{{ title }}"), "docx", NO_BODY, {"placeholder": "{{p body }}"}),
        (lambda: odt_template("{{ title }}"), "odt", NO_BODY, {"placeholder": "{{ body }}"}),
        (lambda: docx_template("{{ anrede }}", "{{p body }}"), "docx", UNKNOWN_PLACEHOLDERS, {"names": "{{ anrede }}"}),
        (lambda: docx_template("{%p if title %}", "{{p body }}"), "docx", WRONG_PLACEHOLDER, None),
        (damaged_docx, "docx", CANNOT_OPEN, None),
        (spreadsheet, "odt", NOT_TEXT, {}),
        (ott, "odt", NOT_TEXT, {}),
    ],
    ids=["docx-no-body", "odt-no-body", "unknown", "syntax", "damaged", "spreadsheet", "ott"],
)
def test_unusable_templates_say_why_with_a_msgid_and_its_values(data, kind, reason, values):
    found, problem = check(data())
    assert found == kind and isinstance(problem, Unusable) and isinstance(problem, BadTemplate)
    assert problem.reason == reason
    if values is not None:
        assert problem.values == values
    assert str(problem) == reason.format(**problem.values)  # English in the logs


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("de", "sie hat keinen Platzhalter {{p body }} für den Inhalt"),
        ("fr", "il n’a pas de champ {{p body }} pour le contenu"),
        ("en", "it has no {{p body }} placeholder for the content"),
    ],
)
def test_the_reason_is_read_in_the_readers_language(content: Content, lang: str, expected: str):
    _, problem = check(docx_template("{{ title }}"))
    assert problem is not None
    assert content.catalogues.translator(lang)(problem.reason, **problem.values) == expected

"""/vorlage: the coordinator sends, replaces and removes the workspace's own DOCX/ODT template; others are refused."""

from __future__ import annotations

import io

import odfdo
from docx import Document as WordDocument

from bot.app.companion import Companion
from flows.messages import FILE_LIMIT, Inbound, Upload
from storage.models import AdminLog, Template
from storage.store import Store
from tests.bot.app.test_team import Named, coordinator, invite
from tests.bot.talk import rows

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_template(*lines: str) -> bytes:
    """A real DOCX written with python-docx, one paragraph per line (docxtpl placeholders as typed text)."""
    document = WordDocument()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def odt_template(*lines: str) -> bytes:
    document = odfdo.Document("text")
    for line in lines:
        document.body.append(odfdo.Paragraph(line))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


async def sends(person: Named, name: str, data: bytes | None, media: str = DOCX_TYPE, size: int | None = None) -> str:
    upload = Upload(media, size if size is not None else len(data or b""), data)
    return await person._send(Inbound(file_name=name, file=upload, name=person.called))


async def stored(store: Store) -> list[tuple[str, str, bytes]]:
    return [(r["format"], r["file_name"], r["data"]) for r in await rows(store, Template)]


async def test_the_coordinator_sends_replaces_and_removes_templates(companion: Companion, store: Store):
    anna = await coordinator(companion)
    reply = await anna.says("/vorlage")
    assert "{{ municipality }}" in reply and "{{p body }}" in reply and "{{ body }}" in reply
    assert "noch keine eigene Vorlage" in reply
    first = docx_template("{{ title }}", "Briefkopf Musterstadt, {{ date }}", "{{p body }}")
    reply = await sends(anna, "briefkopf.docx", first)
    assert "Gespeichert: briefkopf.docx ist Ihre DOCX-Vorlage" in reply
    assert await stored(store) == [("docx", "briefkopf.docx", first)]
    (row,) = await rows(store, Template)
    wid = row["workspace_id"]
    assert await store.run(lambda unit: (unit.template(wid, "docx"), unit.template(wid, "odt"))) == (first, None)

    await anna.says("/vorlage")
    assert "DOCX: briefkopf.docx, gesendet von Anna Muster" in anna.text
    second = docx_template("{{ municipality }}", "{{p body }}")
    reply = await sends(anna, "neu.docx", second)
    assert "ersetzt Ihre bisherige DOCX-Vorlage" in reply
    odt = odt_template("{{ title }}", "{{ body }}")
    await anna.says("/vorlage")
    await sends(anna, "brief.odt", odt, "application/vnd.oasis.opendocument.text")
    assert sorted(await stored(store)) == [("docx", "neu.docx", second), ("odt", "brief.odt", odt)]

    await anna.says("/vorlage")
    reply = await anna.presses("_remove:odt")
    assert "ODT-Vorlage ist entfernt" in reply
    await anna.says("/vorlage")
    reply = await anna.says("entfernen")
    assert "DOCX-Vorlage ist entfernt" in reply and await stored(store) == []
    actions = [r["action"] for r in await rows(store, AdminLog) if "template" in r["action"]]
    assert actions == ["set_template", "set_template", "set_template", "remove_template", "remove_template"]


async def test_bad_files_are_refused_with_their_reason_and_keep_the_stored_one(companion: Companion, store: Store):
    anna = await coordinator(companion)
    good = docx_template("{{ title }}", "{{p body }}")
    await anna.says("/vorlage")
    await sends(anna, "gut.docx", good)
    await anna.says("/vorlage")
    reply = await sends(anna, "ohne.docx", docx_template("{{ title }}", "kein Inhalt"))
    assert "nicht als Vorlage verwenden (sie hat keinen Platzhalter {{p body }} für den Inhalt)" in reply
    reply = await sends(anna, "kaputt.docx", docx_template("{%p if title %}", "{{p body }}"))
    assert "nicht als Vorlage verwenden (ein Platzhalter ist falsch geschrieben: " in reply
    reply = await sends(anna, "fremd.docx", docx_template("{{ bürgermeister }}", "{{ anrede }}", "{{p body }}"))
    assert "(sie enthält Platzhalter, die ich nicht kenne: {{ anrede }}, {{ bürgermeister }})" in reply
    reply = await sends(anna, "bild.png", b"\x89PNG\r\n\x1a\n" + bytes(100), "image/png")
    assert "keine DOCX- oder ODT-Datei" in reply
    reply = await sends(anna, "riesig.docx", None, size=FILE_LIMIT + 1)
    assert "größer als 10 MB" in reply
    reply = await sends(anna, "leer.odt", odt_template("nur Text"), "application/vnd.oasis.opendocument.text")
    assert "(sie hat keinen Platzhalter {{ body }} für den Inhalt)" in reply
    assert await stored(store) == [("docx", "gut.docx", good)]
    # still waiting for a file: a good one now is taken
    reply = await sends(anna, "brief.odt", odt_template("{{ body }}"), "application/vnd.oasis.opendocument.text")
    assert "ODT-Vorlage" in reply and len(await stored(store)) == 2


async def test_a_file_elsewhere_is_still_not_kept(companion: Companion, store: Store):
    anna = await coordinator(companion)
    reply = await sends(anna, "briefkopf.docx", docx_template("{{p body }}"))
    assert "nur Text lesen" in reply and await stored(store) == []


async def test_a_viewer_is_refused(companion: Companion, store: Store):
    anna = await coordinator(companion)
    code = await invite(anna, "viewer")
    ben = Named(companion, "2002", "Ben")
    await ben.says(f"/beitreten {code}")
    reply = await ben.says("/vorlage")
    assert "Das kann nur die Koordination des Teams" in reply and "Anna Muster" in reply
    reply = await sends(ben, "briefkopf.docx", docx_template("{{p body }}"))
    assert await stored(store) == []


async def test_my_data_names_the_template_and_deleting_the_workspace_takes_it(companion: Companion, store: Store):
    anna = await coordinator(companion)
    await anna.says("/vorlage")
    await sends(anna, "briefkopf.docx", docx_template("{{p body }}"))
    reply = await anna.says("/meinedaten")
    assert "DOCX-Vorlage für Musterstadt" in reply
    await anna.says("/loeschen")
    await anna.presses("_yes")
    assert await stored(store) == []

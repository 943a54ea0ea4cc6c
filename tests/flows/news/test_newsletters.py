"""Newsletters: Markdown to blocks, .md and .yaml files, the message and who gets it."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from flows.content.content import Content
from flows.content.model import EVENT_KINDS
from flows.messages import Bullets, Heading, Paragraph
from flows.news.newsletters import (
    NewsletterInvalid,
    NewsletterSpec,
    load_newsletter_file,
    markdown_blocks,
    matches,
    newsletter_message,
)

# Test data only.
ISSUE_MD = """\
---
title:
  de: Testausgabe Nr. 1
  fr: Numéro test 1
  en: Test issue no. 1
topics: [housing, publication]
lands: [bb, sn]
---
# Neues

Ein Absatz mit [Link](https://example.org/a).
<!-- lang: fr -->
# Nouveautés

Un paragraphe.
<!-- lang: en -->
# News

- first
- second
"""


@pytest.fixture(scope="module")
def topics(content: Content) -> set[str]:
    return set(content.handlungsfelder) | set(EVENT_KINDS)


def test_markdown_headings_paragraphs_and_lists():
    blocks = markdown_blocks(
        "# Title *here*\n\nSome **bold** and `code`.\nSame paragraph.\n\n"
        "- one\n- two\n  - two a\n\n1. first\n2. second\n\n> quoted\n\n---\n"
    )
    assert blocks == [
        Heading("Title here"),
        Paragraph("Some bold and code. Same paragraph."),
        Bullets(("one", "two: two a")),
        Bullets(("first", "second"), numbered=True),
        Paragraph("quoted"),
    ]


def test_markdown_links_show_their_address():
    (block,) = markdown_blocks(
        "See [the page](https://example.org/p), <https://example.org/q> and https://example.org/r."
    )
    assert block == Paragraph("See the page (https://example.org/p), https://example.org/q and https://example.org/r.")


def test_markdown_html_stays_literal_text():
    blocks = markdown_blocks('<script>alert(1)</script>\n\nText with <b>tags</b> &amp; <a href="x">a</a>.')
    assert blocks == [Paragraph("<script>alert(1)</script>"), Paragraph('Text with <b>tags</b> & <a href="x">a</a>.')]


def test_a_markdown_newsletter_with_three_languages(tmp_path: Path, topics: set[str]):
    path = tmp_path / "issue.md"
    path.write_text(ISSUE_MD, encoding="utf-8")
    spec = load_newsletter_file(path, topics)
    assert spec.title["fr"] == "Numéro test 1" and spec.topics == ["housing", "publication"]
    assert set(spec.body) == {"de", "fr", "en"}
    assert spec.body["de"].startswith("# Neues") and "<!--" not in spec.body["de"]
    assert spec.lands == ["bb", "sn"] and spec.languages == [] and spec.sizes == []


def test_the_message_in_each_language(tmp_path: Path, topics: set[str], content: Content):
    path = tmp_path / "issue.md"
    path.write_text(ISSUE_MD, encoding="utf-8")
    spec = load_newsletter_file(path, topics)
    out = newsletter_message(spec, "en", content.catalogues.translator("en"), "/unsubscribe")
    assert out.blocks[:3] == [Heading("Test issue no. 1"), Heading("News"), Bullets(("first", "second"))]
    assert "/unsubscribe" in out.blocks[-1].text
    assert [c.id for c in out.choices] == ["unsubscribe"]
    german = newsletter_message(spec, "de", content.catalogues.translator("de"), "/abbestellen")
    assert "Link (https://example.org/a)" in german.text()


def test_a_yaml_newsletter(tmp_path: Path, topics: set[str]):
    path = tmp_path / "issue.yaml"
    path.write_text("title: Nur Deutsch\nbody: {de: 'Text', en: 'Text'}\nlanguages: [de, en]\n", encoding="utf-8")
    spec = load_newsletter_file(path, topics)
    assert spec.title == {"de": "Nur Deutsch"} and spec.languages == ["de", "en"]


def test_control_characters_and_bidi_in_a_newsletter_file_are_dropped(tmp_path: Path, topics: set[str]):
    path = tmp_path / "issue.md"
    path.write_text(
        ISSUE_MD.replace("Testausgabe", "Test\u202eausgabe").replace("# Neues", "# Neu\x00es\x1b[2J"), encoding="utf-8"
    )
    spec = load_newsletter_file(path, topics)  # NUL would be refused by PostgreSQL, ESC reaches terminals
    assert spec.title["de"] == "Testausgabe Nr. 1" and spec.body["de"].startswith("# Neues[2J")
    yaml_path = tmp_path / "issue.yaml"
    yaml_path.write_text('title: "Nur\\0 Deutsch\\e"\nbody: {de: "Te\\u2066xt"}\n', encoding="utf-8")
    spec = load_newsletter_file(yaml_path, topics)  # YAML escapes give the same characters
    assert spec.title == {"de": "Nur Deutsch"} and spec.body == {"de": "Text"}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (ISSUE_MD.replace("[housing, publication]", "[housing, gardening]"), "topics: unknown topic(s) ['gardening']"),
        (ISSUE_MD.replace("lands: [bb, sn]", "languages: [de, it]"), "languages: unknown language(s) ['it']"),
        (ISSUE_MD.replace("<!-- lang: fr -->", "<!-- lang: it -->"), "unknown language 'it'"),
        (ISSUE_MD.replace("<!-- lang: en -->", "<!-- lang: fr -->"), "second section for 'fr'"),
        (ISSUE_MD.replace("  de: Testausgabe Nr. 1\n", ""), "title: the 'de' text is required"),
        (ISSUE_MD.split("# Neues")[0] + "<!-- lang: en -->\nOnly English.\n", "body: the 'de' text is required"),
        (ISSUE_MD.removeprefix("---\n"), "front matter"),
        (ISSUE_MD.replace("topics:", "colour: red\ntopics:"), "colour: Extra inputs are not permitted"),
    ],
)
def test_invalid_newsletters(tmp_path: Path, topics: set[str], text: str, words: str):
    path = tmp_path / "issue.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(NewsletterInvalid) as caught:
        load_newsletter_file(path, topics)
    assert "issue.md" in str(caught.value) and words in str(caught.value)


def test_lands_and_sizes_are_checked_when_given(tmp_path: Path, topics: set[str]):
    path = tmp_path / "issue.md"
    path.write_text(ISSUE_MD, encoding="utf-8")
    with pytest.raises(NewsletterInvalid, match=r"lands: unknown land\(s\) \['sn'\]"):
        load_newsletter_file(path, topics, lands={"bb", "be"})


SUB = {"sub_topics": ["housing"], "sub_language": "de", "land": "bb", "size": "s"}


@pytest.mark.parametrize(
    ("target", "recipient", "expected"),
    [
        ({}, {}, True),
        ({"target_topics": ["housing", "mobility"]}, {}, True),
        ({"target_topics": ["mobility"]}, {}, False),
        ({"target_topics": ["mobility"]}, {"sub_topics": []}, False),
        ({}, {"sub_topics": []}, True),
        ({"target_languages": ["de", "fr"]}, {}, True),
        ({"target_languages": ["fr"]}, {}, False),
        ({"target_lands": ["bb"]}, {}, True),
        ({"target_lands": ["sn"]}, {}, False),
        ({"target_lands": ["bb"]}, {"land": None}, False),
        ({}, {"land": None, "size": None}, True),
        ({"target_sizes": ["s", "m"]}, {}, True),
        ({"target_sizes": ["xl"]}, {}, False),
        ({"target_sizes": ["s"]}, {"size": None}, False),
        (
            {"target_topics": ["housing"], "target_languages": ["de"], "target_lands": ["bb"], "target_sizes": ["s"]},
            {},
            True,
        ),
    ],
)
def test_matches(target: dict, recipient: dict, expected: bool):
    targets = {"target_topics": [], "target_languages": [], "target_lands": [], "target_sizes": [], **target}
    assert matches(**targets, **{**SUB, **recipient}) is expected


def test_reaches_is_matches_with_the_issue_targets():
    spec = NewsletterSpec(title={"de": "T"}, body={"de": "B"}, topics=["housing"], sizes=["s"])
    for topics, size in itertools.product((["housing"], ["mobility"]), ("s", None)):
        assert spec.reaches(topics, "fr", None, size) is (topics == ["housing"] and size == "s")

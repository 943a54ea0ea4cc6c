"""Newsletters: a file per issue (YAML, or Markdown with front matter), rendered as platform-neutral blocks."""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator

from flows.content.i18n import Translator
from flows.content.model import DEFAULT_LANGUAGE, LANGUAGES, RequiredTexts, known_ids, local, problems
from flows.messages import Block, Bullets, Choice, Heading, Outbound, Paragraph, clean_values


class NewsletterInvalid(ValueError):
    """A newsletter file that cannot be sent; ``problems`` holds one line per problem."""

    def __init__(self, path: Path, problems: list[str]):
        self.problems = problems
        super().__init__(f"{path} is not a valid newsletter:\n" + "\n".join(f"  - {p}" for p in problems))


class NewsletterSpec(BaseModel):
    """One newsletter issue. Empty target lists mean: no restriction (see ``matches``)."""

    model_config = ConfigDict(extra="forbid")

    title: RequiredTexts
    body: RequiredTexts
    topics: list[str] = []
    languages: list[str] = []
    lands: list[str] = []
    sizes: list[str] = []

    @field_validator("title", "body", mode="before")
    @classmethod
    def _plain_is_german(cls, value: Any) -> Any:
        return {DEFAULT_LANGUAGE: value} if isinstance(value, str) else value

    @field_validator("topics")
    @classmethod
    def _topics(cls, value: list[str], info: ValidationInfo) -> list[str]:
        return known_ids(value, info, "topics", "topic(s)")

    @field_validator("languages")
    @classmethod
    def _langs(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(LANGUAGES))
        if unknown:
            raise ValueError(f"unknown language(s) {unknown}; allowed: {list(LANGUAGES)}")
        return value

    @field_validator("lands")
    @classmethod
    def _lands(cls, value: list[str], info: ValidationInfo) -> list[str]:
        return known_ids(value, info, "lands", "land(s)")

    @field_validator("sizes")
    @classmethod
    def _sizes(cls, value: list[str], info: ValidationInfo) -> list[str]:
        return known_ids(value, info, "sizes", "size(s)")

    def reaches(self, sub_topics: Collection[str], sub_language: str, land: str | None, size: str | None) -> bool:
        """Whether a subscriber with these settings gets this issue (``matches`` with this issue's targets)."""
        return matches(self.topics, self.languages, self.lands, self.sizes, sub_topics, sub_language, land, size)


_MARKER = re.compile(r"^<!-- lang: ([a-z]{2}) -->$")


def _split_markdown(path: Path, text: str) -> tuple[dict[str, Any], dict[str, str]]:
    """Front matter and per-language bodies of a ``.md`` newsletter."""
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != "---" or "---" not in (line.strip() for line in lines[1:]):
        raise NewsletterInvalid(path, ["front matter: the file must start with a YAML block between '---' lines"])
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    try:
        meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        raise NewsletterInvalid(path, [f"front matter: not valid YAML: {exc}"]) from None
    if not isinstance(meta, dict):
        raise NewsletterInvalid(path, ["front matter: expected keys such as title, topics, languages"])
    if "body" in meta:
        raise NewsletterInvalid(path, ["body: write the text below the front matter, not in it"])
    sections: dict[str, list[str]] = {DEFAULT_LANGUAGE: []}
    current, errors = DEFAULT_LANGUAGE, []
    for number, line in enumerate(lines[end + 1 :], start=end + 2):
        if m := _MARKER.match(line.strip()):
            current = m[1]
            if current not in LANGUAGES:
                errors.append(f"line {number}: unknown language {current!r}; allowed: {list(LANGUAGES)}")
            elif current in sections and (current != DEFAULT_LANGUAGE or "".join(sections[current]).strip()):
                errors.append(f"line {number}: a second section for {current!r}")
            sections[current] = []
        else:
            sections.setdefault(current, []).append(line)
    if errors:
        raise NewsletterInvalid(path, errors)
    return meta, {lang: "\n".join(body).strip() for lang, body in sections.items() if "\n".join(body).strip()}


def load_newsletter_file(
    path: Path, topics: set[str], lands: set[str] | None = None, sizes: set[str] | None = None
) -> NewsletterSpec:
    """Read a ``.yaml``/``.yml`` or ``.md`` newsletter and check topics (and lands/sizes when given)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise NewsletterInvalid(path, [f"cannot be read: {exc}"]) from None
    suffix = path.suffix.lower()
    if suffix == ".md":
        meta, bodies = _split_markdown(path, text)
        data: Any = {**meta, "body": bodies}
    elif suffix in (".yaml", ".yml"):
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise NewsletterInvalid(path, [f"not valid YAML: {exc}"]) from None
    else:
        raise NewsletterInvalid(path, ["use a .md file with front matter or a .yaml file"])
    if not isinstance(data, dict):
        raise NewsletterInvalid(path, ["expected a mapping with title and body"])
    try:
        return NewsletterSpec.model_validate(
            clean_values(data), context={"topics": topics, "lands": lands, "sizes": sizes}
        )
    except ValidationError as exc:
        raise NewsletterInvalid(path, problems(exc)) from None


_MD = MarkdownIt("commonmark", {"html": False})


def _inline(node: SyntaxTreeNode) -> str:
    parts: list[str] = []
    for child in node.children:
        if child.type in ("softbreak", "hardbreak"):
            parts.append(" " if child.type == "softbreak" else "\n")
        elif child.type == "link":
            label, href = _inline(child), str(child.attrs.get("href", ""))
            parts.append(label if label in (href, href.removeprefix("mailto:")) else f"{label} ({href})")
        elif child.type == "image":
            alt, src = _inline(child), str(child.attrs.get("src", ""))
            parts.append(f"{alt} ({src})" if alt else src)
        elif child.children:
            parts.append(_inline(child))
        else:
            parts.append(child.content)
    return "".join(parts)


def _item(node: SyntaxTreeNode) -> str:
    texts: list[str] = []
    subs: list[str] = []
    for child in node.children:
        if child.type in ("bullet_list", "ordered_list"):
            subs.extend(_item(li) for li in child.children)
        else:
            texts.extend(_text(b) for b in _blocks(child, single=True))
    text = " ".join(t for t in texts if t)
    if subs:
        return f"{text}: {'; '.join(subs)}" if text else "; ".join(subs)
    return text


def _text(block: Block) -> str:
    return "; ".join(block.items) if isinstance(block, Bullets) else block.text


def _blocks(node: SyntaxTreeNode, single: bool = False) -> list[Block]:
    children = [node] if single else node.children
    out: list[Block] = []
    for child in children:
        if child.type == "heading":
            out.append(Heading(_inline(child.children[0])))
        elif child.type == "paragraph":
            out.append(Paragraph(_inline(child.children[0])))
        elif child.type in ("bullet_list", "ordered_list"):
            out.append(Bullets(tuple(_item(li) for li in child.children), numbered=child.type == "ordered_list"))
        elif child.type == "blockquote":
            out.append(Paragraph("\n".join(_text(b) for b in _blocks(child))))
        elif child.type in ("fence", "code_block", "html_block"):
            out.append(Paragraph(child.content.rstrip("\n")))
    return [b for b in out if (b.items if isinstance(b, Bullets) else b.text.strip())]


def markdown_blocks(text: str) -> list[Block]:
    """Markdown as headings, paragraphs and lists. Links read ``label (url)``; HTML stays literal text."""
    return _blocks(SyntaxTreeNode(_MD.parse(text)))


def unsubscribe_footer(t: Translator, unsubscribe_hint: str) -> Paragraph:
    """The line under every news message: why it came and how to stop it."""
    return Paragraph(
        t(
            "You receive this because you subscribed to news on these topics. Unsubscribe at any time: {command}",
            command=unsubscribe_hint,
        )
    )


def newsletter_message(spec: NewsletterSpec, lang: str, t: Translator, unsubscribe_hint: str) -> Outbound:
    """The issue in ``lang`` (German where that language is missing), with the unsubscribe footer and button."""
    blocks: list[Block] = [Heading(local(spec.title, lang)), *markdown_blocks(local(spec.body, lang))]
    blocks.append(unsubscribe_footer(t, unsubscribe_hint))
    return Outbound(blocks=blocks, choices=[Choice("unsubscribe", t("Unsubscribe"))])


def matches(
    target_topics: Collection[str],
    target_languages: Collection[str],
    target_lands: Collection[str],
    target_sizes: Collection[str],
    sub_topics: Collection[str],
    sub_language: str,
    land: str | None,
    size: str | None,
) -> bool:
    """Whether a subscriber is in a newsletter's audience.

    Each empty target list means no restriction. Otherwise: topics match when the subscriber's topics
    and the target topics share at least one id (a subscriber without topics only gets untargeted issues);
    the subscriber's language must be listed; the municipality's land and size must be listed, so a
    land or size filter excludes subscribers whose land or size is unknown (None).
    """
    if target_topics and not set(target_topics) & set(sub_topics):
        return False
    if target_languages and sub_language not in target_languages:
        return False
    if target_lands and (land is None or land not in target_lands):
        return False
    return not (target_sizes and (size is None or size not in target_sizes))

"""Content problems with file, location and line: the YAML line locator and readable pydantic errors."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, overload

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


@dataclass(frozen=True)
class ContentProblem:
    file: str
    location: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        loc = f" [{self.location}]" if self.location else ""
        return f"{where}{loc}: {self.message}"


class ContentInvalid(Exception):
    """Raised when the content directory does not validate; lists every problem."""

    def __init__(self, problems: list[ContentProblem]):
        self.problems = problems
        super().__init__("content is invalid:\n" + "\n".join(f"  {p}" for p in problems))


def locate(tree: YamlTree | None, loc: tuple[Any, ...]) -> tuple[str, int | None]:
    """Follow a pydantic error location through the YAML tree: readable path and line number.

    Parts that are not in the YAML (pydantic's union tags) are dropped from the path.
    """
    current, path = (tree.node if tree is not None else None), []
    line = current.start_mark.line + 1 if current is not None else None
    for i, part in enumerate(loc):
        nxt = None
        if isinstance(current, yaml.MappingNode):
            nxt = next((v for k, v in current.value if k.value == part), None)
        elif isinstance(current, yaml.SequenceNode) and isinstance(part, int) and part < len(current.value):
            nxt = current.value[part]
        if nxt is not None:
            current, line = nxt, nxt.start_mark.line + 1
            path.append(str(part))
        elif i == len(loc) - 1:
            path.append(str(part))
    return ".".join(path), line


def line_of(node: YamlTree | None, loc: tuple[Any, ...]) -> int | None:
    return locate(node, loc)[1]


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlTree:
    """The YAML node tree of a file, composed only when an error needs a line number."""

    def __init__(self, text: str):
        self.text = text
        self._node: yaml.Node | None = None

    @property
    def node(self) -> yaml.Node | None:
        if self._node is None:
            self._node = yaml.compose(self.text, Loader=_Loader)
        return self._node


def read_yaml(path: Path, root: Path, problems: list[ContentProblem]) -> tuple[Any, YamlTree | None]:
    """The parsed file and its node tree; a missing or broken file is a problem and gives (None, None)."""
    rel = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    try:
        text = path.read_text(encoding="utf-8")
        return yaml.load(text, Loader=_Loader), YamlTree(text)
    except FileNotFoundError:
        problems.append(ContentProblem(rel, "", None, "file is missing"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(ContentProblem(rel, "", mark.line + 1 if mark else None, f"not valid YAML: {exc}"))
    return None, None


@overload
def validate(
    model: type[M], data: Any, node: YamlTree | None, rel: str, problems: list[ContentProblem]
) -> M | None: ...


@overload
def validate(
    model: TypeAdapter[T], data: Any, node: YamlTree | None, rel: str, problems: list[ContentProblem]
) -> T | None: ...


def validate(
    model: type[BaseModel] | TypeAdapter[Any],
    data: Any,
    node: YamlTree | None,
    rel: str,
    problems: list[ContentProblem],
) -> Any:
    """``data`` validated by a model or type adapter; on failure None, with one problem per error."""
    try:
        if isinstance(model, TypeAdapter):
            return model.validate_python(data)
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            if err["type"] == "union_tag_invalid":
                loc += ("kind",)
            path, line = locate(node, loc)
            problems.append(ContentProblem(rel, path, line, err["msg"]))
    return None

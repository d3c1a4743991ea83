"""Split a Markdown file into YAML front matter and body, remembering each field's line.

Front matter is YAML between two ``---`` lines at the top of the file. YAML 1.1 has
traps for non-programmers, so the loader here is stricter about what it guesses:
``9:30`` stays the text "9:30" (not the number 570) and ``2026-03-14`` is a date.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field

import yaml

from pipeline.content.errors import Problem

# libyaml's C parser when PyYAML has it (the wheels do): front matter is read on every build.
_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BASE):
    """A safe loader without YAML 1.1's base-60 numbers (``9:30`` -> 570)."""


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(0|[1-9][0-9_]*)$"), list("-+0123456789")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?([0-9][0-9_]*)?\.[0-9_]+([eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)

FENCE = "---"
FRONT_MATTER = "front matter"
_LEADING_TAB = re.compile(r"^[ ]*\t")
# A plain (unquoted) value followed by " #": YAML drops the rest of the line as a comment. A comment
# meant as one is written "  # note" (two spaces, then "# "); "#1" or one space before "#" is text.
_CUT = re.compile(r"^(?P<gap>[ \t]+)#(?P<rest>.*)$")


@dataclass
class Parsed:
    data: dict = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # dotted field -> 1-based line in the file
    body: str = ""
    problems: list[Problem] = field(default_factory=list)
    container: str = FRONT_MATTER  # what the fields are written in, as messages name it ("case.yml" ...)
    body_line: int | None = None  # the file line the body starts on (Markdown files)

    def line_of(self, dotted: str) -> int | None:
        """The line of a field, or of its nearest parent that has one."""
        parts = dotted.split(".")
        while parts:
            key = ".".join(parts)
            if key in self.lines:
                return self.lines[key]
            parts.pop()
        return None

    def field_at(self, line: int) -> str:
        """The field a line of the file belongs to: "body" below the front matter, else the deepest
        field that starts at or above it ("front matter" above the first)."""
        if self.body_line is not None and line >= self.body_line:
            return "body"
        best = ("front matter", 0)
        for dotted, start in self.lines.items():
            if start <= line and (start > best[1] or (start == best[1] and len(dotted) > len(best[0]))):
                best = (dotted, start)
        return best[0]


def _walk(node, prefix: str, offset: int, lines: dict, dupes: list, cuts: list, text: list[str]) -> None:
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            dotted = f"{prefix}.{key}" if prefix else key
            if dotted in seen:
                dupes.append((dotted, key_node.start_mark.line + offset))
            seen.add(dotted)
            lines.setdefault(dotted, key_node.start_mark.line + offset)
            _walk(value_node, dotted, offset, lines, dupes, cuts, text)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            dotted = f"{prefix}.{index}"
            lines.setdefault(dotted, item.start_mark.line + offset)
            _walk(item, dotted, offset, lines, dupes, cuts, text)
    elif (
        isinstance(node, yaml.ScalarNode) and node.style in (None, "") and node.tag == "tag:yaml.org,2002:str"
    ):
        end = node.end_mark
        after = text[end.line][end.column :] if end.line < len(text) else ""
        cut = _CUT.match(after)
        if cut and (cut["gap"] == " " or not cut["rest"].startswith((" ", "\t")) or not cut["rest"].strip()):
            cuts.append((prefix, node.value, f"#{cut['rest']}".rstrip(), end.line + offset))


def load_yaml(text: str, path: str, first_line: int = 1, container: str = "") -> Parsed:
    """Parse a YAML mapping; ``first_line`` is the file line the text starts on.

    ``container`` names what the fields are written in, for messages: a YAML file's own name
    (``case.yml``) by default, ``front matter`` for a Markdown file's fields.
    """
    whole = container or os.path.basename(path)
    field_name = FRONT_MATTER if whole == FRONT_MATTER else "file"
    parsed = Parsed(container=whole)
    offset = first_line
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else {}
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        tabs = [number for number, line in enumerate(text.splitlines(), offset) if _LEADING_TAB.match(line)]
        for number in tabs:
            parsed.problems.append(
                Problem(path, field_name, f"a tab character at line {number}", "indent with spaces", number)
            )
        if tabs:
            return parsed
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + offset if mark else None
        reason = getattr(exc, "problem", None) or str(exc)
        parsed.problems.append(
            Problem(
                path,
                field_name,
                f"the YAML cannot be read ({reason})",
                "check the indentation, and put text containing ':' or '#' in quotes",
                line,
            )
        )
        return parsed
    if not isinstance(data, dict):
        parsed.problems.append(
            Problem(
                path,
                field_name,
                "the fields are not a list of 'name: value' lines",
                "write one 'field: value' per line",
                first_line,
            )
        )
        return parsed
    dupes: list = []
    cuts: list = []
    _walk(node, "", offset, parsed.lines, dupes, cuts, text.splitlines())
    for dotted, line in dupes:
        parsed.problems.append(Problem(path, dotted, "is given twice", "keep only one of them", line))
    for dotted, kept, comment, line in cuts:
        key = dotted.rsplit(".", 1)[-1]
        key = "-" if key.isdigit() else f"{key}:"  # an item of a list, or a field
        whole_text = f"{kept} {comment}"
        parsed.problems.append(
            Problem(
                path,
                dotted,
                f"is cut at ' #': YAML reads '{comment}' as a comment, so it would say only '{kept}'",
                f"put the text in quotes: {key} {json.dumps(whole_text, ensure_ascii=False)}",
                line,
            )
        )
    parsed.data = {str(k): v for k, v in data.items()}
    return parsed


def read_text(source: str | os.PathLike, path: str) -> tuple[str | None, list[Problem]]:
    """A file's text, or the place where it is not UTF-8 (line and column, as an editor shows them)."""
    with open(source, "rb") as handle:
        data = handle.read()
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        return None, [
            Problem(
                path,
                "file",
                f"is not UTF-8 text: line {line}, column {column} holds a character saved in another encoding",
                "save the file again as UTF-8 (in most editors: Save As → Encoding: UTF-8)",
                line,
            )
        ]


def read_yaml(source: str | os.PathLike, path: str) -> Parsed:
    """A YAML file (practice.yml, case.yml ...), read as UTF-8; messages name the file, not "front matter"."""
    text, problems = read_text(source, path)
    if text is None:
        return Parsed(problems=problems, container=os.path.basename(path))
    return load_yaml(text.lstrip("\ufeff"), path)


def read_markdown(source: str | os.PathLike, path: str) -> Parsed:
    """A Markdown file with front matter, read as UTF-8."""
    text, problems = read_text(source, path)
    return split(text, path) if text is not None else Parsed(problems=problems)


def split(text: str, path: str) -> Parsed:
    """Front matter and body of a Markdown file. Problems are collected, never raised."""
    text = text.lstrip("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FENCE:
        return Parsed(
            body=text,
            problems=[
                Problem(
                    path,
                    "front matter",
                    "the file does not start with front matter",
                    "make the first line '---', then the fields (title: ...), then a line '---'",
                    1,
                )
            ],
        )
    for index in range(1, len(lines)):
        if lines[index].strip() == FENCE:
            parsed = load_yaml("".join(lines[1:index]), path, first_line=2, container=FRONT_MATTER)
            parsed.body = "".join(lines[index + 1 :])
            parsed.body_line = index + 2
            return parsed
    return Parsed(
        problems=[
            Problem(
                path,
                "front matter",
                "the front matter is never closed",
                "add a line '---' after the last field",
                1,
            )
        ]
    )

"""Prose as a reader meets it, with the source line of every word.

Claims are made in sentences, and a sentence in a Markdown file is often wrapped over two lines
("no\\ndowntime"). :func:`body_sentences` reads a Markdown body block by block (paragraphs, list
items, headings, quotes, table cells), replaces the markup with spaces of the same length (link
addresses, HTML tags, emphasis marks, inline code) so that every character keeps its place, and
splits each block into sentences. A finding then names the exact line of the words it found.
Front-matter prose (a summary, an FAQ answer) is read the same way by :func:`field_sentences`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_HEADING = re.compile(r"^(\s{0,3}#{1,6}\s+)")
_ITEM = re.compile(r"^(\s*(?:[-*+]|\d{1,3}[.)])\s+)")
_QUOTE = re.compile(r"^(\s{0,3}>\s?)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MARKER = re.compile(r"^\s{0,3}\[\[.*\]\]\s*$")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# Inline markup replaced by spaces: images whole, a link's address (its words stay), HTML tags,
# inline code, footnote references, emphasis marks.
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK_TAIL = re.compile(r"\]\([^)]*\)|\]\[[^\]]*\]")
_FOOTNOTE = re.compile(r"\[\^[^\]]+\]")
_TAG = re.compile(r"<[^>\n]*>")
_CODE = re.compile(r"`[^`\n]*`")
_EMPHASIS = re.compile(r"\*{1,3}|(?<!\w)_{1,3}|_{1,3}(?!\w)")
# A sentence ends at . ! or ? followed by a space and what starts a sentence; not after a title
# or an abbreviation ("Dr. Castell", "e.g. lips").
_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_ABBREVIATIONS = ("dr.", "mr.", "mrs.", "ms.", "st.", "vs.", "e.g.", "i.e.", "etc.", "no.", "approx.")
CITES = re.compile(r"\[\^[^\]]+\]|\]\(https?://|<sup>|\baccording to\b|\bsource:", re.IGNORECASE)


@dataclass(frozen=True)
class Sentence:
    """One sentence of prose: ``text`` has the markup blanked out, ``raw`` is the source."""

    text: str
    raw: str
    where: str  # "body", or the front-matter field ("faqs.0.a")
    line: int | None  # the line the sentence starts on
    kind: str = "paragraph"  # paragraph | item | heading | quote | cell | field | question
    block: str = ""  # the paragraph, list item or cell it is part of (for context)
    heading: str = ""  # the nearest heading above it
    newlines: tuple[int, ...] = field(default=(), repr=False)  # offsets in ``text`` where a new line starts

    def line_at(self, offset: int) -> int | None:
        """The source line of the character at ``offset``."""
        if self.line is None:
            return None
        return self.line + bisect.bisect_right(self.newlines, offset)

    @property
    def plain(self) -> str:
        """The sentence on one line, single-spaced (what a report shows)."""
        return " ".join(self.text.split())

    @property
    def cites(self) -> bool:
        """Does it carry a reference (a footnote, a link to a source, "according to ...")?"""
        return bool(CITES.search(self.raw))


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def _mask_inline(text: str) -> str:
    """``text`` with its inline markup replaced by spaces (same length, same newlines)."""
    text = _COMMENT.sub(_blank, text)
    text = _IMAGE.sub(_blank, text)
    text = _FOOTNOTE.sub(_blank, text)
    text = _LINK_TAIL.sub(_blank, text)
    text = _CODE.sub(_blank, text)
    text = _TAG.sub(_blank, text)
    text = text.replace("[", " ")
    return _EMPHASIS.sub(_blank, text)


@dataclass
class _Block:
    kind: str
    first_line: int
    raw: list[str] = field(default_factory=list)
    masked: list[str] = field(default_factory=list)


def _blocks(body: str, first_line: int) -> list[_Block]:
    blocks: list[_Block] = []
    current: _Block | None = None
    fenced = False
    for number, line in enumerate(body.split("\n"), first_line):
        if _FENCE.match(line):
            fenced = not fenced
            current = None
            continue
        if fenced or not line.strip() or _MARKER.match(line) or _TABLE_RULE.match(line):
            current = None
            continue
        prefix = ""
        kind = None
        for pattern, name in ((_HEADING, "heading"), (_QUOTE, "quote"), (_ITEM, "item")):
            found = pattern.match(line)
            if found:
                prefix, kind = found.group(1), name
                break
        if "|" in line and line.strip().startswith("|"):
            kind = "cell"
        masked = " " * len(prefix) + _mask_inline(line[len(prefix) :])
        if kind == "cell":
            # Each cell is a block of its own: a row is not a sentence.
            start = 0
            for part in masked.split("|"):
                end = start + len(part)
                if part.strip():
                    blocks.append(
                        _Block("cell", number, [line[start:end]], [" " * 0 + part]),
                    )
                start = end + 1
            current = None
            continue
        if kind in ("heading", "item") or (kind == "quote" and (current is None or current.kind != "quote")):
            current = _Block(kind, number)
            blocks.append(current)
        elif current is None or (kind is None and current.kind == "heading"):
            current = _Block(kind or "paragraph", number)
            blocks.append(current)
        current.raw.append(line)
        current.masked.append(masked)
        if kind == "heading":
            current = None
    return blocks


def _split(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``."""
    spans, start = [], 0
    for end in _END.finditer(text):
        before = text[start : end.start()].rstrip().lower()
        if before.endswith(_ABBREVIATIONS) or re.search(r"\b[a-z]\.$", before):
            continue
        spans.append((start, end.start()))
        start = end.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _sentences(
    masked: str, raw: str, where: str, line: int | None, kind: str, heading: str = ""
) -> list[Sentence]:
    flat = masked.replace("\n", " ")
    newlines = [i for i, c in enumerate(masked) if c == "\n"]
    block = " ".join(flat.split())
    out = []
    for start, end in _split(flat):
        lead = len(flat[start:end]) - len(flat[start:end].lstrip())
        start += lead
        if not flat[start:end].strip():
            continue
        local = tuple(n - start for n in newlines if start <= n < end)
        first = line + sum(1 for n in newlines if n < start) if line is not None else None
        text = flat[start:end]
        sentence_kind = "question" if kind == "field" and where.endswith(".q") else kind
        out.append(
            Sentence(
                text=text,
                raw=raw.replace("\n", " ")[start:end],
                where=where,
                line=first,
                kind=sentence_kind,
                block=block,
                heading=heading,
                newlines=local,
            )
        )
    return out


def body_sentences(body: str, first_line: int = 1) -> list[Sentence]:
    """Every sentence of a Markdown body, with the heading it sits under."""
    out: list[Sentence] = []
    heading = ""
    for block in _blocks(body, first_line):
        masked = "\n".join(block.masked)
        raw = "\n".join(block.raw)
        if block.kind == "heading":
            heading = " ".join(masked.split())
        out += _sentences(masked, raw, "body", block.first_line, block.kind, heading)
    return out


def field_sentences(dotted: str, value: str, line: int | None) -> list[Sentence]:
    """The sentences of one front-matter text (a summary, an FAQ answer): plain text, no markup."""
    text = str(value)
    return _sentences(text, text, dotted, line, "field")


def readable_text(sentences: list[Sentence]) -> str:
    """The prose a reader reads, for a reading grade: headings and table cells left out, and every
    list item ended as a sentence (a list without full stops is not one endless sentence)."""
    parts = []
    for sentence in sentences:
        if sentence.kind in ("heading", "cell"):
            continue
        text = sentence.plain
        if text and text[-1] not in ".!?:;":
            text += "."
        parts.append(text)
    return " ".join(parts)

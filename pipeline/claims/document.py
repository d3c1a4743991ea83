"""One page's prose, as the claims rules read it: plain values, built from a content entry."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.claims.text import Sentence, body_sentences, field_sentences

# Front-matter fields that hold prose a visitor reads. An allow-list: ids, paths, dates, prices
# and settings are never prose. (A procedure's `downtime` is the fact "no downtime" is checked
# against, not a claim of its own.)
PROSE_FIELDS = frozenset(
    {
        "title",
        "name",
        "summary",
        "description",
        "how_performed",
        "preparation",
        "followup",
        "terms",
        "tagline",
        "disclaimer",
        "role",
        "caption",
        "q",
        "a",
        "view",
        "label",
    }
)
# Lists whose items a page shows as claims of what a treatment does ("Treatment areas: ...").
PROSE_LISTS = frozenset({"body_areas"})
# Kinds whose pages visitors read (device files and the practice's own records are internal).
PATIENT_FACING = frozenset({"post", "page", "procedure", "team", "location", "special", "event", "case"})
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)|href=[\"']([^\"']+)")
_TESTIMONIAL = re.compile(r"^\s{0,3}\[\[\s*testimonial\s+([^\]\s]+)\s*\]\]\s*$", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Acceptance:
    """``claims_accepted`` in a file's front matter: one finding accepted, and why."""

    rule: str
    text: str
    why: str
    line: int | None = None


@dataclass(frozen=True)
class Document:
    path: str  # as the coordinator knows it: content/blog/botox-myths.md
    kind: str  # post, procedure, special ... (pipeline.content.types)
    id: str
    sentences: tuple[Sentence, ...] = ()
    procedures: tuple[str, ...] = ()  # the procedures it is about (its own id for a procedure page)
    draft: bool = False
    links: tuple[str, ...] = ()
    accepted: tuple[Acceptance, ...] = ()
    testimonials: tuple[tuple[str, int], ...] = ()  # [[testimonial id]] markers: (id, line)
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def patient_facing(self) -> bool:
        return self.kind in PATIENT_FACING

    def text(self) -> str:
        return " ".join(s.plain for s in self.sentences)


def _prose(value, dotted: str, parsed, out: list[Sentence]) -> None:
    if isinstance(value, dict):
        for name, item in value.items():
            _prose(item, f"{dotted}.{name}" if dotted else str(name), parsed, out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if dotted in PROSE_LISTS and isinstance(item, str):
                out += field_sentences(f"{dotted}.{index}", item, parsed.line_of(f"{dotted}.{index}"))
            else:
                _prose(item, f"{dotted}.{index}", parsed, out)
    elif isinstance(value, str) and dotted.rsplit(".", 1)[-1] in PROSE_FIELDS:
        out += field_sentences(dotted, value, parsed.line_of(dotted))


def about(kind: str, record) -> tuple[str, ...]:
    """The procedures a record is about."""
    if record is None:
        return ()
    if kind == "case":
        return (record.procedure,)
    value = getattr(record, "procedures", None)
    if kind == "team":
        return ()  # a biography lists what someone does; it is not about one treatment
    return tuple(value or ())


def from_entry(entry) -> Document:
    """The document of a content entry (``pipeline.content.validate.Entry``)."""
    parsed = entry.parsed
    sentences: list[Sentence] = []
    _prose(parsed.data, "", parsed, sentences)
    body = parsed.body or ""
    if body:
        sentences += body_sentences(body, parsed.body_line or 1)
    kind = entry.ctype.kind
    record = entry.record
    procedures = (entry.id,) if kind == "procedure" else about(kind, record)
    accepted = tuple(
        Acceptance(a.rule, a.text, a.why, parsed.line_of(f"claims_accepted.{i}"))
        for i, a in enumerate(getattr(record, "claims_accepted", None) or ())
    )
    links = tuple(a or b for a, b in _LINK.findall(body))
    first = parsed.body_line or 1
    markers = tuple((m.group(1), first + body.count("\n", 0, m.start())) for m in _TESTIMONIAL.finditer(body))
    return Document(
        path=entry.path,
        kind=kind,
        id=entry.id,
        sentences=tuple(sentences),
        procedures=procedures,
        draft=entry.draft,
        links=links,
        accepted=accepted,
        testimonials=markers,
    )

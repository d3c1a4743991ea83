"""The content folder as the claims check, the staff briefs and the launch kit read it (the I/O edge).

The build hands the claims check the entries Pelican's readers made; the tasks (``inv claims``,
``inv brief``, ``inv staff``, ``inv launch``) read the same files here, with the same front-matter
reader and validator, so both see the same documents.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.claims import custom, testimonials
from pipeline.claims.document import Document, from_entry
from pipeline.claims.facts import Facts, facts_from
from pipeline.consent import ConsentError, Ledger, load_ledger
from pipeline.content import frontmatter, types, validate
from pipeline.content.errors import Problem

CLAIMS_FILE = "claims.yml"
TESTIMONIALS_FILE = "testimonials.yml"
PRACTICE_FILE = "practice.yml"
CASE_FILE = "case.yml"


def shown(path: Path, content_root: Path) -> str:
    """``content/blog/x.md``: a path as the coordinator knows it (from the content folder's parent)."""
    return os.path.relpath(path, content_root.resolve().parent).replace(os.sep, "/")


def read_entry(ctype: types.ContentType, source: Path, content_root: Path) -> validate.Entry:
    path = shown(source.resolve(), content_root)
    if source.suffix in (".yml", ".yaml"):
        parsed = frontmatter.read_yaml(source, path)
    else:
        parsed = frontmatter.read_markdown(source, path)
    stem = source.parent.name if source.name == CASE_FILE else source.stem
    return validate.parse(ctype, parsed, path, stem)


def read_devices(content_root: Path) -> list[validate.Entry]:
    folder = content_root / types.DEVICE.folder
    return (
        [read_entry(types.DEVICE, p, content_root) for p in sorted(folder.glob("*.md"))]
        if folder.is_dir()
        else []
    )


def read_entries(content_root: Path) -> list[validate.Entry]:
    """Every Markdown content file, every gallery case and the practice file, validated."""
    content_root = Path(content_root)
    entries = []
    for ctype in types.TYPES:
        folder = content_root / ctype.folder
        if folder.is_dir():
            entries += [read_entry(ctype, p, content_root) for p in sorted(folder.glob("*.md"))]
    gallery = content_root / types.GALLERY_CASE.folder
    if gallery.is_dir():
        entries += [
            read_entry(types.GALLERY_CASE, p, content_root) for p in sorted(gallery.glob(f"*/{CASE_FILE}"))
        ]
    practice = content_root / PRACTICE_FILE
    if practice.is_file():
        entries.append(read_entry(types.PRACTICE, practice, content_root))
    return entries


@dataclass
class Inputs:
    """What the claims check reads besides the pages: rules, testimonials, and the problems of those files."""

    claims: custom.ClaimsFile = field(default_factory=custom.ClaimsFile)
    testimonials: list[testimonials.Entry] = field(default_factory=list)
    testimonials_path: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def rules(self):
        from pipeline.claims.rules import RULES

        return (*RULES, *(custom.as_rule(r) for r in self.claims.rules))


def read_inputs(content_root: Path, consent_ledger: str | None, today: dt.date) -> Inputs:
    """content/claims.yml and content/testimonials.yml, validated (the consent ledger for testimonials)."""
    content_root = Path(content_root)
    out = Inputs()
    claims, problems = custom.load(
        content_root / CLAIMS_FILE, shown(content_root / CLAIMS_FILE, content_root)
    )
    out.claims = claims
    out.problems += problems
    ledger: Ledger | None = None
    if consent_ledger:
        try:
            ledger = load_ledger(content_root / consent_ledger)
        except ConsentError:
            ledger = None  # the gallery reports a broken ledger; testimonials are then not shown
    path = content_root / TESTIMONIALS_FILE
    out.testimonials_path = shown(path, content_root)
    out.testimonials, problems = testimonials.load(path, out.testimonials_path, ledger, today)
    out.problems += problems
    return out


def documents(entries, inputs: Inputs) -> list[Document]:
    docs = [from_entry(e) for e in entries if e.record is not None and e.ctype.kind != "practice"]
    if inputs.testimonials:
        docs.append(testimonials.ledger_document(inputs.testimonials, inputs.testimonials_path))
    return docs


def facts(entries, inputs: Inputs, disclaimers=(), currency: str = "USD") -> Facts:
    result = facts_from(entries, disclaimers, currency)
    result.testimonials = {t.record.id: t for t in inputs.testimonials}
    return result

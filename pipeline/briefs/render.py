"""A brief as HTML (answer key on its own printed page) and as a PDF (matplotlib text pages,
like the reports' PDF: no creation date or producer stamp, so the same brief gives the same bytes)."""

from __future__ import annotations

import io
import textwrap
from html import escape

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from pipeline.briefs.model import Brief
from pipeline.reports.charts import NO_STAMP

PAGE = (8.5, 11)  # US Letter, portrait, inches
LINES_PER_PAGE = 52
WIDTH = 92  # characters a line


def brief_html(brief: Brief, practice: str) -> str:
    parts = []
    for section in brief.sections:
        body = "".join(f"<p>{escape(p)}</p>" for p in section.paragraphs if p)
        if section.items:
            body += "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in section.items) + "</ul>"
        parts.append(f"<section><h2>{escape(section.title)}</h2>{body or '<p>—</p>'}</section>")
    changes = "".join(f"<li>{escape(c)}</li>" for c in brief.changes)
    note = f"<p>{escape(brief.changes_note)}</p>" if brief.changes_note else ""
    parts.append(
        f"<section><h2>What changed since the previous version</h2>{note}"
        f"{'<ul>' + changes + '</ul>' if changes else ''}</section>"
    )
    questions = "".join(
        f'<li><p>{escape(q.text)}</p><ol type="A">'
        + "".join(f"<li>{escape(o)}</li>" for o in q.options)
        + "</ol></li>"
        for q in brief.quiz
    )
    key = "".join(f"<li>{'ABCD'[q.answer]}: {escape(q.answer_text)}</li>" for q in brief.quiz)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="artefact" content="internal"><meta name="robots" content="noindex">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Staff brief: {escape(brief.title)} — {escape(practice)}</title>
<style>body{{font:15px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#18232b}}
h1{{margin-bottom:.2rem}}.meta{{color:#4f5a61}}section{{margin:1.2rem 0}}.key{{break-before:page;page-break-before:always}}
@media print{{body{{margin:0}}}}</style></head><body>
<h1>Staff brief: {escape(brief.title)}</h1>
<p class="meta">{escape(practice)} · internal · version {brief.version} · from {escape(brief.path)}</p>
{"".join(parts)}
<section><h2>Quiz: ten questions</h2><ol>{questions}</ol></section>
<section class="key"><h2>Answer key (version {brief.version})</h2><ol>{key}</ol></section>
</body></html>
"""


def _lines(brief: Brief, practice: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(style, text) lines of the brief, and of its answer key."""
    out: list[tuple[str, str]] = [
        ("title", f"Staff brief: {brief.title}"),
        ("meta", f"{practice} · internal · version {brief.version}"),
        ("", ""),
    ]

    def wrap(text: str, style: str = "", indent: str = "") -> None:
        for i, line in enumerate(textwrap.wrap(text, WIDTH - len(indent)) or [""]):
            out.append((style, (indent if i == 0 else " " * len(indent)) + line))

    for section in brief.sections:
        out.append(("heading", section.title))
        for paragraph in section.paragraphs:
            wrap(paragraph)
        for item in section.items:
            wrap(item, indent="• ")
        out.append(("", ""))
    out.append(("heading", "What changed since the previous version"))
    if brief.changes_note:
        wrap(brief.changes_note)
    for change in brief.changes:
        wrap(change, indent="• ")
    out.append(("", ""))
    out.append(("heading", "Quiz: ten questions"))
    for q in brief.quiz:
        wrap(f"{q.number}. {q.text}")
        for letter, option in zip("ABCD", q.options, strict=False):
            wrap(option, indent=f"   {letter}. ")
    key = [("title", f"Answer key: {brief.title}"), ("meta", f"version {brief.version}"), ("", "")]
    for q in brief.quiz:
        key.append(("", f"{q.number}. {'ABCD'[q.answer]}"))
        for line in textwrap.wrap(q.answer_text, WIDTH - 5):
            key.append(("", "     " + line))
    return out, key


STYLES = {"title": (15, "bold"), "heading": (11.5, "bold"), "meta": (8.5, "normal"), "": (9, "normal")}


def _pages(pdf: PdfPages, lines: list[tuple[str, str]]) -> None:
    for start in range(0, max(len(lines), 1), LINES_PER_PAGE):
        fig = Figure(figsize=PAGE, dpi=100)
        y = 0.95
        for style, text in lines[start : start + LINES_PER_PAGE]:
            size, weight = STYLES[style]
            fig.text(
                0.07,
                y,
                text,
                fontsize=size,
                fontweight=weight,
                family="DejaVu Sans",
                color="#4f5a61" if style == "meta" else "#18232b",
                va="top",
            )
            y -= 0.0172 if style != "title" else 0.024
        pdf.savefig(fig)


def brief_pdf(brief: Brief, practice: str) -> bytes:
    body, key = _lines(brief, practice)
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata=NO_STAMP["pdf"]) as pdf:
        _pages(pdf, body)
        _pages(pdf, key)  # the answer key starts on a page of its own
    return buffer.getvalue()

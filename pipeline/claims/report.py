"""``inv claims``: every finding across the site, and every page's reading grade, as HTML and CSV.

Written to ``internal/claims/`` in one step (``pipeline.files.write_folder``): ``claims.html``
(open findings, then accepted ones with their reasons, then reading grades), ``findings.csv``
(file, line, rule, severity, status, text, words, message, suggestion, why, justification) and
``readability.csv``. The page carries ``<meta name="artefact" content="internal">``, so the publish
guard refuses it if it is ever copied into the site.
"""

from __future__ import annotations

from html import escape

from pipeline.claims import readability
from pipeline.claims.check import Result
from pipeline.files import csv_bytes

FINDINGS_HEADER = (
    "file",
    "line",
    "rule",
    "severity",
    "status",
    "text",
    "words",
    "message",
    "suggestion",
    "why",
    "justification",
)


def findings_csv(result: Result) -> bytes:
    rows = [
        (
            f.path,
            f.line or "",
            f.rule,
            f.severity,
            "accepted" if f.accepted else ("draft" if f.draft else "open"),
            f.text,
            f.words,
            f.message,
            f.suggestion,
            f.why,
            f.accepted,
        )
        for f in result.findings
    ]
    return csv_bytes(FINDINGS_HEADER, rows)


def readability_csv(result: Result) -> bytes:
    rows = [(g.path, "" if g.grade is None else f"{g.grade:g}", g.words, g.sentences) for g in result.grades]
    return csv_bytes(("file", "grade", "words", "sentences"), rows)


def _rows(findings, accepted: bool) -> str:
    out = []
    for f in findings:
        last = (
            f"<td>{escape(f.accepted)}</td>"
            if accepted
            else f"<td>{escape(f.suggestion)}<details><summary>Why</summary>{escape(f.why)}</details></td>"
        )
        out.append(
            f"<tr><td>{escape(f.path)}</td><td>{f.line or ''}</td><td>{escape(f.rule)}"
            f"{' (draft)' if f.draft else ''}</td><td>{escape(f.severity)}</td>"
            f"<td><mark>{escape(f.words)}</mark><br><small>{escape(f.text)}</small><br>{escape(f.message)}</td>{last}</tr>"
        )
    return "\n".join(out)


def report_html(result: Result, practice: str) -> str:
    open_ = result.open
    grades = "\n".join(
        f"<tr><td>{escape(g.path)}</td><td>{'—' if g.grade is None else f'{g.grade:g}'}</td>"
        f"<td>{g.words}</td><td>{'above the limit' if g.grade is not None and g.grade > readability.LIMIT else ''}</td></tr>"
        for g in result.grades
    )
    head = "<tr><th>File</th><th>Line</th><th>Rule</th><th>Severity</th><th>What it says</th>"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="artefact" content="internal">
<meta name="robots" content="noindex"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Claims and readability — {escape(practice)}</title>
<style>body{{font:15px/1.45 system-ui,sans-serif;margin:2rem;color:#18232b}}table{{border-collapse:collapse;width:100%;margin-bottom:2rem}}
th,td{{border-bottom:1px solid #e0d3c2;padding:.4rem;text-align:left;vertical-align:top}}mark{{background:#fde7b0}}small{{color:#4f5a61}}</style>
</head><body>
<h1>Claims and readability — {escape(practice)}</h1>
<p>{len(open_)} open finding(s), {len(result.accepted)} accepted. Errors stop a <code>--strict</code> build and the
public build; warnings are listed only. Patient pages should read at grade {readability.TARGET}; procedure pages above
grade {readability.LIMIT:g} get a warning.</p>
<h2>Open findings</h2>
<table>{head}<th>Suggested rewording</th></tr>
{_rows(open_, False) or '<tr><td colspan="6">None.</td></tr>'}
</table>
<h2>Accepted, with the coordinator's reason</h2>
<table>{head}<th>Reason given</th></tr>
{_rows(result.accepted, True) or '<tr><td colspan="6">None.</td></tr>'}
</table>
<h2>Reading grade of every patient-facing page</h2>
<table><tr><th>File</th><th>Grade (Flesch-Kincaid)</th><th>Words</th><th></th></tr>
{grades}
</table>
</body></html>
"""


def report_files(result: Result, practice: str) -> dict[str, bytes]:
    return {
        "claims.html": report_html(result, practice).encode("utf-8"),
        "findings.csv": findings_csv(result),
        "readability.csv": readability_csv(result),
    }

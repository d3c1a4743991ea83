"""Briefs for every demo procedure and device render (HTML and PDF) with a quiz whose answers are
the content's own values; acknowledgements go stale when a brief's content changes; the Git history
of a content file, without history and in a shallow clone."""

from __future__ import annotations

import datetime as dt
import html.parser
import io
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

from pipeline.briefs import acknowledgements, history, run
from pipeline.briefs.model import money
from pipeline.briefs.render import brief_html, brief_pdf
from pipeline.claims.facts import FDA_STATUSES

ROOT = Path(__file__).resolve().parents[3]
AS_OF = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def ctx():
    return run.context(ROOT / "content", AS_OF)


def _expected(ctx, brief_id: str, field: str) -> str:
    """The content value a question's answer must be, read straight from the record."""
    if field.startswith("device:"):
        _, name, what = field.split(":")
        device = next(d for d in ctx.devices.values() if d.name == name)
        return FDA_STATUSES[device.fda_status] if what == "fda_status" else device.indications[0].text
    if field.startswith("team:"):
        return ctx.team[field.split(":")[1]].name
    if field == "claims rules":
        return "rules"
    procedure = ctx.procedures.get(brief_id)
    if procedure is None:  # a device brief's procedure questions: the first procedure using it
        procedure = next(ctx.procedures[p] for p in ctx.procedures_using(brief_id))
    if field == "price_from":
        return money(procedure.price_from)
    if field == "downtime":
        return procedure.downtime
    if field == "sessions":
        return str(procedure.sessions)
    if field.startswith("contraindications."):
        return procedure.contraindications[int(field.split(".")[1])]
    if field.startswith("faqs."):
        return procedure.faqs[int(field.split(".")[1])].a
    raise AssertionError(f"a question from an unexpected field: {field}")


def test_every_demo_procedure_and_device_has_a_brief_with_ten_questions_answered_by_the_content(ctx):
    assert len(run.ids(ctx)) == len(ctx.procedures) + len(ctx.devices) >= 10
    for brief_id in run.ids(ctx):
        brief = run.build(ctx, brief_id)
        assert len(brief.quiz) == 10, brief_id
        for question in brief.quiz:
            assert len(question.options) in (3, 4) and len(set(question.options)) == len(question.options)
            if question.field != "claims rules":
                assert question.answer_text == _expected(ctx, brief_id, question.field), (brief_id, question)
            wrong = [o for i, o in enumerate(question.options) if i != question.answer]
            assert question.answer_text not in wrong


def test_a_brief_renders_as_html_and_a_pdf_with_the_answer_key_on_its_own_page(ctx):
    brief = run.build(ctx, "botox")
    page = brief_html(brief, "Aurora")
    html.parser.HTMLParser().feed(page)
    for title in (
        "What it is",
        "Who it does not suit (contraindications)",
        "Downtime and aftercare",
        "FAQs with approved answers",
        "Approved phrases",
        "Phrases to avoid, and what to say instead",
        "Devices and products: FDA status and cleared indications",
        "What changed since the previous version",
    ):
        assert f"<h2>{title}</h2>" in page, title
    assert '<section class="key">' in page and "break-before:page" in page
    assert "Botox Cosmetic: FDA-approved" in page and "Pregnancy or breastfeeding" in page
    pdf = brief_pdf(brief, "Aurora")
    assert pdf == brief_pdf(brief, "Aurora")  # deterministic bytes
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    texts = [p.extract_text() for p in reader.pages]
    key_pages = [i for i, t in enumerate(texts) if "Answer key" in t]
    assert key_pages and all("Quiz: ten questions" not in texts[i] for i in key_pages)
    assert "Quiz: ten questions" in "".join(texts[: key_pages[0]])
    first = brief.quiz[0]
    assert f"1. {'ABCD'[first.answer]}" in texts[key_pages[0]]


def test_acknowledgements_go_stale_when_the_briefs_content_changes(tmp_path):
    content = shutil.copytree(ROOT / "content", tmp_path / "content")
    before = run.build(run.context(content, AS_OF), "botox").version
    rows = f"staff_id,brief_id,brief_version,date\npriya-halvorsen,botox,{before},2026-11-18\n"
    acks, problems = acknowledgements.read(
        rows, "acks.csv", {"priya-halvorsen", "noor-lindqvist"}, {"botox"}, AS_OF
    )
    assert not problems
    people = ["noor-lindqvist", "priya-halvorsen"]
    now = acknowledgements.status({"botox": before}, people, acks)[0]
    assert (now.current, now.stale, now.missing) == (["priya-halvorsen"], [], ["noor-lindqvist"])
    path = content / "procedures" / "botox.md"
    path.write_text(path.read_text().replace("price_from: 240", "price_from: 260"), encoding="utf-8")
    after = run.build(run.context(content, AS_OF), "botox").version
    assert after != before
    later = acknowledgements.status({"botox": after}, people, acks)[0]
    assert (later.current, later.stale, later.missing) == ([], ["priya-halvorsen"], ["noor-lindqvist"])
    # A special starting does not ask everyone to read the brief again.
    assert run.build(run.context(content, dt.date(2027, 3, 1)), "botox").version == after


def test_bad_acknowledgement_rows_name_the_line_and_the_fix():
    rows = (
        "staff_id,brief_id,brief_version,date\n"
        "nobody,botox,1b36370a06f5,2026-11-18\n"
        "priya-halvorsen,botoks,1b36370a06f5,2026-11-18\n"
        "priya-halvorsen,botox,v1,2026-11-18\n"
        "priya-halvorsen,botox,1b36370a06f5,2027-01-01\n"
    )
    _, problems = acknowledgements.read(
        rows, "data/staff/acknowledgements.csv", {"priya-halvorsen"}, {"botox"}, AS_OF
    )
    assert [(p.field, p.line) for p in problems] == [
        ("staff_id", 2),
        ("brief_id", 3),
        ("brief_version", 4),
        ("date", 5),
    ]


def _git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(folder), *args],
        check=True,
        capture_output=True,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com",
            "HOME": str(folder),
            "PATH": "/usr/bin:/bin",
        },
    )


def test_history_finds_the_previous_version_and_says_when_there_is_none(tmp_path):
    repo = tmp_path / "repo"
    (repo / "content").mkdir(parents=True)
    page = repo / "content" / "botox.md"
    page.write_text("---\nprice_from: 240\n---\nText.\n")
    assert "not committed" in history.history(page).note or "Git repository" in history.history(page).note
    _git(repo, "init", "-q")
    assert history.history(page).note.startswith("new: not committed")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "first")
    assert history.history(page).previous is None and "first version" in history.history(page).note
    page.write_text("---\nprice_from: 260\n---\nText.\n")
    _git(repo, "commit", "-qam", "price up")
    found = history.history(page)
    assert "price_from: 240" in found.previous and "first" in found.previous_label
    assert run._changes(found.previous, page.read_text(), "content/botox.md") == ["price_from: 240 → 260"]
    # A shallow clone (CI's checkout) holds one commit: said plainly, never an error.
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True, capture_output=True
    )
    shallow = history.history(clone / "content" / "botox.md")
    assert shallow.previous is None and "shallow clone" in shallow.note

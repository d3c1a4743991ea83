"""inv launch: drafts for every demo procedure that pass the claims check, never published until the
coordinator says so; a consented before/after only where consent covers social media; the
coordinator's edits kept; a procedure whose own wording fails the check stops the kit."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import pytest

import runner
from pipeline.claims import site
from pipeline.content import types
from pipeline.launch import LaunchError
from pipeline.launch.run import launch
from tests.support.sitefactory import ROOT

AS_OF = dt.date(2026, 12, 3)  # a Thursday: the plan starts Monday December 7
DISCLAIMER = "Individual results vary."
LEDGER = "gallery/consent.yml"
PROCEDURES = sorted(p.stem for p in (ROOT / "content" / "procedures").glob("*.md"))


@pytest.fixture
def content(tmp_path) -> Path:
    dest = tmp_path / "content"
    shutil.copytree(ROOT / "content", dest, ignore=shutil.ignore_patterns("*.jpg", "*.png", "*.webp"))
    return dest


def _launch(content: Path, procedure: str, tmp_path: Path, briefs: bool = False):
    """The kit (the briefs' PDFs only where a test reads them: pipeline.briefs' own tests cover them)."""
    return launch(
        content, procedure, AS_OF, ROOT, tmp_path / "internal", "Aurora", [DISCLAIMER], LEDGER, briefs
    )


def _entry(content: Path, relative: str, ctype):
    return site.read_entry(ctype, content / relative, content)


@pytest.mark.parametrize("procedure", PROCEDURES)
def test_every_demo_procedure_gets_a_kit_of_valid_drafts(content, tmp_path, procedure):
    done = _launch(content, procedure, tmp_path)
    blog = _entry(content, f"blog/{procedure}-launch.md", types.POST)
    special = _entry(content, f"specials/{procedure}-introductory.md", types.SPECIAL)
    for entry in (blog, special):
        assert entry.record is not None, entry.problems
        assert entry.draft and entry.record.status == "draft"
        assert entry.record.procedures == [procedure]
    procedure_record = _entry(content, f"procedures/{procedure}.md", types.PROCEDURE).record
    assert special.record.offer.regular_price == procedure_record.price_from
    assert special.record.valid_from == dt.date(2026, 12, 28)  # week 4 of the plan
    rows = list(csv.DictReader(io.StringIO((done.folder / "social-plan.csv").read_text(encoding="utf-8"))))
    assert [r["week"] for r in rows] == ["1", "2", "3", "4"]
    assert [r["date"] for r in rows] == ["2026-12-07", "2026-12-14", "2026-12-21", "2026-12-28"]
    assert rows[0]["theme"] == "announcement" and rows[3]["theme"] == "introductory special"
    assert procedure_record.summary in rows[0]["caption"]
    assert "15% off" in rows[3]["caption"]
    note = (done.folder / "referral-note.md").read_text(encoding="utf-8")
    assert procedure_record.summary in note
    for item in procedure_record.contraindications:
        assert f"- {item}" in note
    assert (
        done.kit.briefs[0] == procedure
    )  # then a brief for each device it uses that content/devices/ declares
    assert all((content / "devices" / f"{d}.md").is_file() for d in done.kit.briefs[1:])
    assert done.created == [
        f"content/blog/{procedure}-launch.md",
        f"content/specials/{procedure}-introductory.md",
    ]


def test_the_before_after_week_uses_only_a_case_with_social_consent(content, tmp_path):
    botox = _launch(content, "botox", tmp_path, briefs=True)
    for brief_id in botox.kit.briefs:  # the procedure's and its devices' (Botox Cosmetic, Dysport ...)
        assert (tmp_path / "internal" / "briefs" / brief_id / "brief.pdf").read_bytes().startswith(b"%PDF")
        assert (tmp_path / "internal" / "briefs" / brief_id / "brief.html").is_file()
    assert botox.kit.briefs[0] == "botox" and len(botox.kit.briefs) > 1
    week3 = botox.kit.posts[2]
    # botox-crows-feet-02 has consent C-2025-011 (scope both); the other botox cases are web-only.
    assert week3.theme == "before/after"
    assert week3.image == "content/gallery/botox-crows-feet-02/left-after.jpg"
    assert DISCLAIMER in week3.caption
    # Revoke that consent: the plan falls back to an FAQ and says why.
    ledger = content / LEDGER
    text = ledger.read_text(encoding="utf-8")
    start = text.index("- id: C-2025-011")
    end = text.index("revoked: false", start)
    ledger.write_text(text[:end] + "revoked: 2026-11" + text[end + len("revoked: false") :], encoding="utf-8")
    (content / "blog" / "botox-launch.md").unlink()
    (content / "specials" / "botox-introductory.md").unlink()
    again = _launch(content, "botox", tmp_path)
    assert again.kit.posts[2].theme.startswith("education")
    assert "gallery" not in again.kit.posts[2].image
    assert any("No before/after case" in n for n in again.kit.notes)


def test_the_coordinators_edited_draft_is_kept(content, tmp_path):
    _launch(content, "botox", tmp_path)
    blog = content / "blog" / "botox-launch.md"
    edited = blog.read_text(encoding="utf-8") + "\nMy own words.\n"
    blog.write_text(edited, encoding="utf-8")
    (content / "specials" / "botox-introductory.md").unlink()
    done = _launch(content, "botox", tmp_path)
    assert blog.read_text(encoding="utf-8") == edited
    assert done.kept == ["content/blog/botox-launch.md"]
    assert done.created == ["content/specials/botox-introductory.md"]


def test_an_faq_that_fails_the_check_on_its_own_is_left_out_and_named(content, tmp_path):
    done = _launch(content, "laser-hair-removal", tmp_path)
    assert any("Is laser hair removal permanent?" in n for n in done.kit.notes)
    assert "permanent?" not in (content / "blog" / "laser-hair-removal-launch.md").read_text(encoding="utf-8")


def test_a_procedure_whose_wording_fails_the_check_stops_the_kit_and_writes_nothing(content, tmp_path):
    path = content / "procedures" / "hydrafacial.md"
    text = path.read_text(encoding="utf-8")
    start = text.index("summary:")
    end = text.index("\n", text.index("\n", start) + 1)
    path.write_text(text[:start] + "summary: Guaranteed results in one visit." + text[end:], encoding="utf-8")
    with pytest.raises(LaunchError) as stopped:
        _launch(content, "hydrafacial", tmp_path)
    assert "rule guarantee" in str(stopped.value)
    assert "content/procedures/hydrafacial.md" in str(stopped.value)
    assert not (content / "blog" / "hydrafacial-launch.md").exists()
    assert not (tmp_path / "internal" / "launch" / "hydrafacial").exists()


def test_an_unknown_procedure_names_the_ones_there_are(content, tmp_path):
    with pytest.raises(LaunchError, match="'lipo' is not a procedure.*botox"):
        _launch(content, "lipo", tmp_path)


def test_the_drafts_stay_off_the_public_site_and_the_site_passes_strict(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    _launch(content, "microneedling", tmp_path)
    output = tmp_path / "output"
    settings = runner.build(
        "publishconf.py",
        {
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "INTERNAL_PATH": str(tmp_path / "internal"),
            "CLAIMS_GRADE_CACHE": None,
            "AS_OF_DATE": "2026-12-03",
        },
    )
    assert settings["CLAIMS_STRICT"] is True
    listed = [str(p) for p in (*runner.advisories_of(settings), *runner.warnings_of(settings))]
    assert not [s for s in listed if "microneedling-launch" in s or "microneedling-introductory" in s], listed
    pages = [
        p for p in output.rglob("*.html") if "Introducing Microneedling" in p.read_text(encoding="utf-8")
    ]
    assert pages == []
    assert not any(output.rglob("*microneedling-launch*"))


def test_a_new_device_launches_the_procedure_that_uses_it(content, tmp_path):
    done = _launch(content, "skinpen-precision", tmp_path)
    assert done.kit.procedure == "microneedling"
    assert done.kit.briefs == ["microneedling", "skinpen-precision"]
    path = content / "procedures" / "microneedling.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("devices: [SkinPen Precision]", "devices: []"), "utf-8"
    )
    with pytest.raises(LaunchError, match="'skinpen-precision' is a device used by no procedure: add it to"):
        _launch(content, "skinpen-precision", tmp_path)

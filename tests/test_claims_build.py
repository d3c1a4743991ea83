"""The claims check in real Pelican builds: listed locally, stopping with --strict; acceptances,
devices, the practice's rules and testimonials as the coordinator writes them; the demo passes strict."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import runner
from pipeline.content.errors import ContentError
from plugins.claims import RESULT_KEY
from tests.support.sitefactory import FILES, ROOT, SiteFactory, copy_demo

POST = "blog/facial-season.md"
BODY = "Spring suits a HydraFacial.\n\nGuaranteed results after one visit, and our\npainless treatment.\n"


def line_of(path: Path, words: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if words in line)


@pytest.fixture
def site(tmp_path) -> SiteFactory:
    factory = SiteFactory(tmp_path / "site").write_all()
    factory.write(POST, FILES[POST], BODY)
    return factory


def test_findings_are_warnings_locally_and_stop_a_strict_build(site):
    settings = site.check(CLAIMS_GRADE_CACHE=None)
    post = site.content / POST
    guarantee, painless = f"(line {line_of(post, 'Guaranteed')})", f"(line {line_of(post, 'painless')})"
    shown = [str(p) for p in runner.advisories_of(settings)]
    assert any(
        "facial-season.md:body: claims check, rule guarantee" in s and guarantee in s for s in shown
    ), shown
    assert any("rule absolute" in s and "painless" in s and painless in s for s in shown), shown
    with pytest.raises(ContentError) as stopped:
        site.check(CLAIMS_STRICT=True, CLAIMS_GRADE_CACHE=None)
    message = str(stopped.value)
    assert "content/blog/facial-season.md:body: claims check, rule guarantee" in message
    assert guarantee in message


def test_an_accepted_finding_passes_strict_and_is_listed_as_accepted(site):
    data = {
        **FILES[POST],
        "claims_accepted": [
            {
                "rule": "guarantee",
                "text": "Guaranteed results",
                "why": "Our written money-back policy for facials, see terms.",
            },
            {
                "rule": "absolute",
                "text": "painless treatment",
                "why": "Measured: every client in our 2026 survey said so.",
            },
        ],
    }
    site.write(POST, data, BODY)
    settings = site.check(CLAIMS_STRICT=True, CLAIMS_GRADE_CACHE=None)
    result = settings[RESULT_KEY]
    assert sorted(f.rule for f in result.accepted) == ["absolute", "guarantee"]
    assert not [f for f in result.open if f.path.endswith("facial-season.md")]


def test_a_too_short_justification_is_refused(site):
    data = {**FILES[POST], "claims_accepted": [{"rule": "guarantee", "text": "Guaranteed", "why": "ok"}]}
    site.write(POST, data, BODY)
    with pytest.raises(ContentError) as stopped:
        site.check(CLAIMS_GRADE_CACHE=None)
    assert "claims_accepted.0.why" in str(stopped.value)


def test_devices_declare_their_status_and_are_checked_like_the_rest(site):
    site.write(
        "devices/syndeo.md",
        {"name": "HydraFacial Syndeo", "summary": "A hydradermabrasion system.", "fda_status": "cleared"},
        "What it is.\n",
    )
    with pytest.raises(ContentError) as stopped:
        site.check(CLAIMS_GRADE_CACHE=None)
    assert "content/devices/syndeo.md:indications: is missing" in str(stopped.value)
    site.write(
        "devices/syndeo.md",
        {
            "name": "HydraFacial Syndeo",
            "summary": "A hydradermabrasion system.",
            "fda_status": "exempt",
        },
        "What it is.\n",
    )
    site.write(
        "procedures/hydrafacial.md",
        {**FILES["procedures/hydrafacial.md"], "summary": "An FDA-approved three-step facial."},
    )
    with pytest.raises(ContentError) as stopped:
        site.check(CLAIMS_STRICT=True, CLAIMS_GRADE_CACHE=None)
    assert "rule fda-approved" in str(stopped.value)
    assert "HydraFacial Syndeo is exempt from FDA premarket review" in str(stopped.value)


def test_the_practices_own_rules_are_validated_and_applied(site):
    (site.content / "claims.yml").write_text(
        "rules:\n  - id: lunch\n    phrase: lunchtime facelift\n    pattern: lunch\n    severity: error\n"
        "    why: No treatment here is a facelift.\n    suggestion: say what it does\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as stopped:
        site.check(CLAIMS_GRADE_CACHE=None)
    assert "content/claims.yml:rules.0.phrase: and pattern: give one of them" in str(stopped.value)
    (site.content / "claims.yml").write_text(
        "rules:\n  - id: lunch\n    phrase: lunchtime facelift\n    severity: error\n"
        "    why: No treatment here is a facelift.\n    suggestion: say what it does\n",
        encoding="utf-8",
    )
    site.write(POST, FILES[POST], "A HydraFacial is\nour lunchtime\nfacelift.\n")
    with pytest.raises(ContentError) as stopped:
        site.check(CLAIMS_STRICT=True, CLAIMS_GRADE_CACHE=None)
    assert "rule lunch — \u201clunchtime facelift\u201d" in str(stopped.value)
    assert f"(line {line_of(site.content / POST, 'our lunchtime')})" in str(stopped.value)


def test_testimonials_render_with_their_disclosure_and_a_page_cannot_invent_one(site):
    (site.content / "gallery").mkdir(exist_ok=True)
    (site.content / "gallery" / "consent.yml").write_text(
        "- id: C-1\n  scope: web\n  granted: 2025-01\n  expires: 2029-01\n  revoked: false\n",
        encoding="utf-8",
    )
    (site.content / "testimonials.yml").write_text(
        "testimonials:\n  - id: T-1\n    text: Noor found what my skin needed.\n    attribution: R. K., patient\n"
        "    source: email\n    received: 2026\n    consent: C-1\n    connection: employee\n"
        "    disclosure: R. K. works at our front desk.\n",
        encoding="utf-8",
    )
    site.write(POST, FILES[POST], "What clients say.\n\n[[testimonial T-1]]\n")
    site.build(CLAIMS_STRICT=True, CLAIMS_GRADE_CACHE=None)
    html = (site.output / "blog/facial-season/index.html").read_text(encoding="utf-8")
    assert "Noor found what my skin needed." in html
    assert '<p class="testimonial-disclosure">R. K. works at our front desk.</p>' in html
    assert "[[testimonial" not in html
    site.write(
        POST, FILES[POST], "What clients say.\n\n> \u201cBest facial I ever had!\u201d \u2014 Sarah K.\n"
    )
    with pytest.raises(ContentError) as stopped:
        site.check(CLAIMS_STRICT=True, CLAIMS_GRADE_CACHE=None)
    assert "rule review-source" in str(stopped.value)


def test_the_demo_site_passes_strict(tmp_path):
    content = copy_demo(tmp_path / "content")
    settings = runner.check(
        "pelicanconf.py",
        {
            "PATH": str(content),
            "CLAIMS_STRICT": True,
            "CLAIMS_GRADE_CACHE": None,
            "AS_OF_DATE": "2026-11-22",
            "INTERNAL_PATH": str(tmp_path / "internal"),
        },
    )
    result = settings[RESULT_KEY]
    assert not [f for f in result.open if f.severity == "error"], result.open
    assert {g.path for g in result.grades} >= {"content/procedures/botox.md", "content/blog/botox-myths.md"}


def test_inv_check_strict_and_build_strict_are_offered_and_publishconf_is_strict():
    import publishconf

    assert publishconf.CLAIMS_STRICT is True
    listed = subprocess.run(
        [sys.executable, "-m", "invoke", "--help", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "--strict" in listed


def test_the_claims_report_lists_every_finding_with_file_line_text_rule_and_suggestion(site):
    import csv
    import io

    from pipeline.claims.report import report_files

    settings = site.check(CLAIMS_GRADE_CACHE=None)
    files = report_files(settings[RESULT_KEY], "Test Aesthetics")
    rows = list(csv.DictReader(io.StringIO(files["findings.csv"].decode("utf-8"))))
    post = site.content / POST
    guarantee = next(r for r in rows if r["rule"] == "guarantee")
    assert guarantee["file"] == "content/blog/facial-season.md"
    assert guarantee["line"] == str(line_of(post, "Guaranteed"))
    assert "Guaranteed results after one visit" in guarantee["text"]
    assert guarantee["suggestion"] and "CFR" not in guarantee["suggestion"] and guarantee["why"]
    assert guarantee["status"] == "open"
    html = files["claims.html"].decode("utf-8")
    assert '<meta name="artefact" content="internal">' in html and "Guaranteed" in html
    grades = list(csv.DictReader(io.StringIO(files["readability.csv"].decode("utf-8"))))
    assert {"file", "grade", "words", "sentences"} == set(grades[0])

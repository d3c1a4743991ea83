"""The demo practice the README's first command serves: complete, valid and fictional."""

from __future__ import annotations

import re

import pytest

import runner
from tests.support.html import jsonld_nodes, page
from tests.support.sitefactory import ROOT

CONTENT = ROOT / "content"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    output = tmp_path_factory.mktemp("demo") / "output"
    settings = runner.build(
        "publishconf.py", {"OUTPUT_PATH": str(output), "INTERNAL_PATH": str(output.parent / "internal")}
    )
    return settings, output


def test_demo_has_enough_of_every_type():
    def count(folder):
        return len(list((CONTENT / folder).glob("*.md")))

    assert count("blog") >= 6 and count("procedures") >= 6 and count("team") >= 4 and count("locations") >= 2


def test_demo_builds_and_every_procedure_has_a_provider(demo):
    settings, output = demo
    for procedure in (CONTENT / "procedures").glob("*.md"):
        doc = page(output, f"/procedures/{procedure.stem}/")
        team_links = [
            h for h in doc.xpath("//main//a/@href") if "/team/" in h and not h.rstrip("/").endswith("/team")
        ]
        assert team_links, f"{procedure.stem} lists no provider"


def test_demo_is_clearly_fictional():
    phones = set()
    for path in CONTENT.rglob("*"):
        if path.suffix in (".md", ".yml"):
            phones |= set(re.findall(r"\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}", path.read_text()))
    assert phones, "the demo should show phone numbers"
    assert all(re.search(r"555[\s.-]?01\d\d$", p) for p in phones), phones
    emails = set()
    for path in CONTENT.rglob("*"):
        if path.suffix in (".md", ".yml"):
            emails |= set(re.findall(r"[\w.+-]+@[\w.-]+", path.read_text()))
    assert all(e.endswith(".example") for e in emails), emails


def test_demo_home_has_practice_json_ld(demo):
    settings, output = demo
    types = {n["@type"] for n in jsonld_nodes(page(output, "/"))}
    assert types == {"MedicalOrganization", "MedicalClinic"}  # the practice and its clinics


def test_parts_rendered_once_per_build_are_what_each_page_would_render(demo, tmp_path):
    """The header, footer and cards are rendered once per build and reused (TEMPLATE_REUSE); built
    again with every page rendering its own, the demo site is byte for byte the same. A partial
    that started to depend on its page (beyond the section and current link it is keyed on)
    would differ here."""
    _, reused = demo
    fresh = tmp_path / "output"
    runner.build(
        "publishconf.py",
        {"OUTPUT_PATH": str(fresh), "TEMPLATE_REUSE": False, "INTERNAL_PATH": str(tmp_path / "internal")},
    )
    pages = sorted(p.relative_to(reused).as_posix() for p in reused.rglob("*.html"))
    assert len(pages) > 50
    for rel in pages:
        assert (fresh / rel).read_bytes() == (reused / rel).read_bytes(), rel


def test_relative_urls_give_every_page_links_from_its_own_depth(tmp_path):
    """With RELATIVE_URLS, a card or header rendered for one page would point the wrong way from a
    page at another depth; nothing is reused then, and every relative link resolves to a page."""
    output = tmp_path / "output"
    runner.build(
        "pelicanconf.py",
        {
            "OUTPUT_PATH": str(output),
            "RELATIVE_URLS": True,
            "SEARCH_INDEX": False,
            "INTERNAL_PATH": str(tmp_path / "internal"),
        },
    )
    checked = 0
    for html in sorted(output.rglob("*.html")):
        if html.relative_to(output).parts[0] == "drafts":  # a draft's tags may have no page yet
            continue
        for href in re.findall(r'<a\b[^>]*\bhref="(\.[^"#?]*)', html.read_text(encoding="utf-8")):
            target = (html.parent / href).resolve()
            assert target.is_file() or (target / "index.html").is_file(), (
                f"{html.relative_to(output)}: {href}"
            )
            checked += 1
    assert checked > 500


@pytest.mark.s3
def test_the_demo_passes_the_publish_guard_and_plans_a_deploy(demo, moto_s3, tmp_path):
    """What `inv deploy --dry-run` does after its build: the guard passes the whole demo (the
    practice's own contacts, as the build read them from the content, are allowed) and the plan
    uploads every file."""
    from pipeline.deploy.run import deploy_site
    from pipeline.publish_guard import scan_output

    settings, output = demo
    assert settings["PRACTICE_CONTACTS"]["emails"] == [
        "harbor@aurora-aesthetics.example",
        "hello@aurora-aesthetics.example",
        "sorrel@aurora-aesthetics.example",
    ]
    assert (
        scan_output(output, settings["PRACTICE_CONTACTS"]["emails"], settings["PRACTICE_CONTACTS"]["phones"])
        == []
    )
    bucket = moto_s3.new_bucket("demo")
    result = deploy_site(
        {**settings, "S3_BUCKET": bucket, "CLOUDFRONT_DISTRIBUTION_ID": ""},
        root=ROOT,
        dry_run=True,
        clients=lambda s, r=None: moto_s3.client(s),
    )
    files = [p for p in output.rglob("*") if p.is_file()]
    assert result.plan.count("upload") == len(files) > 300
    assert moto_s3.client().list_objects_v2(Bucket=bucket).get("KeyCount", 0) == 0

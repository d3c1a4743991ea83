"""Every validation rule stops a real Pelican run with `path:field: what — fix`."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pipeline.content.errors import ContentError
from tests.support.sitefactory import FILES, ROOT, SiteFactory

POST = "blog/botox-myths.md"
PROC = "procedures/botox.md"
MEMBER = "team/kim-park.md"
LOC = "locations/north.md"

# (file, field changes, field named in the message, words the message must contain)
RULES = [
    pytest.param(POST, {"summary": None}, "summary", "is missing", id="missing-field"),
    pytest.param(POST, {"sumary": "typo"}, "sumary", "did you mean 'summary'", id="mistyped-field-name"),
    pytest.param(PROC, {"price_from": "cheap"}, "price_from", "is not a number", id="wrong-type"),
    pytest.param(POST, {"author": "dr-who"}, "author", "'dr-who' is not a team member", id="unknown-author"),
    pytest.param(
        POST, {"procedures": ["botoxx"]}, "procedures.0", "did you mean 'botox'", id="unknown-procedure"
    ),
    pytest.param(
        PROC, {"related": ["laser"]}, "related.0", "'laser' is not a procedure", id="unknown-related"
    ),
    pytest.param(
        MEMBER, {"locations": ["east"]}, "locations.0", "'east' is not a location", id="unknown-location"
    ),
    pytest.param(
        MEMBER,
        {"procedures": ["peel"]},
        "procedures.0",
        "'peel' is not a procedure",
        id="unknown-member-procedure",
    ),
    pytest.param(POST, {"date": "March 3rd"}, "date", "is not a date", id="bad-date"),
    pytest.param(POST, {"date": "2026-02-30"}, "date", "is not a date", id="impossible-date"),
    pytest.param(
        POST,
        {"cover": {"src": "images/blog/nope.jpg", "alt": "x"}},
        "cover.src",
        "does not exist",
        id="missing-image",
    ),
    pytest.param(
        POST, {"cover": {"src": "images/blog/botox-myths.jpg"}}, "cover.alt", "is missing", id="missing-alt"
    ),
    pytest.param(
        MEMBER,
        {"photo": {"src": "images/team/kim-park.jpg", "alt": "  "}},
        "photo.alt",
        "is empty",
        id="empty-alt",
    ),
    pytest.param(POST, {"status": "publihsed"}, "status", "use one of: published or draft", id="bad-status"),
    pytest.param(
        PROC,
        {"procedure_type": "laser"},
        "procedure_type",
        "noninvasive, percutaneous or surgical",
        id="bad-procedure-type",
    ),
    pytest.param(PROC, {"sessions": "lots"}, "sessions", "expected form", id="bad-sessions"),
    pytest.param(PROC, {"related": ["botox"]}, "related.0", "refers to itself", id="self-reference"),
    pytest.param(LOC, {"hours": {"funday": "9:00-17:00"}}, "hours", "'funday' is not a day", id="bad-day"),
    pytest.param(LOC, {"hours": {"monday": "17:00-9:00"}}, "hours", "24-hour", id="bad-hours"),
    pytest.param(LOC, {"phone": "555"}, "phone", "is not a phone number", id="bad-phone"),
    pytest.param(LOC, {"map_url": "http://maps.example"}, "map_url", "expected form", id="insecure-map-link"),
    pytest.param(
        MEMBER,
        {"accepting_new_patients": "perhaps"},
        "accepting_new_patients",
        "write true or false",
        id="bad-boolean",
    ),
]


@pytest.fixture
def site(tmp_path):
    return SiteFactory(tmp_path).write_all()


def problems_of(site: SiteFactory) -> list[str]:
    with pytest.raises(ContentError) as caught:
        site.check()
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(("rel", "changes", "field", "words"), RULES)
def test_rule_names_file_field_and_fix(site, rel, changes, field, words):
    site.edit(rel, **changes)
    problems = problems_of(site)
    prefix = f"content/{rel}:{field}: "
    matching = [p for p in problems if p.startswith(prefix)]
    assert matching, f"no problem starting with {prefix!r} in {problems}"
    assert any(words in p for p in matching), matching
    assert all(" — " in p for p in matching), "every message carries a fix after ' — '"


def test_valid_site_passes_check(site):
    settings = site.check()
    assert str(settings["AS_OF_DATE"]) == "2026-11-22"


def test_field_line_numbers_point_into_the_file(site):
    path = site.edit(POST, author="dr-who")
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if text.startswith("author:"))
    assert any(p.endswith(f"(line {line})") and ":author:" in p for p in problems_of(site))


def test_yaml_syntax_error_names_the_line(site):
    path = site.content / POST
    path.write_text("---\ntitle: Fine\nsummary: [unclosed\n---\nBody\n")
    problems = problems_of(site)
    assert any(p.startswith(f"content/{POST}:front matter: the YAML cannot be read") for p in problems), (
        problems
    )


def test_file_without_front_matter(site):
    (site.content / POST).write_text("# Just a heading\n")
    assert any(
        p.startswith(f"content/{POST}:front matter: the file does not start with front matter")
        for p in problems_of(site)
    )


def test_duplicate_field(site):
    (site.content / "pages/privacy.md").write_text("---\ntitle: A\ntitle: B\nsummary: s\n---\n")
    assert any(p.startswith("content/pages/privacy.md:title: is given twice") for p in problems_of(site))


def test_file_in_unknown_folder(site):
    site.write("news/hello.md", {"title": "Hello"})
    assert any(
        p.startswith("content/news/hello.md:file: is not in a folder the site knows")
        for p in problems_of(site)
    )


def test_invalid_practice_file(site):
    text = (site.content / "practice.yml").read_text().replace("email:", "e_mail:")
    (site.content / "practice.yml").write_text(text)
    problems = problems_of(site)
    assert any(p.startswith("content/practice.yml:email: is missing") for p in problems), problems
    assert any(p.startswith("content/practice.yml:e_mail: is not a field") for p in problems), problems


def test_published_content_cannot_point_to_a_draft(site):
    site.edit("procedures/hydrafacial.md", status="draft")
    problems = problems_of(site)
    assert any(
        p.startswith(f"content/{POST}:") is False and "the procedure 'hydrafacial' is a draft" in p
        for p in problems
    ), problems


def test_every_problem_is_reported_at_once(site):
    site.edit(POST, author="dr-who")
    site.edit(PROC, price_from="cheap")
    problems = problems_of(site)
    assert {p.split(":")[0] for p in problems} == {f"content/{POST}", f"content/{PROC}"}


def test_failed_build_keeps_the_last_good_site(site):
    site.build()
    index = site.output / "index.html"
    before = index.read_bytes()
    site.edit(POST, author="dr-who")
    with pytest.raises(ContentError):
        site.build()
    assert index.read_bytes() == before
    assert not (site.root / "output.building").exists()


@pytest.mark.parametrize("task", ["check", "build"])
def test_cli_exits_nonzero_with_a_clean_message(site, task):
    site.edit(POST, author="dr-who")
    result = subprocess.run(
        [sys.executable, "-m", "invoke", task, "--content", str(site.content)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert f"content/{POST}:author: 'dr-who' is not a team member" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_cli_check_passes_on_valid_content(site):
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "check", "--content", str(site.content)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "All content is valid." in result.stdout


def test_fixture_covers_every_collection():
    from pipeline.content.types import TYPES

    kinds = {rel.split("/")[0] for rel in FILES}
    assert kinds == {t.folder for t in TYPES}


def test_file_that_is_not_utf8(site):
    (site.content / POST).write_bytes("---\ntitle: Caf\xe9\n---\n".encode("latin-1"))
    assert any(p.startswith(f"content/{POST}:file: is not UTF-8 text") for p in problems_of(site))


@pytest.mark.parametrize(
    ("markdown", "words"),
    [
        (
            "![A syringe](/images/blog/nope.jpg)",
            "the image '/images/blog/nope.jpg' in the text does not exist",
        ),
        ("![A syringe](https://cdn.example.com/x.jpg)", "is on another site (a third-party request)"),
        ("![](/images/blog/botox-myths.jpg)", "has no alt text"),
    ],
    ids=["missing", "third-party", "no-alt"],
)
def test_images_in_the_body_are_checked(site, markdown, words):
    site.write(POST, FILES[POST], body=f"Intro.\n\n{markdown}\n")
    problems = problems_of(site)
    assert any(p.startswith(f"content/{POST}:body: ") and words in p for p in problems), problems


def test_images_in_the_body_become_pipeline_pictures(site):
    site.write(POST, FILES[POST], body="Intro.\n\n![A calm room](/images/blog/facial-season.jpg)\n")
    site.build()
    html = (site.output / "blog/botox-myths/index.html").read_text()
    assert "<picture" in html and 'alt="A calm room"' in html
    assert "/images/blog/facial-season.jpg" not in html
    assert not list(site.output.rglob("facial-season.jpg"))
    assert (site.output / "media").is_dir()

"""`inv check` and `inv build` refuse what the publish guard would: personal data in content
(with the file, line and a fix in plain words) and symbolic links in content/ and the theme.
Real checks and builds of the test practice."""

from __future__ import annotations

import re
import shutil

import pytest

import runner
from pipeline.content.errors import ContentError
from pipeline.personal_data import find_in_source
from pipeline.publish_guard import PublishGuardError
from tests.support.sitefactory import FILES, ROOT, SiteFactory

POST = "blog/botox-myths.md"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return SiteFactory(tmp_path_factory.mktemp("privacy-template")).write_all()


@pytest.fixture
def site(template, tmp_path):
    fresh = SiteFactory(tmp_path)
    shutil.copytree(template.content, fresh.content)
    return fresh


def problems_of(site, **settings) -> list[str]:
    with pytest.raises(ContentError) as stopped:
        site.check(**settings)
    return [str(p) for p in stopped.value.problems]


@pytest.mark.parametrize(
    "body, found, fix",
    [
        (
            "Ask Jane: jane.doe@gmail.com",
            "an email address (j***@gmail.com) that is not the practice's",
            "the site may show only the practice's own email addresses",
        ),
        (
            "Ask her at jane@glow.example",
            "an email address (j***@glow.example) that is not the practice's",
            "the site may show only the practice's own email addresses",
        ),
        (
            "Text Jane on 805-555-*0133*.",
            "a phone number (***-***-0133) that is not the practice's",
            "the site may show only the practice's own phone numbers",
        ),
        (
            "Text Jane on 805-555-<em>0133</em>.",
            "a phone number (***-***-0133) that is not the practice's",
            "the site may show only the practice's own phone numbers",
        ),
        (
            "Text Jane on 805\u2011555\u20110133.",
            "a phone number (***-***-0133) that is not the practice's",
            "the site may show only the practice's own phone numbers",
        ),
        ("Her SSN is 123-45-6789.", "a US Social Security number (***-**-6789)", "identifies a person"),
        ("Patient DOB: 03/14/1980.", "a date of birth (after 'DOB')", "identifies a patient"),
        ("See MRN 00123456.", "a medical record number (after 'MRN')", "identifies a patient"),
    ],
)
def test_personal_data_in_a_post_body_is_a_content_problem(site, body, found, fix):
    path = site.write(POST, FILES[POST], body="Intro line.\n\n" + body + "\n")
    line = path.read_text().splitlines().index(body) + 1
    problems = problems_of(site)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"content/{POST}:body: {found} — remove it: ")
    assert fix in problems[0] and problems[0].endswith(f"(line {line})")
    assert not re.search(r"\w+\(\)|practice_contacts|PUBLISH_GUARD", problems[0]), "plain words only"
    assert "jane.doe" not in problems[0] and "0133)" not in problems[0].replace("***-***-0133", "")


def test_personal_data_in_front_matter_names_the_field(site):
    site.edit(POST, summary="Myths busted. Questions? Call Jane on (917) 555-0142.")
    (problem,) = problems_of(site)
    assert problem.startswith(
        f"content/{POST}:summary: a phone number (***-***-0142) that is not the practice's"
    )


def test_personal_data_in_a_gallery_case_is_a_content_problem(tmp_path):
    from tests.support.gallery import CASES, GallerySite

    site = GallerySite(tmp_path).write_all()
    site.edit_case("botox-front-01", description="Frown lines softened. Photos sent to mia@gmail.com.")
    problems = problems_of(site)
    assert [p for p in problems if "m***@gmail.com" in p] == [
        "content/gallery/botox-front-01/case.yml:description: an email address (m***@gmail.com) that is not the "
        "practice's — remove it: the site may show only the practice's own email addresses (content/practice.yml "
        f"and the locations), never a patient's or anyone else's (line {_line(site, 'description')})"
    ]
    assert CASES  # the gallery practice is otherwise valid


def _line(site, field: str) -> int:
    text = (site.gallery / "botox-front-01" / "case.yml").read_text()
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(f"{field}:"))


def test_the_practice_own_contacts_pass_in_any_form(site):
    """The practice's and its locations' numbers however written, and any address at its own email
    domain (a reserved .example one, like the demo's), are its own."""
    site.write(
        POST,
        FILES[POST],
        body=(
            "Call (555) 555-0100, 555.555.0101 or 555\u2011555\u20110102; write to hello@test-aesthetics.example or "
            "privacy@test-aesthetics.example. Our [contact page](/contact/) and 20 units for $12, 2026-03-14.\n"
        ),
    )
    site.check()


def test_a_draft_with_personal_data_is_a_warning_not_a_stop(site):
    site.edit("blog/unfinished.md", summary="Call Jane on 917-555-0142")
    warnings = runner.warnings_of(site.check())
    assert any(
        str(w).startswith("content/blog/unfinished.md:summary: a phone number (***-***-0142)")
        for w in warnings
    )


def test_the_demo_content_has_no_personal_data_but_the_practice_own():
    """Every Markdown and YAML file of the demo: only the practice's own contacts (its domain and
    its numbers) are found."""
    found = []
    for path in sorted((ROOT / "content").rglob("*")):
        if path.suffix in (".md", ".yml") and path.name != "partners.yml":  # partners.yml is never published
            for line, hit in find_in_source(path.read_text(encoding="utf-8")):
                found.append((path.name, line, hit.kind, hit.text))
    others = [
        f
        for f in found
        if not (f[2] == "email" and f[3].endswith("@aurora-aesthetics.example"))
        and not (
            f[2] == "phone" and re.sub(r"\D", "", f[3])[-10:] in {"8055550100", "8055550142", "8055550167"}
        )
    ]
    assert others == []
    assert found, "the demo shows the practice's own contacts"


# -- symbolic links --------------------------------------------------------------------------


@pytest.mark.parametrize("as_folder", [False, True])
def test_a_link_in_content_stops_check_and_build(site, tmp_path, as_folder):
    secret = tmp_path / "secret"
    if as_folder:
        secret.mkdir()
        (secret / "token.md").write_text("---\ntitle: x\n---\ntoken\n")
        link = site.content / "pages" / "imported"
        link.symlink_to(secret, target_is_directory=True)
    else:
        secret.write_text("token")
        link = site.content / "images" / "logo-link.png"
        link.symlink_to(secret)
    problems = problems_of(site)
    rel = link.relative_to(site.root).as_posix()
    assert any(
        p.startswith(
            f"{rel}:file: is a symbolic link (to {secret}) — replace the link with the real "
            f"{'folder' if as_folder else 'file'}"
        )
        for p in problems
    ), problems
    with pytest.raises(ContentError):
        site.build()
    assert not site.output.exists()


@pytest.mark.parametrize("as_folder", [False, True])
def test_a_link_in_the_theme_stops_the_build_before_anything_is_copied(site, tmp_path, as_folder):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme, ignore=shutil.ignore_patterns("node_modules"))
    secret = tmp_path / "secret"
    if as_folder:
        secret.mkdir()
        (secret / "token.txt").write_text("AKIA-not-a-real-token")
        link = theme / "static" / "vendor"
    else:
        secret.write_text("AKIA-not-a-real-token")
        link = theme / "static" / "token.txt"
    link.symlink_to(secret, target_is_directory=as_folder)
    with pytest.raises(ContentError) as stopped:
        site.build(THEME=str(theme))
    assert f"theme/static/{link.name}:file: is a symbolic link (to {secret})" in str(stopped.value)
    assert not site.output.exists() and not site.output.with_name("output.building").exists()


# -- the private patient list at build time ------------------------------------------------------------


def test_a_name_from_the_private_patient_list_stops_the_build_and_is_never_shown(site, tmp_path):
    listed = tmp_path / "private" / "patients.csv"
    listed.parent.mkdir()
    listed.write_text(
        "Last Name,First Name,Phone\nQuarrington,Odalys,555-0100\nDoe,Jane,\n", encoding="utf-8"
    )
    site.build(PUBLISH_GUARD_PATIENT_LIST=str(listed))  # no listed name on the site: builds
    before = sorted(p.relative_to(site.output) for p in site.output.rglob("*"))
    site.write(POST, FILES[POST], body="Odalys *Quarrington* loved her results.\n")
    with pytest.raises(PublishGuardError) as stopped:
        site.build(PUBLISH_GUARD_PATIENT_LIST=str(listed))
    message = str(stopped.value)
    assert (
        "blog/botox-myths/index.html: patient's name: a name from the private patient list (entry 1)"
        in message
    )
    assert "The last good site was kept" in message
    assert "odalys" not in message.lower() and "quarrington" not in message.lower()
    assert sorted(p.relative_to(site.output) for p in site.output.rglob("*")) == before

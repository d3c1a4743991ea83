"""The invoke tasks as the coordinator runs them."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml

from pipeline import dates
from tests.support.sitefactory import ROOT, SiteFactory

QUICKSTART = [
    "build",
    "rebuild",
    "regenerate",
    "serve",
    "reserve",
    "preview",
    "livereload",
    "clean",
    "check",
    "new",
]


@pytest.fixture(autouse=True)
def _internal_files_in_tmp(tmp_path, monkeypatch):
    """A task's internal files (manifests) go to the test's folder, never to the project's internal/."""
    monkeypatch.setenv("SITE_INTERNAL_PATH", str(tmp_path / "internal"))


def inv(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args], cwd=cwd, capture_output=True, text=True, timeout=180
    )


def test_every_task_explains_itself():
    listing = inv("--list").stdout
    for name in QUICKSTART:
        line = next((row for row in listing.splitlines() if row.strip().startswith(name + " ")), None)
        assert line and len(line.split(None, 1)[1]) > 10, f"task {name} has no docstring in `inv --list`"


def _front(path) -> dict:
    return yaml.safe_load(path.read_text().split("---")[1])


def test_new_files_start_blank_and_never_block_the_build(tmp_path):
    site = SiteFactory(tmp_path).write_all()
    env = {**os.environ, "SITE_AS_OF": "2026-11-22"}
    for kind, title in (
        ("post", "Winter skin care"),
        ("procedure", "Lip filler"),
        ("special", "Holiday glow"),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "invoke", "new", kind, title, "--content", str(site.content)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=180,
            env=env,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert "status: draft" in result.stdout and "[write ...]" in result.stdout
    post = site.content / "blog" / "winter-skin-care.md"
    data = _front(post)
    assert data["title"] == "Winter skin care"
    # The practice's date (TIMEZONE), not the machine's: after 4 pm in California it is already
    # tomorrow in UTC, and a post dated tomorrow would be scheduled instead of published.
    assert data["date"] == dates.today(dates.zone("America/Los_Angeles"))
    assert data["status"] == "draft"
    # Every value the coordinator must write is a placeholder, with an example in a comment; nothing is
    # borrowed from another item (no author, procedure or device of somebody else's).
    for field in ("summary", "category", "author"):
        assert data[field].startswith("[write"), (field, data[field])
    assert (
        data["cover"]["alt"].startswith("[write")
        and data["cover"]["src"] == "images/blog/winter-skin-care.jpg"
    )
    assert "# e.g. " in post.read_text() and "# tags: [botox, wrinkles]  # optional" in post.read_text()
    procedure = _front(site.content / "procedures" / "lip-filler.md")
    special = _front(site.content / "specials" / "holiday-glow.md")
    values = yaml.safe_dump([procedure, special])
    assert "HydraFacial" not in values and "Botox" not in values and "botox" not in values
    assert procedure["procedure_type"] == "[write one of: noninvasive, percutaneous, surgical]"
    assert special["procedures"] == ["[write the ids of procedures]"]
    assert str(special["offer"]["price"]).startswith("[write") and str(
        special["offer"]["regular_price"]
    ).startswith("[write")

    # Drafts with problems are listed, never fatal, and stay off the site.
    checked = inv("check", "--content", str(site.content))
    assert checked.returncode == 0, checked.stderr
    assert "in drafts (warnings" in checked.stderr
    assert (
        "content/blog/winter-skin-care.md:summary: is still the placeholder — write the summary, e.g."
        in checked.stderr
    )
    assert (
        "content/blog/winter-skin-care.md:cover.src: the image 'images/blog/winter-skin-care.jpg' does not "
        "exist" in checked.stderr
    )
    assert "content/procedures/lip-filler.md:procedure_type: is still the placeholder" in checked.stderr
    out = tmp_path / "out"
    built = inv("build", "--content", str(site.content), "--output", str(out))
    assert built.returncode == 0, built.stderr
    assert not list(out.rglob("*winter-skin-care*")) and not list(out.rglob("*lip-filler*"))

    # Published with its placeholders, the same file stops check and build.
    post.write_text(post.read_text().replace("status: draft", "status: published"))
    failed = inv("check", "--content", str(site.content))
    assert failed.returncode == 1
    assert (
        "content/blog/winter-skin-care.md:summary: is still the placeholder"
        in failed.stderr.split("in drafts")[0]
    )


def test_new_case_makes_the_folder_and_says_where_the_photos_and_consent_go(tmp_path):
    site = SiteFactory(tmp_path).write_all()
    result = inv("new", "case", "Botox forehead 02", "--content", str(site.content))
    assert result.returncode == 0, result.stderr
    folder = site.content / "gallery" / "botox-forehead-02"
    assert sorted(p.name for p in folder.iterdir()) == ["case.yml"]
    assert (
        "front-before.jpg" in result.stdout
        and "consent" in result.stdout
        and "gallery/consent.yml" in result.stdout
    )
    case = yaml.safe_load((folder / "case.yml").read_text())
    assert case["status"] == "draft" and case["consent"].startswith("[write")
    assert case["pairs"][0]["before"]["src"] == "front-before.jpg"
    checked = inv("check", "--content", str(site.content))
    assert checked.returncode == 0, checked.stderr  # a draft case: listed, not fatal
    assert (
        "content/gallery/botox-forehead-02/case.yml:consent: is still the placeholder — write the id of the "
        "patient's signed marketing authorization" in checked.stderr
    )
    assert (
        "content/gallery/botox-forehead-02/case.yml:pairs.0.before.src: 'front-before.jpg' is not in the "
        "case's folder" in checked.stderr
    )
    assert "front matter" not in checked.stderr
    again = inv("new", "case", "Botox forehead 02", "--content", str(site.content))
    assert again.returncode == 1 and "already exists" in again.stderr


def test_new_refuses_to_overwrite_and_unknown_kinds(tmp_path):
    site = SiteFactory(tmp_path).write_all()
    again = inv("new", "post", "Botox myths", "--content", str(site.content))
    assert again.returncode == 1 and "already exists" in again.stderr
    unknown = inv("new", "poem", "Ode", "--content", str(site.content))
    assert unknown.returncode == 2 and "use one of: post" in unknown.stderr and "case" in unknown.stderr


def test_build_as_of_previews_that_day_and_refuses_a_bad_date(tmp_path):
    site = SiteFactory(tmp_path / "site").write_all()
    out = tmp_path / "preview"
    # 15 November: the November special is on, December's is not started yet.
    result = inv("build", "--as-of", "2026-11-15", "--content", str(site.content), "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert "as of 2026-11-15" in result.stdout
    specials = (out / "specials" / "index.html").read_text(encoding="utf-8")
    assert "/specials/botox-november/" in specials and "/specials/december-glow/" not in specials
    # The pages' expiry script is told to run on that day's clock (a local preview of another day).
    assert 'data-clock-day="2026-11-15"' in specials
    december = inv("build", "--as-of", "2026-12-05", "--content", str(site.content), "--output", str(out))
    assert december.returncode == 0, december.stderr
    assert (tmp_path / "internal" / "tracking-manifest.json").is_file()
    assert "/specials/botox-november/" not in (out / "specials" / "index.html").read_text(encoding="utf-8")

    bad = inv("build", "--as-of", "2026-13-01", "--content", str(site.content), "--output", str(out))
    assert bad.returncode != 0
    assert "AS_OF_DATE: '2026-13-01' is not a date" in bad.stderr and "YYYY-MM-DD" in bad.stderr
    assert "Traceback" not in bad.stderr + bad.stdout
    # The failed build left the last good preview in place.
    assert (out / "specials" / "index.html").is_file()


def test_deploy_refuses_a_target_without_a_bucket_before_building():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STAGING_", "AWS_"))}
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "deploy", "--target", "staging", "--dry-run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )
    assert result.returncode == 1
    assert "The staging target has no bucket" in result.stderr and "STAGING_S3_BUCKET" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "Processed" not in result.stdout + result.stderr, "it stopped before building the site"
    bad = inv("deploy", "--bucket", "Not_A_Bucket", "--dry-run")
    assert bad.returncode == 1 and "not a valid bucket name" in bad.stderr and "Traceback" not in bad.stderr


def test_partners_task_names_the_mistake_in_the_registry(tmp_path, monkeypatch):
    import invoke

    import tasks

    site = SiteFactory(tmp_path).write_all()
    (site.content / "partners.yml").write_text(
        "partners:\n  - code: Bad Code!\n    name: Somebody\n", encoding="utf-8"
    )
    real = tasks.runner.load_settings
    monkeypatch.setattr(
        tasks.runner,
        "load_settings",
        lambda *a, **k: {
            **real(*a, **k),
            "PATH": str(site.content),
            "INTERNAL_PATH": str(tmp_path / "internal"),
        },
    )
    with pytest.raises(invoke.Exit) as stopped:
        tasks.partners(invoke.Context())
    assert stopped.value.code != 0
    assert "partners.yml" in str(stopped.value.message) and "code" in str(stopped.value.message)
    assert not (tmp_path / "internal" / "partners").exists()


def test_partners_task_reports_a_broken_registry_file_cleanly(tmp_path):
    """`inv partners` on a partners.yml that is not valid YAML: one clean line naming the file, exit 1."""
    site = SiteFactory(tmp_path / "site").write_all()
    (site.content / "partners.yml").write_text(
        "partners:\n  - code: elm-derm\n    name: [Elm Row\n", encoding="utf-8"
    )
    # The task reads publishconf.py; point its content folder at the broken one, then run it as the
    # coordinator does (a real `inv partners` process).
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); import tasks; import runner; "
        "real = runner.load_settings; "
        f"runner.load_settings = lambda *a, **k: {{**real(*a, **k), 'PATH': {str(site.content)!r}, "
        f"'INTERNAL_PATH': {str(tmp_path / 'internal')!r}}}; "
        "from invoke import Collection, Program; "
        "Program(namespace=Collection.from_module(tasks)).run(['inv', 'partners'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "partners.yml" in result.stderr and "line" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "internal" / "partners").exists()

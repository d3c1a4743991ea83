"""The invoke tasks as the coordinator runs them."""

from __future__ import annotations

import subprocess
import sys

import yaml

from pipeline import dates
from tests.support.sitefactory import ROOT, SiteFactory

QUICKSTART = ["build", "rebuild", "regenerate", "serve", "reserve", "preview", "livereload", "clean", "check", "new"]


def inv(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=cwd, capture_output=True, text=True, timeout=180)


def test_every_task_explains_itself():
    listing = inv("--list").stdout
    for name in QUICKSTART:
        line = next((row for row in listing.splitlines() if row.strip().startswith(name + " ")), None)
        assert line and len(line.split(None, 1)[1]) > 10, f"task {name} has no docstring in `inv --list`"


def test_new_post_and_procedure_are_stubbed_drafts_that_check_once_images_exist(tmp_path):
    site = SiteFactory(tmp_path).write_all()
    for kind, title in (("post", "Winter skin care"), ("procedure", "Laser Genesis")):
        result = inv("new", kind, title, "--content", str(site.content))
        assert result.returncode == 0, result.stderr
    post = site.content / "blog" / "winter-skin-care.md"
    data = yaml.safe_load(post.read_text().split("---")[1])
    assert data["title"] == "Winter skin care"
    # The practice's date (TIMEZONE), not the machine's: after 4 pm in California it is already
    # tomorrow in UTC, and a post dated tomorrow would be scheduled instead of published.
    assert data["date"] == dates.today(dates.zone("America/Los_Angeles"))
    assert data["status"] == "draft"
    assert data["author"] in {"dr-lee", "kim-park"}
    assert set(data) >= {"summary", "category", "tags", "cover", "procedures"}
    procedure = yaml.safe_load((site.content / "procedures" / "laser-genesis.md").read_text().split("---")[1])
    assert set(procedure) >= {"name", "summary", "body_areas", "procedure_type", "devices", "sessions", "downtime",
                              "price_from", "faqs", "contraindications", "related"}

    missing = inv("check", "--content", str(site.content))
    assert missing.returncode == 1
    assert "content/blog/winter-skin-care.md:cover.src: the image 'images/blog/winter-skin-care.jpg' does not exist" \
        in missing.stderr
    for folder, name in (("blog", "winter-skin-care.jpg"), ("procedures", "laser-genesis.jpg")):
        (site.content / "images" / folder / name).write_bytes((site.content / "images/blog/botox-myths.jpg").read_bytes())
    assert inv("check", "--content", str(site.content)).returncode == 0


def test_new_refuses_to_overwrite_and_unknown_kinds(tmp_path):
    site = SiteFactory(tmp_path).write_all()
    again = inv("new", "post", "Botox myths", "--content", str(site.content))
    assert again.returncode == 1 and "already exists" in again.stderr
    unknown = inv("new", "poem", "Ode", "--content", str(site.content))
    assert unknown.returncode == 2 and "use one of: post" in unknown.stderr

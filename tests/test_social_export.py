"""Social exports from a real practice: what may be posted, exact images, files, determinism, `inv social`."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image

from pipeline.publish_guard import scan_output
from pipeline.social.networks import NETWORKS
from tests.support.gallery import FORBIDDEN_BYTES, PATIENT, exif_tags
from tests.support.sitefactory import FILES, ROOT, SiteFactory
from tests.support.social import SITEURL, SOCIAL_ONLY_CASE, SocialSite


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> SocialSite:
    return SocialSite(tmp_path_factory.mktemp("social-site")).write_all()


@pytest.fixture(scope="module")
def exported(site, tmp_path_factory):
    """(folder, posts.json) of one export on 2026-11-22."""
    result = site.export(tmp_path_factory.mktemp("social-export"))
    return result.folder, json.loads((result.folder / "posts.json").read_text(encoding="utf-8"))


def _items(data) -> set[str]:
    return {f"{p['kind']}/{p['id']}" for p in data["posts"]}


def test_only_what_may_be_posted_today_is_exported(exported):
    folder, data = exported
    assert folder.name == "2026-11-22"
    assert _items(data) == {
        "post/botox-myths",
        "post/facial-season",
        "post/nose-questions",
        "post/winter-skin",  # published
        "special/botox-november",  # current (the expired and the not-yet-started are not)
        "event/open-house",  # upcoming (the past talk is not)
        "case/hydra-glow-02",
        f"case/{SOCIAL_ONLY_CASE}",  # consent scope includes social
    }
    skipped = {s["source"]: s["reason"] for s in data["skipped"]}
    assert (
        skipped["content/gallery/botox-front-01/case.yml"]
        == "consent C-OK-1 not in scope for social (scope: web)"
    )
    assert skipped["content/gallery/botox-revoked-04/case.yml"] == "consent C-REVOKED revoked 2026-02"
    assert "sensitive" in skipped["content/gallery/rhino-profile-03/case.yml"]
    assert skipped["content/blog/private-note.md"] == "marked social: false"


def test_a_web_only_case_is_not_posted(exported):
    """It is only listed under "Not exported" on the contact sheet, with the reason."""
    folder, data = exported
    for path in folder.rglob("*.csv"):
        assert "botox-front-01" not in path.read_text(encoding="utf-8")
    assert all(p["id"] != "botox-front-01" for p in data["posts"])
    sheet = (folder / "contact-sheet.html").read_text(encoding="utf-8")
    assert sheet.count("botox-front-01") == 1 and "not in scope for social" in sheet


def test_social_only_case_links_to_its_treatment_not_to_an_unpublished_page(exported):
    _, data = exported
    post = next(p for p in data["posts"] if p["id"] == SOCIAL_ONLY_CASE and p["network"] == "facebook")
    assert urlsplit(post["link"]).path == "/procedures/botox/"
    assert post["campaign"].startswith("case-") and "botox" not in post["campaign"]
    assert "Individual results vary" in post["caption"]  # the disclaimer rides with every case
    assert post["images"][0]["alt"].startswith("Before and after.")


def test_front_matter_social_block_is_honoured(exported):
    _, data = exported
    mine = [p for p in data["posts"] if p["id"] == "winter-skin"]
    assert {p["network"] for p in mine} == {"instagram", "x"}
    assert {p["scheduled"] for p in mine} == {"2026-11-25T08:15:00-08:00"}
    x = next(p for p in mine if p["network"] == "x")
    assert (
        x["caption"].startswith("Winter skin, explained 🌨️ by our nurse injectors")
        and "#WinterSkin" in x["caption"]
    )
    assert x["counting"] == "weighted characters" and x["length"] <= 280


def test_schedule_is_spread_ten_minutes_apart_from_tomorrow(exported):
    _, data = exported
    for network in NETWORKS:
        times = sorted(
            dt.datetime.fromisoformat(p["scheduled"]) for p in data["posts"] if p["network"] == network
        )
        assert times and times[0].date() >= dt.date(2026, 11, 23)
        assert all(b - a >= dt.timedelta(minutes=10) for a, b in zip(times, times[1:], strict=False))
    special = next(p for p in data["posts"] if p["id"] == "botox-november" and p["network"] == "gbp")
    assert special["scheduled"] < "2026-11-30T23:59", "the special goes out while it is valid"
    assert special["gbp"]["type"] == "OFFER" and special["gbp"]["coupon_code"] == "NOV10"
    assert (
        next(p for p in data["posts"] if p["id"] == "open-house" and p["network"] == "gbp")["gbp"]["type"]
        == "EVENT"
    )


def test_every_image_has_the_exact_size_of_its_network_and_no_metadata(exported):
    folder, data = exported
    for post in data["posts"]:
        specs = NETWORKS[post["network"]].images
        assert [(i["width"], i["height"]) for i in post["images"]] == [s.size for s in specs]
        for image in post["images"]:
            path = folder / image["file"]
            with Image.open(path) as opened:
                assert opened.size == (image["width"], image["height"]) and opened.format == "JPEG"
            data_bytes = path.read_bytes()
            assert not any(marker in data_bytes for marker in FORBIDDEN_BYTES), path
            assert exif_tags(data_bytes) == {}, path  # an independent reader finds no EXIF/GPS either
            assert PATIENT not in path.name  # no original file name


def test_before_after_composites_carry_the_watermark_and_posts_do_not(site, exported, tmp_path):
    """WATERMARK_* marks gallery photos (by default): the case's composites change when the mark is
    turned off, a blog post's images do not."""
    folder, data = exported
    plain = site.export(tmp_path / "plain", WATERMARK_TEXT=None).folder
    plain_data = json.loads((plain / "posts.json").read_text())

    def files(posts, kind):
        return {
            (p["id"], p["network"]): p["images"][0]["file"]
            for p in posts
            if p["kind"] == kind and p["images"]
        }

    marked, unmarked = files(data["posts"], "case"), files(plain_data["posts"], "case")
    assert marked and marked.keys() == unmarked.keys()
    for key, name in marked.items():
        assert (folder / name).read_bytes() != (plain / unmarked[key]).read_bytes(), key
    posts, plain_posts = files(data["posts"], "post"), files(plain_data["posts"], "post")
    for key, name in posts.items():
        assert (folder / name).read_bytes() == (plain / plain_posts[key]).read_bytes(), key


def test_links_are_tracked_and_name_no_treatment(exported):
    _, data = exported
    for post in data["posts"]:
        query = parse_qs(urlsplit(post["link"]).query)
        assert query["utm_medium"] == ["social"] and query["utm_source"] == [
            NETWORKS[post["network"]].utm_source
        ]
        assert query["utm_campaign"] == [post["campaign"]]
        for word in ("botox", "hydrafacial", "rhinoplasty", "forehead", "wrinkles"):
            assert word not in post["campaign"]
        assert post["link"].startswith(SITEURL + "/")


def test_bulk_files_parse_with_the_csv_module(exported):
    folder, data = exported
    for network in NETWORKS:
        expected = sum(1 for p in data["posts"] if p["network"] == network)
        sprout = list(
            csv.DictReader(io.StringIO((folder / f"sprout/{network}.csv").read_text("utf-8"), newline=""))
        )
        assert list(sprout[0]) == ["date", "time_24hr", "message_text", "link", "image_url"]
        assert len(sprout) == expected
        if network == "gbp":
            continue
        hoot = list(
            csv.reader(io.StringIO((folder / f"hootsuite/{network}.csv").read_text("utf-8"), newline=""))
        )
        assert len(hoot) == expected


def test_each_clinic_has_its_own_google_business_profile_file(exported):
    """A Business Profile is one clinic: its Hootsuite file holds the posts about that clinic and those
    about the whole practice, never another clinic's offer."""
    folder, data = exported
    gbp = [p for p in data["posts"] if p["network"] == "gbp"]
    assert any(p["gbp"]["locations"] for p in gbp), "the fixture has an offer at one clinic"
    assert not (folder / "hootsuite/gbp.csv").exists()
    for clinic in ("north", "south"):
        rows = list(
            csv.reader(io.StringIO((folder / f"hootsuite/gbp-{clinic}.csv").read_text("utf-8"), newline=""))
        )
        expected = [p["caption"] for p in gbp if not p["gbp"]["locations"] or clinic in p["gbp"]["locations"]]
        assert [row[1] for row in rows] == expected
    assert "hootsuite/gbp-north.csv" in (folder / "contact-sheet.html").read_text("utf-8")


def test_specials_only_while_valid(site, tmp_path):
    site.export(tmp_path)
    december = json.loads((site.export(tmp_path, day="2026-12-05").folder / "posts.json").read_text())
    assert _items(december) == {"special/december-glow"}, "new since the last export, and now current"
    later = SocialSite(tmp_path / "later").copy_from(site)
    (later.content / "blog/winter-skin.md").unlink()  # its social.at would be in the past by then
    february = json.loads(
        (later.export(tmp_path / "feb", day="2027-02-01", select_all=True).folder / "posts.json").read_text()
    )
    assert february["posts"] and not any(i.startswith(("special/", "event/")) for i in _items(february))


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_two_exports_of_the_same_content_are_byte_identical(site, exported, tmp_path):
    """Each export in its own process (different hash seeds, a second apart): the same bytes."""
    from tests.support.determinism import differences, run_twice

    run_twice(
        "from tests.support.social import SocialSite\n"
        f"SocialSite({str(site.root)!r}).export({str(tmp_path)!r} + '/' + RUN)"
    )
    assert differences(_tree(tmp_path / "a" / "2026-11-22"), _tree(tmp_path / "b" / "2026-11-22")) == []
    assert _tree(tmp_path / "a" / "2026-11-22") == _tree(exported[0])
    rerun = site.export(exported[0].parent)  # the same day, the same folder: the same batch
    assert _tree(rerun.folder) == _tree(exported[0])


def test_next_export_holds_only_what_is_new(site, tmp_path):
    root = tmp_path / "social"
    first = site.export(root)
    copy = SocialSite(tmp_path / "copy").copy_from(site)
    copy.write(
        "blog/new-arrival.md",
        {**FILES["blog/botox-myths.md"], "title": "A new arrival", "date": "2026-11-23"},
    )
    second = copy.export(root, day="2026-11-23")
    assert _items(json.loads((second.folder / "posts.json").read_text())) == {"post/new-arrival"}
    assert first.folder.is_dir(), "the earlier batch stays until the coordinator deletes it"
    assert copy.export(root, day="2026-11-24").folder is None  # nothing new
    state = json.loads((root / "state.json").read_text())["exported"]
    assert state["post/new-arrival"] == "2026-11-23" and state["post/botox-myths"] == "2026-11-22"


def test_the_publish_guard_blocks_the_contact_sheet_copied_into_a_site(exported, tmp_path):
    site_tree = tmp_path / "output"
    (site_tree / "social").mkdir(parents=True)
    shutil.copy(exported[0] / "contact-sheet.html", site_tree / "social" / "index.html")
    findings = scan_output(site_tree)
    assert any(
        f.kind == "internal" and "artefact" in f.detail and f.path == "social/index.html" for f in findings
    )


def inv(*args):
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_inv_social_reports_and_skips_one_bad_item_and_exports_the_others(tmp_path):
    factory = SiteFactory(tmp_path / "site").write_all()
    ok = inv(
        "social",
        "--content",
        str(factory.content),
        "--as-of",
        "2026-11-22",
        "--folder",
        str(tmp_path / "out"),
    )
    assert ok.returncode == 0, ok.stderr
    assert (
        "open contact-sheet.html" in ok.stdout and (tmp_path / "out/2026-11-22/contact-sheet.html").is_file()
    )
    again = inv(
        "social",
        "--content",
        str(factory.content),
        "--as-of",
        "2026-11-22",
        "--folder",
        str(tmp_path / "out"),
    )
    assert again.returncode == 0 and "Nothing changed since the last export today" in again.stdout, (
        again.stdout
    )
    # The practice's own number (any other would stop the content check first): GBP refuses even that.
    factory.edit("blog/botox-myths.md", summary="Questions? Call (555) 555-0100 any time.")
    bad = inv(
        "social",
        "--content",
        str(factory.content),
        "--as-of",
        "2026-11-22",
        "--all",
        "--folder",
        str(tmp_path / "bad"),
    )
    assert bad.returncode == 0, bad.stderr
    assert (
        "Left out (fix it, and the next export includes it): content/blog/botox-myths.md:summary: "
        "'(555) 555-0100' is a phone number, and Google Business Profile rejects posts containing one"
    ) in bad.stderr
    assert "Traceback" not in bad.stderr
    data = json.loads((tmp_path / "bad/2026-11-22/posts.json").read_text())
    assert data["posts"] and all(p["id"] != "botox-myths" for p in data["posts"]), "the others are exported"
    assert any(
        s["source"] == "content/blog/botox-myths.md" and "phone number" in s["reason"]
        for s in data["skipped"]
    )
    state = json.loads((tmp_path / "bad/state.json").read_text())["exported"]
    assert "post/botox-myths" not in state, "once fixed, the next export includes it"


def test_a_long_case_title_is_shortened_on_x_and_the_export_goes_through(site, tmp_path):
    """A 44-character case title made the automatic X caption 282 weighted characters and stopped the
    whole export: the title is now cut to what the disclaimer, link and hashtag leave."""
    copy = SocialSite(tmp_path / "long").copy_from(site)
    case = copy.content / "gallery" / SOCIAL_ONLY_CASE / "case.yml"
    title = "Crow's feet softened after two gentle sessions"
    assert len(title) == 46
    case.write_text(case.read_text().replace("Softer lines, shared on social media only", title))
    result = copy.export(
        tmp_path / "out",
        select_all=True,
        SOCIAL_HASHTAGS=["#AuroraAesthetics"],
        GALLERY_DISCLAIMER=(
            "Individual results vary. These photos show real patients' results "
            "with the treatment named; they are not a promise of your result. A "
            "consultation with a provider is required."
        ),
    )
    data = json.loads((result.folder / "posts.json").read_text())
    x = next(p for p in data["posts"] if p["id"] == SOCIAL_ONLY_CASE and p["network"] == "x")
    assert x["shortened"] and x["length"] <= 280 and x["caption"].split("\n\n")[0].endswith("…")
    assert "Individual results vary" in x["caption"] and x["link"] in x["caption"]
    assert len({p["id"] for p in data["posts"]}) > 1 and not result.batch.problems


def test_the_site_publishes_every_image_a_sprout_row_points_at(site, exported, tmp_path):
    """Every image_url of every Sprout file is SITEURL/media/social/<file>, a file the build wrote into
    the site (so the deploy uploads it), byte for byte the export's image; robots.txt disallows the
    folder, the publish guard passes it, and a case whose consent excludes social has no image there."""
    folder, data = exported
    site.build(SITEURL=SITEURL, SEO_INDEXABLE=True)
    output = site.output
    urls, rows = {}, {}
    for path in folder.glob("sprout/*.csv"):
        for row in csv.DictReader(io.StringIO(path.read_text("utf-8"), newline="")):
            rows[path.stem] = rows.get(path.stem, 0) + bool(row["image_url"])
            if row["image_url"]:
                urls[row["image_url"]] = path.stem
    assert {"instagram", "x", "gbp"} <= set(urls.values())
    insta = sum(1 for p in data["posts"] if p["network"] == "instagram")
    assert rows["instagram"] == insta, "every Instagram row has its image"
    for url in urls:
        assert url.startswith(f"{SITEURL}/media/social/") and url.count("/media/social/") == 1
        rel = url.removeprefix(SITEURL + "/")
        assert (output / rel).read_bytes() == (folder / "images" / rel.rsplit("/", 1)[1]).read_bytes(), rel
    published = {p.name for p in (output / "media/social").iterdir()}
    assert published == {u.rsplit("/", 1)[1] for u in urls}, "nothing else: only what may be posted today"
    assert "Disallow: /media/social/" in (output / "robots.txt").read_text()
    assert not [
        f for f in scan_output(output) if f.path.startswith("media/social/") and f.kind != "personal-data"
    ]
    web_only = [p for p in data["posts"] if p["id"] == "botox-front-01"]
    assert not web_only


def test_a_second_export_on_the_same_day_writes_nothing(site, tmp_path):
    first = site.export(tmp_path)
    before = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in tmp_path.rglob("*") if p.is_file()}
    second = site.export(tmp_path)
    assert second.folder == first.folder and not second.changed and first.changed
    after = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before, "no file rewritten, none added or removed"


def test_the_build_exports_when_social_export_is_on(tmp_path):
    factory = SiteFactory(tmp_path).write_all()
    factory.build(SOCIAL_EXPORT=True, SOCIAL_SITEURL=SITEURL, SOCIAL_EXPORT_PATH=str(tmp_path / "social"))
    assert (tmp_path / "social/2026-11-22/contact-sheet.html").is_file()
    assert not list((tmp_path / "output").rglob("contact-sheet.html")), "never inside the site"

"""Bulk files as the platforms read them: exact headers, csv-module parseable, <= 350 rows a file, JSON of all."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from pipeline.social.config import SocialConfig
from pipeline.social.export import batch_files, plan_export
from tests.pipeline.social.conftest import TZ, at, item

CONFIG = SocialConfig(site_url="https://www.test-aesthetics.example")


def _batch(items, config=CONFIG):
    now = at(1, 8)
    return plan_export(items, config=config, day=now.date(), now=now, tz=TZ, timezone="America/Los_Angeles")


def _rows(data: bytes):
    text = data.decode("utf-8")
    assert not text.startswith("\ufeff"), "no byte-order mark: it would rename the 'date' header"
    return list(csv.reader(io.StringIO(text, newline="")))


def test_sprout_headers_are_exact_and_every_row_parses():
    items = [
        item(id="emoji", title="Glow 🌟 season", summary='Line one.\nLine two, with "quotes", commas.'),
        item(id="plain", kind="special", deadline=at(20, 23, 59)),
    ]
    files = batch_files(_batch(items), CONFIG)
    assert {n for n in files if n.endswith(".csv")} == {
        f"{tool}/{n}.csv"
        for tool in ("sprout", "hootsuite")
        for n in ("instagram", "facebook", "x", "linkedin", "gbp")
    }
    for network in ("instagram", "facebook", "x", "linkedin", "gbp"):
        reader = csv.DictReader(io.StringIO(files[f"sprout/{network}.csv"].decode("utf-8"), newline=""))
        assert reader.fieldnames == [
            "date",
            "time_24hr",
            "message_text",
            "link",
            "image_url",
        ]  # case-sensitive
        rows = list(reader)
        assert len(rows) == 2
        for row in rows:
            dt.datetime.strptime(f"{row['date']} {row['time_24hr']}", "%m/%d/%Y %H:%M")
        messages = {json.loads(files["posts.json"])["posts"][i]["caption"] for i in range(10)}
        assert all(row["message_text"] in messages for row in rows), (
            "captions survive quoting, new lines and emoji"
        )
    assert any(
        "🌟" in row["message_text"] for row in csv.DictReader(io.StringIO(files["sprout/x.csv"].decode()))
    )
    links = [row["link"] for row in csv.DictReader(io.StringIO(files["sprout/facebook.csv"].decode()))]
    assert all("utm_source=facebook&utm_medium=social" in link for link in links)


def test_hootsuite_has_date_time_message_link_and_no_header_row():
    files = batch_files(_batch([item(id="a"), item(id="b")]), CONFIG)
    for network in ("facebook", "x"):
        rows = _rows(files[f"hootsuite/{network}.csv"])
        assert len(rows) == 2 and all(len(row) == 3 for row in rows)
        for when, message, _link in rows:
            moment = dt.datetime.strptime(when, "%m/%d/%Y %H:%M")
            assert moment.minute % 5 == 0
            assert message.startswith("Five myths about Botox")
        assert rows[0][2].startswith("https://") if network == "facebook" else rows[0][2] == ""


def test_day_first_dates_when_the_import_is_set_that_way():
    config = SocialConfig(site_url="https://www.test-aesthetics.example", date_format="dd/mm/yyyy")
    files = batch_files(_batch([item()], config), config)
    row = next(csv.DictReader(io.StringIO(files["sprout/x.csv"].decode())))
    assert row["date"] == "02/12/2026"  # 2 December


def test_more_than_350_rows_are_split_into_numbered_files():
    items = [item(id=f"post-{i:03d}", networks=("x",)) for i in range(351)]
    files = batch_files(_batch(items), CONFIG)
    assert sorted(n for n in files if n.startswith("sprout/")) == [
        "sprout/x-1-of-2.csv",
        "sprout/x-2-of-2.csv",
    ]
    assert sorted(n for n in files if n.startswith("hootsuite/")) == [
        "hootsuite/x-1-of-2.csv",
        "hootsuite/x-2-of-2.csv",
    ]
    assert [len(_rows(files[f"sprout/x-{i}-of-2.csv"])) - 1 for i in (1, 2)] == [350, 1]
    assert [len(_rows(files[f"hootsuite/x-{i}-of-2.csv"])) for i in (1, 2)] == [350, 1]
    times = [
        dt.datetime.strptime(r[0], "%m/%d/%Y %H:%M")
        for i in (1, 2)
        for r in _rows(files[f"hootsuite/x-{i}-of-2.csv"])
    ]
    assert times == sorted(times) and all(
        b - a >= dt.timedelta(minutes=10) for a, b in zip(times, times[1:], strict=False)
    )


def test_json_has_everything_and_maps_campaigns_to_content():
    data = json.loads(batch_files(_batch([item()]), CONFIG)["posts.json"])
    assert data["export"]["day"] == "2026-12-01" and len(data["posts"]) == 5
    post = data["posts"][0]
    assert set(post) >= {
        "network",
        "scheduled",
        "caption",
        "link",
        "campaign",
        "images",
        "length",
        "limit",
        "source",
    }
    assert data["campaigns"] == {
        "post-20260314-27f564": {
            "source": "content/blog/botox-myths.md",
            "kind": "post",
            "title": "Five myths about Botox",
        }
    }
    gbp = next(p for p in data["posts"] if p["network"] == "gbp")
    assert gbp["gbp"]["type"] == "STANDARD"


def test_same_input_same_bytes():
    items = [item(id=f"p{i}") for i in range(3)]
    assert batch_files(_batch(items), CONFIG) == batch_files(_batch(list(reversed(items))), CONFIG)


def test_image_url_is_the_published_image_with_the_folder_once(photo):
    """image_url is <SITEURL>/media/social/<file> by default; SOCIAL_IMAGE_BASE_URL names the folder the
    files are in, and the file name is added to it once (never .../images/images/<file>)."""
    batch = _batch([item(photo=photo)])
    for config, base in (
        (CONFIG, "https://www.test-aesthetics.example/media/social/"),
        (
            SocialConfig(site_url=CONFIG.site_url, image_base_url="https://cdn.example/images/"),
            "https://cdn.example/images/",
        ),
    ):
        files = batch_files(batch, config)
        posts = {p["network"]: p for p in json.loads(files["posts.json"])["posts"]}
        for network in ("instagram", "x", "gbp"):
            (row,) = csv.DictReader(io.StringIO(files[f"sprout/{network}.csv"].decode(), newline=""))
            file = posts[network]["images"][0]["file"].removeprefix("images/")
            assert row["image_url"] == posts[network]["image_url"] == base + file
            assert f"images/{file}" in files and row["image_url"].count("images/") <= 1
        for network in ("facebook", "linkedin"):  # a link preview: its card carries the page's image
            (row,) = csv.DictReader(io.StringIO(files[f"sprout/{network}.csv"].decode(), newline=""))
            assert row["image_url"] == "" and row["link"].startswith("https://")


def test_hootsuite_link_preview_rows_carry_the_link_once():
    files = batch_files(_batch([item(id="a")]), CONFIG)
    for network in ("facebook", "linkedin"):
        ((_, message, link),) = _rows(files[f"hootsuite/{network}.csv"])
        assert link.startswith("https://") and "http" not in message


def test_one_item_breaking_a_rule_is_left_out_and_the_others_are_exported():
    good, bad = item(id="good"), item(id="bad", path="content/blog/bad.md", caption={"x": "word " * 80})
    batch = _batch([good, bad])
    assert {p.item.id for p in batch.posts} == {"good"}
    assert [p.path for p in batch.problems] == ["content/blog/bad.md"]
    (reason,) = [why for path, why in batch.skipped if path == "content/blog/bad.md"]
    assert reason.startswith("not exported: social.caption.x: the X caption is") and "for your text" in reason
    assert "post/bad" not in batch.exported and "post/good" in batch.exported, (
        "fixed, it comes back next time"
    )
    assert "not exported: social.caption.x" in batch_files(batch, CONFIG)["contact-sheet.html"].decode()

"""The November report of the known-answer practice (conftest.py), end to end through real files."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from decimal import Decimal

import pytest
from PIL import Image

from pipeline import publish_guard
from pipeline.inquiry.export import export_inquiries
from pipeline.inquiry.store import LocalStore, encode_record, record_key
from pipeline.reports import render
from pipeline.reports.errors import ReportError
from pipeline.reports.run import report_from_settings
from tests.pipeline.reports.conftest import GCLID, WEB

LATER = __import__("datetime").date(2027, 1, 15)  # "today" for reports of periods after the real clock


def rows_of(report, key):
    return {
        r.value: (r.now.inquiries, r.now.booked, r.now.treated, r.now.revenue) for r in report.tables[key]
    }


def test_totals_and_dedupe(november):
    _, report = november
    assert (report.now.inquiries, report.now.booked, report.now.treated) == (8, 4, 2)
    assert report.now.revenue == Decimal("1550.00")
    assert report.duplicates == 2  # Ann wrote twice and walked in once
    assert report.origins == {"front-desk": 3, "web": 5}
    assert report.unmatched_treated == 2  # Zed (no inquiry) and Eve (treated in June, asked in October)
    assert (report.before.inquiries, report.before.treated) == (1, 0)  # October: Eve, 31 Oct 23:30 PDT


def test_counts_per_channel_and_source(november):
    _, report = november
    channels = rows_of(report, "channel")
    assert {k: v[0] for k, v in channels.items() if v[0]} == {
        "Referral partner": 2,
        "Paid search": 1,
        "Paid social": 1,
        "Organic search": 1,
        "Phone call": 2,
        "Doctor referral": 1,
    }
    assert channels["Paid search"] == (1, 1, 1, Decimal("1200.00"))
    assert channels["Paid social"] == (1, 1, 1, Decimal("350.00"))
    assert (
        channels["Direct"][0] == 0
        and [r for r in report.tables["channel"] if r.value == "Direct"][0].before.inquiries == 1
    )
    sources = rows_of(report, "source")
    assert sources["google"][:3] == (3, 2, 1)  # the ad, the organic search and Gus's call
    assert rows_of(report, "campaign")["nov10"] == (1, 1, 1, Decimal("1200.00"))
    assert rows_of(report, "landing-page")["/procedures/botox/"][0] == 1  # query string dropped


def test_counts_per_partner_procedure_and_special(november):
    _, report = november
    partners = rows_of(report, "partner")
    assert partners == {
        "Elm Row Dermatology": (2, 2, 1, Decimal("350.00")),
        "Oak Row Pilates": (1, 0, 0, Decimal("0.00")),
        "Unknown code 'oak-pilate'": (1, 0, 0, Decimal("0.00")),
    }
    board = [(r.name, r.now.inquiries, r.now.treated) for r in report.leaderboard]
    assert board[0] == ("Elm Row Dermatology", 2, 1)
    assert ("Quiet Hour Yoga", 0, 0) in board  # active, no referrals yet: still on the board
    assert "Old Mill Chiropractic" not in [b[0] for b in board]  # ended, nothing this period
    procedures = rows_of(report, "procedure")
    assert procedures["Botox"][:3] == (2, 2, 1) and procedures["HydraFacial"][:3] == (2, 1, 1)
    specials = rows_of(report, "special")
    assert specials["November Botox special"] == (1, 1, 1, Decimal("1200.00"))  # campaign nov10 = promo NOV10


def test_files_written(november):
    folder, _ = november
    names = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert {
        "report.html",
        "report.pdf",
        render.ADS_FILE,
        "tables/summary.csv",
        "tables/by-channel.csv",
        "tables/by-partner.csv",
        "tables/partner-leaderboard.csv",
        "charts/funnel.svg",
        "charts/funnel.png",
        "charts/over-time.png",
        "charts/partners.svg",
    } <= names
    assert render.LEAD_LIST_FILE not in names  # only when asked for
    assert (folder / "report.pdf").read_bytes().startswith(b"%PDF-")
    table = list(csv.reader(io.StringIO((folder / "tables" / "by-channel.csv").read_text())))
    assert table[0][:4] == ["Channel", "Inquiries", "Booked", "Treated"]
    assert table[[r[0] for r in table].index("Paid search")][:6] == [
        "Paid search",
        "1",
        "1",
        "1",
        "100.0",
        "1200.00",
    ]


def test_google_ads_file_exactly(november):
    folder, _ = november
    lines = (folder / render.ADS_FILE).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Parameters:TimeZone=America/Los_Angeles"
    assert lines[1] == "Google Click ID,Conversion Name,Conversion Time,Conversion Value,Conversion Currency"
    assert lines[2:] == [
        f"{GCLID},Inquiry,2026-11-03 09:00:00,,",
        f"{GCLID},Booked consultation,2026-11-08 15:00:00,,",
        f"{GCLID},Treated patient,2026-11-08 15:00:00,1200.00,USD",
    ]


def test_reports_hold_no_personal_data(november):
    folder, _ = november
    people = [r["email"].lower() for r in WEB] + [
        "Ann Lee",
        "Gus Hart",
        "Hana",
        "2135550101",
        "555-0102",
        "Zed Quill",
        "zed@mail.example",
    ]
    for path in folder.rglob("*"):
        if path.suffix in (".csv", ".html", ".svg"):
            text = path.read_text(encoding="utf-8").lower()
            found = [p for p in people if p.lower() in text]
            assert not found, f"{path.name} names {found}"
    # The PDF too: its text as a reader's copy-paste gets it (pypdf), and its metadata.
    from pypdf import PdfReader

    reader = PdfReader(folder / "report.pdf")
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    assert len(reader.pages) >= 1 and "inquiries" in text.lower(), "the PDF's text was read"
    text += " " + " ".join(str(v) for v in (reader.metadata or {}).values())
    flat = " ".join(text.split()).lower()
    found = [p for p in people if p.lower() in flat or p.lower().replace(" ", "") in flat.replace(" ", "")]
    assert not found, f"report.pdf names {found}"
    ads = (folder / render.ADS_FILE).read_text()
    assert "@" not in ads and not re.search(r"\d{3}\D?\d{3}\D?\d{4}", ads.replace("2026-11-0", ""))


def test_charts_are_real_images_with_data(november):
    folder, _ = november
    for name in ("funnel", "over-time", "by-source", "partners"):
        with Image.open(folder / "charts" / f"{name}.png") as im:
            im.load()
            assert im.width > 600 and im.height > 300
            colours = im.convert("RGB").getcolors(maxcolors=1 << 20)
        assert len(colours) > 20, f"{name}.png looks blank"
        teal = sum(count for count, rgb in colours if rgb == (0x1D, 0x4F, 0x4E))
        assert teal > 500, f"{name}.png has no data bars"
        svg = (folder / "charts" / f"{name}.svg").read_text()
        assert svg.count("<path") > 20 and "<dc:date>" not in svg and "Matplotlib v" not in svg


def test_html_is_internal_and_the_guard_blocks_a_copy(november, tmp_path):
    folder, _ = november
    html = (folder / "report.html").read_text()
    assert '<meta name="artefact" content="internal">' in html
    assert 'src="charts/over-time.svg"' in html and "1,200" in html
    site = tmp_path / "output"
    (site / "about").mkdir(parents=True)
    (site / "about" / "index.html").write_text("<!doctype html><title>About</title><p>Hello</p>")
    assert publish_guard.scan_output(site) == []
    shutil.copy(folder / "report.html", site / "monthly.html")  # someone drops the report into the site
    shutil.copytree(folder, site / "reports")
    findings = publish_guard.scan_output(site)
    internal = {f.path for f in findings if f.kind == "internal"}
    assert "monthly.html" in internal and "reports/report.html" in internal
    with pytest.raises(publish_guard.PublishGuardError):
        publish_guard.check_output(site)


def test_same_inputs_same_bytes(scenario, november, tmp_path):
    """Two reports, each in its own process (different hash seeds, a second apart), and the one this
    process made: the same bytes (the PDF and chart files carry no time stamp)."""
    from tests.support.determinism import differences, run_twice, tree

    root, settings = scenario
    folder, _ = november
    run_twice(
        "from pipeline.reports.run import report_from_settings\n"
        f"report_from_settings({{**{settings!r}, 'INTERNAL_PATH': {str(tmp_path)!r} + '/' + RUN}}, 'month', "
        f"'2026-11-30', __import__('pathlib').Path({str(root)!r}))"
    )
    (a,) = [p for p in (tmp_path / "a").rglob("report.pdf")]
    (b,) = [p for p in (tmp_path / "b").rglob("report.pdf")]
    assert differences(tree(a.parent), tree(b.parent)) == []
    assert differences(tree(a.parent), tree(folder)) == []


def test_lead_list_only_when_asked(scenario, tmp_path):
    root, settings = scenario
    folder, report = report_from_settings(
        {**settings, "INTERNAL_PATH": str(tmp_path), "REPORT_LEAD_LIST": True}, "month", "2026-11-30", root
    )
    rows = list(csv.DictReader(io.StringIO((folder / render.LEAD_LIST_FILE).read_text())))
    assert len(rows) == 8
    ann = next(r for r in rows if r["name"] == "Ann Lee")
    assert (ann["email"], ann["phone"], ann["inquiries"], ann["treated"]) == (
        "ann.lee@mail.example",
        "+12135550101",
        "3",
        "yes",
    )


def test_inquiries_from_the_store_and_its_csv_export(scenario, tmp_path):
    """The receiver's local store and `inv inquiries --format csv` give the same report as the JSONL."""
    import datetime as dt

    root, settings = scenario
    store = LocalStore(tmp_path / "store")
    for record in WEB:
        at = dt.datetime.fromisoformat(record["received_at"].replace("Z", "+00:00"))
        store.put(record_key("inquiries", record["id"], at), encode_record(record))
    (tmp_path / "export.csv").write_text(export_inquiries(store, None, "csv"), encoding="utf-8")
    results = []
    for source in (str(tmp_path / "store"), str(tmp_path / "export.csv")):
        changed = {
            **settings,
            "INTERNAL_PATH": str(tmp_path / f"out{len(results)}"),
            "REPORT_SOURCES": {**settings["REPORT_SOURCES"], "inquiries": [source]},
        }
        _, report = report_from_settings(changed, "month", "2026-11-30", root)
        results.append(
            (
                report.now.inquiries,
                report.now.treated,
                report.now.revenue,
                rows_of(report, "channel"),
                rows_of(report, "partner"),
                [a.gclid for a in report.ads],
            )
        )
    assert results[0] == results[1]
    assert results[0][:3] == (8, 2, Decimal("1550.00"))


def test_week_report_of_the_dst_change(scenario, tmp_path):
    """Week of Mon 26 Oct - Sun 1 Nov: DST ended on 1 Nov; Eve (31 Oct 23:30 PDT) is in it."""
    root, settings = scenario
    _, report = report_from_settings({**settings, "INTERNAL_PATH": str(tmp_path)}, "week", "2026-11-01", root)
    assert (report.period.start.isoformat(), report.period.end.isoformat()) == ("2026-10-26", "2026-11-01")
    assert report.now.inquiries == 1
    _, report = report_from_settings(
        {**settings, "INTERNAL_PATH": str(tmp_path)}, "week", "2026-12-06", root, today=LATER
    )
    assert report.now.inquiries == 2  # Mon 30 Nov: Ivy, and Dee (1 Dec 07:30 UTC is 30 Nov 23:30 PST)
    _, report = report_from_settings(
        {**settings, "INTERNAL_PATH": str(tmp_path)}, "month", "2026-12-31", root, today=LATER
    )
    assert report.now.inquiries == 0 and report.before.inquiries == 8


def test_quarter_report_groups_weeks(scenario, tmp_path):
    root, settings = scenario
    folder, report = report_from_settings(
        {**settings, "INTERNAL_PATH": str(tmp_path)}, "quarter", "2026-12-31", root, today=LATER
    )
    labels, series = report.over_time
    assert len(labels) == 14 and labels[0] == "Oct 1–7"
    assert sum(sum(v) for v in series.values()) == report.now.inquiries == 9  # Eve is in Q4 too
    assert folder.name == "quarter-2026-10-01"


def test_a_missing_column_names_the_file_and_column(scenario, tmp_path):
    root, settings = scenario
    broken = tmp_path / "emr"
    broken.mkdir()
    text = (root / "emr" / "boulevard-appointments.csv").read_text(encoding="utf-8-sig")
    (broken / "appointments.csv").write_text(text.replace("Appointment State", "Stage"), encoding="utf-8")
    changed = {
        **settings,
        "INTERNAL_PATH": str(tmp_path / "internal"),
        "REPORT_SOURCES": {**settings["REPORT_SOURCES"], "emr": [str(broken / "*.csv")]},
    }
    with pytest.raises(ReportError) as caught:
        report_from_settings(changed, "month", "2026-11-30", root)
    message = str(caught.value)
    assert str(broken / "appointments.csv") in message and "'Appointment State'" in message
    assert not (tmp_path / "internal").exists()  # nothing half-written


def test_the_task_exits_cleanly_on_a_missing_column(scenario, tmp_path, monkeypatch, capsys):
    """`inv report` with a broken export: exit code 1, the message, no traceback, nothing written."""
    from invoke import Collection, Program

    import tasks

    root, settings = scenario
    bad = tmp_path / "front-desk.csv"
    bad.write_text("day,phone\n2026-11-03,(213) 555-0102\n", encoding="utf-8")
    changed = {
        **settings,
        "INTERNAL_PATH": str(tmp_path / "internal"),
        "REPORT_SOURCES": {**settings["REPORT_SOURCES"], "front_desk": [str(bad)]},
    }
    monkeypatch.setattr(tasks.runner, "load_settings", lambda *a, **k: dict(changed))
    program = Program(namespace=Collection.from_module(tasks), name="inv")
    with pytest.raises(SystemExit) as exited:
        program.run(["inv", "report", "--period", "month", "--as-of", "2026-11-30"])
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert f"{bad}: column 'channel' is missing" in err and "Traceback" not in err
    assert not (tmp_path / "internal").exists()

    absolute = {
        kind: [str(root / spec) for spec in specs] for kind, specs in settings["REPORT_SOURCES"].items()
    }
    fine = dict(
        settings, INTERNAL_PATH=str(tmp_path / "ok"), REPORT_SOURCES=absolute
    )  # the task runs from the repo
    monkeypatch.setattr(tasks.runner, "load_settings", lambda *a, **k: fine)
    program.run(["inv", "report", "--period", "month", "--as-of", "2026-11-30"])  # success: no SystemExit
    out = capsys.readouterr().out
    assert "Inquiries 8" in out and "month-2026-11-01" in out


def test_front_desk_problems_are_listed_with_lines(scenario, tmp_path):
    root, settings = scenario
    bad = tmp_path / "desk.csv"
    bad.write_text(
        "date,channel,partner\n2026-11-03,phone,\n31/31/2026,phone,\n2026-11-04,fax,\n"
        "2026-11-05,partner-referral,oak-pilats\n",
        encoding="utf-8",
    )
    changed = {
        **settings,
        "INTERNAL_PATH": str(tmp_path / "internal"),
        "REPORT_SOURCES": {**settings["REPORT_SOURCES"], "front_desk": [str(bad)]},
    }
    with pytest.raises(ReportError) as caught:
        report_from_settings(changed, "month", "2026-11-30", root)
    message = str(caught.value)
    assert "3 problem(s)" in message
    assert f"{bad} line 3, column 'date': '31/31/2026' is not a date" in message
    assert f"{bad} line 4, column 'channel': 'fax' is not a channel" in message
    assert (
        "line 5, column 'partner': 'oak-pilats' is not a partner code" in message and "oak-pilates" in message
    )


def test_unknown_setting_is_named(scenario):
    root, settings = scenario
    with pytest.raises(
        ReportError, match=re.escape("REPORT_MATCH_WINDOW (did you mean REPORT_MATCH_WINDOW_DAYS?)")
    ):
        report_from_settings({**settings, "REPORT_MATCH_WINDOW": 30}, "month", "2026-11-30", root)


def test_match_window(scenario, tmp_path):
    """With a 3-day window, Ann's visit on 8 Nov is 5 days after her ad click but 1 day after her walk-in."""
    root, settings = scenario
    _, report = report_from_settings(
        {**settings, "INTERNAL_PATH": str(tmp_path), "REPORT_MATCH_WINDOW_DAYS": 3},
        "month",
        "2026-11-30",
        root,
    )
    # Gus (called 4 Nov, visit 15 Nov), Cara (12 Nov, 25 Nov) and Hana (6 Nov, booked 20 Nov) fall outside.
    assert (report.now.booked, report.now.treated, report.now.revenue) == (1, 1, Decimal("1200.00"))
    # The click (on W1 and, as first touch, W2) is credited with the visit through the walk-in 2 days after W2.
    assert sorted(a.name for a in report.ads) == ["Booked consultation", "Inquiry", "Treated patient"]
    _, report = report_from_settings(
        {**settings, "INTERNAL_PATH": str(tmp_path), "REPORT_MATCH_WINDOW_DAYS": 1},
        "month",
        "2026-11-30",
        root,
    )
    assert (report.now.booked, report.now.treated) == (0, 0)
    assert json.dumps([a.name for a in report.ads]) == json.dumps(["Inquiry"])


@pytest.mark.s3
def test_inquiries_from_an_s3_store(scenario, moto_s3, tmp_path):
    """REPORT_SOURCES can name the receiver's private bucket: records are read over real S3 HTTP."""
    import datetime as dt

    from pipeline.inquiry import open_store

    root, settings = scenario
    bucket = moto_s3.new_bucket("reports")
    client = moto_s3.client()
    store = open_store(f"s3://{bucket}/site", root, s3_client=client, sse="AES256")
    for record in WEB:
        at = dt.datetime.fromisoformat(record["received_at"].replace("Z", "+00:00"))
        store.put(record_key("inquiries", record["id"], at), encode_record(record))
    changed = {
        **settings,
        "INTERNAL_PATH": str(tmp_path),
        "REPORT_SOURCES": {**settings["REPORT_SOURCES"], "inquiries": [f"s3://{bucket}/site"]},
    }
    _, report = report_from_settings(
        changed,
        "month",
        "2026-11-30",
        root,
        open_store=lambda spec, where: open_store(spec, where, s3_client=client),
    )
    assert (report.now.inquiries, report.now.treated, report.now.revenue) == (8, 2, Decimal("1550.00"))
    assert [a.gclid for a in report.ads] == [GCLID] * 3


def test_ios_clicks_go_to_a_file_with_the_google_ads_api_field_names():
    """A click that carries only a GBRAID or WBRAID (iOS) cannot go in the file upload's GCLID column;
    its conversions are written with the Google Ads API's ClickConversion field names, one click id
    per row (the API refuses gbraid and wbraid together, or either with a gclid)."""
    import csv
    import io

    from pipeline.reports import analysis, ingest, render
    from tests.pipeline.reports.conftest import _touch, web

    ios = ingest.lead_from_record(
        web(
            "i1",
            "2026-11-06T18:00:00Z",
            _touch(
                utm_source="google",
                utm_medium="cpc",
                wbraid="Wb_ios-0000000001",
                gbraid="Gb_ios-0000000002",
                landing_page="/",
            ),
        )
    )
    web_only = ingest.lead_from_record(
        web(
            "i2",
            "2026-11-07T18:00:00Z",
            _touch(utm_source="google", utm_medium="cpc", wbraid="Wb_ios-0000000003", landing_page="/"),
        )
    )
    both = ingest.lead_from_record(
        web(
            "i3",
            "2026-11-08T18:00:00Z",
            _touch(gclid="AbC_123-xyzXYZ0009", wbraid="Wb_ios-0000000004", landing_page="/"),
        )
    )
    assert (ios.gclid, ios.gbraid, ios.wbraid) == (None, "Gb_ios-0000000002", None)
    assert (web_only.gbraid, web_only.wbraid) == (None, "Wb_ios-0000000003")
    assert (both.gclid, both.gbraid, both.wbraid) == ("AbC_123-xyzXYZ0009", None, None)
    rows = [
        analysis.AdsConversion(
            "2026-11-06 10:00:00", ios.gbraid, "Inquiry", kind="gbraid", zoned="2026-11-06 10:00:00-08:00"
        ),
        analysis.AdsConversion(
            "2026-11-07 10:00:00",
            web_only.wbraid,
            "Inquiry",
            kind="wbraid",
            zoned="2026-11-07 10:00:00-08:00",
        ),
        analysis.AdsConversion(
            "2026-11-08 10:00:00", both.gclid, "Inquiry", zoned="2026-11-08 10:00:00-08:00"
        ),
    ]

    class Stub:  # only what the two writers read
        ads = rows
        options = type("Options", (), {"tz_name": "America/Los_Angeles"})()

    gclid_file = render.ads_csv(Stub).decode()
    assert "AbC_123-xyzXYZ0009" in gclid_file and "ios" not in gclid_file
    table = list(csv.DictReader(io.StringIO(render.ads_ios_csv(Stub).decode(), newline="")))
    assert list(table[0]) == [
        "gbraid",
        "wbraid",
        "conversion_action",
        "conversion_date_time",
        "conversion_value",
        "currency_code",
    ]
    assert [(r["gbraid"], r["wbraid"]) for r in table] == [
        ("Gb_ios-0000000002", ""),
        ("", "Wb_ios-0000000003"),
    ]
    for row in table:
        assert bool(row["gbraid"]) != bool(row["wbraid"])  # GBRAID_WBRAID_BOTH_SET otherwise
        # ClickConversion.conversion_date_time: "yyyy-mm-dd hh:mm:ss+|-hh:mm".
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d\d:\d\d", row["conversion_date_time"])
    assert render.ads_ios_csv(type("S", (), {"ads": rows[2:]})) is None

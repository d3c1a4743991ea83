"""Speed to lead (business time, from the inbox's events), the funnel joining the inbox's statuses
with the practice software's, and conversion compared like with like (cohorts of the same age)."""

from __future__ import annotations

import csv
import datetime as dt
import io

from pipeline.inbox import journal
from pipeline.inquiry.store import LocalStore, encode_record, record_key
from pipeline.reports.analysis import Counted, Outcome
from pipeline.reports.records import Lead
from pipeline.reports.run import report_from_settings
from pipeline.reports.speed import like_with_like
from tests.pipeline.reports.conftest import WEB

UTC = dt.UTC


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def contact(store, key, when: str, reached: bool = True, **extra) -> None:
    event = {"type": "contact", "channel": "phone", "reached": reached, "by": "sam", "at": when}
    journal.append(store, key, event)
    if extra:
        journal.append(store, key, {"by": "sam", "at": when, **extra})


def table(folder, key) -> list[dict]:
    return list(
        csv.DictReader(io.StringIO((folder / "tables" / f"{key}.csv").read_text(encoding="utf-8-sig")))
    )


def test_speed_funnel_and_cohorts_from_the_store_and_the_exports(scenario, tmp_path):
    root, settings = scenario
    store = LocalStore(tmp_path / "store")
    keys = {}
    for record in WEB:
        keys[record["id"]] = record_key("inquiries", record["id"], at(record["received_at"]))
        store.put(keys[record["id"]], encode_record(record))
    # The clinics (SiteFactory): north Monday 9-17 and Saturday 10-14, south Tuesday 8-16 (Los Angeles).
    contact(store, keys["w1"], "2026-11-03T17:03:00Z")  # Tue 9:00 -> 9:03: 3 business minutes
    # Tue 12:00 -> 14:30: 150 minutes, and marked booked in the inbox (the software says cancelled).
    contact(store, keys["w3"], "2026-11-10T22:30:00Z", type="status", status="booked")
    # Thu 11:00 (no clinic open Thu-Fri) -> Sat 10:20: 20 business minutes although two days later.
    contact(store, keys["w4"], "2026-11-14T18:20:00Z", reached=False)
    changed = {
        **settings,
        "INTERNAL_PATH": str(tmp_path / "out"),
        "REPORT_SOURCES": {**settings["REPORT_SOURCES"], "inquiries": [str(tmp_path / "store")]},
    }
    folder, report = report_from_settings(changed, "month", "2026-11-30", root)

    total, _ = report.speed["channel"]
    # Web people in November: Ann (w1), Ben (w3), Cara (w4), Dee (w5), Fay (w7); two never answered.
    assert (total.inquiries, total.answered) == (5, 3)
    assert total.median_minutes == 150  # 3, 20, 150, never, never
    assert total.within == (0.2, 0.4, 0.6)
    [row] = [r for r in table(folder, "speed-by-channel") if r["Channel"] == "All website inquiries"]
    assert row["Median business minutes to first contact"] == "150.0"
    assert (row["Within 5 minutes (%)"], row["Within 1 hour (%)"], row["Within 1 business day (%)"]) == (
        "20.0",
        "40.0",
        "60.0",
    )
    assert {r["Clinic"] for r in table(folder, "speed-by-location")} == {
        "All website inquiries",
        "(not stated)",
    }

    # The funnel: Ben's booking comes from the inbox; the front desk's people were contacted as they called.
    f = report.funnel
    assert (f.inquiries, f.contacted, f.booked, f.treated) == (8, 6, 5, 2)
    assert [r["People"] for r in table(folder, "funnel")] == ["8", "6", "5", "2"]

    # November's inquiries are all younger than 30 days on 30 November: nothing compared yet, and said so.
    [this, previous] = table(folder, "like-with-like")
    assert (this["Inquiries"], this["At least 30 days old"], this["Conversion rate (%)"]) == ("8", "0", "")
    assert this["Figures"] == "maturing (8 younger left out)"
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "Speed to lead" in html and "maturing (8 younger left out)" in html
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(folder / "report.pdf").pages)
    assert "Like with like" in text and "maturing" in text


def counted(received: dt.datetime, treated: dt.datetime | None = None, inbox_treated=None) -> Counted:
    lead = Lead(id="x", at=received, origin="web", channel="Paid search", inbox_treated_at=inbox_treated)
    outcome = Outcome(booked_at=treated, treated_at=treated)
    return Counted(lead, "p", 1, outcome, "Botox", None, None)


def test_like_with_like_counts_only_old_enough_inquiries_and_what_they_became_in_time():
    end = dt.datetime(2026, 12, 1, tzinfo=UTC)
    old = dt.datetime(2026, 10, 1, tzinfo=UTC)
    group = [
        counted(old, old + dt.timedelta(days=10)),  # treated in time
        counted(old, old + dt.timedelta(days=45)),  # treated, but too late to count
        counted(old, inbox_treated=old + dt.timedelta(days=29)),  # the inbox says treated in time
        counted(old),
        counted(dt.datetime(2026, 11, 20, tzinfo=UTC), dt.datetime(2026, 11, 21, tzinfo=UTC)),  # too young
    ]
    cohort = like_with_like("This period", group, end, 30)
    assert (cohort.inquiries, cohort.mature, cohort.treated, cohort.booked) == (5, 4, 2, 2)
    assert cohort.conversion_rate == 0.5 and cohort.maturing
    assert not like_with_like("Older", group[:4], end, 30).maturing

"""Weeks, months and quarters in the practice's time zone, across daylight-saving changes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from pipeline.reports.errors import ReportError
from pipeline.reports.periods import end_instant, local_day, period_containing, report_period

D = dt.date
UTC = dt.UTC


@pytest.mark.parametrize(
    "kind, day, start, end",
    [
        ("week", D(2026, 11, 1), D(2026, 10, 26), D(2026, 11, 1)),  # Sunday: the week began Monday
        ("week", D(2026, 11, 2), D(2026, 11, 2), D(2026, 11, 8)),
        ("week", D(2026, 12, 31), D(2026, 12, 28), D(2027, 1, 3)),  # a week across the new year
        ("month", D(2028, 2, 10), D(2028, 2, 1), D(2028, 2, 29)),  # leap year
        ("month", D(2026, 12, 31), D(2026, 12, 1), D(2026, 12, 31)),
        ("quarter", D(2026, 11, 22), D(2026, 10, 1), D(2026, 12, 31)),
        ("quarter", D(2026, 3, 31), D(2026, 1, 1), D(2026, 3, 31)),
    ],
)
def test_period_boundaries(kind, day, start, end):
    period = period_containing(kind, day)
    assert (period.start, period.end) == (start, end)


def test_weeks_starting_sunday():
    period = period_containing("week", D(2026, 11, 1), week_start="sunday")
    assert (period.start, period.end) == (D(2026, 11, 1), D(2026, 11, 7))
    assert period.previous().start == D(2026, 10, 25)


def test_default_is_the_last_complete_period():
    assert report_period("week", D(2026, 11, 23)).start == D(2026, 11, 16)  # run on a Monday: last week
    assert report_period("month", D(2026, 12, 1)).slug == "month-2026-11-01"
    assert report_period("quarter", D(2026, 11, 22)).slug == "quarter-2026-07-01"


def test_to_date_compares_the_same_number_of_days():
    period = report_period("month", D(2026, 11, 22), as_of=D(2026, 11, 15))
    assert (period.start, period.as_of, period.complete) == (D(2026, 11, 1), D(2026, 11, 15), False)
    before = period.previous()
    assert (before.start, before.as_of) == (D(2026, 10, 1), D(2026, 10, 15))
    assert "to date" in period.label
    whole = report_period("month", D(2026, 12, 2), as_of=D(2026, 11, 30))
    assert whole.previous().as_of == D(2026, 10, 31)  # a complete month compares with a complete month


@pytest.mark.parametrize(
    "moment, zone, day",
    [
        # US DST ends 1 Nov 2026 at 02:00 PDT: the day before midnight is UTC-7, after it UTC-8.
        ("2026-11-01T06:59:59+00:00", "America/Los_Angeles", D(2026, 10, 31)),
        ("2026-11-01T07:00:00+00:00", "America/Los_Angeles", D(2026, 11, 1)),
        ("2026-12-01T07:59:59+00:00", "America/Los_Angeles", D(2026, 11, 30)),
        ("2026-12-01T08:00:00+00:00", "America/Los_Angeles", D(2026, 12, 1)),
        # DST starts 8 Mar 2026: midnight is 08:00 UTC before, the next midnight 07:00 UTC.
        ("2026-03-09T06:59:00+00:00", "America/Los_Angeles", D(2026, 3, 8)),
        ("2026-03-09T07:00:00+00:00", "America/Los_Angeles", D(2026, 3, 9)),
        # The same instant is 31 October in Los Angeles and 1 November in London, Sydney and Tokyo.
        ("2026-10-31T22:30:00+00:00", "Europe/London", D(2026, 10, 31)),
        ("2026-10-31T23:30:00+00:00", "Europe/London", D(2026, 10, 31)),  # GMT since 25 Oct
        ("2026-11-01T00:30:00+00:00", "Europe/London", D(2026, 11, 1)),
        ("2026-10-31T13:30:00+00:00", "Australia/Sydney", D(2026, 11, 1)),  # AEDT, UTC+11
        ("2026-10-31T15:30:00+00:00", "Asia/Tokyo", D(2026, 11, 1)),
    ],
)
def test_local_days_across_zones_and_dst(moment, zone, day):
    assert local_day(dt.datetime.fromisoformat(moment), ZoneInfo(zone)) == day


def test_period_ends_at_local_midnight_with_dst():
    la = ZoneInfo("America/Los_Angeles")
    assert end_instant(D(2026, 10, 31), la).astimezone(UTC) == dt.datetime(2026, 11, 1, 7, tzinfo=UTC)
    assert end_instant(D(2026, 11, 1), la).astimezone(UTC) == dt.datetime(
        2026, 11, 2, 8, tzinfo=UTC
    )  # 25-hour day
    assert end_instant(D(2026, 3, 8), la).astimezone(UTC) == dt.datetime(
        2026, 3, 9, 7, tzinfo=UTC
    )  # 23-hour day


def test_buckets():
    week = period_containing("week", D(2026, 11, 4))
    assert [label for label, _, _ in week.buckets()] == [
        "Nov 2",
        "Nov 3",
        "Nov 4",
        "Nov 5",
        "Nov 6",
        "Nov 7",
        "Nov 8",
    ]
    quarter = period_containing("quarter", D(2026, 2, 1))
    labels = [label for label, _, _ in quarter.buckets()]
    assert labels[0] == "Jan 1–7" and labels[4] == "Jan 29–Feb 4" and labels[-1] == "Mar 26–31"


def test_bad_period():
    with pytest.raises(ReportError, match="--period 'year': use week, month or quarter"):
        period_containing("year", D(2026, 1, 1))


def test_buckets_stop_at_the_as_of_day():
    period = report_period("quarter", D(2026, 12, 15), as_of=D(2026, 11, 30))
    labels = [label for label, _, _ in period.buckets()]
    assert labels[-1] == "Nov 26–30" and len(labels) == 9
    assert len(report_period("month", D(2026, 12, 15), as_of=D(2026, 11, 15)).buckets()) == 15

"""Dates in the practice's time zone: offer windows, event phases and midnight boundaries."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline import dates

LA = dates.zone("America/Los_Angeles")
UTC = dt.UTC
NOV1, NOV30 = dt.date(2026, 11, 1), dt.date(2026, 11, 30)


@pytest.mark.parametrize(
    ("today", "phase"),
    [
        (dt.date(2026, 10, 31), "scheduled"),  # the day before it starts
        (NOV1, "current"),  # first day, inclusive
        (dt.date(2026, 11, 15), "current"),
        (NOV30, "current"),  # last day, inclusive
        (dt.date(2026, 12, 1), "expired"),  # the day after
    ],
)
def test_offer_window_is_inclusive_on_both_days(today, phase):
    assert dates.offer_phase(NOV1, NOV30, today) == phase


def test_one_day_offer():
    day = dt.date(2026, 11, 27)
    assert [dates.offer_phase(day, day, day + dt.timedelta(d)) for d in (-1, 0, 1)] == [
        "scheduled",
        "current",
        "expired",
    ]


@pytest.mark.parametrize(
    ("instant", "day"),
    [
        # 23:59:59 on 30 November in Los Angeles (PST, UTC-8) is already 1 December in UTC.
        (dt.datetime(2026, 12, 1, 7, 59, 59, tzinfo=UTC), NOV30),
        (dt.datetime(2026, 12, 1, 8, 0, 0, tzinfo=UTC), dt.date(2026, 12, 1)),
        # Summer time (PDT, UTC-7): midnight moves an hour.
        (dt.datetime(2026, 7, 1, 6, 59, 59, tzinfo=UTC), dt.date(2026, 6, 30)),
        (dt.datetime(2026, 7, 1, 7, 0, 0, tzinfo=UTC), dt.date(2026, 7, 1)),
    ],
)
def test_today_is_the_practices_date_at_midnight(instant, day):
    assert dates.today(LA, instant) == day


def test_offer_expires_at_practice_midnight_not_utc_midnight():
    before = dates.today(LA, dt.datetime(2026, 12, 1, 7, 59, tzinfo=UTC))
    after = dates.today(LA, dt.datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
    assert dates.offer_phase(NOV1, NOV30, before) == "current"
    assert dates.offer_phase(NOV1, NOV30, after) == "expired"


def test_today_needs_an_aware_instant():
    with pytest.raises(ValueError):
        dates.today(LA, dt.datetime(2026, 12, 1))


def test_last_second_of_an_offer_carries_the_practice_offset():
    assert dates.iso(dates.day_end(NOV30, LA)) == "2026-11-30T23:59:59-08:00"
    assert dates.iso(dates.day_start(NOV1, LA)) == "2026-11-01T00:00:00-07:00"  # still summer time
    assert dates.day_end(NOV30, LA).astimezone(UTC) == dt.datetime(2026, 12, 1, 7, 59, 59, tzinfo=UTC)


def test_local_times_and_offsets():
    naive = dt.datetime(2026, 12, 10, 17, 30)
    assert dates.localize(naive, LA).isoformat() == "2026-12-10T17:30:00-08:00"
    aware = dt.datetime(2026, 12, 11, 1, 30, tzinfo=UTC)
    assert dates.localize(aware, LA) == dates.localize(naive, LA)
    # A late-evening event written in UTC is still on the practice's 10 December.
    assert dates.day_of(aware, LA) == dt.date(2026, 12, 10)


@pytest.mark.parametrize(
    ("today", "phase"),
    [
        (dt.date(2026, 12, 9), "upcoming"),
        (dt.date(2026, 12, 10), "upcoming"),  # still listed on the day itself
        (dt.date(2026, 12, 11), "past"),
    ],
)
def test_event_moves_to_the_archive_the_day_after_it_ends(today, phase):
    end = dates.localize(dt.datetime(2026, 12, 10, 23, 30), LA)
    assert dates.event_phase(end, today, LA) == phase


def test_post_is_scheduled_until_its_day():
    assert dates.publish_phase(dt.date(2026, 11, 23), dt.date(2026, 11, 22), LA) == "scheduled"
    assert dates.publish_phase(dt.date(2026, 11, 22), dt.date(2026, 11, 22), LA) == "published"


@pytest.mark.parametrize(
    ("today", "first", "last"),
    [
        (dt.date(2026, 11, 22), dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
        (dt.date(2026, 12, 5), dt.date(2027, 1, 1), dt.date(2027, 1, 31)),
        (dt.date(2028, 1, 31), dt.date(2028, 2, 1), dt.date(2028, 2, 29)),  # leap year
    ],
)
def test_next_month(today, first, last):
    assert dates.next_month(today) == (first, last)


def test_event_time_reads_naturally():
    start = dates.localize(dt.datetime(2026, 12, 10, 17, 30), LA)
    assert (
        dates.span_text(start, start + dt.timedelta(hours=2))
        == "Thursday, December 10, 2026, 5:30 – 7:30 pm PST"
    )
    morning = dates.localize(dt.datetime(2026, 12, 10, 10, 0), LA)
    assert (
        dates.span_text(morning, morning + dt.timedelta(hours=4))
        == "Thursday, December 10, 2026, 10 am – 2 pm PST"
    )


def test_unknown_time_zone_is_a_clear_error():
    with pytest.raises(dates.DateError, match="America/Los_Angeles"):
        dates.zone("Pacific/Nowhere")

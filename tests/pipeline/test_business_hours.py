"""Business time from the clinics' hours: nights, weekends, a clinic of its own, daylight saving."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from pipeline.business_hours import Calendar, Hours
from pipeline.inbox.content import calendar_from_content, calendar_table
from tests.support.sitefactory import ROOT

LA = ZoneInfo("America/Los_Angeles")
TABLE = {
    "timezone": "America/Los_Angeles",
    "clinics": {
        "harbor": {
            "name": "Harbor Clinic",
            "hours": {d: "8:00-17:30" for d in ("monday", "tuesday", "wednesday", "thursday")}
            | {"friday": "8:00-16:00"},
        },
        "valley": {
            "name": "Valley Med Spa",
            "hours": {"tuesday": "10:00-19:00", "saturday": "9:00-15:00", "sunday": "closed"},
        },
    },
}
CAL = Calendar.from_table(TABLE)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=LA)


def test_only_opening_hours_count():
    # Monday 17:00 to Tuesday 8:10: 30 minutes on Monday, 10 on Tuesday (the union: harbor opens at 8).
    assert CAL.business_seconds(at("2026-11-02 17:00"), at("2026-11-03 08:10")) == 40 * 60
    # The valley clinic alone opens Tuesday at 10: nothing before.
    assert CAL.business_seconds(at("2026-11-02 17:00"), at("2026-11-03 10:05"), "valley") == 5 * 60
    # By the clinic's name, as the form sends it, too.
    assert CAL.business_seconds(at("2026-11-02 17:00"), at("2026-11-03 10:05"), "Valley Med Spa") == 5 * 60
    # An unknown clinic falls back to any clinic's hours.
    assert CAL.business_seconds(at("2026-11-02 17:00"), at("2026-11-03 08:10"), "nowhere") == 40 * 60


def test_a_weekend_with_one_clinic_open_on_saturday():
    friday_evening, monday = at("2026-11-06 15:00"), at("2026-11-09 08:30")
    # Friday 15:00-16:00 (harbor), Saturday 9-15 (valley), Monday 8:00-8:30.
    assert CAL.business_seconds(friday_evening, monday) == (60 + 6 * 60 + 30) * 60
    assert CAL.business_seconds(friday_evening, monday, "harbor") == (60 + 30) * 60


def test_adding_business_time_skips_closed_hours():
    assert CAL.add_business(at("2026-11-02 17:20"), 30 * 60) == at("2026-11-03 08:20")
    assert CAL.add_business(at("2026-11-02 23:00"), 0) == at("2026-11-03 08:00")
    closed = Calendar.from_table({"timezone": "UTC", "clinics": {"x": {"hours": {}}}})
    assert closed.add_business(at("2026-11-02 23:00"), 60) is None


def test_one_business_day_is_the_same_time_on_the_next_open_day():
    assert CAL.next_business_day(at("2026-11-02 09:15"), "harbor") == at("2026-11-03 09:15")
    # Thursday 17:00 at harbor -> Friday closes at 16:00: the deadline is its closing time.
    assert CAL.next_business_day(at("2026-11-05 17:00"), "harbor") == at("2026-11-06 16:00")
    # Friday evening, after closing: counts from Monday's opening, due Tuesday at opening.
    assert CAL.next_business_day(at("2026-11-06 20:00"), "harbor") == at("2026-11-10 08:00")


def test_daylight_saving_days_are_local_days():
    # 1 November 2026: clocks go back at 2:00 in Los Angeles; a Sunday, so a Monday check.
    start, end = at("2026-10-30 15:00"), at("2026-11-02 09:00")
    assert CAL.business_seconds(start, end, "harbor") == (60 + 60) * 60  # Friday 15-16, Monday 8-9
    assert CAL.business_seconds(at("2026-03-09 07:00"), at("2026-03-09 09:00"), "harbor") == 3600


def test_union_merges_overlapping_hours():
    union = Hours.union(
        [Hours.from_mapping({"monday": "8:00-12:00"}), Hours.from_mapping({"monday": "11:00-14:00"})]
    )
    assert union.week[0] == ((480, 840),)
    with pytest.raises(ValueError):
        Hours.from_mapping({"monday": "9-5"})


def test_the_demo_clinics_hours_are_read_from_the_content():
    table = calendar_table(ROOT / "content", "America/Los_Angeles")
    assert table["clinics"]["harbor-district"]["hours"]["friday"] == "8:00-16:00"
    calendar = calendar_from_content(ROOT / "content", "America/Los_Angeles")
    # Saturday: only Sorrel Valley opens (9:00-15:00).
    saturday = at("2026-11-07 08:00")
    assert calendar.business_seconds(saturday, at("2026-11-07 10:00")) == 3600
    assert calendar.business_seconds(saturday, at("2026-11-07 10:00"), "harbor-district") == 0

"""Scheduling: front-matter times or automatic slots, at least 10 minutes apart, none in the past, deterministic."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.social.errors import SocialError
from pipeline.social.schedule import schedule
from tests.pipeline.social.conftest import TZ, at, item

NOW = at(1, 8, 0)
TIMES = (dt.time(9, 30), dt.time(12, 30), dt.time(17, 30))


def plan(items, now=NOW, times=TIMES):
    return schedule(items, now=now, first_day=now.date() + dt.timedelta(days=1), times=times, tz=TZ)


def test_automatic_slots_start_tomorrow_one_item_each_and_are_deterministic():
    items = [item(id=f"post-{i}") for i in range(5)]
    when = plan(items)
    assert sorted(when.values()) == [at(2, 9, 30), at(2, 12, 30), at(2, 17, 30), at(3, 9, 30), at(3, 12, 30)]
    assert when == plan(list(reversed(items))), "the order of the input does not matter"


def test_soonest_deadline_goes_first():
    special = item(kind="special", id="ends-soon", deadline=at(2, 23, 59))
    event = item(kind="event", id="in-a-week", deadline=at(8, 18, 0))
    post = item(id="a-post")
    when = plan([post, event, special])
    assert when["special/ends-soon"] < when["event/in-a-week"] < when["post/a-post"]


def test_front_matter_time_is_kept_and_slots_avoid_it():
    fixed = item(id="fixed", at=at(2, 9, 35))
    when = plan([fixed, item(id="auto")])
    assert when["post/fixed"] == at(2, 9, 35)
    assert when["post/auto"] == at(2, 12, 30), (
        "09:30 is within 10 minutes of the fixed post on the same networks"
    )


def test_other_networks_may_share_a_slot():
    fixed = item(id="fixed", at=at(2, 9, 30), networks=("instagram",))
    assert plan([fixed, item(id="auto", networks=("linkedin",))])["post/auto"] == at(2, 9, 30)


def test_posts_on_one_network_are_at_least_ten_minutes_apart():
    items = [item(id=f"p{i}") for i in range(20)] + [item(id="f", at=at(2, 12, 35))]
    times = sorted(plan(items).values())
    assert all(b - a >= dt.timedelta(minutes=10) for a, b in zip(times, times[1:], strict=False))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"at": at(1, 7, 0)}, "2026-12-01 07:00 is in the past"),
        ({"at": at(1, 8, 5)}, "is in the past (or less than 10 minutes away)"),
        ({"at": at(3, 9, 33)}, "not on a 5-minute mark"),
        ({"kind": "special", "at": at(5, 9, 0), "deadline": at(4, 23, 59)}, "is after its offer ends"),
        ({"kind": "event", "at": at(5, 19, 0), "deadline": at(5, 18, 0)}, "is after the event starts"),
    ],
)
def test_bad_front_matter_times_are_errors_naming_the_file(fields, message):
    with pytest.raises(SocialError) as failure:
        plan([item(**fields)])
    assert "content/blog/botox-myths.md:social.at:" in str(failure.value) and message in str(failure.value)
    assert "(line 13)" in str(failure.value)


def test_two_front_matter_times_too_close_name_the_other_file():
    one = item(id="one", path="content/blog/one.md", at=at(3, 10, 0))
    two = item(id="two", path="content/blog/two.md", at=at(3, 10, 5))
    with pytest.raises(
        SocialError,
        match=r"two.md:social.at: 2026-12-03 10:05 is less than 10 minutes from "
        r"content/blog/one.md",
    ):
        plan([one, two])


def test_an_automatic_slot_after_the_deadline_is_an_error_not_a_late_post():
    crowd = [item(kind="special", id=f"s{i}", deadline=at(2, 23, 59)) for i in range(4)]
    with pytest.raises(SocialError, match=r"the first free slot, 2026-12-03 09:30, is after its offer ends"):
        plan(crowd)


def test_previewing_today_skips_slots_already_gone():
    late = at(2, 12, 25)  # the export runs on the 2nd at 12:25: 12:30 is too close
    when = schedule([item()], now=late, first_day=late.date(), times=TIMES, tz=TZ)
    assert when["post/botox-myths"] == at(2, 17, 30)

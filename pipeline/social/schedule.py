"""When each item is posted: its own ``social.at``, or the next free slot, deterministically.

Rules (REFERENCE.md, "Bulk upload formats"; Sprout Social): posts on one profile are at least 10
minutes apart, and at least 10 minutes after the upload (so nothing is in the past); Hootsuite
takes times on 5-minute marks. Automatic slots are the ``SOCIAL_POST_TIMES`` of each day from the
day after the build's day, one item per slot, in a fixed order: what ends or starts soonest first
(a special before its offer ends, an event before it starts), then by kind, date and id. The
same content and day always give the same schedule; the clock only decides what is "past".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pipeline.content.errors import Problem
from pipeline.social.errors import SocialError
from pipeline.social.items import KINDS, SocialItem
from pipeline.social.networks import MIN_GAP_MINUTES, MINUTE_STEP

GAP = dt.timedelta(minutes=MIN_GAP_MINUTES)
MAX_DAYS = 366
_FAR = dt.datetime.max.replace(tzinfo=dt.UTC)


def _clash(
    at: dt.datetime, networks, taken: list[tuple[dt.datetime, frozenset, SocialItem]]
) -> SocialItem | None:
    for other_at, other_networks, other in taken:
        if networks & other_networks and abs(at - other_at) < GAP:
            return other
    return None


def _ends(item: SocialItem) -> str:
    return "its offer ends" if item.kind == "special" else "the event starts"


def schedule(
    items: Sequence[SocialItem],
    *,
    now: dt.datetime,
    first_day: dt.date,
    times: Sequence[dt.time],
    tz: dt.tzinfo,
) -> dict[str, dt.datetime]:
    """``item.key`` -> when it is posted (aware, in ``tz``); raises ``SocialError`` naming each problem."""
    plan, problems = plan_schedule(items, now=now, first_day=first_day, times=times, tz=tz)
    if problems:
        raise SocialError(problems)
    return plan


def plan_schedule(
    items: Sequence[SocialItem],
    *,
    now: dt.datetime,
    first_day: dt.date,
    times: Sequence[dt.time],
    tz: dt.tzinfo,
) -> tuple[dict[str, dt.datetime], list[Problem]]:
    """``item.key`` -> when it is posted, and the problems of the items that could not be placed."""
    earliest = now + GAP
    problems: list[Problem] = []
    taken: list[tuple[dt.datetime, frozenset, SocialItem]] = []
    plan: dict[str, dt.datetime] = {}

    def problem(item: SocialItem, what: str, fix: str) -> None:
        problems.append(Problem(item.path, "social.at", what, fix, item.line_of("social.at")))

    for item in sorted((i for i in items if i.at is not None), key=lambda i: (i.at, i.key)):
        at = item.at.astimezone(tz)
        shown = f"{at:%Y-%m-%d %H:%M}"
        if at < earliest:
            problem(
                item,
                f"{shown} is in the past (or less than {MIN_GAP_MINUTES} minutes away)",
                "give a later time, or leave social.at out to schedule it automatically",
            )
        elif item.deadline is not None and at > item.deadline:
            problem(
                item,
                f"{shown} is after {_ends(item)} ({item.deadline:%Y-%m-%d %H:%M})",
                "post it earlier, or leave social.at out",
            )
        elif at.minute % MINUTE_STEP or at.second:
            problem(
                item,
                f"{shown} is not on a {MINUTE_STEP}-minute mark (Hootsuite only takes those)",
                f"round it, e.g. {at.replace(minute=at.minute - at.minute % MINUTE_STEP, second=0):%H:%M}",
            )
        elif (other := _clash(at, frozenset(item.networks), taken)) is not None:
            problem(
                item,
                f"{shown} is less than {MIN_GAP_MINUTES} minutes from {other.path} on a shared network "
                "(Sprout Social needs posts 10 minutes apart)",
                "move one of them, or leave social.at out",
            )
        else:
            taken.append((at, frozenset(item.networks), item))
            plan[item.key] = at

    order = {kind: i for i, kind in enumerate(KINDS)}
    automatic = sorted(
        (i for i in items if i.at is None),
        key=lambda i: (i.deadline or _FAR, order[i.kind], i.day or dt.date.min, i.id),
    )
    slots = (
        dt.datetime.combine(first_day + dt.timedelta(days=d), t, tzinfo=tz)
        for d in range(MAX_DAYS)
        for t in sorted(times)
    )
    for item in automatic:
        networks = frozenset(item.networks)
        for slot in slots:
            if slot >= earliest and _clash(slot, networks, taken) is None:
                break
        else:
            problem(
                item, f"no free posting slot in the next {MAX_DAYS} days", "add times to SOCIAL_POST_TIMES"
            )
            continue
        if item.deadline is not None and slot > item.deadline:
            problem(
                item,
                f"the first free slot, {slot:%Y-%m-%d %H:%M}, is after {_ends(item)}",
                "give it an earlier social.at, or add times to SOCIAL_POST_TIMES",
            )
            continue
        taken.append((slot, networks, item))
        plan[item.key] = slot
    return plan, problems

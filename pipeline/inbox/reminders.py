"""Follow-up reminders: a second, content-free email when inquiries are still "new" after a set
number of business minutes (the clinics' opening hours, :mod:`pipeline.business_hours`).

The same code runs in two places: ``inv reminders`` on the coordinator's computer, and the
scheduled AWS Lambda function in infra/site.yaml (handler ``pipeline.inbox.reminders.handler``,
every five minutes), which reads the clinics' hours from ``business_hours.json`` in its package.

Each inquiry is reminded of once: the run stores a ``reminder`` event next to it (an
append-only event, as the inbox stores changes), after the email went out. The email says how
many inquiries wait and for how long, and their references: never a name, contact detail or
interest, because email is not where patient information should travel.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.business_hours import Calendar
from pipeline.inbox import journal
from pipeline.inbox.errors import InboxError
from pipeline.inbox.events import kind_of, parse_time, reminder_event
from pipeline.inbox.index import PREFIX, Index, Item
from pipeline.inquiry.store import Store

log = logging.getLogger(__name__)
# How far back a run looks: INBOX_REMINDER_MINUTES is at most a week of business minutes, which a
# practice open a few hours a day spreads over several calendar weeks.
LOOKBACK_DAYS = 45
CALENDAR_FILE = "business_hours.json"  # at the root of the Lambda package


@dataclass(frozen=True)
class Waiting:
    id: str
    key: str
    minutes: int  # business minutes waited so far


def due(items: Iterable[Item], calendar: Calendar, now: dt.datetime, minutes: int) -> list[Waiting]:
    """Inquiries (not RSVPs) still new, never reminded of, that have waited ``minutes`` business
    minutes or more by ``now``; the longest-waiting first (pure)."""
    if minutes <= 0:
        return []
    found = []
    for item in items:
        state = item.state
        if kind_of(item.record) != "inquiry" or state.status != "new" or state.reminded_at or state.answered:
            continue
        received = parse_time(item.record.get("received_at"))
        if received is None or received > now:
            continue
        waited = calendar.business_seconds(received, now, item.record.get("preferred_location")) / 60
        if waited >= minutes:
            found.append(Waiting(item.id, item.key, int(waited)))
    return sorted(found, key=lambda w: (-w.minutes, w.id))


def reminder_text(waiting: list[Waiting], minutes: int, where: str) -> tuple[str, str]:
    """Subject and body of the reminder (pure): a count, the wait, references; no content."""
    count = len(waiting)
    noun = "inquiry" if count == 1 else "inquiries"
    subject = f"{count} {noun} waiting {_duration(minutes)}"
    lines = [
        f"{count} website {noun} {'is' if count == 1 else 'are'} still new after {_duration(minutes)} "
        "of opening hours, with nobody recorded as having answered.",
        "",
        *(f"Reference: {w.id} (waiting {_duration(w.minutes)})" for w in waiting),
        "",
        f"Stored in: {where}",
        "Open the inbox (inv inbox) to answer, or mark them contacted there.",
        "Their content is not in this email, to keep patient information out of email.",
    ]
    return subject, "\n".join(lines) + "\n"


def _duration(minutes: int) -> str:
    if minutes < 120:
        return f"{minutes} minute{'' if minutes == 1 else 's'}"
    hours = minutes // 60
    return f"{hours} hours"


def recent(now: dt.datetime, days: int = LOOKBACK_DAYS) -> list[str]:
    today = now.astimezone(dt.UTC).date()
    return [f"{PREFIX}{today - dt.timedelta(days=n):%Y/%m/%d}/" for n in range(days)]


@dataclass(frozen=True)
class Outcome:
    reminded: tuple[str, ...]  # record ids
    sent: bool


def send_reminders(
    store: Store,
    calendar: Calendar,
    send: Callable[[str, str], bool],
    now: dt.datetime,
    minutes: int,
) -> Outcome:
    """One run: read the recent inquiries, email about those due, then record that they were."""
    index = Index(store, workers=8)
    index.sync(recent(now))
    if index.error:
        raise InboxError(f"The reminders could not read the inquiries: {index.error}")
    waiting = due(index.items(), calendar, now, minutes)
    if not waiting:
        return Outcome((), False)
    subject, body = reminder_text(waiting, minutes, str(store.where))
    if not send(subject, body):
        log.warning(
            "reminders: the email about %d inquiries was not sent; next run tries again", len(waiting)
        )
        return Outcome((), False)
    for item in waiting:
        journal.append(store, item.key, reminder_event(item.id, now, minutes))
    log.info("reminders: reminded of %s", ", ".join(w.id for w in waiting))
    return Outcome(tuple(w.id for w in waiting), True)


def handler(event: Any = None, context: Any = None) -> dict[str, Any]:
    """The scheduled Lambda function: settings from its environment (INQUIRY_STORE,
    INQUIRY_NOTIFY_EMAIL, INQUIRY_NOTIFY_FROM, INBOX_REMINDER_MINUTES), hours from its package."""
    import boto3

    from pipeline.inquiry.config import load_config
    from pipeline.inquiry.notify import SesNotifier
    from pipeline.inquiry.store import open_store

    config = load_config(os.environ)
    if not config.notify_email:
        raise InboxError("Set INQUIRY_NOTIFY_EMAIL in the function's environment: the reminders go there.")
    calendar = packaged_calendar(Path(__file__).resolve().parents[2] / CALENDAR_FILE)
    store = open_store(config.store, root="/tmp", sse=config.sse, kms_key_id=config.kms_key_id)
    notifier = SesNotifier(boto3.client("ses"), config.notify_from, config.notify_email, store.where)
    minutes = int(os.environ.get("INBOX_REMINDER_MINUTES") or 30)
    outcome = send_reminders(store, calendar, notifier.send_text, dt.datetime.now(dt.UTC), minutes)
    return {"reminded": len(outcome.reminded), "sent": outcome.sent}


def packaged_calendar(path: Path) -> Calendar:
    try:
        return Calendar.from_table(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise InboxError(
            f"{path.name} is missing from the function's package: build it with `inv receiver-package`."
        ) from None

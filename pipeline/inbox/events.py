"""What can happen to an inquiry, and what its history adds up to (pure).

An inquiry (or an event RSVP) record is never edited. Every change is an event, stored as its
own object next to the record (:mod:`pipeline.inbox.journal`), numbered in order (``seq``):

=============  ===========================================================================
``status``     the status changes: ``status`` (and, for ``closed``, a ``reason``)
``contact``    someone called, emailed or texted the person (``channel``); ``reached``
               says whether it got through (a "no answer" is a try, counted)
``note``       a note (``note``)
``reminder``   the reminder function emailed that this inquiry was still waiting
=============  ===========================================================================

Each carries ``by`` (who), ``at`` (UTC) and ``seen`` (the last ``seq`` that person had on
screen, so a change made at the same time as someone else's can be pointed out).

:func:`fold` turns a record and its events into a :class:`State`: the same events always give
the same state, whatever order they were read in. Statuses: an inquiry goes new → contacted
→ consultation booked → treated, or is closed with a reason; an RSVP goes new → place
confirmed → attended, or is closed (cancelled, did not come ...). Any status may be set at
any time (a mistake is corrected by the next change), and the first time each was reached is
kept for the reports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pipeline.inbox.errors import InboxError

SCHEMA = 1
KINDS = ("inquiry", "rsvp")
STATUSES = {
    "inquiry": ("new", "contacted", "booked", "treated", "closed"),
    "rsvp": ("new", "confirmed", "attended", "closed"),
}
LABELS = {
    "new": "New",
    "contacted": "Contacted",
    "booked": "Consultation booked",
    "treated": "Treated",
    "closed": "Closed",
    "confirmed": "Place confirmed",
    "attended": "Attended",
}
REASONS = {
    "inquiry": {
        "spam": "Spam",
        "not-a-fit": "Not a fit",
        "no-answer": "No answer",
        "duplicate": "Duplicate of another inquiry",
        "other": "Other (see the notes)",
    },
    "rsvp": {
        "cancelled": "Cancelled",
        "no-show": "Did not come",
        "spam": "Spam",
        "duplicate": "Duplicate of another reply",
        "other": "Other (see the notes)",
    },
}
TYPES = ("status", "contact", "note", "reminder")
CHANNELS = {"phone": "Phone call", "email": "Email", "sms": "Text message"}
# Statuses that mean someone got through to the person (speed to lead counts the first try).
REACHED = frozenset({"contacted", "booked", "treated", "confirmed", "attended"})
SYSTEM = "reminders"  # `by` of the reminder function's events
MAX_NOTE = 4000
MAX_NAME = 80


def kind_of(record: Mapping[str, Any]) -> str:
    """``rsvp`` for an event reply, ``inquiry`` for anything else (records before RSVPs had no kind)."""
    return "rsvp" if record.get("kind") == "rsvp" else "inquiry"


def parse_time(value: Any) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_event(
    kind: str,
    fields: Mapping[str, str],
    *,
    inquiry: str,
    by: str,
    at: dt.datetime,
    seen: int | None = None,
) -> dict[str, Any]:
    """A checked event from a form's fields; an :class:`InboxError` names the field at fault."""
    by = " ".join(str(by or "").split())
    if not by or len(by) > MAX_NAME:
        raise InboxError("Say who you are: start the inbox with --user NAME (up to 80 characters).", "by")
    what = str(fields.get("type") or "").strip()
    event: dict[str, Any] = {"schema": SCHEMA, "inquiry": inquiry, "at": stamp(at), "by": by, "type": what}
    if seen is not None:
        event["seen"] = int(seen)
    note = _note(fields.get("note"))
    if what == "status":
        status = str(fields.get("status") or "").strip()
        if status not in STATUSES[kind]:
            allowed = ", ".join(LABELS[s] for s in STATUSES[kind])
            raise InboxError(f"Choose a status: {allowed}.", "status")
        event["status"] = status
        if status == "closed":
            reason = str(fields.get("reason") or "").strip()
            if reason not in REASONS[kind]:
                raise InboxError(
                    "Say why it is closed: " + ", ".join(REASONS[kind].values()).lower() + ".", "reason"
                )
            event["reason"] = reason
        if note:
            event["note"] = note
    elif what == "contact":
        channel = str(fields.get("channel") or "").strip()
        if channel not in CHANNELS:
            raise InboxError("Say how you tried: a phone call, an email or a text message.", "channel")
        reached = str(fields.get("reached") or "").strip()
        if reached not in ("yes", "no"):
            raise InboxError("Say whether you reached them.", "reached")
        event.update(channel=channel, reached=reached == "yes")
        if note:
            event["note"] = note
    elif what == "note":
        if not note:
            raise InboxError("Write the note first.", "note")
        event["note"] = note
    else:
        raise InboxError("That change is not one the inbox knows; reload the page.", "type")
    return event


def reminder_event(inquiry: str, at: dt.datetime, minutes: int) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "inquiry": inquiry,
        "at": stamp(at),
        "by": SYSTEM,
        "type": "reminder",
        "minutes": int(minutes),
    }


def _note(value: Any) -> str | None:
    if value is None:
        return None
    text = "\n".join(line.rstrip() for line in str(value).replace("\r\n", "\n").split("\n")).strip()
    if len(text) > MAX_NOTE:
        raise InboxError(f"Keep the note under {MAX_NOTE:,} characters (it has {len(text):,}).", "note")
    return text or None


@dataclass(frozen=True)
class State:
    """What an inquiry's history adds up to."""

    kind: str = "inquiry"
    status: str = "new"
    reason: str | None = None
    tries: int = 0  # contacts that did not get through
    contacts: int = 0
    first_contact_at: dt.datetime | None = None  # the first call, email or text (answered or not)
    reached_at: dict[str, dt.datetime] = field(default_factory=dict)  # status -> the first time it was set
    changed_at: dt.datetime | None = None
    handled_by: tuple[str, ...] = ()  # everyone who acted on it, first first
    notes: int = 0
    reminded_at: dt.datetime | None = None
    seq: int = 0  # the last event's number
    history: tuple[dict, ...] = ()

    @property
    def label(self) -> str:
        if self.status == "closed" and self.reason:
            reason = REASONS[self.kind].get(self.reason, self.reason)
            if self.reason == "no-answer" and self.tries:
                reason = f"no answer after {self.tries} {'try' if self.tries == 1 else 'tries'}"
            return f"Closed: {reason[0].lower() + reason[1:]}"
        return LABELS.get(self.status, self.status)

    @property
    def is_open(self) -> bool:
        return self.status not in ("closed", "treated", "attended")

    @property
    def answered(self) -> bool:
        return self.first_contact_at is not None

    def first(self, *statuses: str) -> dt.datetime | None:
        """The first time any of ``statuses`` was set (or a later stage, which implies it)."""
        found = [self.reached_at[s] for s in statuses if s in self.reached_at]
        return min(found) if found else None


def order(events: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Events in the order every reader agrees on: by number, then time, then who (a tie happens
    only if two stores were merged by hand)."""
    return sorted(events, key=lambda e: (int(e.get("seq") or 0), str(e.get("at") or ""), str(e.get("by"))))


def fold(record: Mapping[str, Any], events: Iterable[Mapping[str, Any]]) -> State:
    """The state after ``events`` (in any order: they are sorted first)."""
    kind = kind_of(record)
    status, reason = "new", None
    tries = contacts = notes = 0
    first_contact: dt.datetime | None = None
    reached: dict[str, dt.datetime] = {}
    people: list[str] = []
    changed = reminded = None
    seq = 0
    history = []
    for event in order(events):
        at = parse_time(event.get("at"))
        what = event.get("type")
        if at is None or what not in TYPES:
            continue  # unreadable: shown nowhere, counted nowhere
        history.append(dict(event))
        seq = max(seq, int(event.get("seq") or 0))
        changed = at
        who = str(event.get("by") or "")
        if what != "reminder" and who and who not in people:
            people.append(who)
        if what == "status" and event.get("status") in STATUSES[kind]:
            status = event["status"]
            reason = event.get("reason") if status == "closed" else None
            reached.setdefault(status, at)
            if status in REACHED and first_contact is None:
                first_contact = at
        elif what == "contact":
            contacts += 1
            first_contact = at if first_contact is None else min(first_contact, at)
            if event.get("reached"):
                if status == "new" and kind == "inquiry":
                    status = "contacted"
                    reached.setdefault("contacted", at)
            else:
                tries += 1
        elif what == "note":
            notes += 1
        elif what == "reminder":
            reminded = reminded or at
    # A later stage implies the earlier ones: treated on a day means booked and contacted by then.
    ladder = STATUSES[kind][1:-1]
    for index, name in enumerate(ladder):
        later = [reached[s] for s in ladder[index:] if s in reached]
        if later:
            reached[name] = min(later)
    return State(
        kind=kind,
        status=status,
        reason=reason,
        tries=tries,
        contacts=contacts,
        first_contact_at=first_contact,
        reached_at=reached,
        changed_at=changed,
        handled_by=tuple(people),
        notes=notes,
        reminded_at=reminded,
        seq=seq,
        history=tuple(history),
    )

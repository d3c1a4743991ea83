"""Each inquiry's history: append-only event objects stored next to the record.

For the record ``inquiries/2026/11/05/<id>.json`` the events are::

    inquiries/2026/11/05/<id>/events/000001.json
    inquiries/2026/11/05/<id>/events/000002.json ...

An event is written with the store's ``create`` (only if its key is free: ``If-None-Match: *``
on S3, ``link(2)`` on a folder). Two people adding a change at the same moment both ask for the
next number; one gets it, the other is refused, reads the numbers again and takes the one after.
No change can replace another, and every reader sorts the same numbers the same way, so
:func:`pipeline.inbox.events.fold` gives everyone the same status. The refused writer's change
still lands (after the other one), and :class:`Appended` says what came in meanwhile, so the
inbox can tell its user.

That rests on the store refusing a second write of a key. Amazon S3 does (conditional writes,
since August 2024), and so do the test servers (moto, SeaweedFS); :func:`check_conditional_writes`
asks any S3 store once before the inbox writes to it, and refuses one that does not.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pipeline.inbox.errors import InboxError
from pipeline.inquiry.errors import InquiryError
from pipeline.inquiry.store import Store, encode_record

log = logging.getLogger(__name__)
FOLDER = "events"
_EVENT = re.compile(
    r"^(?P<record>(?:inquiries/)?inquiries/\d{4}/\d{2}/\d{2}/(?P<id>(?!\.)[^/]+))/events/(?P<seq>\d{6})\.json$"
)
MAX_TRIES = 25  # numbers asked for before giving up (each refusal means someone else just wrote)


def events_prefix(record_key: str) -> str:
    """``inquiries/2026/11/05/<id>.json`` -> ``inquiries/2026/11/05/<id>/events/``."""
    if not record_key.endswith(".json"):
        raise ValueError(f"not a record key: {record_key!r}")
    return f"{record_key[:-5]}/{FOLDER}/"


def event_key(record_key: str, seq: int) -> str:
    return f"{events_prefix(record_key)}{seq:06d}.json"


def parse_event_key(key: str) -> tuple[str, int] | None:
    """(record key, number) of an event key; None for any other key."""
    match = _EVENT.match(key)
    return (f"{match.group('record')}.json", int(match.group("seq"))) if match else None


def _numbers(store: Store, record_key: str) -> list[int]:
    found = (parse_event_key(key) for key in store.scan(events_prefix(record_key)))
    return sorted(parsed[1] for parsed in found if parsed)


def read_event(store: Store, key: str) -> dict | None:
    """One event, or None when it cannot be read as one (logged by key, never by content)."""
    try:
        event = json.loads(store.get(key))
    except (ValueError, InquiryError):
        log.warning("inbox: event %s could not be read; it is left out", key)
        return None
    parsed = parse_event_key(key)
    if not isinstance(event, dict) or parsed is None:
        return None
    event["seq"] = parsed[1]  # the number is the key's: a body cannot claim another place
    return event


def read_events(store: Store, record_key: str) -> list[dict]:
    events = []
    for seq in _numbers(store, record_key):
        event = read_event(store, event_key(record_key, seq))
        if event is not None:
            events.append(event)
    return events


@dataclass(frozen=True)
class Appended:
    event: dict  # as stored, with its number
    meanwhile: tuple[dict, ...]  # events others added after what the writer had seen


def append(store: Store, record_key: str, event: Mapping[str, Any], seen: int | None = None) -> Appended:
    """Store ``event`` as the record's next event; never replaces one. ``seen``: the last number the
    writer had on screen (the events after it are returned as ``meanwhile``)."""
    taken = _numbers(store, record_key)
    seq = (taken[-1] if taken else 0) + 1
    for _ in range(MAX_TRIES):
        stored = {**event, "seq": seq}
        try:
            created = store.create(event_key(record_key, seq), encode_record(stored))
        except InquiryError as exc:
            raise InboxError(f"The change was not saved: {exc}") from None
        if created:
            break
        log.info("inbox: event %d of %s was taken meanwhile; trying the next number", seq, record_key)
        taken = _numbers(store, record_key)
        seq = max(seq, taken[-1] if taken else 0) + 1
    else:
        raise InboxError(
            "The change was not saved: the inquiry kept changing while saving it. Try again in a moment."
        )
    meanwhile = []
    if seen is not None:
        for number in range(seen + 1, seq):
            other = read_event(store, event_key(record_key, number))
            if other is not None:
                meanwhile.append(other)
    return Appended(stored, tuple(meanwhile))


def check_conditional_writes(store: Store) -> None:
    """Refuse a store that lets a second write replace the first (the inbox would lose changes).

    A folder store is known to refuse (``link``); an S3 store is asked once: a probe object under
    ``inbox/probe/`` is written twice with ``If-None-Match: *`` and the second must be refused."""
    if not str(store.where).startswith("s3://"):
        return
    key = f"inbox/probe/{uuid.uuid4()}.json"
    data = encode_record({"probe": "conditional writes"})
    try:
        first, second = store.create(key, data), store.create(key, data)
    except InquiryError as exc:
        raise InboxError(f"The inbox cannot write to {store.where}: {exc}") from None
    if not (first and not second):
        raise InboxError(
            f"{store.where} accepted a second write to the same key although it was asked not to "
            "(S3 conditional writes, If-None-Match): two people's changes could replace each other. "
            "Use Amazon S3, or an S3-compatible store that supports conditional writes."
        )


def read_all_events(store: Store, prefix: str = "inquiries/") -> dict[str, list[dict]]:
    """Every record's events under ``prefix`` (one listing), by record key: for the reports."""
    found: dict[str, list[dict]] = {}
    for key in store.scan(prefix):
        parsed = parse_event_key(key)
        if parsed is not None:
            event = read_event(store, key)
            if event is not None:
                found.setdefault(parsed[0], []).append(event)
    return found


def inbox_summary(record: Mapping[str, Any], events: list[dict]) -> dict[str, str]:
    """What the reports take from an inquiry's history: when it was first answered (a call, email or
    text, reached or not) and first marked contacted, booked, treated (UTC times); its status."""
    from pipeline.inbox.events import fold, stamp

    state = fold(record, events)
    summary = {"status": state.status}
    if state.first_contact_at is not None:
        summary["first_contact_at"] = stamp(state.first_contact_at)
    for status in ("contacted", "booked", "treated"):
        moment = state.first(status)
        if moment is not None:
            summary[f"{status}_at"] = stamp(moment)
    return summary

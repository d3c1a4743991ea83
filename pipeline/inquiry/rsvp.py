"""Event replies (RSVPs): the small public counts file the receiver keeps, one number per event.

An RSVP is an inquiry record with ``"kind": "rsvp"``, the event's id and the places asked for
(:func:`pipeline.inquiry.validate.parse_inquiry`). After storing one, the receiver adds its places
to ``public/rsvp-counts.json`` in the store::

    {"events": {"winter-open-house": {"places": 23, "replies": 17}}}

and answers ``GET /api/rsvp-counts.json`` with it, so event pages show the places left and the
wait-list (``theme/static/js/rsvp.js``). It holds counts only: no name, no record id, nothing about
anyone. It is rewritten with compare-and-swap (the store's ``replace``: S3 ``If-Match``), so two
replies at the same moment both count; the inbox takes places back when a reply is closed
(cancelled, did not come) and gives them again if it is reopened.

If the counts cannot be updated the reply is still stored and the visitor still told so: the
counts are a convenience for the page, the records are the truth (the inbox and the event
report count from them).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from pipeline.inquiry.errors import InquiryError
from pipeline.inquiry.store import Store, encode_record

log = logging.getLogger(__name__)
COUNTS_KEY = "public/rsvp-counts.json"
COUNTS_NAME = "rsvp-counts.json"  # the receiver's route, beside /api/inquiry
TRIES = 12


def parse_counts(data: bytes | None) -> dict[str, Any]:
    try:
        value = json.loads(data) if data else {}
    except ValueError:
        value = {}
    events = value.get("events") if isinstance(value, dict) else None
    clean = {}
    for event, entry in (events or {}).items():
        if isinstance(entry, dict):
            clean[str(event)] = {
                "places": max(0, int(entry.get("places") or 0)),
                "replies": max(0, int(entry.get("replies") or 0)),
            }
    return {"events": dict(sorted(clean.items()))}


def read_counts(store: Store) -> dict[str, Any]:
    found = store.read_tagged(COUNTS_KEY)
    return parse_counts(found[0] if found else None)


def add_places(store: Store, event: str, places: int, replies: int = 1) -> dict[str, Any]:
    """Add ``places`` (negative: take them back) and ``replies`` to ``event``; the counts after.

    Raises :class:`InquiryError` when the store refuses, or keeps changing under it."""
    for _ in range(TRIES):
        found = store.read_tagged(COUNTS_KEY)
        counts = parse_counts(found[0] if found else None)
        entry = counts["events"].setdefault(event, {"places": 0, "replies": 0})
        entry["places"] = max(0, entry["places"] + places)
        entry["replies"] = max(0, entry["replies"] + replies)
        counts["events"] = dict(sorted(counts["events"].items()))
        if store.replace(COUNTS_KEY, encode_record(counts), found[1] if found else None):
            return counts
        log.info("rsvp: the counts changed meanwhile; counting again")
    raise InquiryError("The RSVP counts kept changing while updating them.")


def places_of(record: dict) -> int:
    try:
        return max(1, int(record.get("places") or 1))
    except (TypeError, ValueError):
        return 1

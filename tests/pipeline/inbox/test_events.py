"""What an inquiry's history adds up to: the fold is the same whatever order events are read in."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from pipeline.inbox.errors import InboxError
from pipeline.inbox.events import fold, new_event, reminder_event

T0 = dt.datetime(2026, 11, 3, 17, 0, tzinfo=dt.UTC)
RECORD = {"id": "a", "received_at": "2026-11-03T16:55:00Z"}


def ev(seq: int, minutes: int, kind: str = "inquiry", **fields) -> dict:
    event = new_event(
        kind, fields, inquiry="a", by=fields.pop("by", "alex"), at=T0 + dt.timedelta(minutes=minutes)
    )
    return {**event, "seq": seq}


def test_the_ladder_and_first_contact():
    events = [
        ev(1, 3, type="contact", channel="phone", reached="no"),
        ev(2, 30, type="contact", channel="sms", reached="no", by="sam"),
        ev(3, 60, type="contact", channel="phone", reached="yes"),
        ev(4, 90, type="status", status="booked"),
        ev(5, 120, type="note", note="Prefers mornings."),
    ]
    state = fold(RECORD, events)
    assert state.status == "booked" and state.label == "Consultation booked"
    assert state.tries == 2 and state.contacts == 3 and state.notes == 1
    assert state.first_contact_at == T0 + dt.timedelta(minutes=3)  # the first try counts, answered or not
    assert state.reached_at["contacted"] == T0 + dt.timedelta(minutes=60)
    assert state.handled_by == ("alex", "sam") and state.seq == 5


def test_a_later_stage_implies_the_earlier_ones():
    state = fold(RECORD, [ev(1, 10, type="status", status="treated")])
    assert state.reached_at["contacted"] == state.reached_at["booked"] == state.reached_at["treated"]
    assert state.first_contact_at == T0 + dt.timedelta(minutes=10)


def test_closing_needs_a_reason_and_no_answer_counts_the_tries():
    with pytest.raises(InboxError) as caught:
        new_event("inquiry", {"type": "status", "status": "closed"}, inquiry="a", by="alex", at=T0)
    assert caught.value.field == "reason"
    state = fold(
        RECORD,
        [ev(n, n, type="contact", channel="phone", reached="no") for n in (1, 2, 3)]
        + [ev(4, 9, type="status", status="closed", reason="no-answer")],
    )
    assert state.label == "Closed: no answer after 3 tries" and not state.is_open


def test_event_replies_have_their_own_statuses():
    with pytest.raises(InboxError):
        new_event("rsvp", {"type": "status", "status": "booked"}, inquiry="a", by="alex", at=T0)
    state = fold(
        {**RECORD, "kind": "rsvp"}, [ev(1, 5, "rsvp", type="status", status="closed", reason="cancelled")]
    )
    assert state.label == "Closed: cancelled"


def test_the_same_events_in_any_order_give_the_same_state():
    events = [
        ev(1, 5, type="status", status="contacted"),
        ev(2, 6, type="status", status="closed", reason="spam", by="sam"),
        ev(3, 7, type="status", status="new"),  # reopened
        ev(4, 8, type="note", note="Not spam after all."),
        {**reminder_event("a", T0, 30), "seq": 5},
    ]
    states = [fold(RECORD, list(order)) for order in itertools.permutations(events)]
    assert all(state == states[0] for state in states)
    state = states[0]
    assert state.status == "new" and state.reminded_at == T0 and "reminders" not in state.handled_by


def test_unreadable_events_are_left_out():
    state = fold(
        RECORD,
        [
            {"seq": 1, "type": "status"},
            {"seq": 2, "at": "x", "type": "note"},
            {"seq": 3, "at": "2026-11-03T17:00:00Z", "type": "burn"},
        ],
    )
    assert state.status == "new" and state.history == ()


def test_a_change_says_which_field_is_wrong():
    for fields, field in (
        ({"type": "contact", "channel": "fax", "reached": "yes"}, "channel"),
        ({"type": "contact", "channel": "phone"}, "reached"),
        ({"type": "note", "note": "  "}, "note"),
        ({"type": "note", "note": "x" * 4001}, "note"),
        ({"type": "delete"}, "type"),
    ):
        with pytest.raises(InboxError) as caught:
            new_event("inquiry", fields, inquiry="a", by="alex", at=T0)
        assert caught.value.field == field, fields
    with pytest.raises(InboxError):
        new_event("inquiry", {"type": "note", "note": "hi"}, inquiry="a", by="  ", at=T0)

"""Each change is its own object next to the inquiry; two people saving at once never lose one.

Run against a folder and against real S3 servers (moto, SeaweedFS), which both honour S3's
conditional writes as Amazon S3 does (If-None-Match on PutObject, If-Match for compare-and-swap).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading

import pytest

from pipeline.inbox import journal
from pipeline.inbox.errors import InboxError
from pipeline.inbox.events import fold, new_event
from pipeline.inquiry.store import S3Store, encode_record
from tests.pipeline.inbox.conftest import put_record, s3_store

pytestmark = pytest.mark.s3
NOW = dt.datetime(2026, 11, 3, 17, 0, tzinfo=dt.UTC)


def change(by: str, note: str) -> dict:
    return new_event("inquiry", {"type": "note", "note": note}, inquiry="x", by=by, at=NOW)


def test_events_are_stored_next_to_the_record_in_order(any_store):
    key, _ = put_record(any_store, NOW)
    first = journal.append(any_store, key, change("alex", "one"))
    second = journal.append(any_store, key, change("sam", "two"), seen=0)
    assert first.event["seq"] == 1 and second.event["seq"] == 2
    assert [e["note"] for e in second.meanwhile] == ["one"]  # sam had seen none: alex's came meanwhile
    assert sorted(any_store.scan(journal.events_prefix(key))) == [journal.event_key(key, n) for n in (1, 2)]
    assert key.endswith(".json") and journal.event_key(key, 2) == key[:-5] + "/events/000002.json"
    assert [e["note"] for e in journal.read_events(any_store, key)] == ["one", "two"]
    # The record itself is never touched.
    assert b"events" not in any_store.get(key)


def test_the_store_refuses_a_second_write_of_a_key(any_store):
    assert any_store.create("inquiries/probe.json", b"1") is True
    assert any_store.create("inquiries/probe.json", b"2") is False
    assert any_store.get("inquiries/probe.json") == b"1"


def test_compare_and_swap(any_store):
    assert any_store.read_tagged("public/x.json") is None
    assert any_store.replace("public/x.json", b"1", None) is True
    assert any_store.replace("public/x.json", b"2", None) is False  # it exists now
    data, tag = any_store.read_tagged("public/x.json")
    assert data == b"1"
    assert any_store.replace("public/x.json", b"2", tag) is True
    assert any_store.replace("public/x.json", b"3", tag) is False  # someone (we) wrote meanwhile
    assert any_store.read_tagged("public/x.json")[0] == b"2"


class Racing:
    """A writer's view of the store that waits, after reading the numbers taken, until the other
    writer has read them too: both then ask for the same next number (two people pressing Save at
    the same moment), every time."""

    def __init__(self, store, barrier: threading.Barrier):
        self.store = store
        self.barrier = barrier

    def scan(self, prefix: str):
        keys = self.store.scan(prefix)
        if prefix.endswith("/events/"):
            # Once the other writer is done the barrier is broken: nothing left to race.
            with contextlib.suppress(threading.BrokenBarrierError):
                self.barrier.wait(timeout=5)
        return keys

    def __getattr__(self, name):
        return getattr(self.store, name)


def race(stores, key: str, per_writer: int) -> None:
    errors = []

    def write(n: int, store) -> None:
        try:
            for i in range(per_writer):
                journal.append(store, key, change(f"writer{n}", f"{n}-{i}"))
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            stores[n].barrier.abort()

    threads = [threading.Thread(target=write, args=(n, s)) for n, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors


@pytest.mark.parametrize("server", ["moto_s3", "seaweed_s3"])
def test_two_people_saving_at_the_same_moment_both_keep_their_change(server, request):
    s3 = request.getfixturevalue(server)
    shared = s3_store(s3)
    key, record = put_record(shared, NOW)
    barrier = threading.Barrier(2)
    # Two people, two clients (two laptops), the same bucket.
    people = [
        Racing(S3Store(s3.client(), shared.bucket, "practice", sse="AES256"), barrier) for _ in range(2)
    ]
    race(people, key, 8)
    events = journal.read_events(shared, key)
    assert [e["seq"] for e in events] == list(range(1, 17))  # no gap, no number twice
    assert sorted(e["note"] for e in events) == sorted(f"{n}-{i}" for n in range(2) for i in range(8))
    for n in range(2):  # each person's changes in the order they made them
        mine = [e["note"] for e in events if e["by"] == f"writer{n}"]
        assert mine == [f"{n}-{i}" for i in range(8)]
    assert fold(record, events) == fold(record, list(reversed(events)))


def test_many_writers_on_a_folder_store(tmp_path):
    from pipeline.inquiry.store import LocalStore

    store = LocalStore(tmp_path / "store")
    key, _ = put_record(store, NOW)
    barrier = threading.Barrier(4)
    race([Racing(store, barrier) for _ in range(4)], key, 5)
    events = journal.read_events(store, key)
    assert [e["seq"] for e in events] == list(range(1, 21)) and len({e["note"] for e in events}) == 20


class Overwriting(S3Store):
    """An S3-compatible store that ignores If-None-Match (a plain PutObject): what the inbox must not use."""

    def create(self, key, data):
        self.put(key, data)
        return True


def test_without_conditional_writes_a_change_would_be_lost(moto_s3):
    """The race above, on a store that does not refuse: one person's change disappears. This is why
    the inbox asks the store first (next test)."""
    shared = s3_store(moto_s3)
    key, _ = put_record(shared, NOW)
    barrier = threading.Barrier(2)
    people = [
        Racing(Overwriting(moto_s3.client(), shared.bucket, "practice", sse="AES256"), barrier)
        for _ in range(2)
    ]
    race(people, key, 3)
    assert len(journal.read_events(shared, key)) < 6


def test_a_store_that_would_lose_changes_is_refused(moto_s3):
    good = s3_store(moto_s3)
    journal.check_conditional_writes(good)  # moto refuses the second write, as S3 does
    bad = Overwriting(moto_s3.client(), good.bucket, "practice", sse="AES256")
    with pytest.raises(InboxError, match="conditional writes"):
        journal.check_conditional_writes(bad)


def test_an_event_cannot_claim_another_number(any_store):
    key, _ = put_record(any_store, NOW)
    any_store.put(journal.event_key(key, 1), encode_record({**change("alex", "x"), "seq": 99}))
    any_store.put(journal.event_key(key, 2), b"not json")
    events = journal.read_events(any_store, key)
    assert [e["seq"] for e in events] == [1]
    assert journal.append(any_store, key, change("sam", "y")).event["seq"] == 3

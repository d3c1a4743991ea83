"""The inbox's picture of the store, in memory: every record, its events and its folded state.

:meth:`Index.sync` lists keys (a folder walk, or S3 ListObjectsV2 pages) and reads only the
keys it has not read before (an event, once written, never changes); S3 objects are read
several at a time. A :class:`Refresher` thread keeps it current: the last two UTC days' folders
(where new inquiries, and most changes, land) every ``quick`` seconds, everything every ``full``
seconds (changes to older inquiries by other people, records removed by the bucket's retention).
Pages are then drawn from memory, whatever the store's size. Nothing here is written to disk.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from pipeline.inbox import journal
from pipeline.inbox.events import State, fold
from pipeline.inquiry.errors import InquiryError
from pipeline.inquiry.store import Store, day_of_key

log = logging.getLogger(__name__)
PREFIX = "inquiries/"


@dataclass
class Item:
    key: str  # the record's key in the store
    record: dict
    events: dict[int, dict] = field(default_factory=dict)
    state: State = field(default_factory=State)

    @property
    def id(self) -> str:
        return str(self.record.get("id") or self.key.rsplit("/", 1)[-1][:-5])

    def refold(self) -> None:
        self.state = fold(self.record, self.events.values())


class Index:
    """Records and events by key; thread-safe; ``version`` grows with every change seen."""

    def __init__(self, store: Store, workers: int = 16):
        self.store = store
        self.workers = workers
        self._lock = threading.RLock()
        self._items: dict[str, Item] = {}  # record key -> item
        self._ids: dict[str, str] = {}  # record id -> record key
        self._events: dict[str, dict[int, dict]] = {}  # record key -> seq -> event (also before its record)
        self._read: set[str] = set()  # keys read (or found unreadable): never read again
        self.version = 0
        self.arrivals: list[tuple[int, str]] = []  # (version, record id) of each record as it arrived
        self.error: str | None = None  # the last sync's failure, shown on every page until one succeeds

    # --- reading ---------------------------------------------------------------------------------

    def items(self) -> list[Item]:
        with self._lock:
            return list(self._items.values())

    def get(self, record_id: str) -> Item | None:
        with self._lock:
            key = self._ids.get(record_id)
            return self._items.get(key) if key else None

    def arrived_since(self, version: int) -> int:
        with self._lock:
            return sum(1 for v, _ in self.arrivals if v > version)

    # --- syncing ---------------------------------------------------------------------------------

    def sync(
        self, prefixes: Iterable[str] | None = None, progress: Callable[[int, int], None] | None = None
    ) -> int:
        """Read what is new under ``prefixes`` (default: the whole store); returns keys read."""
        full = prefixes is None
        try:
            listed = [key for prefix in (prefixes or [PREFIX]) for key in self.store.scan(prefix)]
        except InquiryError as exc:
            self.error = str(exc)
            log.warning("inbox: could not list the store (%s)", type(exc).__name__)
            return 0
        records, events = [], []
        for key in listed:
            if day_of_key("inquiries", key) is not None:
                records.append(key)
            elif journal.parse_event_key(key) is not None:
                events.append(key)
        with self._lock:
            todo = [k for k in records + events if k not in self._read]
        fetched = self._fetch(todo, progress)
        with self._lock:
            changed = self._apply(fetched, set(records) if full else None)
            if changed:
                self.version += 1
                for key in changed:
                    item = self._items.get(key)
                    if item is not None:
                        item.refold()
                self.arrivals += [(self.version, self._items[k].id) for k in fetched if k in self._items]
            self.error = None
        return len(todo)

    def _fetch(self, keys: list[str], progress) -> dict[str, bytes | None]:
        def one(key: str) -> tuple[str, bytes | None]:
            try:
                return key, self.store.get(key)
            except InquiryError:
                log.warning("inbox: %s could not be read; it is left out", key)
                return key, None

        out: dict[str, bytes | None] = {}
        if getattr(self.store, "client", None) is not None and len(keys) > 1:
            with ThreadPoolExecutor(self.workers) as pool:  # S3: each GET waits on the network
                for done, (key, data) in enumerate(pool.map(one, keys), 1):
                    out[key] = data
                    if progress and done % 200 == 0:
                        progress(done, len(keys))
        else:
            for done, key in enumerate(keys, 1):
                out[key] = one(key)[1]
                if progress and done % 1000 == 0:
                    progress(done, len(keys))
        if progress:
            progress(len(keys), len(keys))
        return out

    def _apply(self, fetched: dict[str, bytes | None], present: set[str] | None) -> set[str]:
        """Fold the fetched objects in; with ``present`` (a full listing) drop records now gone."""
        changed: set[str] = set()
        for key, data in fetched.items():
            self._read.add(key)
            if data is None:
                continue
            parsed = journal.parse_event_key(key)
            try:
                value = json.loads(data)
            except ValueError:
                log.warning("inbox: %s is not valid JSON; it is left out", key)
                continue
            if not isinstance(value, dict):
                continue
            if parsed:
                record_key, seq = parsed
                value["seq"] = seq
                self._events.setdefault(record_key, {})[seq] = value
                if record_key in self._items:
                    self._items[record_key].events[seq] = value
                    changed.add(record_key)
            else:
                item = Item(key, value, dict(self._events.get(key, {})))
                self._items[key] = item
                self._ids[item.id] = key
                changed.add(key)
        if present is not None:
            for key in [k for k in self._items if k not in present]:
                item = self._items.pop(key)
                self._ids.pop(item.id, None)
                changed.add(key)
        return changed

    def add_events(self, record_key: str, events: Iterable[dict]) -> None:
        """Events this process just wrote (or learnt of while writing): seen at once."""
        with self._lock:
            item = self._items.get(record_key)
            for event in events:
                seq = int(event["seq"])
                self._events.setdefault(record_key, {})[seq] = event
                self._read.add(journal.event_key(record_key, seq))
                if item is not None:
                    item.events[seq] = event
            if item is not None:
                item.refold()
            self.version += 1


def recent_prefixes(now: dt.datetime, days: int = 2) -> list[str]:
    """The day folders new records go to: today's and yesterday's (UTC), newest first."""
    today = now.astimezone(dt.UTC).date()
    return [f"{PREFIX}{today - dt.timedelta(days=n):%Y/%m/%d}/" for n in range(days)]


class Refresher:
    """Keeps an :class:`Index` current from a background thread until :meth:`stop`."""

    def __init__(self, index: Index, quick: float, full: float, now: Callable[[], dt.datetime] | None = None):
        self.index = index
        self.quick = quick
        self.full = full
        self.now = now or (lambda: dt.datetime.now(dt.UTC))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="inbox-refresh", daemon=True)

    def start(self) -> Refresher:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)

    def _run(self) -> None:
        last_full = time.monotonic()
        while not self._stop.wait(self.quick):
            try:
                if time.monotonic() - last_full >= self.full:
                    self.index.sync()
                    last_full = time.monotonic()
                else:
                    self.index.sync(recent_prefixes(self.now()))
            except Exception as exc:  # keep refreshing: a bug here must not freeze the inbox
                self.index.error = f"The inbox could not refresh ({type(exc).__name__})."
                log.error("inbox: refresh failed (%s)", type(exc).__name__)

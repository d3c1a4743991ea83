"""Benchmark: the inquiry inbox over 10,000 inquiries, against reading them with `inv inquiries`.

    .venv/bin/python bench/inbox_bench.py                  # prints the table, updates bench/RESULTS.md
    .venv/bin/python bench/inbox_bench.py --inquiries 2000 # a quicker run

The store is a folder laid out as the receiver writes it (one JSON object per inquiry, by day),
with an event history next to one inquiry in four (the inbox's own append-only events). Timed:

- `inv inquiries`: what the task runs (every record read and written out as CSV);
- opening the inbox: the first full read of the store, records and events, into memory;
- listing: the inbox's first page of new inquiries over real HTTP, then the same with a search
  and a filter (each request sorts and filters all 10,000 in memory);
- a change: a status change saved as an event, then the list again.

Anchor (the issue): the inbox lists 10,000 inquiries in under a second.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import shutil
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.results import record  # noqa: E402

WORK = ROOT / "bench" / "work" / "inbox"
GOAL_SECONDS = 1.0
CHANNELS = [
    {"utm_source": "google", "utm_medium": "cpc", "utm_campaign": "soften11", "gclid": "Cj0-x"},
    {"utm_source": "instagram", "utm_medium": "paid-social", "utm_campaign": "glow"},
    {"ref": "willow-pt", "utm_medium": "referral"},
    {"referrer": "https://www.google.com/"},
    {},
]


def generate(count: int) -> tuple[Path, int]:
    from pipeline.inbox import journal
    from pipeline.inquiry.store import LocalStore, encode_record, record_key

    shutil.rmtree(WORK, ignore_errors=True)
    store = LocalStore(WORK / "store")
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    events = 0
    for n in range(count):
        at = now - dt.timedelta(minutes=7 * n + 1)
        record_id = str(uuid.UUID(int=n + 1))
        rec = {
            "schema": 1,
            "id": record_id,
            "received_at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "form": "contact",
            "kind": "inquiry",
            "name": f"Person {n}",
            "email": f"person{n}@example.com",
            "phone": f"+1212555{n % 10000:04d}",
            "preferred_location": "harbor-district" if n % 2 else "sorrel-valley",
            "interest": ("Botox", "HydraFacial", "Lip filler", "Laser hair removal")[n % 4],
            "message": "Mornings are best.",
            "contact_method": "phone",
            "consent_contact": True,
            "consent_sms": False,
            "attribution": {"first": CHANNELS[(n + 2) % 5], "latest": CHANNELS[n % 5]},
        }
        key = record_key("inquiries", record_id, at)
        store.put(key, encode_record(rec))
        if n % 4 == 3:
            stamp = (at + dt.timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M:%SZ")
            journal.append(
                store, key, {"type": "contact", "channel": "phone", "reached": True, "by": "sam", "at": stamp}
            )
            journal.append(store, key, {"type": "note", "note": "Called back.", "by": "sam", "at": stamp})
            events += 2
    return WORK / "store", events


def timed(fn, repeat: int = 1) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return (statistics.median(times), result)


def run(count: int) -> dict:
    import runner as site_runner
    from pipeline import dates
    from pipeline.inbox.run import open_inbox
    from pipeline.inquiry import export_inquiries
    from pipeline.inquiry.store import LocalStore
    from pipeline.inquiry.wsgi import make_http_server

    settings = site_runner.load_settings("pelicanconf.py")
    folder, events = generate(count)
    store = LocalStore(folder)
    zone = dates.zone(settings.get("TIMEZONE"))
    figures = {"inquiries": count, "events": events}
    figures["export"], text = timed(lambda: export_inquiries(store, None, "csv", zone), 3)
    assert text.count("@example.com") == count

    holder = {}
    server = make_http_server(lambda environ, start: holder["app"](environ, start), "127.0.0.1", 0)
    figures["open"], inbox = timed(
        lambda: open_inbox(
            {**settings, "INBOX_REFRESH_SECONDS": 300},
            ROOT,
            port=server.server_port,
            store=store,
            user="bench",
        )
    )
    holder["app"] = inbox.app
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host = f"127.0.0.1:{server.server_port}"

    def get(path: str, cookie: str = "", method: str = "GET", body: str | None = None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=30)
        conn.request(method, path, body=body, headers={"Host": host, "Cookie": cookie, **(headers or {})})
        response = conn.getresponse()
        data = response.read().decode()
        conn.close()
        return response, data

    try:
        response, _ = get(f"/?key={inbox.app.guard.key}")
        cookie = response.getheader("Set-Cookie").split(";")[0]
        figures["list"], (_, page) = timed(lambda: get("/", cookie), 5)
        assert "page 1 of" in page, page[:500]
        figures["list_all"], _ = timed(lambda: get("/?status=all&page=7", cookie), 5)
        figures["search"], (_, found) = timed(lambda: get("/?q=person4242%40example&status=all", cookie), 5)
        assert "Person 4242" in found or count <= 4242
        import re

        first = re.search(r'href="/i/([^"]+)"', page).group(1)
        _, detail = get(f"/i/{first}", cookie)
        csrf = re.search(r'name="csrf" value="([^"]+)"', detail).group(1)
        seen = re.search(r'name="seen" value="(\d+)"', detail).group(1)
        body = f"csrf={csrf}&seen={seen}&type=status&status=contacted"
        form = {"Content-Type": "application/x-www-form-urlencoded", "Origin": f"http://{host}"}
        figures["change"], (response, _) = timed(lambda: get(f"/i/{first}", cookie, "POST", body, form))
        assert response.status == 303, response.status
        figures["list_after"], _ = timed(lambda: get("/", cookie), 5)
    finally:
        server.shutdown()
        server.server_close()
        inbox.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inquiries", type=int, default=10_000)
    args = parser.parse_args()
    f = run(args.inquiries)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    rows = [
        ("`inv inquiries` (read every record, write the CSV)", f["export"], "1.00x"),
        (
            "open the inbox (read records and events into memory)",
            f["open"],
            f"{f['open'] / f['export']:.2f}x",
        ),
        ("list: first page of new inquiries (HTTP)", f["list"], f"{f['list'] / f['export']:.3f}x"),
        ("list: every status, page 7 (HTTP)", f["list_all"], f"{f['list_all'] / f['export']:.3f}x"),
        ("list: search by email (HTTP)", f["search"], f"{f['search'] / f['export']:.3f}x"),
        ("save a status change (an event, HTTP)", f["change"], f"{f['change'] / f['export']:.3f}x"),
        ("list again after the change (HTTP)", f["list_after"], f"{f['list_after'] / f['export']:.3f}x"),
    ]
    slowest = max(f["list"], f["list_all"], f["search"], f["list_after"])
    text = "\n".join(
        [
            "## Inquiry inbox over 10,000 inquiries (issue 17)",
            "",
            f"Command: `.venv/bin/python bench/inbox_bench.py` ({f['inquiries']:,} inquiries in a folder store, "
            f"{f['events']:,} inbox events; medians of 5 requests, 3 exports).",
            "",
            f"Machine load while running: {load} (1, 5, 15 min; 2 cores).",
            "",
            "| step | seconds | ratio to `inv inquiries` |",
            "|---|---:|---:|",
            *(f"| {name} | {sec:.3f} | {ratio} |" for name, sec, ratio in rows),
            "",
            f"Goal: the inbox lists {f['inquiries']:,} inquiries in under {GOAL_SECONDS:.0f} s -> slowest listing "
            f"{slowest:.3f} s, {GOAL_SECONDS / slowest:.0f}x under ({'met' if slowest < GOAL_SECONDS else 'NOT met'}); "
            f"opening the inbox reads the store once, {f['open'] / f['export']:.2f}x the time `inv inquiries` takes.",
        ]
    )
    print(text)
    if args.inquiries == 10_000:
        record("inbox-bench", text)
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()

"""`inv serve` runs the site and the inquiry receiver together; `inv inquiries` exports what it stored."""

from __future__ import annotations

import csv
import http.client
import io
import json
import os
import socket
import subprocess
import sys
import time
from urllib.parse import urlencode

from tests.pipeline.inquiry.conftest import VALID
from tests.support.sitefactory import ROOT


def inv(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, **(env or {})},
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post(port: int, path: str, fields: dict) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(
        "POST",
        path,
        urlencode(fields),
        {"Content-Type": "application/x-www-form-urlencoded", "Origin": f"http://127.0.0.1:{port}"},
    )
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def _wait_until_listening(server: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            assert server.poll() is None, server.communicate()
            assert time.monotonic() < deadline, "inv serve did not start"
            time.sleep(0.1)


def test_serve_stores_inquiries_and_inquiries_exports_them(tmp_path):
    store = tmp_path / "store"
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "invoke", "serve", "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, "INQUIRY_STORE": str(store), "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_until_listening(server, port)
        # A plain form POST (not fetch()): the answer is a redirect to the thank-you page.
        fields = dict(VALID)
        response = _post(port, "/api/inquiry", fields)
        assert (
            response.status == 303 and response.getheader("Location") == f"http://127.0.0.1:{port}/thank-you/"
        )
        assert (
            _post(
                port, "/api/beacon", {"kind": "phone", "page": "/contact/", "target": "+18055550100"}
            ).status
            == 204
        )
        # Every response carries the site's security headers, as CloudFront sends them.
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/")
        page = conn.getresponse()
        page.read()
        conn.close()
        assert "frame-ancestors 'none'" in page.getheader("Content-Security-Policy")
        assert "form-action 'self'" in page.getheader("Content-Security-Policy")
        assert page.getheader("X-Content-Type-Options") == "nosniff"
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=10)
    assert f"http://127.0.0.1:{port}/" in out and str(store) in out
    [record] = [json.loads(p.read_text()) for p in store.glob("inquiries/*/*/*/*.json")]
    assert record["name"] == "Jane Doe"

    exported = tmp_path / "november.csv"
    result = inv(
        "inquiries", "--since", record["received_at"][:10], "--store", str(store), "--output", str(exported)
    )
    assert result.returncode == 0, result.stderr
    assert "Wrote 1 inquiries" in result.stdout
    rows = list(csv.DictReader(io.StringIO(exported.read_text())))
    assert [(r["name"], r["ft_gclid"], r["form_page"]) for r in rows] == [
        ("Jane Doe", "AbC-123_xYz", "/contact/")
    ]

    printed = inv("inquiries", "--format", "jsonl", "--clicks", "--store", str(store), "--output", "-")
    assert printed.returncode == 0 and json.loads(printed.stdout)["kind"] == "phone"

    later = inv("inquiries", "--since", "2999-01-01", "--store", str(store), "--output", "-")
    assert later.returncode == 0 and later.stdout.splitlines()[0].startswith("id,received_at,form")
    assert len(later.stdout.splitlines()) == 1  # the header only


def test_serve_says_not_sent_with_the_practices_number_when_the_store_fails(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the store's folder should be")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "invoke", "serve", "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, "INQUIRY_STORE": str(blocker)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_listening(server, port)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
        conn.request(
            "POST", "/api/inquiry", urlencode(VALID), {"Content-Type": "application/x-www-form-urlencoded"}
        )
        response = conn.getresponse()
        page = response.read().decode()
        conn.close()
    finally:
        server.terminate()
        server.wait(10)
    assert response.status == 503 and "Your message was not sent" in page
    assert 'href="tel:+18055550100">(805) 555-0100</a>' in page  # content/practice.yml's phone


def test_inquiries_since_is_midnight_at_the_practice(tmp_path):
    """pelicanconf.py's TIMEZONE is America/Los_Angeles: on 2 November 2026 (PST, UTC-8) its midnight
    is 08:00 UTC, so --since 2026-11-02 leaves out 07:30 UTC (still 1 November there)."""
    from datetime import UTC, datetime

    from pipeline.inquiry.store import LocalStore, encode_record, record_key

    store = LocalStore(tmp_path)
    for name, moment in (
        ("late", datetime(2026, 11, 2, 7, 30, tzinfo=UTC)),
        ("early", datetime(2026, 11, 2, 8, 30, tzinfo=UTC)),
    ):
        record = {"schema": 1, "id": name, "received_at": moment.strftime("%Y-%m-%dT%H:%M:%SZ"), "name": name}
        store.put(record_key("inquiries", name, moment), encode_record(record))
    result = inv(
        "inquiries", "--since", "2026-11-02", "--format", "jsonl", "--store", str(tmp_path), "--output", "-"
    )
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["early"]


def test_inquiries_refuses_bad_options_cleanly(tmp_path):
    bad_date = inv("inquiries", "--since", "last week", "--store", str(tmp_path))
    assert (
        bad_date.returncode == 1
        and "use YYYY-MM-DD" in bad_date.stderr
        and "Traceback" not in bad_date.stderr
    )
    bad_format = inv("inquiries", "--format", "xlsx", "--store", str(tmp_path))
    assert bad_format.returncode == 1 and "use csv or jsonl" in bad_format.stderr

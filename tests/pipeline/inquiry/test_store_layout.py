"""Where records land (internal/inquiries/YYYY/MM/DD/, clicks beside it), and stores written in the
earlier layout (internal/inquiries/inquiries/YYYY/MM/DD/) still read by the export, the reports and
`inv inquiries`: in a folder and in S3 (moto's server, over HTTP)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.inquiry import build_receiver, export_clicks, export_inquiries, make_app, open_store
from pipeline.inquiry.store import encode_record, record_key
from pipeline.reports.ingest import read_inquiry_source
from tests.pipeline.inquiry.conftest import VALID, request, running
from tests.support.sitefactory import ROOT

JSON = {"Accept": "application/json"}


def _record(record_id: str, when: datetime, **extra) -> dict:
    return {"schema": 1, "id": record_id, "received_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"), **extra}


def _write_old_layout(folder: Path) -> None:
    """What the receiver wrote before, with INQUIRY_STORE = "internal/inquiries"."""
    old = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
    for kind, record in (
        ("inquiries", _record("old-inquiry", old, name="Old Ann")),
        ("clicks", _record("old-click", old, kind="phone")),
    ):
        path = folder / "inquiries" / kind / "2026" / "10" / "01" / f"{record['id']}.json"
        path.parent.mkdir(parents=True)
        path.write_bytes(encode_record(record))


def test_records_land_in_internal_inquiries_by_day_and_clicks_beside_it(tmp_path):
    receiver = build_receiver({"INQUIRY_STORE": "internal/inquiries"}, root=tmp_path)
    with running(make_app(receiver)) as origin:
        assert request(origin + "/api/inquiry", body=VALID, headers=JSON).status == 200
        assert request(origin + "/api/beacon", body={"kind": "phone", "page": "/"}).status == 204
    files = sorted(p.relative_to(tmp_path).parts for p in tmp_path.rglob("*.json"))
    assert [(p[:2], len(p)) for p in files] == [(("internal", "clicks"), 6), (("internal", "inquiries"), 6)]
    day = datetime.now(UTC)
    assert files[1][2:5] == (f"{day:%Y}", f"{day:%m}", f"{day:%d}")  # internal/inquiries/YYYY/MM/DD/<id>.json
    assert not (tmp_path / "internal" / "inquiries" / "inquiries").exists()
    # The same store, however it is named: the folder that holds inquiries/, or inquiries/ itself.
    for spec in ("internal", "internal/inquiries", str(tmp_path / "internal" / "inquiries") + "/"):
        assert len(export_inquiries(open_store(spec, root=tmp_path), None, "jsonl").splitlines()) == 1, spec


def test_the_old_layout_is_still_read_by_exports_reports_and_the_task(tmp_path):
    internal = tmp_path / "internal"
    _write_old_layout(internal)
    store = open_store("internal/inquiries", root=tmp_path)
    new = datetime(2026, 11, 5, 14, 0, tzinfo=UTC)
    store.put(
        record_key("inquiries", "new-inquiry", new), encode_record(_record("new-inquiry", new, name="New Bo"))
    )
    assert (internal / "inquiries" / "2026" / "11" / "05" / "new-inquiry.json").is_file()

    def ids(text: str) -> list[str]:
        return [json.loads(line)["id"] for line in text.splitlines()]

    assert ids(export_inquiries(store, None, "jsonl")) == ["old-inquiry", "new-inquiry"]
    assert ids(export_inquiries(store, "2026-11-01", "jsonl")) == ["new-inquiry"]
    assert ids(export_inquiries(store, "2026-10-01", "jsonl")) == ["old-inquiry", "new-inquiry"]
    assert ids(export_clicks(store, None, "jsonl")) == ["old-click"]  # never mixed with the inquiries

    # The reports read REPORT_SOURCES' "internal/inquiries" (pelicanconf.py) from both layouts.
    assert sorted(r["id"] for _, r in read_inquiry_source("internal/inquiries", tmp_path)) == [
        "new-inquiry",
        "old-inquiry",
    ]

    # `inv inquiries` (a real subprocess, as the coordinator runs it).
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "invoke",
            "inquiries",
            "--format",
            "jsonl",
            "--output",
            "-",
            "--store",
            str(internal / "inquiries"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(ids(result.stdout)) == ["new-inquiry", "old-inquiry"]


@pytest.mark.s3
def test_an_s3_store_reads_both_layouts(moto_s3):
    bucket = moto_s3.new_bucket("layout")
    client = moto_s3.client()
    old, new = datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 11, 5, tzinfo=UTC)
    objects = {
        "site/inquiries/inquiries/2026/10/01/old-inquiry.json": _record("old-inquiry", old),
        "site/inquiries/clicks/2026/10/01/old-click.json": _record("old-click", old, kind="phone"),
        "site/inquiries/2026/11/05/new-inquiry.json": _record("new-inquiry", new),
        "site/clicks/2026/11/05/new-click.json": _record("new-click", new, kind="booking"),
        "site/inquiries/2026/11/05/notes.txt": {},  # not a record
    }
    for key, record in objects.items():
        client.put_object(Bucket=bucket, Key=key, Body=encode_record(record))
    for spec in (f"s3://{bucket}/site", f"s3://{bucket}/site/inquiries"):
        store = open_store(spec, s3_client=client, sse="AES256")
        inquiries = [json.loads(x)["id"] for x in export_inquiries(store, None, "jsonl").splitlines()]
        clicks = [json.loads(x)["id"] for x in export_clicks(store, None, "jsonl").splitlines()]
        assert (inquiries, clicks) == (["old-inquiry", "new-inquiry"], ["old-click", "new-click"]), spec
        since = [json.loads(x)["id"] for x in export_inquiries(store, "2026-11-01", "jsonl").splitlines()]
        assert since == ["new-inquiry"]

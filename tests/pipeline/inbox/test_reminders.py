"""Follow-up reminders: due after business minutes (the clinics' hours), one content-free email
through SES (moto's server), recorded as an event so nobody is reminded twice; the scheduled
Lambda function runs the same code from the package alone."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import zipfile
from zoneinfo import ZoneInfo

import pytest

from pipeline.business_hours import Calendar
from pipeline.inbox import journal
from pipeline.inbox.events import fold
from pipeline.inbox.index import Item
from pipeline.inbox.reminders import due, reminder_text, send_reminders
from pipeline.inquiry.notify import SesNotifier
from pipeline.inquiry.package import REMINDER_HANDLER, write_package
from tests.pipeline.inbox.conftest import put_record, s3_store
from tests.support.ses import wire as ses_wire
from tests.support.sitefactory import ROOT

LA = ZoneInfo("America/Los_Angeles")
TABLE = {
    "timezone": "America/Los_Angeles",
    "clinics": {
        "harbor": {"name": "Harbor Clinic", "hours": {d: "8:00-17:00" for d in ("monday", "friday")}},
    },
}
CAL = Calendar.from_table(TABLE)
FRIDAY_LATE = dt.datetime(2026, 11, 6, 16, 50, tzinfo=LA)  # 10 minutes before closing
SECRETS = ("Jane", "Doe", "jane.doe@example.com", "555", "Botox", "Mornings")


def item(received: dt.datetime, events=(), **fields) -> Item:
    record = {
        "id": fields.pop("id", "r1"),
        "received_at": received.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "preferred_location": "harbor",
        **fields,
    }
    return Item("inquiries/x.json", record, {}, fold(record, list(events)))


def test_due_counts_business_minutes_only():
    late = item(FRIDAY_LATE)
    # Friday 16:50 -> Monday 8:19: 10 + 19 business minutes, although it is three days later.
    assert due([late], CAL, dt.datetime(2026, 11, 9, 8, 19, tzinfo=LA), 30) == []
    [waiting] = due([late], CAL, dt.datetime(2026, 11, 9, 8, 20, tzinfo=LA), 30)
    assert waiting.minutes == 30
    at = "2026-11-06T23:55:00Z"
    contacted = item(
        FRIDAY_LATE, [{"type": "contact", "channel": "phone", "reached": False, "at": at}], id="c"
    )
    reminded = item(FRIDAY_LATE, [{"type": "reminder", "at": at, "by": "reminders"}], id="d")
    rsvp = item(FRIDAY_LATE, id="e", kind="rsvp")
    closed = item(FRIDAY_LATE, [{"type": "status", "status": "closed", "reason": "spam", "at": at}], id="f")
    monday = dt.datetime(2026, 11, 9, 12, 0, tzinfo=LA)
    assert [w.id for w in due([contacted, reminded, rsvp, closed, late], CAL, monday, 30)] == ["r1"]
    assert due([late], CAL, monday, 0) == []  # 0: reminders off


def test_the_email_names_no_patient_data():
    waiting = due([item(FRIDAY_LATE, id="abc")], CAL, dt.datetime(2026, 11, 9, 9, 0, tzinfo=LA), 30)
    subject, body = reminder_text(waiting, 30, "s3://bucket")
    assert subject == "1 inquiry waiting 30 minutes"
    assert "Reference: abc (waiting 70 minutes)" in body


@pytest.mark.s3
def test_one_email_then_an_event_and_never_twice(moto_s3):
    store = s3_store(moto_s3)
    ses = moto_s3.client("ses")
    ses.verify_email_identity(EmailAddress="frontdesk@example-medspa.com")
    wire = ses_wire(ses)
    notifier = SesNotifier(ses, "frontdesk@example-medspa.com", "frontdesk@example-medspa.com", store.where)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    always = Calendar.from_table(
        {"timezone": "UTC", "clinics": {"harbor": {"name": "H", "hours": {d: "0:00-24:00" for d in DAYS}}}}
    )
    waiting_key, waiting = put_record(store, now - dt.timedelta(minutes=45), preferred_location="harbor")
    put_record(store, now - dt.timedelta(minutes=10), preferred_location="harbor")  # not yet
    answered_key, answered = put_record(store, now - dt.timedelta(hours=2), preferred_location="harbor")
    journal.append(
        store,
        answered_key,
        {"type": "status", "status": "contacted", "by": "sam", "at": now.strftime("%Y-%m-%dT%H:%M:%SZ")},
    )
    outcome = send_reminders(store, always, notifier.send_text, now, 30)
    assert outcome.sent and outcome.reminded == (waiting["id"],)
    [message] = wire
    assert message["Message.Subject.Data"] == ["1 inquiry waiting 30 minutes"]
    text = " ".join(v for values in message.values() for v in values)
    assert waiting["id"] in text
    for secret in SECRETS:
        assert secret.lower() not in text.lower(), secret
    [event] = journal.read_events(store, waiting_key)
    assert (event["type"], event["by"], event["minutes"]) == ("reminder", "reminders", 30)
    assert json.loads(store.get(waiting_key)) == waiting  # the record itself is untouched
    # The next run finds nothing new to remind of.
    again = send_reminders(store, always, notifier.send_text, now + dt.timedelta(minutes=5), 30)
    assert again.reminded == () and len(wire) == 1


@pytest.mark.s3
def test_a_refused_email_is_not_recorded_so_the_next_run_tries_again(moto_s3, caplog):
    store = s3_store(moto_s3)
    ses = moto_s3.client("ses")  # the sender is not verified: SES refuses
    notifier = SesNotifier(ses, "nobody@example-medspa.com", "nobody@example-medspa.com", store.where)
    now = dt.datetime.now(dt.UTC)
    always = Calendar.from_table(
        {"timezone": "UTC", "clinics": {"h": {"name": "H", "hours": {d: "0:00-24:00" for d in DAYS}}}}
    )
    key, _ = put_record(store, now - dt.timedelta(hours=1))
    assert send_reminders(store, always, notifier.send_text, now, 30).sent is False
    assert journal.read_events(store, key) == []
    assert "MessageRejected" in caplog.text


DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@pytest.mark.s3
def test_the_scheduled_function_runs_from_the_package_alone(moto_s3, tmp_path):
    """The Lambda package, unzipped alone, runs the reminders with the clinics' hours it carries."""
    always = {"timezone": "UTC", "clinics": {"h": {"name": "H", "hours": {d: "0:00-24:00" for d in DAYS}}}}
    package = write_package(ROOT, tmp_path / "zip", always)
    names = zipfile.ZipFile(package).namelist()
    assert "business_hours.json" in names and "pipeline/inbox/reminders.py" in names
    assert not any(
        n.startswith(("pipeline/content/", "jinja2/")) or n.endswith("inbox/app.py") for n in names
    )
    folder = tmp_path / "task"
    zipfile.ZipFile(package).extractall(folder)
    bucket = moto_s3.new_bucket("remind")
    from pipeline.inquiry.store import S3Store

    store = S3Store(moto_s3.client(), bucket, "", sse="AES256")
    key, record = put_record(store, dt.datetime.now(dt.UTC) - dt.timedelta(minutes=50))
    ses = moto_s3.client("ses")
    ses.verify_email_identity(EmailAddress="frontdesk@example-medspa.com")
    sent_before = ses.get_send_quota()["SentLast24Hours"]
    module, function = REMINDER_HANDLER.rsplit(".", 1)
    code = (
        "import sys, json; sys.path.insert(0, sys.argv[1]);"
        f"import {module} as m; import pipeline; assert pipeline.__file__.startswith(sys.argv[1]);"
        f"print(json.dumps(m.{function}({{'source': 'aws.events'}}, None)))"
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "INQUIRY_", "INBOX_"))},
        **moto_s3.env(),
        "INQUIRY_STORE": f"s3://{bucket}",
        "INQUIRY_SSE": "AES256",
        "INQUIRY_NOTIFY_EMAIL": "frontdesk@example-medspa.com",
        "INBOX_REMINDER_MINUTES": "30",
    }
    result = subprocess.run(
        [sys.executable, "-c", code, str(folder)], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"reminded": 1, "sent": True}
    assert ses.get_send_quota()["SentLast24Hours"] == sent_before + 1
    [event] = journal.read_events(store, key)
    assert event["type"] == "reminder" and event["inquiry"] == record["id"]

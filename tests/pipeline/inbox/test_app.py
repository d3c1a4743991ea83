"""The inbox over real HTTP: what it lists and in which order, how a change is made, who it
answers, and what it never logs."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time

import pytest

from pipeline.inbox import journal
from pipeline.inquiry.rsvp import read_counts
from pipeline.inquiry.store import LocalStore
from tests.pipeline.inbox.conftest import put_record, s3_store, serve_inbox

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
REFERRED = {
    "first": {
        "ref": "willow-pt",
        "utm_source": "willow-pt",
        "utm_medium": "referral",
        "landing_page": "/?ref=willow-pt",
    },
    "latest": {
        "utm_source": "google",
        "utm_medium": "cpc",
        "utm_campaign": "soften11",
        "gclid": "Cj0-x",
        "landing_page": "/procedures/botox/?utm_source=google",
    },
}


@pytest.fixture
def store(tmp_path):
    return LocalStore(tmp_path / "store")


def ids(page: str) -> list[str]:
    return re.findall(r'<h2 id="t-([^"]+)">', page)


def entry(page: str, record_id: str) -> str:
    return page.split(f'<h2 id="t-{record_id}">')[1].split("</article>")[0]


def test_new_inquiries_come_first_with_age_contact_and_attribution(store):
    old_key, old = put_record(store, NOW - dt.timedelta(days=2), name="Ola Old")
    _, newer = put_record(store, NOW - dt.timedelta(minutes=12), name="Nia Newer", attribution=REFERRED)
    _, newest = put_record(store, NOW - dt.timedelta(minutes=3), name="Ned Newest", email=None)
    done_key, done = put_record(store, NOW - dt.timedelta(minutes=1), name="Dot Done")
    journal.append(
        store,
        done_key,
        {
            "type": "status",
            "status": "contacted",
            "by": "sam",
            "at": NOW.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "inquiry": done["id"],
        },
    )
    # The inbox's clock is the records' (NOW is taken when the tests are collected, maybe minutes earlier).
    with serve_inbox(store, now=lambda: NOW) as person:
        page = person.get("/").text
    assert ids(page) == [newest["id"], newer["id"], old["id"], done["id"]]  # new ones first, newest first
    item = entry(page, newer["id"])
    assert "12 min ago" in item and "Botox" in item and "Harbor District Clinic" in item
    assert 'href="tel:+12125550123"' in item and "Call (212) 555-0123" in item
    assert 'href="mailto:jane.doe@example.com"' in item
    # Credited as the reports credit it: the latest campaign visit, and the partner from the first.
    assert "Paid search" in item and "campaign soften11" in item and "/procedures/botox/" in item
    assert "referred by Willow Creek Physical Therapy" in item
    assert "mailto:" not in entry(page, newest["id"])  # no email given: no email link
    done_item = entry(page, done["id"])
    assert "Contacted" in done_item and "handled by sam" in done_item


def test_filters_search_and_pages(store):
    for n in range(7):
        put_record(store, NOW - dt.timedelta(hours=n), name=f"Person {n}", email=f"p{n}@example.com")
    key, rsvp = put_record(
        store, NOW, name="Rita Reply", form="event", kind="rsvp", event="winter-open-house", places=2
    )
    with serve_inbox(store, settings={"INBOX_PAGE_SIZE": 5}) as person:
        first = person.get("/").text
        assert len(ids(first)) == 5 and "page 1 of 2" in first and 'rel="next"' in first
        assert len(ids(person.get("/?page=2").text)) == 3
        found = person.get("/?q=p3%40example").text
        assert len(ids(found)) == 1 and "Person 3" in found
        replies = person.get("/?kind=rsvp").text
        assert (
            ids(replies) == [rsvp["id"]]
            and "Winter open house (2 places)" in replies
            and "place 2 of 40" in replies
        )
        assert ids(person.get("/?status=closed").text) == []


def test_a_change_is_an_event_and_the_page_says_what_is_wrong(store):
    key, record = put_record(store, NOW - dt.timedelta(minutes=5))
    with serve_inbox(store) as person:
        reply = person.change(
            record["id"], {"type": "contact", "channel": "phone", "reached": "no", "note": "Voicemail."}
        )
        assert (
            reply.status == 303
            and reply.headers["location"] == f"/i/{record['id']}?saved=1&meanwhile=0#saved"
        )
        refused = person.change(
            record["id"], {"type": "status", "status": "closed", "reason": "", "note": "kept text"}
        )
        assert refused.status == 422
        assert 'id="reason" name="reason" aria-invalid="true" aria-describedby="error-reason"' in refused.text
        assert 'id="error-reason"' in refused.text and "kept text" in refused.text
        closed = person.change(record["id"], {"type": "status", "status": "closed", "reason": "no-answer"})
        assert closed.status == 303
        page = person.get(closed.headers["location"]).text
    assert "Saved." in page and "Closed: no answer after 1 try" in page
    events = journal.read_events(store, key)
    assert [(e["seq"], e["type"], e["by"]) for e in events] == [(1, "contact", "alex"), (2, "status", "alex")]
    assert json.loads(store.get(key)) == record  # the record itself is never edited


def test_it_answers_only_its_own_address_and_its_own_pages(store):
    _, record = put_record(store, NOW)
    with serve_inbox(store) as person:
        for reply in (person.get("/"), person.get("/static/inbox.css")):
            assert reply.headers["content-security-policy"].startswith("default-src 'none'")
            assert "frame-ancestors 'none'" in reply.headers["content-security-policy"]
            assert reply.headers["x-frame-options"] == "DENY" and reply.headers["cache-control"] == "no-store"
        # DNS rebinding: a name that points at 127.0.0.1 is not the inbox's.
        assert (
            person.get("/", headers={"Host": "attacker.example:" + person.host.split(":")[1]}).status == 421
        )
        # No session: nothing but the way in.
        stranger = type(person)(person.origin, person.inbox)
        locked = stranger.get("/")
        assert locked.status == 401 and record["name"] not in locked.text
        assert stranger.get(f"/?key={'x' * 32}").status == 403
        entered = stranger.get(f"/?key={person.inbox.app.guard.key}&status=new")
        assert entered.headers["location"] == "/?status=new"  # the key leaves the address bar
        assert (
            "HttpOnly" in entered.headers["set-cookie"] and "SameSite=Strict" in entered.headers["set-cookie"]
        )
        # A change from anywhere else, or without this session's token, is refused.
        token = person.csrf(record["id"])
        fields = {"type": "note", "note": "hello"}
        assert person.change(record["id"], fields, origin="https://evil.example", token=token).status == 403
        assert person.change(record["id"], fields, origin="null", token=token).status == 403
        assert person.change(record["id"], fields, token=("forged", token[1])).status == 403
        stranger.open()
        assert stranger.change(record["id"], fields, token=token).status == 403  # another session's token
        no_origin = person.request(
            "POST",
            f"/i/{record['id']}",
            "csrf=" + token[0] + "&type=note&note=x",
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert no_origin.status == 403
        cross = person.request(
            "POST",
            f"/i/{record['id']}",
            "csrf=" + token[0] + "&type=note&note=x",
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": person.origin,
                "Sec-Fetch-Site": "cross-site",
            },
        )
        assert cross.status == 403
        assert person.change(record["id"], fields, token=token).status == 303
    assert len(journal.read_events(store, journal_key(store, record))) == 1


def journal_key(store, record) -> str:
    [key] = [k for k in store.keys("inquiries") if record["id"] in k]
    return key


@pytest.mark.s3
@pytest.mark.parametrize("server", ["moto_s3", "seaweed_s3"])
def test_two_people_in_two_inboxes_on_one_bucket(server, request):
    s3 = request.getfixturevalue(server)
    bucket = s3_store(s3)
    key, record = put_record(bucket, NOW - dt.timedelta(minutes=9))
    from pipeline.inquiry.store import S3Store

    other = S3Store(s3.client(), bucket.bucket, "practice", sse="AES256")
    with serve_inbox(bucket, user="alex") as alex, serve_inbox(other, user="sam") as sam:
        alex_form, sam_form = alex.csrf(record["id"]), sam.csrf(record["id"])  # both pages open at once
        assert (
            alex.change(record["id"], {"type": "status", "status": "contacted"}, token=alex_form).status
            == 303
        )
        saved = sam.change(
            record["id"], {"type": "note", "note": "She asked for a call back."}, token=sam_form
        )
        assert saved.headers["location"].endswith("saved=2&meanwhile=1#saved")
        page = sam.get(saved.headers["location"]).text
        assert "1 other change arrived while you were working" in page
        assert "Contacted" in page and "She asked for a call back." in page
        deadline = time.monotonic() + 10
        while "She asked for a call back." not in alex.get(f"/i/{record['id']}").text:
            assert time.monotonic() < deadline, "alex's inbox never saw sam's note"
            time.sleep(0.1)
    events = journal.read_events(bucket, key)
    assert [(e["seq"], e["by"], e["type"]) for e in events] == [(1, "alex", "status"), (2, "sam", "note")]


def test_the_logs_never_carry_patient_data(store, caplog, capfd):
    secrets = [
        "Jane Doe",
        "jane.doe@example.com",
        "2125550123",
        "Mornings are best",
        "Botox",
        "lip filler after her divorce",
    ]
    key, record = put_record(store, NOW - dt.timedelta(minutes=40))
    caplog.set_level(logging.DEBUG)
    with serve_inbox(store) as person:
        person.get("/?q=Jane+Doe")
        person.get("/?q=jane.doe%40example.com&status=all")
        person.get(f"/i/{record['id']}")
        person.change(record["id"], {"type": "note", "note": "Wants lip filler after her divorce."})
        person.change(record["id"], {"type": "status", "status": "closed", "reason": ""})  # refused
        person.change(record["id"], {"type": "note", "note": "x" * 5000})  # refused
        person.change(record["id"], {"type": "note", "note": "Jane Doe"}, origin="https://evil.example")
        person.get("/i/nope")
        person.get("/changes?since=0")
    logged = caplog.text + "\n".join(capfd.readouterr())
    assert record["id"] in logged  # the log does say what happened, by reference
    for secret in secrets:
        assert secret.lower() not in logged.lower(), secret


def test_event_replies_take_and_free_places(store):
    from pipeline.inquiry.rsvp import add_places

    key, rsvp = put_record(
        store, NOW, name="Rita Reply", form="event", kind="rsvp", event="winter-open-house", places=3
    )
    add_places(store, "winter-open-house", 3)  # as the receiver does when it stores the reply
    with serve_inbox(store) as person:
        person.change(rsvp["id"], {"type": "status", "status": "closed", "reason": "cancelled"})
        assert read_counts(store)["events"]["winter-open-house"] == {"places": 0, "replies": 0}
        person.change(rsvp["id"], {"type": "status", "status": "closed", "reason": "no-show"})  # still closed
        assert read_counts(store)["events"]["winter-open-house"]["places"] == 0
        person.change(rsvp["id"], {"type": "status", "status": "confirmed"})
        assert read_counts(store)["events"]["winter-open-house"] == {"places": 3, "replies": 1}


def test_the_list_says_when_new_inquiries_arrive(store):
    put_record(store, NOW - dt.timedelta(minutes=1))
    with serve_inbox(store) as person:
        version = int(re.search(r'data-version="(\d+)"', person.get("/").text).group(1))
        assert json.loads(person.get(f"/changes?since={version}").text)["new"] == 0
        put_record(store, NOW)
        deadline = time.monotonic() + 10
        while json.loads(person.get(f"/changes?since={version}").text)["new"] != 1:
            assert time.monotonic() < deadline
            time.sleep(0.05)

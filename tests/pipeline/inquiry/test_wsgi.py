"""The WSGI face over real HTTP: wsgiref on 127.0.0.1, a real folder store, the site beside it."""

from __future__ import annotations

import json
import os
import stat
import time
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest

from pipeline.inquiry.fields import VISITOR_FIELDS, hidden_fields
from tests.pipeline.inquiry.conftest import VALID, leftovers, request, stored

JSON = {"Accept": "application/json"}


def test_plain_post_redirects_to_thank_you_after_storing(serve_receiver):
    with serve_receiver() as (origin, root):
        reply = request(origin + "/api/inquiry", body=VALID, headers={"Origin": origin})
        assert reply.status == 303
        assert reply.headers["Location"] == origin + "/thank-you/"
        [record] = stored(root)
    assert record["name"] == "Jane Doe"
    assert record["email"] == "Jane.Doe@example.com"
    assert record["phone"] == "+12125550123"
    assert record["message"] == "I'd like to book a consultation.\nMornings work best."
    assert record["form_page"] == "/contact/"
    assert record["consent_contact"] is True and record["consent_sms"] is False
    first, latest = record["attribution"]["first"], record["attribution"]["latest"]
    assert first["gclid"] == "AbC-123_xYz"  # exact case
    assert first["utm_campaign"] == "spring" and latest["utm_campaign"] == "November"
    assert latest["referrer"] == "https://mail.example.net/"
    assert first["timestamp"] == "2026-10-01T09:30:00Z"
    assert leftovers(root) == []


def test_stored_file_is_private_to_the_owner(serve_receiver):
    with serve_receiver() as (origin, root):
        request(origin + "/api/inquiry", body=VALID)
    [path] = list((root / "inquiries").rglob("*.json"))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_fetch_gets_json_and_the_record_is_stored(serve_receiver):
    with serve_receiver() as (origin, root):
        reply = request(origin + "/api/inquiry", body=VALID, headers={**JSON, "Origin": origin})
        assert reply.status == 200
        assert reply.json() == {"ok": True, "redirect": origin + "/thank-you/"}
        assert reply.headers["Content-Type"].startswith("application/json")
        assert reply.headers["Cache-Control"] == "no-store"
        assert len(stored(root)) == 1


def test_json_body_is_accepted(serve_receiver):
    body = {**VALID, "consent_contact": True, "fill_ms": 9000}
    with serve_receiver() as (origin, root):
        reply = request(origin + "/api/inquiry", body=body, headers={"Content-Type": "application/json"})
        assert reply.status == 200 and reply.json()["ok"] is True
        assert stored(root)[0]["attribution"]["first"]["gclid"] == "AbC-123_xYz"


def test_honeypot_looks_like_success_but_stores_nothing(serve_receiver):
    with serve_receiver() as (origin, root):
        plain = request(origin + "/api/inquiry", body={**VALID, "website": "http://spam.example"})
        fetched = request(origin + "/api/inquiry", body={**VALID, "website": "x"}, headers=JSON)
        assert plain.status == 303 and plain.headers["Location"].endswith("/thank-you/")
        assert fetched.status == 200 and fetched.json()["ok"] is True
        assert stored(root) == []


def test_too_fast_is_refused_and_not_stored(serve_receiver):
    with serve_receiver(INQUIRY_MIN_FILL_SECONDS=3) as (origin, root):
        fetched = request(origin + "/api/inquiry", body={**VALID, "fill_ms": "2999"}, headers=JSON)
        assert fetched.status == 422 and fetched.json()["error"] == "too_fast"
        missing = {k: v for k, v in VALID.items() if k != "fill_ms"}
        assert request(origin + "/api/inquiry", body=missing, headers=JSON).json()["error"] == "too_fast"
        # A plain post is not stored either: it gets the one-step confirmation page.
        plain = request(origin + "/api/inquiry", body={**VALID, "fill_ms": "0"})
        assert plain.status == 200 and b"not been sent yet" in plain.body
        assert stored(root) == []


def test_without_javascript_a_confirmation_page_measures_the_fill_time(serve_receiver):
    """A form sent without the script has no fill time: the receiver answers a page that keeps the
    fields and carries its own signed clock; sent again once long enough has passed, it is stored."""
    no_js = {**VALID, **dict.fromkeys(hidden_fields(), ""), "form": "contact", "form_page": "/contact/"}
    with serve_receiver(INQUIRY_MIN_FILL_SECONDS=1) as (origin, root):
        first = request(origin + "/api/inquiry", body=no_js, headers={"Origin": origin})
        assert first.status == 200 and first.headers["Cache-Control"] == "no-store"
        form = lxml.html.fromstring(first.body).forms[0]
        assert form.method == "POST" and form.action == "/api/inquiry"
        fields = dict(form.form_values())
        assert {k: v for k, v in fields.items() if k != "fill_token"} == {
            k: v for k, v in no_js.items() if k not in ("fill_ms", "website")
        }
        assert stored(root) == []
        again = request(origin + "/api/inquiry", body=fields, headers={"Origin": origin})  # at once: too soon
        assert again.status == 200 and stored(root) == []
        assert (
            dict(lxml.html.fromstring(again.body).forms[0].form_values())["fill_token"]
            == fields["fill_token"]
        )
        forged = {**fields, "fill_token": "1000." + fields["fill_token"].split(".")[1]}
        time.sleep(1.05)
        assert request(origin + "/api/inquiry", body=forged).status == 200 and stored(root) == []
        sent = request(origin + "/api/inquiry", body=fields, headers={"Origin": origin})
        assert sent.status == 303 and sent.headers["Location"] == origin + "/thank-you/"
        [record] = stored(root)
    assert record["name"] == "Jane Doe" and "fill_token" not in record


def test_the_confirmation_page_reflects_no_markup(serve_receiver):
    hostile = {
        **VALID,
        **dict.fromkeys(hidden_fields(), ""),
        "form": "contact",
        "message": '"><script>alert(1)</script>',
        '"><img src=x onerror=alert(1)>': "x",
    }
    with serve_receiver() as (origin, root):
        page = request(origin + "/api/inquiry", body=hostile)
    doc = lxml.html.fromstring(page.body)
    assert doc.xpath("//script") == [] and doc.xpath("//img") == []
    assert dict(doc.forms[0].form_values())["message"] == hostile["message"]
    assert all(
        name in (*VISITOR_FIELDS, *hidden_fields(), "fill_token") for name, _ in doc.forms[0].form_values()
    )


def test_local_mode_keys_the_rate_limit_on_the_connection_not_a_cloudfront_header(serve_receiver):
    """`inv serve` has no CloudFront in front: a CloudFront-Viewer-Address (or X-Origin-Verify) sent by
    the client changes nothing, so spoofed addresses get no fresh rate-limit identity."""
    with serve_receiver(INQUIRY_RATE_LIMIT="3/hour") as (origin, root):
        statuses = [
            request(
                origin + "/api/inquiry",
                body=VALID,
                headers={
                    **JSON,
                    "CloudFront-Viewer-Address": f"203.0.113.{n}:4{n:04d}",
                    "X-Origin-Verify": "anything",
                },
            ).status
            for n in range(30)
        ]
        assert statuses == [200] * 3 + [429] * 27
        assert len(stored(root)) == 3


def test_invalid_email_gets_field_errors(serve_receiver):
    with serve_receiver() as (origin, root):
        reply = request(origin + "/api/inquiry", body={**VALID, "email": "jane@", "name": ""}, headers=JSON)
        assert reply.status == 422
        payload = reply.json()
        assert payload["error"] == "invalid"
        assert set(payload["errors"]) == {"email", "name"}
        assert "after the @-sign" in payload["errors"]["email"]
        assert stored(root) == []


def test_invalid_plain_post_goes_back_to_the_form_with_a_flag(serve_receiver):
    with serve_receiver() as (origin, root):
        reply = request(origin + "/api/inquiry", body={**VALID, "phone": "12", "consent_contact": ""})
        assert reply.status == 303
        location = urlsplit(reply.headers["Location"])
        assert f"{location.scheme}://{location.netloc}" == origin
        assert location.path == "/contact/" and location.fragment == "inquiry-form"
        query = parse_qs(location.query)
        assert query == {"inquiry_error": ["invalid"], "inquiry_fields": ["consent_contact,phone"]}
        assert stored(root) == []


def test_form_page_cannot_redirect_off_site(serve_receiver):
    with serve_receiver() as (origin, root):
        reply = request(origin + "/api/inquiry", body={**VALID, "email": "x", "form_page": "//evil.example/"})
        assert urlsplit(reply.headers["Location"]).netloc == urlsplit(origin).netloc


def test_cors_preflight_only_for_site_origins(serve_receiver):
    site = "https://www.example-medspa.com"
    with serve_receiver(INQUIRY_ORIGINS=[site]) as (origin, root):
        allowed = request(
            origin + "/api/inquiry",
            "OPTIONS",
            headers={
                "Origin": site,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        )
        assert allowed.status == 204
        assert allowed.headers["Access-Control-Allow-Origin"] == site
        assert "POST" in allowed.headers["Access-Control-Allow-Methods"]
        assert "Content-Type" in allowed.headers["Access-Control-Allow-Headers"]
        assert "Origin" in allowed.headers["Vary"]

        refused = request(
            origin + "/api/inquiry",
            "OPTIONS",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
        assert refused.status == 403
        assert refused.headers["Access-Control-Allow-Origin"] is None


def test_post_from_a_foreign_origin_is_refused_and_not_stored(serve_receiver):
    site = "https://www.example-medspa.com"
    with serve_receiver(INQUIRY_ORIGINS=[site]) as (origin, root):
        ok = request(origin + "/api/inquiry", body=VALID, headers={**JSON, "Origin": site})
        assert ok.status == 200 and ok.headers["Access-Control-Allow-Origin"] == site
        assert ok.json()["redirect"] == site + "/thank-you/"  # back to the site, not the receiver
        for bad in ("https://evil.example", "null", "https://www.example-medspa.com.evil.example"):
            refused = request(origin + "/api/inquiry", body=VALID, headers={**JSON, "Origin": bad})
            assert refused.status == 403, bad
            assert refused.json()["error"] == "origin_not_allowed"
            assert refused.headers["Access-Control-Allow-Origin"] is None
        assert len(stored(root)) == 1


def test_rate_limit_per_client(serve_receiver):
    with serve_receiver(INQUIRY_RATE_LIMIT="3/hour") as (origin, root):
        statuses = [request(origin + "/api/inquiry", body=VALID, headers=JSON).status for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        limited = request(origin + "/api/inquiry", body=VALID, headers=JSON)
        assert limited.json()["error"] == "rate_limited"
        assert int(limited.headers["Retry-After"]) > 0
        plain = request(origin + "/api/inquiry", body=VALID)
        assert plain.status == 429 and b"not sent" in plain.body
        assert len(stored(root)) == 3


def test_oversized_body_is_refused_unread(serve_receiver):
    with serve_receiver(INQUIRY_MAX_BYTES=8192) as (origin, root):
        reply = request(origin + "/api/inquiry", body={**VALID, "message": "x" * 9000}, headers=JSON)
        assert reply.status == 413 and reply.json()["error"] == "too_large"
        assert stored(root) == []


def test_overlong_field_is_named(serve_receiver):
    with serve_receiver() as (origin, root):
        reply = request(origin + "/api/inquiry", body={**VALID, "message": "x" * 4001}, headers=JSON)
        assert reply.status == 422
        assert "4,000" in reply.json()["errors"]["message"]


def test_unsupported_content_type(serve_receiver):
    with serve_receiver() as (origin, root):
        reply = request(
            origin + "/api/inquiry",
            body=b"--x\r\n",
            headers={**JSON, "Content-Type": "multipart/form-data; boundary=x"},
        )
        assert reply.status == 415


def test_store_failure_is_an_error_and_nothing_is_reported_stored(serve_receiver, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the store's folder should be")
    with serve_receiver(INQUIRY_STORE=str(blocker)) as (origin, root):
        fetched = request(origin + "/api/inquiry", body=VALID, headers=JSON)
        assert fetched.status == 503
        assert fetched.json() == {
            "ok": False,
            "error": "store_unavailable",
            "message": "Your message was not sent: we couldn't take it just now. What you typed is still in the "
            "form: please try again in a few minutes, or call us.",
        }
        plain = request(origin + "/api/inquiry", body=VALID)
        assert plain.status == 503
        assert plain.headers["Content-Type"].startswith("text/html")
        assert b"try again" in plain.body and b"not sent" in plain.body
        # What was typed comes back in a form that sends it again (a fresh page could not show it).
        retry = lxml.html.fromstring(plain.body).forms[0]
        assert retry.action == "/api/inquiry" and dict(retry.form_values())["message"] == VALID["message"]
        assert plain.headers["Referrer-Policy"] == "same-origin"  # so the browser sends its Origin with it
    assert blocker.is_file()


def test_store_failure_says_which_number_to_call(serve_receiver, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the store's folder should be")
    with serve_receiver(INQUIRY_STORE=str(blocker), INQUIRY_CALL_PHONE="(805) 555-0100") as (origin, _):
        fetched = request(origin + "/api/inquiry", body=VALID, headers=JSON)
        plain = request(origin + "/api/inquiry", body=VALID)
    assert fetched.json()["message"].endswith("or call us at (805) 555-0100.")
    doc = lxml.html.fromstring(plain.body)
    assert doc.findtext(".//h1") == "Your message was not sent"
    [call] = doc.xpath('//a[starts-with(@href, "tel:")]')
    assert call.get("href") == "tel:+18055550100" and call.text == "(805) 555-0100"


def test_logs_carry_no_personal_data(serve_receiver, caplog):
    caplog.set_level("DEBUG")
    with serve_receiver() as (origin, root):
        request(origin + "/api/inquiry", body=VALID, headers=JSON)
        request(origin + "/api/inquiry", body={**VALID, "email": "jane@"}, headers=JSON)
    text = caplog.text
    assert "stored" in text
    for secret in ("Jane", "Doe", "212", "555", "consultation", "AbC-123"):
        assert secret not in text


def test_beacon_stores_a_click_without_personal_data(serve_receiver):
    with serve_receiver() as (origin, root):
        reply = request(
            origin + "/api/beacon",
            body={
                "kind": "phone",
                "page": "/locations/harbor-district/",
                "target": "+1 (212) 555-0100",
                "lt_gclid": "GcL1D",
                "email": "should-not-be-kept@example.com",
            },
        )
        assert reply.status == 204
        bad = request(origin + "/api/beacon", body={"kind": "purchase"})
        assert bad.status == 400
        booking = request(
            origin + "/api/beacon",
            body={"kind": "booking", "page": "/", "target": "https://book.example.com/s/123?name=Jane"},
        )
        assert booking.status == 204
    clicks = stored(root, "clicks")
    assert sorted(c["kind"] for c in clicks) == ["booking", "phone"]
    phone = next(c for c in clicks if c["kind"] == "phone")
    assert phone["target"] == "+12125550100" and phone["page"] == "/locations/harbor-district/"
    assert phone["attribution"]["latest"]["gclid"] == "GcL1D"
    assert "should-not-be-kept" not in json.dumps(clicks)
    assert next(c for c in clicks if c["kind"] == "booking")["target"] == "book.example.com"
    assert stored(root) == []  # no inquiries


def test_beacon_rate_limit(serve_receiver):
    with serve_receiver(INQUIRY_BEACON_RATE_LIMIT="2/minute") as (origin, root):
        statuses = [request(origin + "/api/beacon", body={"kind": "directions"}).status for _ in range(3)]
    assert statuses == [204, 204, 429]


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_other_methods_are_refused(serve_receiver, method):
    with serve_receiver() as (origin, root):
        reply = request(origin + "/api/inquiry", method, headers=JSON)
    assert reply.status == 405 and "POST" in reply.headers["Allow"]


def test_serves_the_site_beside_the_receiver(serve_receiver):
    with serve_receiver() as (origin, root):
        assert b"Home" in request(origin + "/", "GET").body
        assert b"Contact" in request(origin + "/contact/", "GET").body
        assert request(origin + "/contact", "GET").headers["Location"] == "/contact/"
        missing = request(origin + "/nope/", "GET")
        assert missing.status == 404 and b"Not found" in missing.body
        for escape in ("/../secret.txt", "/%2e%2e/secret.txt", "/contact/../../secret.txt"):
            reply = request(origin + escape, "GET")
            assert reply.status == 404 and b"outside" not in reply.body, escape
        assert request(origin + "/api/unknown", "POST", headers=JSON).status == 404


def test_inv_serve_marks_the_social_images_noindex_as_cloudfront_does(tmp_path):
    from pipeline.inquiry.wsgi import NOINDEX_FOLDER, static_response
    from pipeline.social.images import PUBLIC_FOLDER

    assert f"/{PUBLIC_FOLDER}/" == NOINDEX_FOLDER
    (tmp_path / PUBLIC_FOLDER).mkdir(parents=True)
    (tmp_path / PUBLIC_FOLDER / "0123456789abcdef-1080x1080.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "media" / "0123456789abcdef-480.jpg").write_bytes(b"\xff\xd8\xff")
    social = static_response(tmp_path, f"/{PUBLIC_FOLDER}/0123456789abcdef-1080x1080.jpg", "GET")
    page_image = static_response(tmp_path, "/media/0123456789abcdef-480.jpg", "GET")
    assert social.status == 200 and social.header("X-Robots-Tag") == "noindex, nofollow"
    assert page_image.status == 200 and page_image.header("X-Robots-Tag") is None

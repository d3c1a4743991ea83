"""Property-based fuzzing of the receiver's input (hypothesis).

Whatever arrives (malformed bodies, huge fields, odd encodings, odd JSON, broken base64)
the receiver answers with a deliberate status (never a 500), stores at most one record,
stores nothing when it answers an error, and every stored record is complete.
"""

from __future__ import annotations

import base64
import json
import shutil
import tempfile
from pathlib import Path
from urllib.parse import quote_from_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.inquiry import LocalStore, Receiver, Request, load_config
from pipeline.inquiry.fields import TOUCH_KEYS, VISITOR_FIELDS, attribution_fields, hidden_fields
from pipeline.inquiry.lambda_handler import handle_event
from pipeline.inquiry.origin import OriginSecret
from tests.pipeline.inquiry.conftest import VALID

FUZZ = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RECORD_KEYS = {"schema", "id", "received_at", "form", "form_page", "attribution", *VISITOR_FIELDS}
CLICK_KEYS = {"schema", "id", "received_at", "kind", "page", "target", "attribution"}
EXPECTED = {200, 204, 303, 400, 403, 405, 413, 415, 422, 429, 503}
FIELD_NAMES = list(VISITOR_FIELDS) + list(hidden_fields()) + ["website", "kind", "page", "target"]
CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=ISO-8859-1",
    "application/x-www-form-urlencoded; charset=utf-16",
    "application/json",
    "application/json; charset=latin1",
    "text/plain;charset=UTF-8",
    "multipart/form-data; boundary=--x",
    "",
    "text/html",
    "application/json;;;=",
]


@pytest.fixture(scope="module")
def fuzz_receiver():
    root = Path(tempfile.mkdtemp(prefix="inquiry-fuzz-"))
    config = load_config(
        {
            "INQUIRY_STORE": str(root),
            "INQUIRY_RATE_LIMIT": "1000000/second",
            "INQUIRY_BEACON_RATE_LIMIT": "1000000/second",
            "INQUIRY_MAX_BYTES": 20000,
            "INQUIRY_ORIGINS": ["https://www.example.com"],
        }
    )
    yield Receiver(config, LocalStore(root)), root
    shutil.rmtree(root, ignore_errors=True)


def _records(root: Path) -> list[Path]:
    return sorted(root.rglob("*.json"))


def _check(receiver: Receiver, root: Path, request: Request):
    before = set(_records(root))
    response = receiver.handle(request)
    after = set(_records(root))
    new = after - before
    assert response.status in EXPECTED, response.status
    assert len(new) <= 1
    if response.status >= 400:
        assert not new, f"{response.status} but a record was stored"
    if new:
        assert response.status in (200, 204, 303)
        [path] = new
        record = json.loads(path.read_text("utf-8"))
        keys = (
            CLICK_KEYS
            if path.parts[len(root.parts)] == "clicks"
            else RECORD_KEYS | {"contact_method", "consent_contact", "consent_sms"}
        )
        assert keys <= set(record)
        for touch in ("first", "latest"):
            assert set(record["attribution"][touch]) == set(TOUCH_KEYS)
    assert not list(root.rglob(".tmp-*"))
    return response


field_values = st.one_of(
    st.text(max_size=50),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=150, max_size=3000),
    st.text(alphabet=st.characters(min_codepoint=0xD7F0, max_codepoint=0xE010), max_size=20),  # surrogates
    st.sampled_from(
        [
            "",
            "on",
            "true",
            "+1 212 555 0123",
            "jane@example.com",
            "0",
            "8000",
            "sms",
            "event",
            "phone",
            "/contact/",
            "https://www.google.com/?q=x",
            "2026-11-05T10:00:00Z",
            "\x00\r\n\t",
        ]
    ),
)
field_names = st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=20))
forms = st.dictionaries(field_names, field_values, max_size=25)


nasty_json = st.one_of(
    st.integers(100, 6000).map(lambda n: b"[" * n + b"]" * n),  # deeper than the parser's recursion limit
    st.integers(100, 3000).map(lambda n: b'{"a":' * n + b"1" + b"}" * n),
    st.integers(4300, 6000).map(lambda n: b'{"fill_ms": ' + b"9" * n + b"}"),  # past int's digit limit
    st.just(b'{"fill_ms": 1e999, "name": NaN}'),
)


@FUZZ
@given(
    body=st.one_of(st.binary(max_size=4000), nasty_json),
    content_type=st.sampled_from(CONTENT_TYPES),
    accept_json=st.booleans(),
    endpoint=st.sampled_from(["/api/inquiry", "/api/beacon"]),
)
def test_raw_bytes(fuzz_receiver, body, content_type, accept_json, endpoint):
    receiver, root = fuzz_receiver
    headers = {"content-type": content_type, "host": "receiver.example"}
    if accept_json:
        headers["accept"] = "application/json"
    _check(receiver, root, Request("POST", endpoint, headers, body, client="1"))


@FUZZ
@given(
    values=forms,
    base=st.booleans(),
    as_json=st.booleans(),
    charset=st.sampled_from(["utf-8", "latin-1"]),
    endpoint=st.sampled_from(["/api/inquiry", "/api/inquiry", "/api/beacon"]),
)
def test_structured_forms(fuzz_receiver, values, base, as_json, charset, endpoint):
    receiver, root = fuzz_receiver
    fields = {**VALID, **values} if base else values
    if as_json:
        body = json.dumps(fields).encode()
        content_type = "application/json"
    else:

        def enc(text):
            return quote_from_bytes(
                text.encode(charset, "surrogatepass" if charset == "utf-8" else "replace")
            )

        body = "&".join(f"{enc(k)}={enc(v)}" for k, v in fields.items()).encode()
        content_type = f"application/x-www-form-urlencoded; charset={charset}"
    headers = {
        "content-type": content_type,
        "accept": "application/json",
        "origin": "https://www.example.com",
    }
    response = _check(receiver, root, Request("POST", endpoint, headers, body, client="2"))
    if response.status == 422:
        assert json.loads(response.body)["error"] in ("invalid", "too_fast")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@FUZZ
@given(doc=st.one_of(json_values, st.dictionaries(st.sampled_from(FIELD_NAMES), json_values, max_size=15)))
def test_odd_json(fuzz_receiver, doc):
    receiver, root = fuzz_receiver
    body = json.dumps(doc, allow_nan=True).encode()
    _check(
        receiver,
        root,
        Request("POST", "/api/inquiry", {"content-type": "application/json"}, body, client="3"),
    )


@settings(max_examples=150, deadline=None)
@given(
    body=st.one_of(
        st.text(max_size=3000), st.binary(max_size=3000).map(lambda b: base64.b64encode(b).decode())
    ),
    is_b64=st.booleans(),
    method=st.sampled_from(["POST", "OPTIONS", "GET", "PATCH"]),
    headers=st.dictionaries(
        st.sampled_from(["content-type", "accept", "origin", "referer", "host", "cloudfront-viewer-address"]),
        st.text(max_size=40),
        max_size=6,
    ),
    secret=st.sampled_from(["", "fuzz-secret", "fuzz-secreT", "fuzz-secret ", None]),
)
def test_lambda_events(fuzz_receiver, body, is_b64, method, headers, secret):
    receiver, root = fuzz_receiver
    if secret is not None:
        headers = {**headers, "X-Origin-Verify": secret}
    before = set(_records(root))
    event = {
        "version": "2.0",
        "rawPath": "/api/inquiry",
        "headers": headers,
        "body": body,
        "isBase64Encoded": is_b64,
        "requestContext": {"http": {"method": method, "sourceIp": "198.51.100.7"}},
    }
    result = handle_event(receiver, event, OriginSecret(lambda refresh=False: ("fuzz-secret",)))
    assert result["statusCode"] in EXPECTED
    if secret != "fuzz-secret":
        assert result["statusCode"] == 403
    if result["statusCode"] >= 400:
        assert set(_records(root)) == before
    assert isinstance(result["body"], str)


def test_attribution_field_names_are_what_the_fuzzer_uses(tmp_path):
    """The fuzzer sends the names a real form sends and the receiver reads: every input of the contact
    form of a real build (read with an HTML parser) is one of FIELD_NAMES, and every attribution value
    sent under those names comes back in the stored record's attribution."""
    from lxml import html

    from pipeline.inquiry.validate import parse_attribution
    from tests.support.sitefactory import SiteFactory

    site = SiteFactory(tmp_path).write_all()
    site.build(SEARCH_INDEX=False)
    form = html.fromstring((site.output / "contact/index.html").read_bytes()).xpath("//form[@method='post']")[
        0
    ]
    sent = {name for name in form.xpath(".//input/@name | .//select/@name | .//textarea/@name")}
    assert sent and sent <= set(FIELD_NAMES), sorted(sent - set(FIELD_NAMES))
    attribution = [name for name in FIELD_NAMES if name in attribution_fields()]
    assert attribution and set(attribution) == {n for n in sent if n.startswith(("ft_", "lt_"))}

    def value(name: str, i: int) -> str:  # a valid value of each kind, each one unique
        if name.endswith("timestamp"):
            return f"2026-11-{i % 28 + 1:02d}T10:00:00Z"
        if name.endswith("landing_page"):
            return f"/landing-{i}/"
        if name.endswith("referrer"):
            return f"https://referrer-{i}.example/"
        return f"v{i}"

    values = {name: value(name, i) for i, name in enumerate(FIELD_NAMES)}
    read_back = " ".join(str(v) for touch in parse_attribution(values).values() for v in touch.values() if v)
    missing = [
        name
        for name in attribution
        if values[name].strip("/").split("T")[0].removeprefix("https://") not in read_back
    ]
    assert not missing, f"the receiver does not read {missing}"

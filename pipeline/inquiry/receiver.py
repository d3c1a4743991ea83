"""The receiver's core: one plain request in, one plain response out.

Both faces use it: the WSGI app (``wsgi.py``, local) and the Lambda handler
(``lambda_handler.py``, production). Routes, by the last path segment:

- ``POST .../inquiry``: an inquiry form. A fetch with ``Accept: application/json`` gets
  JSON (200 ``{"ok": true, "redirect": thank-you URL}``, 422 with ``errors`` per field,
  429, 503 ...). A plain form POST (no JavaScript) gets a 303 redirect to the thank-you
  page, a 303 back to the form page with ``?inquiry_error=CODE&inquiry_fields=a,b`` when
  a field is wrong, a one-step confirmation page when nothing measured the fill time
  (:mod:`pipeline.inquiry.filltime`), or a short HTML page when the store or the rate limit
  says no: "not sent", the Back button keeps what was typed, and the number to call.
- ``POST .../beacon``: a phone/booking/directions click; 204 when stored.
- ``GET .../rsvp-counts.json``: the places taken per event (:mod:`pipeline.inquiry.rsvp`), which
  an event reply (a record of kind ``rsvp``) adds to once it is stored.
- ``OPTIONS``: CORS preflight, for the site's origins only.

An inquiry is answered with success only after the store has it. Logs carry record ids,
sizes and outcomes, never what a visitor typed.
"""

from __future__ import annotations

import html
import json
import logging
import time
import traceback
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlencode, urljoin, urlsplit

from pipeline.inquiry import fields as F
from pipeline.inquiry.config import Phone, ReceiverConfig, normalize_origin
from pipeline.inquiry.errors import InquiryError
from pipeline.inquiry.filltime import issue_token, token_age
from pipeline.inquiry.ratelimit import TokenBucket
from pipeline.inquiry.rsvp import COUNTS_NAME, add_places, read_counts
from pipeline.inquiry.store import Store, encode_record, record_key
from pipeline.inquiry.validate import BodyError, decode_body, parse_click, parse_inquiry, site_path

log = logging.getLogger(__name__)

# What the visitor reads when something other than a field goes wrong.
MESSAGES = {
    "store_unavailable": (
        "Your message was not sent: we couldn't take it just now. What you typed is still in the form: "
        "please try again in a few minutes, or call us."
    ),
    "rate_limited": (
        "We've had several messages from your connection in a short time. Please wait a little and try again."
    ),
    "origin_not_allowed": "This form can't be sent from this website.",
    "too_fast": "That was quicker than we expected. Please check the form and send it again.",
    "invalid": "Please check the highlighted fields.",
    "too_large": "The form is too long to send. Please shorten your message and try again.",
    "bad_request": "We couldn't read the form. Please reload the page and try again.",
    "not_found": "There is nothing here.",
    "method_not_allowed": "Send the form with POST.",
    "internal_error": "Something went wrong on our side. Please try again in a few minutes, or call us.",
}
_NO_STORE = (
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
)
_PREFLIGHT_MAX_AGE = "7200"  # Chromium caps Access-Control-Max-Age at 2 hours


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: Mapping[str, str]  # lower-case names
    body: bytes = b""
    body_error: str | None = None  # the adapter could not take the body: "too_large" or "bad_request"
    client: str = ""  # the client's IP address: the rate-limit key
    scheme: str = "https"

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    @property
    def own_origin(self) -> str:
        return normalize_origin(f"{self.scheme}://{self.header('host')}") if self.header("host") else ""


@dataclass(frozen=True)
class Response:
    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


@dataclass
class _Context:
    request: Request
    wants_json: bool
    cors_origin: str | None  # echo in Access-Control-Allow-Origin
    base: str  # the site origin to send the visitor back to
    extra: list[tuple[str, str]] = field(default_factory=list)


class Receiver:
    """Handles inquiry and beacon requests; the store, clock and notifier are passed in."""

    def __init__(
        self,
        config: ReceiverConfig,
        store: Store,
        *,
        notifier: Callable[[str, str], object] | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
        monotonic: Callable[[], float] = time.monotonic,
        token_keys: Callable[[], list[bytes]] | None = None,
    ):
        self.config = config
        self.store = store
        self.notifier = notifier
        self.now = now
        self.new_id = new_id
        # Keys that sign the fill-time token of the confirmation page: the first signs, all verify.
        self.token_keys = token_keys or list
        self.inquiry_limit = TokenBucket(config.rate_limit, monotonic)
        self.click_limit = TokenBucket(config.beacon_rate_limit, monotonic)

    # --- entry point -------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        try:
            return self._route(request)
        except Exception as exc:
            # The frames say where; the exception's message could quote the input, so it stays out.
            log.error(
                "inquiry: unexpected %s\n%s",
                type(exc).__name__,
                "".join(traceback.format_tb(exc.__traceback__)),
            )
            ctx = _Context(request, _wants_json(request), None, request.own_origin)
            return self._failure(ctx, 500, "internal_error")

    def unavailable(self, request: Request) -> Response:
        """503 "not sent, try again or call": the receiver cannot take requests just now."""
        return self._failure(self._context(request), 503, "store_unavailable")

    def _route(self, request: Request) -> Response:
        endpoint = request.path.rstrip("/").rsplit("/", 1)[-1]
        ctx = self._context(request)
        if endpoint == COUNTS_NAME and request.method in ("GET", "HEAD"):
            return self._counts(ctx)
        if endpoint not in ("inquiry", "beacon"):
            return self._json(ctx, 404, {"ok": False, "error": "not_found", "message": MESSAGES["not_found"]})
        if request.method == "OPTIONS":
            return self._preflight(ctx)
        if request.method != "POST":
            ctx.extra.append(("Allow", "POST, OPTIONS"))
            return self._failure(ctx, 405, "method_not_allowed")
        if ctx.cors_origin is None and request.header("origin"):
            log.warning(
                "inquiry: refused a POST from origin %s; add it to INQUIRY_ORIGINS if it is the site",
                normalize_origin(request.header("origin")) or "(not an origin)",
            )
            return self._failure(ctx, 403, "origin_not_allowed")
        if endpoint == "beacon":
            return self._click(ctx)
        return self._inquiry(ctx)

    # --- inquiries ---------------------------------------------------------------------

    def _inquiry(self, ctx: _Context) -> Response:
        request = ctx.request
        if not self.inquiry_limit.allow(request.client):
            log.info("inquiry: rate limited")
            ctx.extra.append(("Retry-After", str(self.inquiry_limit.retry_after(request.client))))
            return self._failure(ctx, 429, "rate_limited")
        try:
            values = self._fields(request)
        except BodyError as exc:
            log.info("inquiry: unreadable body (%s, %d bytes)", exc.code, len(request.body))
            return self._failure(ctx, exc.status, "too_large" if exc.status == 413 else "bad_request")

        record_id, received_at = self.new_id(), self.now()
        verdict = parse_inquiry(
            values,
            record_id=record_id,
            received_at=received_at,
            min_fill_seconds=self.config.min_fill_seconds,
            phone_region=self.config.phone_region,
            token_seconds=self._token_seconds(values, received_at),
        )
        if verdict.outcome == "honeypot":
            log.info("inquiry: honeypot filled, not stored")
            return self._success(ctx)
        if verdict.outcome == "too_fast":
            log.info("inquiry: fill time under %gs or not measured, not stored", self.config.min_fill_seconds)
            if ctx.wants_json:
                return self._back_to_form(ctx, values, "too_fast", {})
            return self._confirm(ctx, values, received_at)
        if verdict.outcome == "invalid":
            log.info("inquiry: invalid fields %s", ",".join(verdict.errors))
            return self._back_to_form(ctx, values, "invalid", verdict.errors)

        record = verdict.record
        data = encode_record(record)
        try:
            self.store.put(record_key("inquiries", record_id, received_at), data)
        except InquiryError as exc:
            log.error("inquiry: %s NOT stored: %s", record_id, exc)
            return self._failure(ctx, 503, "store_unavailable", retry=self._kept(values, received_at))
        log.info("inquiry: stored %s (%d bytes, form %s)", record_id, len(data), record["form"])
        if record.get("kind") == "rsvp":
            try:
                add_places(self.store, record[F.EVENT], record[F.PLACES])
            except InquiryError as exc:
                log.warning(
                    "inquiry: RSVP %s stored, but its event's counts not updated (%s)", record_id, exc
                )
        if self.notifier:
            try:
                self.notifier(record_id, record["received_at"])
            except Exception as exc:
                log.warning(
                    "inquiry: notification for %s failed (%s); the inquiry is stored",
                    record_id,
                    type(exc).__name__,
                )
        return self._success(ctx)

    def _keys(self) -> list[bytes]:
        try:
            return list(self.token_keys())
        except InquiryError:
            return []

    def _token_seconds(self, values: Mapping[str, str], at: datetime) -> float | None:
        token = values.get(F.FILL_TOKEN)
        return token_age(token, self._keys(), at.timestamp()) if token else None

    def _kept(self, values: Mapping[str, str], at: datetime) -> dict[str, str] | None:
        """The fields a page of ours sends again: what the visitor typed, the form's hidden fields, and
        the fill-time token (a valid one as it is, so its age goes on growing; else a new one)."""
        keys = self._keys()
        if not keys:
            return None
        kept = {
            name: values[name]
            for name in (*F.VISITOR_FIELDS, *F.RSVP_FIELDS, *F.hidden_fields())
            if name in values and name != F.FILL_MS
        }
        valid = self._token_seconds(values, at) is not None
        kept[F.FILL_TOKEN] = values[F.FILL_TOKEN] if valid else issue_token(keys[0], at.timestamp())
        return kept

    def _confirm(self, ctx: _Context, values: Mapping[str, str], at: datetime) -> Response:
        """No fill time to trust (a form sent without the script): one more press of a button, on a
        page carrying the receiver's own signed clock, sends it."""
        kept = self._kept(values, at)
        if kept is None:
            return self._failure(ctx, 503, "store_unavailable")
        return self._page(ctx, 200, confirm_page(ctx.request.path, kept), form=True)

    def _page(self, ctx: _Context, status: int, page: str, form: bool = False) -> Response:
        headers = list(self._headers(ctx))
        if form:
            # "no-referrer" would make the browser send "Origin: null" with the page's own form, which
            # the origin check refuses; "same-origin" sends the site's origin to the site only.
            headers = [h for h in headers if h[0] != "Referrer-Policy"] + [("Referrer-Policy", "same-origin")]
        headers.append(("Content-Type", "text/html; charset=utf-8"))
        return Response(status, tuple(headers), page.encode("utf-8"))

    def _fields(self, request: Request) -> dict[str, str]:
        if request.body_error == "too_large":
            raise BodyError(413, "too_large", "The body is over INQUIRY_MAX_BYTES.")
        if request.body_error:
            raise BodyError(400, request.body_error, "The body could not be read.")
        return decode_body(request.body, request.header("content-type"), self.config.max_bytes)

    def _success(self, ctx: _Context) -> Response:
        target = urljoin(ctx.base + "/", self.config.thank_you_url)
        if ctx.wants_json:
            return self._json(ctx, 200, {"ok": True, "redirect": target})
        return self._redirect(ctx, target)

    def _back_to_form(
        self, ctx: _Context, values: Mapping[str, str], code: str, errors: dict[str, str]
    ) -> Response:
        if ctx.wants_json:
            return self._json(
                ctx, 422, {"ok": False, "error": code, "message": MESSAGES[code], "errors": errors}
            )
        page = site_path(values.get(F.FORM_PAGE, "")) or self._referer_path(ctx) or "/"
        query = {"inquiry_error": code}
        if errors:
            query["inquiry_fields"] = ",".join(errors)
        return self._redirect(ctx, f"{ctx.base}{page}?{urlencode(query, safe=',')}#inquiry-form")

    def _referer_path(self, ctx: _Context) -> str | None:
        referer = ctx.request.header("referer")
        if referer and normalize_origin(_origin_of(referer)) == ctx.base:
            return site_path(referer)
        return None

    # --- clicks ------------------------------------------------------------------------

    def _click(self, ctx: _Context) -> Response:
        request = ctx.request
        ctx.wants_json = True
        if not self.click_limit.allow(request.client):
            ctx.extra.append(("Retry-After", str(self.click_limit.retry_after(request.client))))
            return self._failure(ctx, 429, "rate_limited")
        try:
            values = self._fields(request)
        except BodyError as exc:
            return self._failure(ctx, exc.status, "too_large" if exc.status == 413 else "bad_request")
        record_id, received_at = self.new_id(), self.now()
        verdict = parse_click(values, record_id=record_id, received_at=received_at)
        if verdict.outcome != "accepted":
            return self._json(ctx, 400, {"ok": False, "error": "invalid", "errors": verdict.errors})
        data = encode_record(verdict.record)
        try:
            self.store.put(record_key("clicks", record_id, received_at), data)
        except InquiryError as exc:
            log.error("inquiry: click %s NOT stored: %s", record_id, exc)
            return self._failure(ctx, 503, "store_unavailable")
        log.info("inquiry: click %s stored (%s)", record_id, verdict.record["kind"])
        return Response(204, self._headers(ctx))

    # --- event replies: the public counts -----------------------------------------------

    def _counts(self, ctx: _Context) -> Response:
        """The places taken per event (no personal data), for event pages' script; cached briefly."""
        try:
            counts = read_counts(self.store)
        except InquiryError as exc:
            log.warning("inquiry: RSVP counts could not be read (%s)", exc)
            return self._json(ctx, 503, {"ok": False, "error": "store_unavailable"})
        body = json.dumps(counts, sort_keys=True, separators=(",", ":")).encode("utf-8")
        headers = [h for h in self._headers(ctx) if h[0] != "Cache-Control"]
        headers += [
            ("Cache-Control", "public, max-age=30"),
            ("Content-Type", "application/json; charset=utf-8"),
        ]
        return Response(200, tuple(headers), body)

    # --- CORS and responses ------------------------------------------------------------

    def _context(self, request: Request) -> _Context:
        origin = normalize_origin(request.header("origin")) if request.header("origin") else ""
        own = request.own_origin
        allowed = bool(origin) and (origin in self.config.origins or origin == own)
        base = origin if allowed else ""
        if not base:
            referer_origin = normalize_origin(_origin_of(request.header("referer")))
            if referer_origin and (referer_origin in self.config.origins or referer_origin == own):
                base = referer_origin
        return _Context(
            request, _wants_json(request), request.header("origin") if allowed else None, base or own
        )

    def _preflight(self, ctx: _Context) -> Response:
        if ctx.cors_origin is None:
            return Response(403, (("Vary", "Origin"),) + _NO_STORE)
        headers = self._headers(ctx) + (
            ("Access-Control-Allow-Methods", "POST"),
            ("Access-Control-Allow-Headers", "Content-Type, Accept"),
            ("Access-Control-Max-Age", _PREFLIGHT_MAX_AGE),
        )
        return Response(204, headers)

    def _headers(self, ctx: _Context) -> tuple[tuple[str, str], ...]:
        headers = [("Vary", "Origin"), *_NO_STORE, *ctx.extra]
        if ctx.cors_origin:
            headers.append(("Access-Control-Allow-Origin", ctx.cors_origin))
        return tuple(headers)

    def _json(self, ctx: _Context, status: int, payload: dict) -> Response:
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return Response(
            status, self._headers(ctx) + (("Content-Type", "application/json; charset=utf-8"),), body
        )

    def _redirect(self, ctx: _Context, location: str) -> Response:
        return Response(303, self._headers(ctx) + (("Location", location),))

    def _failure(
        self, ctx: _Context, status: int, code: str, retry: Mapping[str, str] | None = None
    ) -> Response:
        """An error: JSON for the script; for a plain form post, a page that says the message was not
        sent, with a button sending it again when ``retry`` holds its fields, and the number to call."""
        message = MESSAGES[code]
        phone = self.config.call_phone
        if phone and code in _CALL_US:
            message = f"{message[:-1]} at {phone.display}."
        if ctx.wants_json:
            return self._json(ctx, status, {"ok": False, "error": code, "message": message})
        action = ctx.request.path if retry else ""
        return self._page(
            ctx, status, error_page(message, ctx.base or "/", phone, retry, action), form=bool(retry)
        )


# Messages that end with "or call us.": the practice's number goes there when it is known.
_CALL_US = frozenset(code for code, text in MESSAGES.items() if text.endswith("or call us."))
_PAGE_HEAD = (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    '<meta name="robots" content="noindex">'
)


def error_page(
    message: str,
    home: str,
    phone: Phone | None = None,
    retry: Mapping[str, str] | None = None,
    action: str = "",
) -> str:
    """A small, self-contained page for visitors without JavaScript: not sent, how to send it again
    without typing it again (a button carrying ``retry``, or the Back button), how to call instead."""
    if retry:
        again = (
            "<p>What you typed is kept on this page: press the button to send it again in a few "
            f"minutes.</p>{_form(action, retry, 'Send my message again')}"
        )
    else:
        again = (
            "<p>Use your browser's <strong>Back</strong> button to go back and send it again: "
            "what you typed is still there.</p>"
        )
    call = (
        f'<p>Or call us at <a href="tel:{html.escape(phone.e164, quote=True)}">{html.escape(phone.display)}</a>.</p>'
        if phone
        else ""
    )
    return (
        f"{_PAGE_HEAD}<title>Your message was not sent</title></head>\n<body>"
        "<main><h1>Your message was not sent</h1>"
        f"<p>{html.escape(message)}</p>{again}{call}"
        f'<p><a href="{html.escape(home, quote=True)}">Go to the home page</a></p></main>'
        "</body></html>\n"
    )


def confirm_page(action: str, values: Mapping[str, str]) -> str:
    """The one-step confirmation for a form sent without JavaScript: the visitor's fields, kept
    as hidden inputs, and a button that sends them with the fill-time token."""
    return (
        f"{_PAGE_HEAD}<title>One more step: send your message</title></head>\n<body>"
        "<main><h1>One more step</h1>"
        "<p>Your message has <strong>not been sent yet</strong>. To keep automated spam out, please "
        f"press the button to send it.</p>{_form(action, values, 'Send my message')}"
        "<p>To change something first, use your browser's <strong>Back</strong> button.</p></main>"
        "</body></html>\n"
    )


def _form(action: str, values: Mapping[str, str], button: str) -> str:
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(name, quote=True)}" value="{html.escape(value, quote=True)}">'
        for name, value in values.items()
    )
    return (
        f'<form method="post" action="{html.escape(action, quote=True)}" accept-charset="utf-8">{inputs}'
        f'<button type="submit">{html.escape(button)}</button></form>'
    )


def _wants_json(request: Request) -> bool:
    return "application/json" in request.header("accept") or request.header("content-type").startswith(
        "application/json"
    )


def _origin_of(url: str) -> str:
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return ""
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""

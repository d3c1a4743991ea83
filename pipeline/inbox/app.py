"""The inbox as a WSGI app: pages drawn from the :class:`~pipeline.inbox.index.Index`, changes
appended through the :mod:`~pipeline.inbox.journal`.

Routes: ``GET /`` (the list, filtered by ``status``, ``kind``, ``q``, ``page``), ``GET /i/<id>``
(one inquiry), ``POST /i/<id>`` (a change: status, contact, note), ``GET /changes?since=N``
(how many arrived since; the page's script shows a notice), ``/static/*``. Every request passes
:mod:`pipeline.inbox.guard` first. Logs name record ids, event numbers and outcomes: never what
a person wrote or what an inquiry holds (the server's own log leaves out query strings, which
may hold a search).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import parse_qs, urlencode

from jinja2 import Environment, FileSystemLoader

from pipeline.inbox import guard as G
from pipeline.inbox import journal, views
from pipeline.inbox.content import InboxContent
from pipeline.inbox.errors import InboxError
from pipeline.inbox.events import CHANNELS, kind_of, new_event
from pipeline.inbox.index import Index, Item
from pipeline.inquiry.receiver import Response

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
STATIC = {
    "inbox.css": "text/css; charset=utf-8",
    "inbox.js": "text/javascript; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}
MAX_BODY = 64 * 1024
_ID = re.compile(r"^/i/([A-Za-z0-9_-]{1,80})$")
_ENV = Environment(
    loader=FileSystemLoader(HERE / "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True
)


class InboxApp:
    """One inbox: its index, the content it labels things with, who is using it, and its guard."""

    def __init__(
        self,
        index: Index,
        content: InboxContent,
        guard: G.Guard,
        *,
        user: str,
        remind_after: int = 30,
        page_size: int = 50,
        after_change: Callable[[Item, dict], None] | None = None,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ):
        self.index = index
        self.content = content
        self.guard = guard
        self.user = user
        self.remind_after = remind_after
        self.page_size = page_size
        self.after_change = after_change
        self.now = now

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        try:
            response = self.handle(environ)
        except Exception as exc:  # the frames say where; the message could quote a record
            log.error("inbox: unexpected %s on %s", type(exc).__name__, environ.get("REQUEST_METHOD"))
            response = self._page(500, "error.html", message="Something went wrong. Reload the page.")
        start_response(_status(response.status), list(response.headers))
        return [b"" if environ.get("REQUEST_METHOD") == "HEAD" else response.body]

    # --- routing ---------------------------------------------------------------------------------

    def handle(self, environ: dict) -> Response:
        headers = _headers(environ)
        method = environ.get("REQUEST_METHOD", "GET").upper()
        path = environ.get("PATH_INFO", "/") or "/"
        if not self.guard.host_ok(headers):
            log.warning("inbox: refused a request for another host name")
            return Response(
                421,
                (("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-store")),
                b"This inbox answers only at its own address.\n",
            )
        if path.startswith("/static/"):
            return self._static(path[len("/static/") :], method)
        params = {
            k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True).items()
        }
        if "key" in params:
            return self._open(path, params)
        session = self.guard.session(headers)
        if session is None:
            return self._page(
                401,
                "error.html",
                message=(
                    "Open the inbox from the address inv inbox printed: it carries the key that lets this "
                    "browser in."
                ),
            )
        if path == "/" and method in ("GET", "HEAD"):
            return self._listing(params, session)
        if path == "/changes" and method in ("GET", "HEAD"):
            return self._changes(params)
        match = _ID.match(path)
        if match:
            item = self.index.get(match.group(1))
            if item is None:
                return self._page(404, "error.html", message="There is no inquiry with that reference here.")
            if method in ("GET", "HEAD"):
                return self._detail(item, session, params)
            if method == "POST":
                return self._change(item, session, headers, environ)
            return self._page(
                405,
                "error.html",
                message="That is not something this page does.",
                extra=(("Allow", "GET, POST"),),
            )
        return self._page(404, "error.html", message="There is nothing here. Go back to the inbox.")

    def _open(self, path: str, params: dict) -> Response:
        if not self.guard.key_ok(params["key"]):
            log.warning("inbox: refused a wrong key")
            return self._page(
                403,
                "error.html",
                message=("That key is not this inbox's: use the address inv inbox printed this time."),
            )
        rest = urlencode({k: v for k, v in params.items() if k != "key"})
        target = (path if path.startswith("/") else "/") + (f"?{rest}" if rest else "")
        return Response(
            303, tuple(G.headers([("Location", target), self.guard.set_cookie(self.guard.new_session())]))
        )

    # --- pages -----------------------------------------------------------------------------------

    def _listing(self, params: dict, session: str) -> Response:
        query = views.Query.parse(params)
        result = views.listing(
            self.index.items(), self.content, self.now(), query, self.page_size, self.remind_after
        )

        def page_url(page: int) -> str:
            values = {"status": query.status, "kind": query.kind, "q": query.q, "page": page}
            return "/?" + urlencode({k: v for k, v in values.items() if v not in ("", None)})

        return self._page(
            200,
            "list.html",
            listing=result,
            query=query,
            filters=views.FILTERS,
            kinds=views.KIND_FILTERS,
            page_url=page_url,
            version=self.index.version,
        )

    def _detail(
        self,
        item: Item,
        session: str,
        params: dict,
        error: InboxError | None = None,
        typed: dict | None = None,
        status: int = 200,
    ) -> Response:
        kind = kind_of(item.record)
        place = views.positions(self.index.items(), self.content).get(item.id) if kind == "rsvp" else None
        row = views.row(item, self.content, self.now(), self.remind_after, place)
        saved = params.get("saved", "")
        try:
            meanwhile = int(params.get("meanwhile", "0"))
        except ValueError:
            meanwhile = 0
        return self._page(
            status,
            "detail.html",
            item=item,
            row=row,
            record=item.record,
            state=item.state,
            history=views.history(item, self.content),
            csrf=self.guard.csrf(session),
            statuses=views.statuses_for(kind),
            reasons=views.reasons_for(kind, item.state.tries),
            channels=CHANNELS,
            saved=saved.isdigit(),
            meanwhile=meanwhile,
            error=error,
            typed=typed or {},
        )

    def _changes(self, params: dict) -> Response:
        try:
            since = int(params.get("since", "0"))
        except ValueError:
            since = 0
        body = json.dumps({"version": self.index.version, "new": self.index.arrived_since(since)})
        return Response(200, tuple(G.headers([("Content-Type", "application/json")])), body.encode())

    # --- a change --------------------------------------------------------------------------------

    def _change(self, item: Item, session: str, headers: dict, environ: dict) -> Response:
        if not self.guard.same_origin_post(headers):
            log.warning("inbox: refused a change sent from another page or site (%s)", item.id)
            return self._page(
                403, "error.html", message="Changes can only be made from the inbox's own pages."
            )
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY:
            return self._page(413, "error.html", message="That change is too long to save.")
        body = environ["wsgi.input"].read(length).decode("utf-8", "replace") if length else ""
        fields = {k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()}
        if not self.guard.csrf_ok(session, fields.get("csrf", "")):
            log.warning("inbox: refused a change without this session's token (%s)", item.id)
            return self._page(
                403, "error.html", message="This page is out of date: reload it and make the change again."
            )
        try:
            seen = int(fields.get("seen", "")) if fields.get("seen", "").isdigit() else None
            event = new_event(
                kind_of(item.record), fields, inquiry=item.id, by=self.user, at=self.now(), seen=seen
            )
            appended = journal.append(self.index.store, item.key, event, seen)
        except InboxError as exc:
            log.info("inbox: change to %s refused (%s)", item.id, exc.field or "store")
            return self._detail(item, session, {}, exc, fields, 422 if exc.field else 503)
        self.index.add_events(item.key, [appended.event, *appended.meanwhile])
        log.info("inbox: event %d (%s) added to %s", appended.event["seq"], appended.event["type"], item.id)
        if self.after_change is not None:
            try:
                self.after_change(self.index.get(item.id) or item, appended.event)
            except Exception as exc:
                log.warning(
                    "inbox: after saving event %d of %s: %s",
                    appended.event["seq"],
                    item.id,
                    type(exc).__name__,
                )
        query = urlencode({"saved": appended.event["seq"], "meanwhile": len(appended.meanwhile)})
        return Response(303, tuple(G.headers([("Location", f"/i/{item.id}?{query}#saved")])))

    # --- responses -------------------------------------------------------------------------------

    def _page(self, status: int, template: str, extra: Iterable[tuple[str, str]] = (), **values) -> Response:
        body = _ENV.get_template(template).render(
            practice=self.content.practice, user=self.user, error_banner=self.index.error, **values
        )
        return Response(
            status, tuple(G.headers([("Content-Type", "text/html; charset=utf-8"), *extra])), body.encode()
        )

    def _static(self, name: str, method: str) -> Response:
        if name not in STATIC or method not in ("GET", "HEAD"):
            return Response(
                404, tuple(G.headers([("Content-Type", "text/plain; charset=utf-8")])), b"Not found\n"
            )
        data = (HERE / "static" / name).read_bytes()
        return Response(200, tuple(G.headers([("Content-Type", STATIC[name])])), data)


def _headers(environ: dict) -> dict[str, str]:
    found = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
    if environ.get("CONTENT_TYPE"):
        found["content-type"] = environ["CONTENT_TYPE"]
    return found


def _status(code: int) -> str:
    from http import HTTPStatus

    try:
        return f"{code} {HTTPStatus(code).phrase}"
    except ValueError:
        return f"{code} Unknown"

"""The receiver as a WSGI app, for local development (stdlib ``wsgiref`` is enough).

``make_app(receiver, static_root="output")`` answers ``/api/inquiry`` and ``/api/beacon``
and serves everything else from the built site, so ``inv serve`` runs the site and the
receiver on one port (same origin: no CORS set-up needed)::

    from pipeline.inquiry.service import build_receiver
    from pipeline.inquiry.wsgi import make_app, serve

    app = make_app(build_receiver(settings, root=ROOT), static_root=ROOT / "output", origin=LOCAL)
    serve(app, "127.0.0.1", 8000)

``origin`` says where requests come from: :data:`~pipeline.inquiry.origin.LOCAL` (the default:
straight from the browser, the client is the connection's address and CloudFront headers are
ignored), or an :class:`~pipeline.inquiry.origin.OriginSecret` for a server behind CloudFront.
"""

from __future__ import annotations

import contextlib
import logging
import mimetypes
import os
import posixpath
import re
import socketserver
import sys
from collections.abc import Callable, Iterable
from http import HTTPStatus
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from pipeline.inquiry.origin import LOCAL, LocalMode, OriginSecret
from pipeline.inquiry.receiver import Receiver, Request, Response

# The images social schedulers fetch by URL (pipeline.social.images.PUBLIC_FOLDER; not imported here,
# where the receiver's package has no imaging library): public, but no page of the site.
NOINDEX_FOLDER = "/media/social/"

log = logging.getLogger(__name__)

API_PREFIX = "/api/"


def make_app(
    receiver: Receiver,
    static_root: str | os.PathLike | None = None,
    api_prefix: str = API_PREFIX,
    origin: LocalMode | OriginSecret = LOCAL,
    headers: Iterable[tuple[str, str]] = (),
):
    """A WSGI callable: the receiver under ``api_prefix``, static files from ``static_root``.

    ``headers`` go with every response (the site's security headers, as CloudFront sends them:
    ``pipeline.sitepolicy.csp.security_headers``); a header the response sets itself wins."""
    root = Path(static_root).resolve() if static_root else None
    extra = tuple(headers)

    def app(environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = _path_info(environ)
        if path.startswith(api_prefix):
            response = _api(receiver, origin, environ)
        elif root is not None:
            response = static_response(root, path, environ.get("REQUEST_METHOD", "GET"))
        else:
            response = Response(404, (("Content-Type", "text/plain; charset=utf-8"),), b"Not found\n")
        own = {name.lower() for name, _ in response.headers}
        start_response(
            _status_line(response.status),
            list(response.headers) + [(k, v) for k, v in extra if k.lower() not in own],
        )
        if environ.get("REQUEST_METHOD") == "HEAD":
            return [b""]
        return [response.body]

    return app


def _api(receiver: Receiver, origin: LocalMode | OriginSecret, environ: dict) -> Response:
    verdict = origin.check(_headers(environ), environ.get("REMOTE_ADDR", ""))
    if verdict.refusal == "unavailable":
        return receiver.unavailable(to_request(environ, 0, verdict.client))
    if not verdict.allowed:
        return Response(
            403,
            (("Content-Type", "application/json"), ("Cache-Control", "no-store")),
            b'{"error": "forbidden", "ok": false}',
        )
    return receiver.handle(to_request(environ, receiver.config.max_bytes, verdict.client))


def _headers(environ: dict) -> dict[str, str]:
    return {
        key[5:].replace("_", "-").lower(): value for key, value in environ.items() if key.startswith("HTTP_")
    }


def to_request(environ: dict, max_bytes: int, client: str | None = None) -> Request:
    """A plain Request from a WSGI environ; a body over ``max_bytes`` is not read at all.

    ``client`` keys the rate limit: by default the connection's own address."""
    headers = _headers(environ)
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = environ["CONTENT_TYPE"]
    try:
        length = max(0, int(environ.get("CONTENT_LENGTH") or 0))
    except ValueError:
        length = 0
    too_large = length > max_bytes
    body = environ["wsgi.input"].read(length) if length and not too_large else b""
    return Request(
        method=environ.get("REQUEST_METHOD", "GET").upper(),
        path=_path_info(environ),
        headers=headers,
        body=body,
        body_error="too_large" if too_large else None,
        client=environ.get("REMOTE_ADDR", "") if client is None else client,
        scheme=environ.get("wsgi.url_scheme", "http"),
    )


def static_response(root: Path, path: str, method: str) -> Response:
    """A built file: ``/a/`` -> ``a/index.html``; ``/a`` -> ``a.html`` or a redirect to ``/a/``."""
    if method not in ("GET", "HEAD"):
        return Response(405, (("Allow", "GET, HEAD"), ("Content-Type", "text/plain; charset=utf-8")), b"")
    clean = posixpath.normpath("/" + path.split("?", 1)[0])
    if ".." in clean.split("/") or "\x00" in clean:
        return _not_found(root)
    target = (root / clean.lstrip("/")).resolve()
    if target != root and root not in target.parents:
        return _not_found(root)
    if target.is_dir():
        if not path.endswith("/"):
            return Response(301, (("Location", path + "/"),))
        target = target / "index.html"
    elif not target.exists() and target.with_name(target.name + ".html").is_file():
        target = target.with_name(target.name + ".html")
    if not target.is_file():
        return _not_found(root)
    response = _file(target, 200)
    if ("/" + clean.lstrip("/")).startswith(NOINDEX_FOLDER):  # as CloudFront serves it (infra/site.yaml)
        return Response(200, (*response.headers, ("X-Robots-Tag", "noindex, nofollow")), response.body)
    return response


_TYPES = {".yml": "application/yaml", ".yaml": "application/yaml"}  # RFC 9512; mimetypes may not know it


def _file(path: Path, status: int) -> Response:
    kind = mimetypes.guess_type(path.name)[0] or _TYPES.get(path.suffix.lower(), "application/octet-stream")
    if kind.startswith("text/") or kind in (
        "application/javascript",
        "application/json",
        "image/svg+xml",
        "application/yaml",
    ):
        kind += "; charset=utf-8"
    return Response(status, (("Content-Type", kind), ("Cache-Control", "no-cache")), path.read_bytes())


def _not_found(root: Path) -> Response:
    page = root / "404.html"
    if page.is_file():
        return _file(page, 404)
    return Response(404, (("Content-Type", "text/plain; charset=utf-8"),), b"Not found\n")


def _path_info(environ: dict) -> str:
    # PEP 3333: PATH_INFO holds the URL's bytes as latin-1; the site's paths are UTF-8.
    raw = environ.get("PATH_INFO", "") or "/"
    return raw.encode("latin-1", "replace").decode("utf-8", "replace")


def _status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    """Logs method, path (no query string) and status; never bodies."""

    def log_message(self, format: str, *args) -> None:
        if args and isinstance(args[0], str):
            args = (re.sub(r"\?\S*", "", args[0]),) + args[1:]
        sys.stderr.write(f"{self.address_string()} - {format % args}\n")


def make_http_server(app, host: str = "127.0.0.1", port: int = 8000) -> WSGIServer:
    """A threaded wsgiref server (``port=0`` picks a free port: read ``server.server_port``)."""
    return make_server(host, port, app, server_class=ThreadingWSGIServer, handler_class=_QuietHandler)


def serve(app, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve until Ctrl-C."""
    with make_http_server(app, host, port) as server:
        log.info("inquiry: serving on http://%s:%d/", host, server.server_port)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()

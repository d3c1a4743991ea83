"""A real HTTP proxy that puts S3 and CloudFront faults between a client and a real server.

The client talks to ``proxy.endpoint``; every request is passed to the server behind it byte for
byte (the Host header too, so request signatures still verify), unless ``proxy.fault`` names a
fault for it. The faults are what AWS documents and what a network does:

- ``"slowdown"``: HTTP 503 SlowDown ("Error responses" in the Amazon S3 API Reference);
- ``"internal"``: HTTP 500 InternalError;
- ``"denied"``: HTTP 403 AccessDenied (a refusal: must not be retried);
- ``"busy"``: HTTP 400 TooManyInvalidationsInProgress (CloudFront's invalidation quota);
- ``"reset"``: the connection is reset before the request reaches the server;
- ``"lost"``: the server carries the request out, then the connection is reset before the answer
  arrives (the client cannot know it succeeded).

``proxy.fault`` is a callable ``(Seen) -> fault name | None``; :func:`first_tries` and
:func:`always` build the usual ones. ``proxy.seen`` lists every request with the fault it got.
"""

from __future__ import annotations

import http.client
import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self
from urllib.parse import urlsplit

_ERRORS = {
    "slowdown": (503, "SlowDown", "Please reduce your request rate."),
    "internal": (500, "InternalError", "We encountered an internal error. Please try again."),
    "denied": (403, "AccessDenied", "Access Denied"),
    "busy": (400, "TooManyInvalidationsInProgress", "Processing your request will cause you to exceed"),
}
_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "te", "upgrade"}


@dataclass(frozen=True)
class Seen:
    """One request as it reached the proxy."""

    method: str
    path: str  # with the query string
    fault: str | None = None

    @property
    def operation(self) -> str:
        """A rough S3 operation name, enough to aim a fault."""
        query = urlsplit(self.path).query
        if self.method == "PUT" and "partNumber=" in query:
            return "UploadPart"
        if self.method == "POST" and "uploads" in query.split("&"):
            return "CreateMultipartUpload"
        if self.method == "POST" and "uploadId=" in query:
            return "CompleteMultipartUpload"
        if self.method == "POST" and "delete" in query.split("&"):
            return "DeleteObjects"
        if self.method == "POST" and "/invalidation" in self.path:
            return "CreateInvalidation"
        return {"PUT": "PutObject", "GET": "Get", "HEAD": "HeadObject"}.get(self.method, self.method)


Rule = Callable[[Seen], "str | None"]


def first_tries(fault: str, *operations: str) -> Rule:
    """``fault`` on the first try of every distinct request (of ``operations``, or of all)."""
    tried: set[tuple[str, str]] = set()
    lock = threading.Lock()

    def rule(seen: Seen) -> str | None:
        if operations and seen.operation not in operations:
            return None
        with lock:
            if (seen.method, seen.path) in tried:
                return None
            tried.add((seen.method, seen.path))
        return fault

    return rule


def always(fault: str, where: Callable[[Seen], bool]) -> Rule:
    """``fault`` on every request ``where`` accepts."""
    return lambda seen: fault if where(seen) else None


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a reset the proxy made on purpose, or a client that went away


class FaultProxy:
    """``with FaultProxy(server.endpoint) as proxy:`` -> a client pointed at ``proxy.endpoint``."""

    def __init__(self, upstream: str):
        self.upstream = urlsplit(upstream)
        self.fault: Rule = lambda seen: None
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def faults(self, name: str | None = None) -> list[Seen]:
        """The requests that got a fault (``name``, or any)."""
        with self._lock:
            return [s for s in self.seen if s.fault and (name is None or s.fault == name)]

    def _record(self, seen: Seen) -> Seen:
        fault = self.fault(seen)
        seen = Seen(seen.method, seen.path, fault)
        with self._lock:
            self.seen.append(seen)
        return seen

    def _handler(self):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def _relay(self) -> None:
                body = self._body()
                seen = proxy._record(Seen(self.command, self.path))
                if seen.fault in _ERRORS:
                    return self._error(*_ERRORS[seen.fault])
                if seen.fault == "reset":
                    return self._reset()
                status, reason, headers, answer = self._forward(body)
                if seen.fault == "lost":
                    return self._reset()
                self.send_response_only(status, reason)
                for name, value in headers:
                    if name.lower() not in _HOP_BY_HOP and name.lower() != "content-length":
                        self.send_header(name, value)
                length = len(answer)
                if self.command == "HEAD":
                    length = int(dict((k.lower(), v) for k, v in headers).get("content-length", 0))
                self.send_header("Content-Length", str(length))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(answer)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _relay

            def _body(self) -> bytes:
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    chunks = []
                    while True:
                        size = int(self.rfile.readline().split(b";")[0], 16)
                        chunks.append(self.rfile.read(size))
                        self.rfile.readline()
                        if size == 0:
                            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                                pass  # trailers
                            return b"".join(chunks)
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def _forward(self, body: bytes):
                conn = http.client.HTTPConnection(proxy.upstream.hostname, proxy.upstream.port, timeout=60)
                try:
                    conn.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
                    for name, value in self.headers.items():
                        if name.lower() not in _HOP_BY_HOP and name.lower() != "content-length":
                            conn.putheader(name, value)
                    if body or self.command in ("PUT", "POST"):
                        conn.putheader("Content-Length", str(len(body)))
                    conn.endheaders(body)
                    response = conn.getresponse()
                    answer = response.read()
                    return response.status, response.reason, response.getheaders(), answer
                finally:
                    conn.close()

            def _error(self, status: int, code: str, message: str) -> None:
                body = (
                    f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code>'
                    f"<Message>{message}</Message><RequestId>fault-proxy</RequestId></Error>"
                ).encode()
                self.send_response_only(status)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _reset(self) -> None:
                # SO_LINGER with a zero timeout makes close() send a TCP RST, not a FIN.
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()

        return Handler

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

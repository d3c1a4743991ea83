"""The receiver as an AWS Lambda function behind API Gateway (HTTP API) or a function URL.

Both send payload format 2.0 events. Set the handler to
``pipeline.inquiry.lambda_handler.handler`` and configure it with environment variables
named like the settings (strings; lists comma-separated)::

    INQUIRY_STORE=s3://practice-inquiries          # required: where records go
    INQUIRY_ORIGINS=https://www.example.com,https://example.com
    INQUIRY_THANK_YOU_URL=https://www.example.com/thank-you/
    INQUIRY_NOTIFY_EMAIL=frontdesk@example.com     # optional (SES-verified)

Leave the function URL's own CORS settings empty: the receiver answers CORS itself, for
the origins in INQUIRY_ORIGINS only. The in-memory rate limit holds per warm instance; see
``ratelimit.py`` for the limit that holds in production.

Behind CloudFront (infra/site.yaml routes ``/api/*`` here): the client is the viewer's
address from the ``CloudFront-Viewer-Address`` header, and with ``INQUIRY_ORIGIN_SECRET`` set
the function answers only requests carrying it in ``X-Origin-Verify`` (a custom header only
CloudFront adds), so nobody reaches the function around the WAF rate limit.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import os
from collections.abc import Callable, Mapping
from typing import Any

from pipeline.inquiry.errors import InquiryError
from pipeline.inquiry.receiver import Receiver, Request, Response

_receiver: Receiver | None = None
ORIGIN_SECRET_HEADER = "x-origin-verify"


def handler(event: Mapping[str, Any], context: Any = None) -> dict[str, Any]:
    """The Lambda entry point: builds the receiver once per instance, from the environment."""
    global _receiver
    if _receiver is None:
        from pipeline.inquiry.service import build_receiver

        if not os.environ.get("INQUIRY_STORE", "").startswith("s3://"):
            # A folder in Lambda is /tmp, wiped with the instance: inquiries would be lost.
            raise InquiryError("Set INQUIRY_STORE=s3://bucket[/prefix] in the function's environment.")
        _receiver = build_receiver(os.environ, root="/tmp")
    return handle_event(_receiver, event, os.environ.get("INQUIRY_ORIGIN_SECRET", ""))


def make_handler(receiver: Receiver, origin_secret: str = "") -> Callable[[Mapping[str, Any], Any], dict[str, Any]]:
    """A handler bound to a given receiver (tests, or a custom bootstrap)."""
    return lambda event, context=None: handle_event(receiver, event, origin_secret)


def handle_event(receiver: Receiver, event: Mapping[str, Any], origin_secret: str = "") -> dict[str, Any]:
    if origin_secret:
        given = next((str(v) for k, v in (event.get("headers") or {}).items()
                      if str(k).lower() == ORIGIN_SECRET_HEADER), "")
        if not hmac.compare_digest(given.encode("utf-8", "replace"), origin_secret.encode("utf-8")):
            body = json.dumps({"ok": False, "error": "forbidden"})
            return {"statusCode": 403, "headers": {"Content-Type": "application/json", "Cache-Control": "no-store"},
                    "body": body, "isBase64Encoded": False}
    return to_result(receiver.handle(to_request(event, receiver.config.max_bytes)))


def to_request(event: Mapping[str, Any], max_bytes: int) -> Request:
    """A plain Request from an API Gateway v2 / function URL event."""
    http = (event.get("requestContext") or {}).get("http") or {}
    headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
    body = event.get("body") or ""
    body_error = None
    if not isinstance(body, str):
        data, body_error = b"", "bad_request"
    elif event.get("isBase64Encoded"):
        if len(body) > (max_bytes + 2) // 3 * 4 + 4:
            data, body_error = b"", "too_large"
        else:
            try:
                data = base64.b64decode(body, validate=True)
            except (binascii.Error, ValueError):
                data, body_error = b"", "bad_request"
    else:
        data = body.encode("utf-8", "surrogatepass")
        if len(data) > max_bytes:
            data, body_error = b"", "too_large"
    scheme = headers.get("x-forwarded-proto", "https").split(",")[0].strip() or "https"
    # Through CloudFront the source is an edge server; the viewer is in "ip:port" (IPv6 too).
    viewer = headers.get("cloudfront-viewer-address", "").rpartition(":")[0].strip("[]")
    return Request(
        method=str(http.get("method") or event.get("httpMethod") or "GET").upper(),
        path=str(event.get("rawPath") or http.get("path") or "/"),
        headers=headers,
        body=data,
        body_error=body_error,
        client=viewer or str(http.get("sourceIp") or ""),
        scheme=scheme,
    )


def to_result(response: Response) -> dict[str, Any]:
    """The payload 2.0 response: text bodies as text, anything else base64."""
    headers: dict[str, str] = {}
    for name, value in response.headers:
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    try:
        body, encoded = response.body.decode("utf-8"), False
    except UnicodeDecodeError:
        body, encoded = base64.b64encode(response.body).decode("ascii"), True
    return {"statusCode": response.status, "headers": headers, "body": body, "isBase64Encoded": encoded}

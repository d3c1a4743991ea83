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

Behind CloudFront (infra/site.yaml routes ``/api/*`` here), the function answers only requests
that carry the origin secret, read at run time from the Secrets Manager secret named by
``INQUIRY_ORIGIN_SECRET_ARN`` (:mod:`pipeline.inquiry.origin`): anything else gets 403, so nobody
reaches the function around the WAF. The client the rate limit counts is then the viewer's
address from ``CloudFront-Viewer-Address``. There is no way to switch the check off here: the
local server (``inv serve``) is the receiver's other face, not a mode of this one.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Callable, Mapping
from typing import Any

from pipeline.inquiry.errors import InquiryError
from pipeline.inquiry.origin import LocalMode, OriginSecret, from_environment
from pipeline.inquiry.receiver import Receiver, Request, Response

_receiver: Receiver | None = None
_origin: OriginSecret | None = None
Origin = OriginSecret | LocalMode


def handler(event: Mapping[str, Any], context: Any = None) -> dict[str, Any]:
    """The Lambda entry point: builds the receiver and the origin check once per instance."""
    global _receiver, _origin
    if _receiver is None:
        from pipeline.inquiry.service import build_receiver

        if not os.environ.get("INQUIRY_STORE", "").startswith("s3://"):
            # A folder in Lambda is /tmp, wiped with the instance: inquiries would be lost.
            raise InquiryError("Set INQUIRY_STORE=s3://bucket[/prefix] in the function's environment.")
        _origin = from_environment(os.environ)
        _receiver = build_receiver(os.environ, root="/tmp", token_keys=_origin.token_keys)
    return handle_event(_receiver, event, _origin)


def make_handler(receiver: Receiver, origin: Origin) -> Callable[[Mapping[str, Any], Any], dict[str, Any]]:
    """A handler bound to a given receiver and origin check (tests, or a custom bootstrap)."""
    return lambda event, context=None: handle_event(receiver, event, origin)


def handle_event(receiver: Receiver, event: Mapping[str, Any], origin: Origin) -> dict[str, Any]:
    """Check where the request came from, then let the receiver answer it."""
    headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
    peer = str(((event.get("requestContext") or {}).get("http") or {}).get("sourceIp") or "")
    verdict = origin.check(headers, peer)
    if verdict.refusal == "unavailable":
        return to_result(receiver.unavailable(to_request(event, receiver.config.max_bytes, peer)))
    if not verdict.allowed:
        body = json.dumps({"ok": False, "error": "forbidden"})
        return {
            "statusCode": 403,
            "headers": {"Content-Type": "application/json", "Cache-Control": "no-store"},
            "body": body,
            "isBase64Encoded": False,
        }
    return to_result(receiver.handle(to_request(event, receiver.config.max_bytes, verdict.client)))


def to_request(event: Mapping[str, Any], max_bytes: int, client: str) -> Request:
    """A plain Request from an API Gateway v2 / function URL event; ``client`` keys the rate limit."""
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
    return Request(
        method=str(http.get("method") or event.get("httpMethod") or "GET").upper(),
        path=str(event.get("rawPath") or http.get("path") or "/"),
        headers=headers,
        body=data,
        body_error=body_error,
        client=client,
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

"""Who is asking: is the request from our CloudFront distribution, and which client is it?

In production the receiver is a Lambda function URL, reachable from the whole internet. Only
requests that carry the origin secret come through CloudFront (CloudFront adds it as the
``X-Origin-Verify`` header; the stack generates the secret in AWS Secrets Manager): every other
request is refused (403), whatever else it says. Only such a request's
``CloudFront-Viewer-Address`` is believed, since anyone can send that header: the rate limit
keys on the viewer CloudFront saw when the secret proves CloudFront sent the request, and on the
connection's own address otherwise.

Two modes, each chosen explicitly:

- :data:`LOCAL` (``inv serve``): no CloudFront in front, every request is served, the client is
  the connection's address, and CloudFront headers are ignored.
- :class:`OriginSecret` (the Lambda function): the secret is required. Its values come from a
  source such as :class:`SecretsManagerSecret`, which reads the secret at run time (so it is in
  neither the template's outputs nor the function's configuration) and accepts the previous
  value for a while after a rotation, so rotating never refuses a visitor.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import secrets
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from pipeline.inquiry.errors import InquiryError
from pipeline.inquiry.filltime import derive_key

log = logging.getLogger(__name__)

ORIGIN_SECRET_HEADER = "x-origin-verify"
VIEWER_ADDRESS_HEADER = "cloudfront-viewer-address"


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    client: str  # the address the rate limit keys on
    refusal: str = ""  # "forbidden" (no or wrong secret) or "unavailable" (the secret cannot be read)


class LocalMode:
    """No CloudFront in front (``inv serve``): every request is served, keyed on its connection."""

    def __init__(self):
        self._key = secrets.token_bytes(32)  # fill-time tokens live as long as the process

    def check(self, headers: Mapping[str, str], peer: str) -> Verdict:
        return Verdict(True, peer)

    def token_keys(self) -> list[bytes]:
        return [self._key]


LOCAL = LocalMode()


class OriginSecret:
    """Requests must carry one of ``source()``'s values in ``X-Origin-Verify`` (lower-case header
    names); then the client is CloudFront's viewer.

    ``source(refresh)`` returns the accepted values, current first; ``refresh=True`` asks for a
    fresh read (after a mismatch: the secret may have been rotated), which the source may decline.
    """

    def __init__(self, source: Callable[[bool], Sequence[str]]):
        self.source = source

    def check(self, headers: Mapping[str, str], peer: str) -> Verdict:
        given = headers.get(ORIGIN_SECRET_HEADER, "")
        try:
            proven = bool(given) and (
                _matches(given, self.source(False)) or _matches(given, self.source(True))
            )
        except InquiryError as exc:
            log.error("inquiry: cannot check the origin secret (%s); refusing the request", exc)
            return Verdict(False, peer, "unavailable")
        if not proven:
            return Verdict(False, peer, "forbidden")
        return Verdict(True, viewer_address(headers.get(VIEWER_ADDRESS_HEADER, "")) or peer)

    def token_keys(self) -> list[bytes]:
        return [derive_key(value) for value in self.source(False)]


def _matches(given: str, values: Sequence[str]) -> bool:
    supplied = given.encode("utf-8", "replace")
    matched = False
    for value in values:  # every value, in constant time: no early exit, no empty secret
        matched |= bool(value) and hmac.compare_digest(supplied, value.encode("utf-8"))
    return matched


def viewer_address(value: str) -> str:
    """The IP address in CloudFront-Viewer-Address (``ip:port``; IPv6 with or without brackets);
    '' when it is not one."""
    host = value.strip().rpartition(":")[0].strip("[]")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return ""


class SecretsManagerSecret:
    """The origin secret's accepted values, read from AWS Secrets Manager and cached.

    Accepted: the current version (``AWSCURRENT``), and the previous one (``AWSPREVIOUS``) until
    ``grace`` seconds after the current one was created: CloudFront keeps sending the old value
    until the stack update that follows a rotation has reached every edge location.
    The cache is re-read every ``ttl`` seconds, or after a mismatch at most every ``retry``
    seconds (so requests with a wrong secret cannot run up Secrets Manager calls).
    """

    def __init__(
        self,
        client,
        secret_id: str,
        *,
        ttl: float = 300,
        retry: float = 10,
        grace: float = 24 * 3600,
        clock: Callable[[], float] = time.time,
    ):
        self.client = client
        self.secret_id = secret_id
        self.ttl, self.retry, self.grace = ttl, retry, grace
        self.clock = clock
        self._values: tuple[str, ...] = ()
        self._read_at = self._tried_at = float("-inf")
        self._lock = threading.Lock()

    def __call__(self, refresh: bool = False) -> tuple[str, ...]:
        with self._lock:
            now = self.clock()
            due = now - self._read_at >= self.ttl or (refresh and now - self._tried_at >= self.retry)
            if due:
                self._tried_at = now
                try:
                    self._values, self._read_at = self._read(now), now
                except InquiryError:
                    if not self._values:
                        raise
                    log.warning("inquiry: could not re-read the origin secret; using the cached one")
            return self._values

    def _read(self, now: float) -> tuple[str, ...]:
        current = self._version("AWSCURRENT")
        if current is None or not current[0]:
            raise InquiryError(f"The origin secret {self.secret_id} has no current value.")
        values = [current[0]]
        if now - current[1] < self.grace and (previous := self._version("AWSPREVIOUS")) and previous[0]:
            values.append(previous[0])
        return tuple(values)

    def _version(self, stage: str) -> tuple[str, float] | None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            reply = self.client.get_secret_value(SecretId=self.secret_id, VersionStage=stage)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code == "ResourceNotFoundException" and stage != "AWSCURRENT":
                return None  # never rotated: there is no previous version
            raise InquiryError(
                f"Could not read the origin secret {self.secret_id} ({code or 'error'})."
            ) from None
        except BotoCoreError as exc:
            raise InquiryError(
                f"Could not read the origin secret {self.secret_id} ({type(exc).__name__})."
            ) from None
        created = reply.get("CreatedDate")
        return str(reply.get("SecretString") or ""), created.timestamp() if isinstance(
            created, datetime
        ) else 0.0


def from_environment(
    environ: Mapping[str, str], client_factory: Callable[[], object] | None = None
) -> OriginSecret:
    """The Lambda function's check: the secret named by ``INQUIRY_ORIGIN_SECRET_ARN``.

    Without it there is nothing to check against, so every request is refused: the function never
    falls back to serving requests that did not come through CloudFront.
    """
    secret_id = (environ.get("INQUIRY_ORIGIN_SECRET_ARN") or "").strip()
    if not secret_id:
        log.error(
            "inquiry: INQUIRY_ORIGIN_SECRET_ARN is not set, so no request can prove it came through "
            "CloudFront: every request is refused (infra/site.yaml sets it)"
        )
        return OriginSecret(lambda refresh=False: ())
    if client_factory is None:

        def client_factory():
            import boto3

            from pipeline.inquiry.store import client_config

            return boto3.client("secretsmanager", config=client_config())

    return OriginSecret(SecretsManagerSecret(client_factory(), secret_id))

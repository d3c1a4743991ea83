"""What an S3 or CloudFront failure means: retry it, or stop with a message that says the fix."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    PartialCredentialsError,
    ReadTimeoutError,
)

from pipeline.deploy.errors import DeployError

log = logging.getLogger(__name__)
T = TypeVar("T")

RETRYABLE_CODES = {
    "SlowDown",
    "Throttling",
    "ThrottlingException",
    "RequestTimeout",
    "RequestTimeTooSkewed",
    "InternalError",
    "ServiceUnavailable",
    "TooManyInvalidationsInProgress",
    "RequestLimitExceeded",
}
CREDENTIAL_CODES = {
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "AccessDenied",
    "InvalidToken",
    "ExpiredToken",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "AuthorizationHeaderMalformed",
}
_NETWORK = (EndpointConnectionError, ConnectionClosedError, ConnectTimeoutError, ReadTimeoutError)


def error_code(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code", ""))
    return type(exc).__name__


def is_retryable(exc: BaseException) -> bool:
    if isinstance(exc, _NETWORK):
        return True
    if isinstance(exc, ClientError):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        return error_code(exc) in RETRYABLE_CODES or status >= 500
    return False


def explain(
    exc: BaseException, bucket: str, key: str | None = None, endpoint: str | None = None
) -> DeployError:
    """A DeployError naming the bucket/key and the fix for a boto3 failure."""
    where = f"s3://{bucket}/{key}" if key else f"bucket '{bucket}'"
    at = f" at {endpoint}" if endpoint else ""
    code = error_code(exc)
    if isinstance(exc, (NoCredentialsError, PartialCredentialsError)):
        return DeployError(
            f"No AWS credentials were found for {where}. Set AWS_PROFILE or AWS_ACCESS_KEY_ID/"
            "AWS_SECRET_ACCESS_KEY (CI assumes the deploy role through GitHub OIDC) and deploy again."
        )
    if isinstance(exc, _NETWORK):
        return DeployError(
            f"Could not reach the S3 service{at} while working on {where} ({exc}). Check the network "
            "and AWS_ENDPOINT_URL, then deploy again: the next run uploads only what is still missing."
        )
    if code in ("NoSuchBucket", "404") and not key:
        return DeployError(
            f"The bucket '{bucket}' does not exist{at}. Create it (see infra/README.md) or fix "
            "S3_BUCKET / --bucket / the DEPLOY_TARGETS entry."
        )
    if code == "NoSuchBucket":
        return DeployError(
            f"The bucket '{bucket}' does not exist{at}. Create it (see infra/README.md) or fix S3_BUCKET."
        )
    if code in CREDENTIAL_CODES or code == "403":
        return DeployError(
            f"Access to {where}{at} was refused ({code}). Check the AWS credentials in use "
            "(AWS_PROFILE, AWS_ACCESS_KEY_ID, or the CI role) and that the deploy role may list, "
            "read, write and delete objects in this bucket (infra/site.yaml, DeployRole)."
        )
    if isinstance(exc, ClientError):
        message = exc.response.get("Error", {}).get("Message", "") or str(exc)
        return DeployError(
            f"S3 refused an operation on {where}{at}: {code}: {message}. Fix the cause and deploy again."
        )
    if isinstance(exc, BotoCoreError):
        return DeployError(f"The AWS client failed on {where}{at}: {exc}. Fix the cause and deploy again.")
    return DeployError(f"Unexpected failure on {where}{at}: {exc!r}.")


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter for throttling, 5xx and dropped connections."""

    attempts: int = 5
    base: float = 0.25
    cap: float = 8.0

    def delay(self, attempt: int) -> float:
        return random.uniform(0, min(self.cap, self.base * 2**attempt))


DEFAULT_RETRY = RetryPolicy()


def call_with_retries(fn: Callable[[], T], policy: RetryPolicy, stop: threading.Event | None = None) -> T:
    """Run ``fn``; retry retryable failures; re-raise the last one (or a non-retryable one at once)."""
    for attempt in range(policy.attempts):
        try:
            return fn()
        except Exception as exc:
            last = attempt == policy.attempts - 1
            if last or not is_retryable(exc) or (stop is not None and stop.is_set()):
                raise
            log.info(
                "deploy: retrying after %s (attempt %d of %d)", error_code(exc), attempt + 1, policy.attempts
            )
            time.sleep(policy.delay(attempt))
    raise AssertionError("unreachable")

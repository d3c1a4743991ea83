"""The deploy's AWS clients: how failures are retried (botocore's own retry modes), and what a
failure that outlasts its retries means, in a message that says the fix."""

from __future__ import annotations

import logging

from botocore.config import Config
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

# Every request: the first try and up to four retries. botocore's "standard" mode retries throttling
# (SlowDown, Throttling...), HTTP 500/502/503/504 and dropped or refused connections, with
# exponential backoff and full jitter, within a retry quota that stops a storm against a server that
# is down ("Retries" in the boto3 guide; the AWS SDKs' standard retry behaviour).
MAX_ATTEMPTS = 5


def client_config(workers: int = 8, attempts: int = MAX_ATTEMPTS) -> Config:
    """The botocore Config of every deploy client: standard retries, timeouts, a connection per worker."""
    return Config(
        # total_max_attempts counts the first try; botocore's older "max_attempts" counts only retries.
        retries={"mode": "standard", "total_max_attempts": attempts},
        connect_timeout=5,
        read_timeout=60,
        max_pool_connections=max(10, 2 * workers),
    )


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

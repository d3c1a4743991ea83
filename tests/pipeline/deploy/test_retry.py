"""Retry classification and backoff (the server-level behaviour is in test_faults.py)."""

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from pipeline.deploy.aws import RetryPolicy, call_with_retries, is_retryable


def client_error(code, status):
    return ClientError(
        {"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}}, "Op"
    )


def test_throttling_and_server_errors_are_retried_until_they_pass():
    failures = [
        client_error("SlowDown", 503),
        client_error("TooManyInvalidationsInProgress", 400),
        EndpointConnectionError(endpoint_url="http://127.0.0.1:1"),
    ]

    def flaky():
        if failures:
            raise failures.pop(0)
        return "done"

    assert call_with_retries(flaky, RetryPolicy(attempts=4, base=0.001, cap=0.01)) == "done"


def test_refusals_are_not_retried():
    calls = []

    def refused():
        calls.append(1)
        raise client_error("AccessDenied", 403)

    with pytest.raises(ClientError):
        call_with_retries(refused, RetryPolicy(attempts=5, base=0.001))
    assert len(calls) == 1
    assert not is_retryable(client_error("NoSuchBucket", 404))
    assert is_retryable(client_error("InternalError", 500))

"""Retries under real faults: a proxy between the deploy and a real S3 server throttles, fails,
resets connections and loses answers; the deploy's own clients (botocore's standard retry mode)
must ride them out, give up cleanly on faults that last, and never retry a refusal."""

from __future__ import annotations

import hashlib
import random

import pytest

from pipeline.deploy import cloudfront
from pipeline.deploy.aws import MAX_ATTEMPTS
from pipeline.deploy.errors import DeployError
from pipeline.deploy.executor import MULTIPART_THRESHOLD
from tests.pipeline.deploy.test_cloudfront import _distribution
from tests.support.faultproxy import FaultProxy, always, first_tries

pytestmark = pytest.mark.s3


@pytest.fixture
def proxy(target):
    with FaultProxy(target.server.endpoint) as proxy:
        target.via = proxy.endpoint
        yield proxy


def _assert_deployed(target, files):
    stored = target.objects()
    assert set(stored) == set(files)
    for key, path in files.items():
        body = path.read_bytes()
        assert stored[key]["body"] == body and stored[key]["sha256"] == hashlib.sha256(body).hexdigest(), key


@pytest.mark.parametrize("fault", ["slowdown", "internal", "reset", "lost"])
def test_every_request_failing_once_still_deploys_the_whole_site(target, proxy, fault):
    files = target.build(pages=6, images=3)
    proxy.fault = first_tries(fault)

    target.deploy()

    _assert_deployed(target, files)
    faulted = {seen.operation for seen in proxy.faults(fault)}
    assert {"Get", "PutObject"} <= faulted  # the listing, the manifest and the uploads all met it
    # Each upload was one call (botocore retried inside it), sent twice over the wire.
    assert target.recorder.count("PutObject") == len(files) + 1  # and the manifest
    puts = [s for s in proxy.seen if s.operation == "PutObject"]
    assert len(puts) == 2 * (len(files) + 1)

    proxy.fault = lambda seen: None
    assert target.deploy().plan.actions == ()  # what was stored is exactly what the manifest says


def test_header_updates_and_deletes_are_retried_too(target, proxy):
    target.build(pages=6, images=3)
    target.deploy()
    files = target.build(pages=6, images=3, without=frozenset({"about/index.html"}))
    proxy.fault = first_tries("slowdown", "DeleteObjects")

    result = target.deploy()

    assert result.plan.count("delete") == 1
    assert [s.operation for s in proxy.faults("slowdown")] == ["DeleteObjects"]
    _assert_deployed(target, files)


def test_a_fault_that_lasts_stops_the_deploy_before_the_pages_and_the_next_run_finishes(target, proxy):
    files = target.build(pages=6, images=3)
    stuck = target.deploy(dry_run=True).plan.phase("assets")[-1].key  # the other assets go up first
    proxy.fault = always("slowdown", lambda seen: seen.method == "PUT" and seen.path.endswith(stuck))

    with pytest.raises(DeployError) as err:
        target.deploy(workers=1)

    message = str(err.value)
    assert stuck in message and "later phases did not start" in message and "deploy again" in message
    assert "Traceback" not in message
    assert len(proxy.faults("slowdown")) == MAX_ATTEMPTS  # the first try and every retry, then no more
    assert not [key for key in target.objects() if key.endswith(".html")]  # no page points at a gap

    proxy.fault = lambda seen: None
    target.recorder.clear()
    result = target.deploy()
    assert 0 < result.plan.count("upload") < len(files)  # the finished assets are not sent again
    _assert_deployed(target, files)


def test_a_refusal_is_not_retried(target, proxy):
    files = target.build(pages=2, images=1)
    first = sorted(files)[0]
    proxy.fault = always("denied", lambda seen: seen.method == "PUT" and seen.path.endswith(first))

    with pytest.raises(DeployError) as err:
        target.deploy(workers=1)

    assert "refused" in str(err.value)
    assert len(proxy.faults("denied")) == 1


def test_a_large_file_goes_up_in_parts_and_a_failed_part_is_sent_again(target, proxy):
    files = target.build(pages=2, images=1)
    video = target.site / "media" / "tour.mp4"
    video.write_bytes(random.Random(3).randbytes(2 * MULTIPART_THRESHOLD + 12345))
    files["media/tour.mp4"] = video
    proxy.fault = first_tries("reset", "UploadPart")

    target.deploy()

    parts = [s for s in proxy.seen if s.operation == "UploadPart"]
    assert len(proxy.faults("reset")) == 3 and len(parts) == 6  # three parts, each sent twice
    assert target.recorder.count("CompleteMultipartUpload") == 1
    _assert_deployed(target, files)
    proxy.fault = lambda seen: None
    assert target.deploy().plan.actions == ()  # the multipart ETag went into the manifest as listed


@pytest.fixture
def moto_proxy(moto_target):
    with FaultProxy(moto_target.server.endpoint) as proxy:
        moto_target.via = proxy.endpoint
        yield proxy


def test_cloudfront_busy_with_invalidations_is_waited_for(moto_target, moto_proxy, monkeypatch):
    monkeypatch.setattr(cloudfront, "INVALIDATION_BACKOFF", (0.01, 0.05))
    distribution = _distribution(moto_target.server, moto_target.bucket)
    moto_target.build(pages=3)
    moto_proxy.fault = first_tries("busy", "CreateInvalidation")

    result = moto_target.deploy(CLOUDFRONT_DISTRIBUTION_ID=distribution)

    assert len(result.invalidation_ids) == 1
    assert [s.operation for s in moto_proxy.faults("busy")] == ["CreateInvalidation"]
    listed = moto_target.server.client("cloudfront").list_invalidations(DistributionId=distribution)
    assert listed["InvalidationList"]["Quantity"] == 1


def test_cloudfront_busy_for_good_gives_up_with_a_message(moto_target, moto_proxy, monkeypatch):
    monkeypatch.setattr(cloudfront, "INVALIDATION_BACKOFF", (0.01, 0.05))
    distribution = _distribution(moto_target.server, moto_target.bucket)
    moto_target.build(pages=3)
    moto_proxy.fault = always("busy", lambda seen: seen.operation == "CreateInvalidation")

    with pytest.raises(DeployError) as err:
        moto_target.deploy(CLOUDFRONT_DISTRIBUTION_ID=distribution)

    assert distribution in str(err.value)
    assert len(moto_proxy.faults("busy")) == cloudfront.INVALIDATION_ATTEMPTS

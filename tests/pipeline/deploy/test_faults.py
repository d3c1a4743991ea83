"""Faults against real servers: a server that dies mid-deploy, wrong keys, a missing bucket."""

from __future__ import annotations

import hashlib

import pytest

from pipeline.deploy.config import deploy_config
from pipeline.deploy.errors import DeployError
from pipeline.deploy.run import boto3_clients, deploy
from tests.pipeline.deploy.conftest import Target
from tests.support.s3servers import start_seaweed

pytestmark = pytest.mark.s3


@pytest.fixture(scope="module")
def own_seaweed():
    """A SeaweedFS of this module's own: the test stops and restarts it."""
    server = start_seaweed()
    yield server
    server.close()


def test_server_stopped_midway_fails_clearly_and_the_next_run_converges(own_seaweed, tmp_path):
    target = Target(own_seaweed, tmp_path)
    files = target.build(pages=40, images=10)
    puts = []

    def stop_after_ten(params, model, **_):
        if model.name == "PutObject":
            puts.append(params["Key"])
            if len(puts) == 10:
                own_seaweed.stop()  # the next requests meet a closed port

    target.recorder.hook = stop_after_ten
    with pytest.raises(DeployError) as err:
        target.deploy(workers=1)
    message = str(err.value)
    assert target.bucket in message and "deploy again" in message and "later phases did not start" in message
    assert "Could not reach the S3 service" in message

    own_seaweed.start()
    target.recorder.hook = lambda **_: None
    result = target.deploy()
    assert 0 < result.plan.count("upload") < len(files)  # only what the first run did not finish

    stored = target.objects()
    assert set(stored) == set(files)
    for key, path in files.items():
        body = path.read_bytes()
        assert stored[key]["body"] == body and stored[key]["sha256"] == hashlib.sha256(body).hexdigest(), key
    assert target.deploy().plan.actions == ()


def test_wrong_credentials_give_a_clear_error(seaweed_s3, tmp_path):
    target = Target(seaweed_s3, tmp_path)
    target.build(pages=2)
    target.clients = lambda service, region=None: seaweed_s3.client(service, secret_key="not-the-secret")
    with pytest.raises(DeployError) as err:
        target.deploy()
    message = str(err.value)
    assert target.bucket in message and "refused" in message and "credentials" in message
    assert "Traceback" not in message


def test_missing_bucket_gives_a_clear_error(target):
    target.build(pages=2)
    target.bucket = "no-such-bucket-here"
    with pytest.raises(DeployError) as err:
        target.deploy()
    assert "The bucket 'no-such-bucket-here' does not exist" in str(err.value)
    assert "S3_BUCKET" in str(err.value)


def test_default_client_chain_honours_aws_endpoint_url(moto_s3, tmp_path, monkeypatch):
    for name, value in moto_s3.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    target = Target(moto_s3, tmp_path)
    files = target.build(pages=2)
    config = deploy_config({"S3_BUCKET": target.bucket})
    deploy(target.site, config, {}, boto3_clients(), console=target.console)
    assert set(target.objects()) == set(files)

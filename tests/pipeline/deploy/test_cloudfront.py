"""CloudFront invalidation and the redirect function, against moto's server over HTTP."""

from __future__ import annotations

import base64
import re
from typing import ClassVar

import pytest

from pipeline.deploy.errors import DeployError
from pipeline.deploy.redirects import cloudfront_function_code

pytestmark = pytest.mark.s3


def _distribution(server, bucket: str) -> str:
    config = {
        "CallerReference": bucket,
        "Comment": "test",
        "Enabled": True,
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "site",
                    "DomainName": f"{bucket}.s3.amazonaws.com",
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "site",
            "ViewerProtocolPolicy": "redirect-to-https",
            "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
        },
    }
    return server.client("cloudfront").create_distribution(DistributionConfig=config)["Distribution"]["Id"]


def _invalidated(server, distribution: str, ids: list[str]) -> list[list[str]]:
    client = server.client("cloudfront")
    return [
        client.get_invalidation(DistributionId=distribution, Id=i)["Invalidation"]["InvalidationBatch"][
            "Paths"
        ].get("Items", [])
        for i in ids
    ]


def test_invalidates_exactly_the_changed_paths(moto_target):
    distribution = _distribution(moto_target.server, moto_target.bucket)
    moto_target.build(pages=8)
    moto_target.deploy(CLOUDFRONT_DISTRIBUTION_ID=distribution)
    moto_target.build(pages=8, edited=frozenset({5}), without=frozenset({"about/index.html"}))

    result = moto_target.deploy(CLOUDFRONT_DISTRIBUTION_ID=distribution)

    expected = sorted(
        {
            "/posts/post-0005/",
            "/posts/post-0005/index.html",
            "/",
            "/index.html",
            "/about/",
            "/about/index.html",
            *(f"/{a.key}" for a in result.plan.actions if a.key.startswith("pagefind/")),
        }
    )
    assert result.invalidation_paths == expected
    assert _invalidated(moto_target.server, distribution, result.invalidation_ids) == [expected]


def test_no_change_means_no_invalidation(moto_target):
    distribution = _distribution(moto_target.server, moto_target.bucket)
    moto_target.build(pages=3)
    moto_target.deploy(CLOUDFRONT_DISTRIBUTION_ID=distribution)
    moto_target.build(pages=3)
    moto_target.recorder.clear()
    result = moto_target.deploy(CLOUDFRONT_DISTRIBUTION_ID=distribution)
    assert result.invalidation_ids == [] and moto_target.recorder.count("CreateInvalidation") == 0


def test_many_changes_fall_back_to_one_wildcard(moto_target):
    distribution = _distribution(moto_target.server, moto_target.bucket)
    moto_target.build(pages=20)
    result = moto_target.deploy(CLOUDFRONT_DISTRIBUTION_ID=distribution, CLOUDFRONT_MAX_PATHS=10)
    assert len(result.invalidation_paths) > 10
    assert _invalidated(moto_target.server, distribution, result.invalidation_ids) == [["/*"]]


def test_unknown_distribution_is_a_clear_error(moto_target):
    moto_target.build(pages=2)
    with pytest.raises(DeployError) as err:
        moto_target.deploy(CLOUDFRONT_DISTRIBUTION_ID="E000NOSUCHDIST")
    assert "CLOUDFRONT_DISTRIBUTION_ID" in str(err.value)


def test_function_with_current_code_is_left_alone(moto_target):
    redirects = {"/old-special/": "/specials/spring/"}
    name = f"viewer-{moto_target.bucket}"
    moto_target.server.client("cloudfront").create_function(
        Name=name,
        FunctionConfig={"Comment": "site", "Runtime": "cloudfront-js-2.0"},
        FunctionCode=cloudfront_function_code(redirects).encode(),
    )
    moto_target.build(pages=2)
    moto_target.recorder.clear()
    result = moto_target.deploy(redirects=redirects, CLOUDFRONT_FUNCTION_NAME=name)
    assert result.function_updated is False
    assert moto_target.recorder.count("GetFunction") == 1
    assert moto_target.recorder.count("UpdateFunction") == 0


def test_changed_redirects_update_and_publish_the_function(moto_target):
    """moto stores functions but cannot update or publish them, so those two calls are answered
    in-process (botocore's before-call hook); GetFunction and DescribeFunction go to the server."""
    name = f"viewer-{moto_target.bucket}"
    cloudfront = moto_target.server.client("cloudfront")
    cloudfront.create_function(
        Name=name,
        FunctionConfig={"Comment": "site", "Runtime": "cloudfront-js-2.0"},
        FunctionCode=cloudfront_function_code({}).encode(),
    )
    sent = []

    def answer(model, params, **_):
        if model.name in ("UpdateFunction", "PublishFunction"):
            sent.append((model.name, params))
            return _Http(), {"ETag": "E2", "ResponseMetadata": {"HTTPStatusCode": 200}}
        return None

    original = moto_target.clients

    def clients(service, region=None):
        client = original(service, region)
        client.meta.events.register("before-call.cloudfront", answer)
        return client

    moto_target.clients = clients
    moto_target.build(pages=2)
    redirects = {"/old-special/": "/specials/spring/"}
    result = moto_target.deploy(redirects=redirects, CLOUDFRONT_FUNCTION_NAME=name)

    assert result.function_updated is True
    assert [op for op, _ in sent] == ["UpdateFunction", "PublishFunction"]
    update = sent[0][1]
    assert update["headers"]["If-Match"] == cloudfront.describe_function(Name=name)["ETag"]
    code = re.search(rb"<FunctionCode>([^<]+)</FunctionCode>", update["body"]).group(1)
    assert base64.b64decode(code) == cloudfront_function_code(redirects).encode()
    assert sent[1][1]["headers"]["If-Match"] == "E2"


class _Http:
    status_code = 200
    headers: ClassVar[dict] = {}
    content = b""


def test_preview_under_a_prefix_leaves_the_function_alone(moto_target):
    name = f"viewer-{moto_target.bucket}"
    moto_target.server.client("cloudfront").create_function(
        Name=name,
        FunctionConfig={"Comment": "site", "Runtime": "cloudfront-js-2.0"},
        FunctionCode=cloudfront_function_code({}).encode(),
    )
    moto_target.build(pages=2)
    moto_target.recorder.clear()
    result = moto_target.deploy(
        redirects={"/old/": "/new/"}, CLOUDFRONT_FUNCTION_NAME=name, S3_PREFIX="previews/pr-4"
    )
    assert result.function_updated is False
    assert moto_target.recorder.ops("GetFunction", "UpdateFunction", "PublishFunction") == []

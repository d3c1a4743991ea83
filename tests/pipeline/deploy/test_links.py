"""The deploy never follows a link and uploads exactly the bytes the publish guard read, against
real S3 servers (moto and SeaweedFS)."""

from __future__ import annotations

import os

import pytest

from pipeline.deploy.errors import DeployError
from pipeline.deploy.run import deploy_site
from pipeline.publish_guard import PublishGuardError, check_output

pytestmark = pytest.mark.s3


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "secrets" / "token.txt"
    path.parent.mkdir()
    path.write_text("aws_secret_access_key=not-a-real-key\n")
    return path


def _links(site, secret):
    (site / "passwd.txt").symlink_to("/etc/passwd")
    (site / "theme" / "token.txt").symlink_to(secret)
    (site / "vendor").symlink_to(secret.parent, target_is_directory=True)


def test_the_guard_refuses_links_in_the_output_and_nothing_is_uploaded(target, secret, tmp_path):
    target.build(pages=3, images=1)
    _links(target.site, secret)
    settings = {
        "S3_BUCKET": target.bucket,
        "OUTPUT_PATH": str(target.site),
        "INTERNAL_PATH": str(tmp_path / "i"),
    }
    with pytest.raises(PublishGuardError) as stopped:
        deploy_site(settings, root=tmp_path, clients=target.clients, console=target.console)
    message = str(stopped.value)
    assert "passwd.txt: link or special file: a symbolic link to /etc/passwd" in message
    assert f"theme/token.txt: link or special file: a symbolic link to {secret}" in message
    assert f"vendor: link or special file: a symbolic link to {secret.parent}" in message
    assert "Nothing was uploaded" in message and target.recorder.count("PutObject") == 0
    assert target.objects() == {}


def test_the_uploader_alone_refuses_links_too(target, secret):
    """``deploy`` without the guard (benchmarks, tests) reads the build the same way."""
    target.build(pages=3, images=1)
    _links(target.site, secret)
    with pytest.raises(DeployError, match=r"3 link\(s\) or special file\(s\).*passwd.txt: a symbolic link"):
        target.deploy()
    assert target.recorder.count("PutObject") == 0


def test_what_is_uploaded_is_exactly_what_the_guard_read(target, secret, tmp_path):
    """Changing a file, or swapping it for a link, after the guard passed changes nothing that is
    uploaded: the uploader sends the bytes the guard scanned (one read, no second look)."""
    files = target.build(pages=3, images=1)
    tree = check_output(target.site)
    scanned = {f.key: f.data for f in tree.files}
    page = next(k for k in scanned if k.endswith(".html"))
    other = next(k for k in scanned if k.endswith(".css") or (k.endswith(".html") and k != page))
    (target.site / page).write_text("<p>jane.doe@gmail.com</p>")  # edited after the check
    os.remove(target.site / other)
    (target.site / other).symlink_to(secret)  # swapped for a link after the check
    from pipeline.deploy.config import deploy_config
    from pipeline.deploy.executor import ExecOptions
    from pipeline.deploy.run import deploy

    config = deploy_config({"S3_BUCKET": target.bucket, "S3_WORKERS": 4})
    deploy(
        target.site,
        config,
        {},
        target.clients,
        tree=tree,
        console=target.console,
        options=ExecOptions(workers=4, progress=False),
    )
    stored = target.objects()
    assert {key: value["body"] for key, value in stored.items()} == scanned
    assert all(
        b"not-a-real-key" not in value["body"] and b"jane.doe" not in value["body"]
        for value in stored.values()
    )
    assert files  # the site had pages, assets and images

"""The deploy over a real Pelican build, as `inv deploy` runs it: guard, then upload only changes."""

from __future__ import annotations

import hashlib

import pytest

from pipeline.deploy.run import deploy_site
from plugins.content_model import practice_contacts
from tests.pipeline.deploy.conftest import Target
from tests.support.sitefactory import SiteFactory

pytestmark = pytest.mark.s3


def _uploads(target) -> set[str]:
    """Site files uploaded (the deploy's own manifest object aside)."""
    return {key for _, key in target.recorder.ops("PutObject") if not key.startswith(".deploy")}


def _hashes(root):
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).digest()
        for p in root.rglob("*")
        if p.is_file()
    }


def test_fresh_rebuild_uploads_nothing_and_an_edit_uploads_only_changed_bytes(moto_s3, tmp_path):
    site = SiteFactory(tmp_path / "site").write_all()
    target = Target(moto_s3, tmp_path)
    overrides = {
        "S3_BUCKET": target.bucket,
        "SITEURL": "https://test-aesthetics.example",
        "S3_WORKERS": 4,
        "INTERNAL_PATH": str(tmp_path / "internal"),
        "CLOUDFRONT_DISTRIBUTION_ID": "",
    }

    def build_and_deploy():
        settings = site.build("publishconf.py", **overrides)
        target.recorder.clear()
        deploy_site(
            settings,
            root=site.root,
            contacts=practice_contacts(settings),
            clients=target.clients,
            console=target.console,
        )
        return settings

    settings = build_and_deploy()
    first = _hashes(site.output)
    assert _uploads(target) == set(first)
    stored = target.objects()
    assert set(stored) == set(first)
    assert stored["index.html"]["CacheControl"] and "text/html" in stored["index.html"]["ContentType"]

    build_and_deploy()  # a fresh rebuild: every file is rewritten with new mtimes
    assert _uploads(target) == set()
    assert target.recorder.count("CopyObject") == 0

    post = site.content / "blog" / "nose-questions.md"
    post.write_text(post.read_text().replace("Some **Markdown** body.", "A corrected answer about swelling."))
    build_and_deploy()
    second = _hashes(site.output)
    changed = {key for key in second if first.get(key) != second[key]}
    assert changed and "blog/nose-questions/index.html" in changed
    assert _uploads(target) == changed
    assert settings["OUTPUT_PATH"] == str(site.output)

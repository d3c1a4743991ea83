"""The deploy against real S3 servers over HTTP (moto's server and SeaweedFS)."""

from __future__ import annotations

import gzip
import hashlib
import json

import pytest

from pipeline.deploy.errors import DeployError
from pipeline.deploy.remote import MANIFEST_KEY
from pipeline.deploy.rules import HTML, IMMUTABLE, SHORT

pytestmark = pytest.mark.s3


def test_first_deploy_uploads_everything_with_the_right_headers(target):
    files = target.build()
    result = target.deploy()

    stored = target.objects()
    assert set(stored) == set(files)
    assert result.plan.count("upload") == len(files)
    for key, path in files.items():
        assert stored[key]["body"] == path.read_bytes(), key
        assert stored[key]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    css = next(k for k in files if k.startswith("theme/css/"))
    assert stored[css]["CacheControl"] == IMMUTABLE
    assert stored[css]["ContentType"] == "text/css; charset=utf-8"
    media = next(k for k in files if k.startswith("media/"))
    assert (stored[media]["CacheControl"], stored[media]["ContentType"]) == (IMMUTABLE, "image/webp")
    assert stored["index.html"]["CacheControl"] == HTML
    assert stored["index.html"]["ContentType"] == "text/html; charset=utf-8"
    assert stored["feeds/all.atom.xml"]["ContentType"] == "application/atom+xml; charset=utf-8"
    assert stored["sitemap.xml"]["CacheControl"] == SHORT
    assert stored["theme/fonts/inter.woff2"]["ContentType"] == "font/woff2"
    shown = target.console.file.getvalue()
    assert f"Deployed to s3://{target.bucket}/" in shown and f"{len(files)} uploaded" in shown


def test_fresh_rebuild_uploads_nothing_and_reads_no_metadata(target):
    target.build()
    target.deploy()
    target.build()  # same bytes, new mtimes: what CI's fresh checkout and build produce
    target.recorder.clear()

    result = target.deploy()

    assert result.plan.actions == ()
    assert target.recorder.count("PutObject") == 0
    assert target.recorder.count("CopyObject") == 0
    assert target.recorder.count("HeadObject") == 0  # the manifest answered for every object
    assert target.recorder.count("DeleteObjects") == 0


def test_editing_one_post_uploads_only_the_files_whose_bytes_changed(target):
    before = {k: p.read_bytes() for k, p in target.build().items()}
    target.deploy()
    after = {k: p.read_bytes() for k, p in target.build(edited=frozenset({3})).items()}
    changed = {k for k in after if before.get(k) != after[k]}
    assert "posts/post-0003/index.html" in changed and len(changed) < 6
    target.recorder.clear()

    target.deploy()

    assert {key for _, key in target.recorder.ops("PutObject")} - {MANIFEST_KEY} == changed
    assert {k: v["body"] for k, v in target.objects().items()} == after


def test_header_rule_change_copies_in_place_without_reuploading(target):
    target.build()
    target.deploy()
    target.recorder.clear()

    result = target.deploy(S3_RULES=[{"glob": "posts/**", "cache_control": "public, max-age=60"}])

    pages = {k for k in target.objects() if k.startswith("posts/")}
    assert {key for _, key in target.recorder.ops("CopyObject")} == pages
    assert [key for _, key in target.recorder.ops("PutObject")] == [MANIFEST_KEY]
    assert result.plan.count("headers") == len(pages)
    stored = target.objects()
    assert all(stored[k]["CacheControl"] == "public, max-age=60" for k in pages)
    assert stored["index.html"]["CacheControl"] == HTML
    assert all(stored[k]["sha256"] for k in pages)  # the hash survives the copy
    target.recorder.clear()
    assert (
        target.deploy(S3_RULES=[{"glob": "posts/**", "cache_control": "public, max-age=60"}]).plan.actions
        == ()
    )


def test_order_is_assets_then_pages_then_indexes_then_deletes(target):
    target.build(pages=6)
    target.deploy()
    target.build(
        pages=6, edited=frozenset({1}), images=7, without=frozenset({"about/index.html"})
    )  # a new image, a changed page, feed, index
    target.recorder.clear()

    target.deploy()

    writes = [
        (op, key) for op, key in target.recorder.ops("PutObject", "DeleteObjects") if key != MANIFEST_KEY
    ]
    kinds = []
    for op, key in writes:
        if op == "DeleteObjects":
            kinds.append("delete")
        elif key.endswith(".html"):
            kinds.append("page")
        elif key.startswith(("feeds/", "pagefind/")) or key in ("sitemap.xml", "robots.txt"):
            kinds.append("index")
        else:
            kinds.append("asset")
    assert "asset" in kinds and "page" in kinds and "index" in kinds and kinds[-1] == "delete"
    rank = {"asset": 0, "page": 1, "index": 2, "delete": 3}
    assert [rank[k] for k in kinds] == sorted(rank[k] for k in kinds), writes
    assert "about/index.html" not in target.objects()


def test_delete_guard_refuses_the_whole_deploy(target):
    target.build(pages=12)
    target.deploy()
    for n in range(2, 12):
        (target.site / f"posts/post-{n:04d}/index.html").unlink()
    (target.site / "index.html").write_text("<!doctype html><title>changed</title>")
    target.recorder.clear()

    with pytest.raises(DeployError) as err:
        target.deploy(S3_MAX_DELETES=5)

    message = str(err.value)
    assert "10" in message and "S3_MAX_DELETES=5" in message and "--max-deletes 10" in message
    assert target.bucket in message
    assert target.recorder.ops("PutObject", "CopyObject", "DeleteObjects") == []  # nothing written at all
    assert len([k for k in target.objects() if k.startswith("posts/")]) == 12
    target.deploy(S3_MAX_DELETES=10)
    assert len([k for k in target.objects() if k.startswith("posts/")]) == 2


def test_dry_run_writes_the_plan_as_json_and_nothing_remote(target, tmp_path):
    target.build()
    target.deploy()
    target.build(edited=frozenset({2}))
    target.recorder.clear()
    plan_file = tmp_path / "internal" / "deploy-plan.json"

    result = target.deploy(dry_run=True, plan_file=plan_file)

    assert target.recorder.ops("PutObject", "CopyObject", "DeleteObjects") == []
    data = json.loads(plan_file.read_text())
    assert data["bucket"] == target.bucket
    assert {a["key"] for a in data["actions"]} == set(result.plan.changed_keys)
    assert "posts/post-0002/index.html" in {a["key"] for a in data["actions"]}
    assert data["summary"]["uploads"] == result.plan.count("upload") > 0
    assert plan_file.read_bytes() == target.deploy(dry_run=True, plan_file=plan_file).plan_file.read_bytes()


def test_gzip_is_deterministic_and_served_with_content_encoding(target):
    files = target.build()
    target.deploy(S3_GZIP=True)
    stored = target.objects()
    assert stored["index.html"]["ContentEncoding"] == "gzip"
    assert gzip.decompress(stored["index.html"]["body"]) == files["index.html"].read_bytes()
    media = next(k for k in files if k.startswith("media/"))
    assert stored[media]["ContentEncoding"] is None  # images are not re-compressed
    target.build()
    target.recorder.clear()
    assert target.deploy(S3_GZIP=True).plan.actions == ()


def test_prefix_keeps_deploys_apart(target):
    target.build(pages=3)
    target.deploy(S3_PREFIX="previews/pr-7")
    target.deploy()  # the site at the root must not delete the preview (S3_KEEP default)
    keys = set(target.objects())
    assert "previews/pr-7/index.html" in keys and "index.html" in keys
    assert target.deploy(S3_PREFIX="previews/pr-7").plan.actions == ()

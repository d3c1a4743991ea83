"""Redirects: the map, S3 website redirect objects (moto only: SeaweedFS drops the header), and
the generated CloudFront Function, run for real in Node."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from pipeline.deploy.errors import DeployError
from pipeline.deploy.redirects import MAX_FUNCTION_BYTES, cloudfront_function_code, load_redirects

REDIRECTS = {
    "/old-special/": "/specials/spring/",
    "/blog/botox-faq.html": "/blog/botox-questions/",
    "/partners/": "https://referrals.example.org/",
}


def test_missing_map_means_no_redirects(tmp_path):
    assert load_redirects(tmp_path / "redirects.json") == {}


@pytest.mark.parametrize(
    "content, words",
    [
        ("{not json", "not valid JSON"),
        ("[]", "must be a JSON object"),
        ('{"old/": "/new/"}', "must be a site path"),
        ('{"/old/": "new/"}', "must start with / or https://"),
        ('{"/same/": "/same/"}', "redirects to itself"),
        ('{"/old/": "//evil.example/x"}', "leaves the site"),
    ],
)
def test_bad_map_names_the_file_and_the_fix(tmp_path, content, words):
    path = tmp_path / "redirects.json"
    path.write_text(content)
    with pytest.raises(DeployError) as err:
        load_redirects(path)
    assert str(path) in str(err.value) and words in str(err.value)


@pytest.mark.s3
def test_website_redirect_objects_on_moto(moto_target):
    moto_target.build(pages=2)
    moto_target.deploy(redirects=REDIRECTS, S3_REDIRECTS="website")
    client = moto_target.server.client()
    head = client.head_object(Bucket=moto_target.bucket, Key="old-special/index.html")
    assert head["WebsiteRedirectLocation"] == "/specials/spring/"
    assert (
        client.head_object(Bucket=moto_target.bucket, Key="blog/botox-faq.html")["WebsiteRedirectLocation"]
        == "/blog/botox-questions/"
    )

    moto_target.build(pages=2)
    assert moto_target.deploy(redirects=REDIRECTS, S3_REDIRECTS="website").plan.actions == ()

    moved = {**REDIRECTS, "/old-special/": "/specials/summer/"}
    del moved["/partners/"]
    result = moto_target.deploy(redirects=moved, S3_REDIRECTS="website")
    assert {(a.kind, a.key) for a in result.plan.actions} == {
        ("upload", "old-special/index.html"),
        ("delete", "partners/index.html"),
    }
    assert (
        client.head_object(Bucket=moto_target.bucket, Key="old-special/index.html")["WebsiteRedirectLocation"]
        == "/specials/summer/"
    )


@pytest.mark.s3
def test_redirect_may_not_shadow_a_page_the_build_makes(moto_target):
    moto_target.build(pages=2)
    with pytest.raises(DeployError) as err:
        moto_target.deploy(redirects={"/about/": "/team/"}, S3_REDIRECTS="website")
    assert "about/index.html" in str(err.value) and "Remove the redirect" in str(err.value)


NODE_HARNESS = """
const fs = require('fs');
eval(fs.readFileSync(process.argv[2], 'utf8') + '\\nglobalThis.handler = handler;');
const out = JSON.parse(fs.readFileSync(process.argv[3], 'utf8')).map(([uri, qs]) => {
  const r = handler({request: {uri: uri, querystring: qs || {}, headers: {}}});
  return r.statusCode ? [r.statusCode, r.headers && r.headers.location ? r.headers.location.value : null]
                      : ['pass', r.uri];
});
console.log(JSON.stringify(out));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js runs the CloudFront Function")
def test_cloudfront_function_redirects_and_serves_directory_indexes(tmp_path):
    (tmp_path / "function.js").write_text(cloudfront_function_code(REDIRECTS))
    (tmp_path / "harness.js").write_text(NODE_HARNESS)
    cases = [
        ["/old-special/", None],
        ["/old-special", None],
        ["/old-special/index.html", None],
        [
            "/old-special/",
            {"utm_source": {"value": "fb"}, "gclid": {"value": "Cj0K", "multiValue": [{"value": "Cj0K"}]}},
        ],
        ["/blog/botox-faq.html", None],
        ["/partners/", None],
        ["/treatments/", None],
        ["/treatments", {"ref": {"value": "x"}}],
        ["/", None],
        ["/theme/css/site.3f2a9c1e0b.css", None],
        ["/.deploy-manifest.json.gz", None],
        ["/__proto__/", None],
        ["//evil.example/x", None],
        ["//evil.example/", None],
        ["///evil.example/x", None],
        ["/\\evil.example/x", None],
        ["/treatments//x", None],
    ]
    (tmp_path / "cases.json").write_text(json.dumps(cases))
    run = subprocess.run(
        ["node", tmp_path / "harness.js", tmp_path / "function.js", tmp_path / "cases.json"],
        check=False,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == [
        [301, "/specials/spring/"],
        [301, "/specials/spring/"],
        [301, "/specials/spring/"],
        [301, "/specials/spring/?utm_source=fb&gclid=Cj0K"],
        [301, "/blog/botox-questions/"],
        [301, "https://referrals.example.org/"],
        ["pass", "/treatments/index.html"],
        [301, "/treatments/?ref=x"],
        ["pass", "/index.html"],
        ["pass", "/theme/css/site.3f2a9c1e0b.css"],
        [404, None],
        ["pass", "/__proto__/index.html"],
        [404, None],
        [404, None],
        [404, None],
        [404, None],
        [301, "/treatments//x/"],  # a double slash later in the path stays on this site
    ]


def test_function_code_is_deterministic_and_size_checked():
    assert cloudfront_function_code(REDIRECTS) == cloudfront_function_code(dict(reversed(REDIRECTS.items())))
    many = {f"/old/post-{n:05d}/": f"/blog/post-{n:05d}/" for n in range(400)}
    with pytest.raises(DeployError) as err:
        cloudfront_function_code(many)
    assert str(MAX_FUNCTION_BYTES) in str(err.value) and "S3_REDIRECTS = 'website'" in str(err.value)

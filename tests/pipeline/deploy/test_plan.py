"""plan_deploy is pure: plain values in, a Plan out."""

from pathlib import Path

from pipeline.deploy.local import LocalFile
from pipeline.deploy.plan import PlanRules, phase_of, plan_deploy
from pipeline.deploy.remote import RemoteObject
from pipeline.deploy.rules import HTML, IMMUTABLE, Headers

PAGE = Headers("text/html; charset=utf-8", HTML)
ASSET = Headers("text/css; charset=utf-8", IMMUTABLE)


def local(key, sha, headers=PAGE, size=10):
    return LocalFile(key, Path(key), sha, size, headers)


def remote(key, sha, headers=PAGE):
    return RemoteObject(key, '"etag"', 10, sha, headers)


def test_plan_sorts_work_into_kinds_and_phases():
    plan = plan_deploy(
        {
            "index.html": local("index.html", "a"),
            "new/index.html": local("new/index.html", "n"),
            "theme/css/s.0123456789.css": local("theme/css/s.0123456789.css", "c", ASSET),
            "about/index.html": local(
                "about/index.html", "b", Headers("text/html; charset=utf-8", "no-cache")
            ),
            "sitemap.xml": local("sitemap.xml", "s2"),
            "same.png": local("same.png", "p"),
        },
        {
            "index.html": remote("index.html", "a0"),
            "about/index.html": remote("about/index.html", "b"),
            "sitemap.xml": remote("sitemap.xml", "s1"),
            "same.png": remote("same.png", "p"),
            "old/index.html": remote("old/index.html", "o"),
            "foreign.txt": remote("foreign.txt", None),
        },
        PlanRules(),
    )
    assert [(a.phase, a.kind, a.key, a.reason) for a in plan.actions] == [
        ("assets", "upload", "theme/css/s.0123456789.css", "new"),
        ("pages", "headers", "about/index.html", "headers"),
        ("pages", "upload", "index.html", "changed"),
        ("pages", "upload", "new/index.html", "new"),
        ("indexes", "upload", "sitemap.xml", "changed"),
        ("deletes", "delete", "foreign.txt", "gone"),
        ("deletes", "delete", "old/index.html", "gone"),
    ]
    assert plan.unchanged == ("same.png",)
    assert plan.upload_bytes == 40 and not plan.delete_guard_tripped


def test_object_without_our_hash_is_uploaded_again():
    plan = plan_deploy(
        {"a.css": local("a.css", "x", ASSET)}, {"a.css": remote("a.css", None, ASSET)}, PlanRules()
    )
    assert [(a.kind, a.reason) for a in plan.actions] == [("upload", "changed")]


def test_delete_guard_and_keep():
    site = {"index.html": local("index.html", "a")}
    gone = {f"p{n}/index.html": remote(f"p{n}/index.html", "x") for n in range(5)}
    previews = {"previews/pr-1/index.html": remote("previews/pr-1/index.html", "y")}
    plan = plan_deploy(site, {**gone, **previews}, PlanRules(max_deletes=4, keep=("previews/**",)))
    assert plan.deletes == 5 and plan.delete_guard_tripped
    assert "previews/pr-1/index.html" not in plan.changed_keys
    assert not plan_deploy(site, gone, PlanRules(max_deletes=5)).delete_guard_tripped


def test_phases():
    assert phase_of("media/abc.webp") == "assets"
    assert phase_of("theme/fonts/inter.woff2") == "assets"
    assert phase_of("blog/post/index.html") == "pages"
    assert phase_of("old/path") == "pages"
    assert phase_of("feeds/all.atom.xml") == "indexes"
    assert phase_of("sitemap-pages.xml") == "indexes"
    assert phase_of("pagefind/pagefind.js") == "indexes"
    assert phase_of("events/open-house.ics") == "indexes"


def test_plan_json_is_plain_data():
    plan = plan_deploy({"a.html": local("a.html", "1")}, {}, PlanRules())
    assert plan.to_json()["actions"] == [
        {"phase": "pages", "kind": "upload", "key": "a.html", "reason": "new", "size": 10}
    ]

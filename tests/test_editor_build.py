"""/admin/ in real builds: out of the public build unless EDITOR_PUBLIC, its own Content-Security-Policy
(every other page keeps the site's), kept out of robots, the sitemap and the search index."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

import runner
from pipeline.editor import bundle
from pipeline.editor.policy import editor_policy

ROOT = Path(__file__).resolve().parents[1]


def _build(tmp_path: Path, settings_file: str, **overrides) -> Path:
    output = tmp_path / "output"
    runner.build(
        settings_file,
        {
            "OUTPUT_PATH": str(output),
            "INTERNAL_PATH": str(tmp_path / "internal"),
            "PATH": str(ROOT / "content"),
            "SITEURL": "https://www.example.com" if settings_file == "publishconf.py" else "",
            **overrides,
        },
    )
    return output


def meta_policy(page: str) -> str | None:
    """The page's <meta http-equiv="Content-Security-Policy">, as an HTML parser reads it."""
    found = []

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "content-security-policy":
                found.append(attrs.get("content"))

    Reader().feed(page)
    assert len(found) <= 1
    return found[0] if found else None


@pytest.fixture(scope="module")
def public_with_editor(tmp_path_factory):
    return _build(tmp_path_factory.mktemp("editor-public"), "publishconf.py", EDITOR_PUBLIC=True)


def test_the_public_build_leaves_the_editor_out_unless_asked(tmp_path):
    output = _build(tmp_path, "publishconf.py")
    assert not (output / "admin").exists()
    assert "/admin/" not in (output / "robots.txt").read_text()


def test_a_local_build_leaves_it_out_too_but_inv_edit_writes_it(tmp_path):
    assert not (_build(tmp_path / "plain", "pelicanconf.py") / "admin").exists()
    output = _build(tmp_path / "edit", "pelicanconf.py", EDITOR_LOCAL=True)
    page = (output / "admin" / "index.html").read_text()
    assert 'data-check="/api/editor/check"' in page  # the local check before each save


def test_the_published_editor_is_vendored_configured_and_has_its_own_policy(public_with_editor):
    output = public_with_editor
    admin = output / "admin"
    installed = bundle.installed()
    assert (admin / "decap-cms.js").read_bytes() == (installed.dist / "decap-cms.js").read_bytes()
    page = (admin / "index.html").read_text()
    assert not re.search(r"""src=["']?(https?:)?//""", page)  # nothing from a CDN
    assert meta_policy(page) == editor_policy(https=True)
    assert 'data-check=""' in page  # the check endpoint exists only under `inv edit`
    config = yaml.safe_load((admin / "config.yml").read_text())
    assert config["backend"]["name"] == "github" and config["publish_mode"] == "editorial_workflow"
    # Every other page keeps the site's strict policy: no eval, no inline styles.
    for html in (output / "index.html", output / "blog" / "index.html"):
        policy = meta_policy(html.read_text())
        assert policy and "'unsafe-eval'" not in policy and "'unsafe-inline'" not in policy


def test_robots_sitemap_and_search_leave_the_editor_alone(public_with_editor):
    output = public_with_editor
    robots = (output / "robots.txt").read_text()
    assert re.search(r"(?m)^Disallow: /admin/$", robots)
    assert "/admin" not in (output / "sitemap.xml").read_text()
    assert "data-pagefind-body" not in (output / "admin" / "index.html").read_text()
    index = output / "pagefind"
    if index.is_dir():  # the search index names no editor page
        assert not any(b"/admin/" in p.read_bytes() for p in index.rglob("*.pf_meta"))

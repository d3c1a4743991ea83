"""Every attack of the table (tests/support/attacks.py) is refused twice: in a Markdown body at
build time (a content problem naming the file and line), and by the rendered-page firewall when
it is injected into a page the build wrote (the build-time checks bypassed)."""

from __future__ import annotations

import datetime as dt
import functools
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest

import runner
from pipeline.content import body as body_images
from pipeline.content.errors import ContentError
from pipeline.sitepolicy import firewall, html
from pipeline.sitepolicy.firewall import Policy
from pipeline.sitepolicy.tracking import terms_table
from plugins.content_model import site as content_site
from plugins.content_model.reader import FrontMatterReader
from tests.support.attacks import ATTACKS
from tests.support.sitefactory import FILES, SiteFactory, dump

EVIL, IDN = "evil.example", "еvil.example"  # the second with a Cyrillic "е" (xn--vil-...)
SITEURL = "https://www.aurora.example"
PATH = "content/blog/botox-myths.md"


@functools.cache
def reader() -> tuple[FrontMatterReader, Path]:
    """The build's own Markdown reader (the extensions pelicanconf.py configures, the body-image
    tree processor), reading from a content folder of its own."""
    root = Path(tempfile.mkdtemp(prefix="attacks-")) / "content"  # files are named content/...
    (root / "blog").mkdir(parents=True)
    settings = runner.load_settings("pelicanconf.py", {"PATH": str(root)})
    settings["AS_OF_DATE"] = dt.date(2026, 11, 20)
    return FrontMatterReader(settings), root


def build_problems(text: str) -> list:
    """Every problem the build finds in a post with this body: the reader's (pictures the image
    pipeline cannot take), the body pictures' and the content allow-list's."""
    read, root = reader()
    source = root / "blog" / "botox-myths.md"
    source.write_text(dump(FILES["blog/botox-myths.md"], text), encoding="utf-8")
    html, meta = read.read(str(source))
    entry = meta["entry"]
    item = SimpleNamespace(_content=html, entry=entry)
    body = [p for p in entry.problems if p.field == "body"]
    return (
        body
        + body_images.check(PATH, entry.body_images, {"images/x.jpg"}, "gallery")
        + content_site._body_problems(item, SITEURL)
    )


def first_line() -> int:
    """Where the body starts in the Markdown file (after the front matter)."""
    return dump(FILES["blog/botox-myths.md"], "").count("\n") + 1


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.id for a in ATTACKS])
def test_the_build_refuses_it_in_a_markdown_body_naming_the_line(attack):
    written = attack.render_markdown(EVIL, IDN)
    text = f"An intro.\n\n{written}\n\nMore text.\n"
    problems = build_problems(text)
    assert problems, f"{attack.id}: {written!r} passed"
    assert all(p.path == PATH and p.field == "body" and p.fix for p in problems)
    assert first_line() + 2 in {p.line for p in problems}, [str(p) for p in problems]


def test_plain_markdown_passes_the_allow_list():
    text = (
        "# A heading\n\nText with **bold**, *emphasis*, `code`, a [link](https://www.instagram.com/x), "
        "an [email](mailto:hello@aurora.example), a [phone](tel:+18055550100) and a footnote.[^1]\n\n"
        "- a list\n- of items\n\n1. numbered\n\n> a quote\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n"
        "```\ncode <script>\n```\n\n![A calm room](/images/x.jpg)\n\n*[HTML]: HyperText\n\n"
        '<details><summary>More</summary><p>Hidden <abbr title="x">x</abbr></p></details>\n\n'
        '<figure><img src="/images/x.jpg" alt="A room"><figcaption>A room</figcaption></figure>\n\n'
        "[^1]: The note.\n\nTerm\n:   Definition\n"
    )
    assert build_problems(text) == []


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = SiteFactory(tmp_path_factory.mktemp("attacks")).write_all()
    site.build("publishconf.py", SITEURL=SITEURL, SEARCH_INDEX=False)
    return site


def policy() -> Policy:
    return Policy(
        first_party=frozenset({"www.aurora.example"}),
        receiver_url="/api/inquiry",
        thank_you_path="/thank-you/",
        site_url=SITEURL,
        terms=terms_table([{"id": "botox", "name": "Botox"}]),
    )


def firewall_messages(text: str, path: str) -> list[str]:
    rules = policy()
    scan = html.scan(text, rules.own_hosts, rules.page_url(path))
    return [str(v) for v in firewall.check({path: scan}, rules)]


@pytest.mark.parametrize("path", ["/contact/", "/blog/botox-myths/"])
def test_the_pages_as_built_pass(built, path):
    page = (built.output / path.strip("/") / "index.html").read_text()
    assert firewall_messages(page, path) == []


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.id for a in ATTACKS])
@pytest.mark.parametrize("path", ["/contact/", "/blog/botox-myths/"])
def test_the_rendered_page_firewall_refuses_it_injected_after_the_build(built, attack, path):
    page = (built.output / path.strip("/") / "index.html").read_text()
    injected = page.replace("</main>", attack.render(EVIL, IDN) + "</main>", 1)
    assert injected != page
    messages = firewall_messages(injected, path)
    assert messages, f"{attack.id} passed on {path}"
    assert any(attack.expect in m for m in messages), messages


def test_a_plain_link_to_another_site_is_no_attack(built):
    page = (built.output / "contact" / "index.html").read_text()
    injected = page.replace(
        "</main>", '<p><a href="https://www.instagram.com/aurora">Instagram</a></p></main>'
    )
    assert firewall_messages(injected, "/contact/") == []


def test_check_lists_them_with_every_other_content_problem_in_one_pass(tmp_path):
    """`inv check` (and the build) report the allow-list's problems in the same list as the rest."""
    site = SiteFactory(tmp_path).write_all()
    body = (
        'Intro.\n\n<iframe src="https://www.youtube.com/embed/x"></iframe>\n\n'
        "[Book](javascript:alert(1))\n\n![A pixel](//evil.example/p.gif)\n"
    )
    path = site.write("blog/botox-myths.md", {**FILES["blog/botox-myths.md"], "author": "nobody"}, body)
    lines = path.read_text().splitlines()
    line_of = {
        word: lines.index(next(x for x in lines if word in x)) + 1
        for word in ("<iframe", "javascript", "evil")
    }
    with pytest.raises(ContentError) as caught:
        site.check()
    message = str(caught.value)
    assert f"{PATH}:author:" in message  # a front-matter problem of the same file, in the same list
    assert (
        f"{PATH}:body: <iframe> is not allowed in the text" in message
        and f"(line {line_of['<iframe']})" in message
    )
    assert "the link 'javascript:alert(1)' is a javascript: address" in message
    assert f"(line {line_of['javascript']})" in message
    assert "the image '//evil.example/p.gif' in the text is on another site" in message
    assert f"(line {line_of['evil']})" in message
    assert {p.path for p in caught.value.problems} == {PATH}

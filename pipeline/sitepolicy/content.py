"""What a Markdown body may contain: an allow-list, checked on the HTML it becomes.

Markdown lets a writer put raw HTML anywhere. The body's HTML is parsed with an HTML5 parser
(``selectolax``/lexbor) and every element and attribute must be on the lists below; links
may only go to web pages, email addresses and phone numbers, whatever way they are written
(character references, upper case, tabs inside ``javascript:``: the URL parser decides).
Anything else is a content problem naming the file, the line and what to write instead.
An image must be a file of the site (:mod:`pipeline.content.body` then checks that it
exists, has alt text, and hands it to the image pipeline, which makes a ``<picture>``).

The lists are the README's ("Privacy and security": what Markdown may contain).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

from pipeline.content.body import is_external
from pipeline.content.errors import Problem
from pipeline.sitepolicy.urls import resolve_all

GLOBAL = frozenset({"id", "class", "title", "lang", "dir"})
# Element -> the attributes it may carry besides GLOBAL. What Python-Markdown writes (with
# extra, smarty and toc: tables, footnotes, abbreviations, definition lists, fenced code,
# attribute lists) and the plain HTML a writer may add for text, tables and figures.
ELEMENTS: dict[str, frozenset[str]] = {
    name: frozenset(attrs)
    for name, attrs in {
        **{
            tag: ()
            for tag in (
                "p",
                "br",
                "hr",
                "h1",
                "h2",
                "h3",
                "h4",
                "h5",
                "h6",
                "strong",
                "b",
                "em",
                "i",
                "u",
                "s",
                "del",
                "ins",
                "mark",
                "small",
                "sub",
                "sup",
                "code",
                "pre",
                "kbd",
                "samp",
                "var",
                "cite",
                "dfn",
                "ul",
                "dl",
                "dt",
                "dd",
                "thead",
                "tbody",
                "tfoot",
                "tr",
                "caption",
                "summary",
                "figure",
                "figcaption",
                "div",
                "span",
                "section",
                "aside",
                "wbr",
                "ruby",
                "rt",
                "rp",
                "bdi",
                "bdo",
                "address",
                "blockquote",
                "q",
            )
        },
        "a": ("href", "rel", "target", "hreflang", "data-track"),
        "img": ("src", "alt"),
        "abbr": (),
        "time": ("datetime",),
        "ol": ("start", "reversed", "type"),
        "li": ("value",),
        "table": (),
        "th": ("colspan", "rowspan", "scope", "align"),
        "td": ("colspan", "rowspan", "align"),
        "colgroup": ("span",),
        "col": ("span",),
        "details": ("open",),
    }.items()
}
ELEMENTS["blockquote"] = ELEMENTS["q"] = ELEMENTS["del"] = ELEMENTS["ins"] = frozenset({"cite"})
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel", "sms"})
# The parser's own wrapper around a fragment: allowed, but never with attributes.
WRAPPERS = frozenset({"html", "head", "body"})

_VIDEO = (
    "to show a video, link to it ([Watch the video](https://...)), or show a picture that links to it: "
    "[![A still from the video](/images/video-still.jpg)](https://...). An embedded player loads "
    "another company's code on the page"
)
INSTEAD = {
    **dict.fromkeys(
        (
            "iframe",
            "frame",
            "frameset",
            "embed",
            "object",
            "applet",
            "video",
            "audio",
            "track",
            "portal",
            "fencedframe",
        ),
        _VIDEO,
    ),
    **dict.fromkeys(
        ("script", "noscript"),
        "remove it: scripts come only from the theme's files (a tracking "
        "tag must be declared in the settings, and never runs on pages with forms)",
    ),
    **dict.fromkeys(
        ("style", "link"),
        "remove it: the look comes from the theme's CSS (use headings, lists and **emphasis** in the text)",
    ),
    **dict.fromkeys(
        (
            "form",
            "input",
            "button",
            "select",
            "textarea",
            "option",
            "optgroup",
            "label",
            "fieldset",
            "legend",
            "output",
            "datalist",
            "keygen",
        ),
        "for an inquiry form, write [[inquiry-form]] on a line of its own",
    ),
    **dict.fromkeys(
        ("svg", "math", "canvas"),
        "save the drawing as a picture (.png or .jpg) under "
        "content/images/ and write ![a description](/images/the-file.png)",
    ),
    **dict.fromkeys(
        ("picture", "source"),
        "write ![a description](/images/the-file.jpg): the image pipeline makes every size and format itself",
    ),
    **dict.fromkeys(("base", "meta", "title", "head"), "remove it: the theme writes the page's head"),
}
OTHER = "remove it, and write it in Markdown (headings, lists, links, pictures, tables)"


@dataclass
class _Lines:
    """Finds the line of the Markdown file where a problem was written."""

    body: str
    first_line: int  # the file line the body starts on
    asked: dict[str, int] = field(default_factory=dict)

    def find(self, *patterns: str) -> int | None:
        """The line of the next occurrence of the first pattern found (regexes, case-insensitive)."""
        lines = self.body.splitlines()
        for pattern in patterns:
            regex = re.compile(pattern, re.IGNORECASE)
            hits = [n for n, line in enumerate(lines) if regex.search(line)]
            if hits:
                count = self.asked.get(pattern, 0)
                self.asked[pattern] = count + 1
                return self.first_line + hits[min(count, len(hits) - 1)]
        return None


def check(
    path: str,
    markup: str,
    body: str = "",
    first_line: int = 1,
    page_url: str = "https://first-party.invalid/",
) -> list[Problem]:
    """Problems with the HTML a Markdown body became. ``body``: the Markdown text (for line
    numbers), starting at ``first_line`` of the file ``path``."""
    if not markup or "<" not in markup:
        return []
    tree = LexborHTMLParser(markup)
    if tree.root is None or _all_allowed(tree, page_url):
        return []  # the usual case, decided in one pass over the elements
    lines = _Lines(body, first_line)
    problems: list[Problem] = []

    def report(what: str, fix: str, line: int | None) -> None:
        problems.append(Problem(path, "body", what, fix, line))

    stack = [tree.root]
    while stack:
        node = stack.pop()
        tag = (node.tag or "").lower()
        if tag.startswith("-") or tag == "_text":  # comments, text
            continue
        attrs = {name.lower(): value or "" for name, value in node.attributes.items()}
        children = [child for child in node.iter(include_text=False)]
        if tag in WRAPPERS:
            for name in attrs:
                report(
                    f"<{tag} {name}> is not allowed in the text",
                    INSTEAD.get(tag, OTHER),
                    lines.find(rf"<\s*{tag}\b[^>]*\b{re.escape(name)}\b", rf"\b{re.escape(name)}\s*="),
                )
            stack.extend(reversed(children))
            continue
        allowed = ELEMENTS.get(tag)
        if allowed is None:
            report(
                f"<{tag}> is not allowed in the text",
                INSTEAD.get(tag, OTHER),
                lines.find(rf"<\s*{re.escape(tag)}\b"),
            )
            continue  # what is inside goes with it
        for name, value in attrs.items():
            if name in GLOBAL or name in allowed:
                continue
            report(
                *_attribute(tag, name, value, allowed),
                lines.find(rf"<\s*{re.escape(tag)}\b[^>]*\b{re.escape(name)}\b", rf"\b{re.escape(name)}\s*="),
            )
        if tag == "img" and is_external(attrs.get("src", "")):
            src = attrs.get("src", "").strip()
            report(*_image(src), lines.find(re.escape(src[:40]), r"<\s*img\b", r"!\["))
        if tag == "a" and attrs.get("href"):
            problem = _link(attrs["href"], page_url)
            if problem:
                href = attrs["href"].strip()
                report(
                    problem,
                    "link to a web page (https://...), an email address (mailto:...) or a phone "
                    "number (tel:...): other kinds of links run code or hide a document in the page",
                    lines.find(
                        re.escape(href[:40]),
                        re.escape(href.split(":", 1)[0][:12]) + r"\s*:",
                        r"<\s*a\b",
                        r"\]\(",
                    ),
                )
        stack.extend(reversed(children))
    return sorted(problems, key=lambda p: (p.line or 0, p.message))


def _image(src: str) -> tuple[str, str]:
    if src.lower().lstrip().startswith("data:"):
        return (
            f"the image '{src[:60]}' in the text is written into the page as a data: address",
            "save the picture as a file under content/images/ and write ![a description](/images/the-file.jpg)",
        )
    return (
        f"the image '{src[:80]}' in the text is on another site (a third-party request)",
        "save the picture under content/images/ and link to it there",
    )


_ALLOWED_ATTRS = {tag: GLOBAL | attrs for tag, attrs in ELEMENTS.items()}


def _all_allowed(tree: LexborHTMLParser, page_url: str) -> bool:
    for node in tree.root.traverse(include_text=False):
        tag = node.tag
        if tag.startswith("-"):
            continue
        attrs = node.attributes
        if tag in WRAPPERS:
            if attrs:
                return False
            continue
        allowed = _ALLOWED_ATTRS.get(tag)
        if allowed is None or (attrs and not attrs.keys() <= allowed):
            return False
        if tag == "a" and attrs.get("href") and _link(attrs["href"], page_url):
            return False
        if tag == "img" and is_external(attrs.get("src") or ""):
            return False
    return True


def _attribute(tag: str, name: str, value: str, allowed: frozenset[str]) -> tuple[str, str]:
    what = f"the {name} attribute on <{tag}> is not allowed in the text"
    if name.startswith("on"):
        return what + " (it runs code)", "remove it: the site runs no code from the text"
    if name == "style":
        return (
            what + " (the site's security policy ignores inline styles)",
            "remove it: use headings, lists and **emphasis**, or ask for a class in the theme's CSS",
        )
    if name in ("srcset", "sizes", "width", "height", "loading") and tag == "img":
        return what, "remove it: the image pipeline makes every size of the picture itself"
    others = sorted(GLOBAL | allowed)
    return what, f"remove it (on <{tag}> the text may use {', '.join(others)})"


def _link(href: str, page_url: str) -> str:
    """What is wrong with a link's address ('' when nothing)."""
    if ":" not in href:
        return ""
    for target in resolve_all(href, page_url):
        if target.scheme and target.scheme not in LINK_SCHEMES:
            return f"the link '{href.strip()[:80]}' is a {target.scheme}: address"
    return ""

"""Read a built HTML page the way the tag firewall needs it, and add the forms' hidden fields.

:func:`scan` lists, for one page: its inquiry forms, its scripts, every URL that makes the
browser contact a server (scripts, images, frames, stylesheets, form posts, pings, CSS
``url()``, addresses inside inline scripts), every URL that carries tracking parameters,
and analytics calls in inline scripts. :func:`add_hidden_fields` gives every inquiry form
the hidden fields of :mod:`pipeline.inquiry.fields`. Both are pure: text in, values out.

The standard library's HTML parser is enough: the build only reads its own pages.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

from pipeline.inquiry import fields as F

# Which attribute of which element makes the browser fetch something, and what to call it.
FETCHES: dict[str, tuple[tuple[str, str], ...]] = {
    "script": (("src", "script"),),
    "iframe": (("src", "iframe"),),
    "frame": (("src", "iframe"),),
    "img": (("src", "pixel or image"), ("srcset", "pixel or image")),
    "source": (("src", "media"), ("srcset", "pixel or image")),
    "video": (("src", "media"), ("poster", "pixel or image")),
    "audio": (("src", "media"),),
    "track": (("src", "media"),),
    "embed": (("src", "embedded object"),),
    "object": (("data", "embedded object"),),
    "image": (("href", "pixel or image"), ("xlink:href", "pixel or image")),
    "use": (("href", "pixel or image"), ("xlink:href", "pixel or image")),
    "input": (("src", "pixel or image"),),
    "form": (("action", "form post"),),
    "a": (("ping", "ping beacon"),),
    "area": (("ping", "ping beacon"),),
    "link": (("href", "linked resource"),),
}
# <link rel> values that do not make the browser fetch anything by themselves.
NON_FETCHING_RELS = frozenset(
    {"canonical", "alternate", "author", "license", "me", "next", "prev", "help", "bookmark",
     "external", "nofollow", "noopener", "noreferrer", "tag", "search", "shortlink", "privacy-policy",
     "terms-of-service"}
)
# Attributes holding a URL that could carry tracking parameters (links included).
URL_ATTRS = frozenset({"href", "src", "action", "data", "poster", "ping", "xlink:href", "formaction"})
INLINE_URL = re.compile(r"""(?:https?:)?//[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+(?::\d+)?[^\s"'`<>()\\]*""")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)
# Calls that send an analytics event (Google, Meta, TikTok, LinkedIn, Microsoft, Matomo, and others).
TRACKER_CALL = re.compile(
    r"\b(gtag|fbq|ttq\.(?:track|page)|lintrk|uetq\.push|_paq\.push|dataLayer\.push|plausible|umami\.track|"
    r"twq|pintrk|snaptr|rdt|clarity|hj|analytics\.(?:track|page)|mixpanel\.track|posthog\.capture|"
    r"heap\.track|_hsq\.push|gaq\.push|ga)\s*\("
)
NOT_EXECUTED = frozenset({"application/ld+json", "application/json", "text/template", "text/html"})


@dataclass(frozen=True)
class Fetch:
    """One thing the page makes the browser fetch."""

    kind: str  # "script", "iframe", "pixel or image", "form post", ...
    url: str
    element: str  # the element (or "inline script", "CSS") it comes from


@dataclass(frozen=True)
class Form:
    preset: str  # the ``form`` field's value ("" when the form has none)
    id: str
    action: str
    method: str
    fields: tuple[str, ...]  # names of its controls, in order
    end_of_start_tag: int  # offset just after ``<form ...>``


@dataclass
class PageScan:
    forms: list[Form] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)  # src of every <script src>, in order
    inline_scripts: dict[str, int] = field(default_factory=dict)  # type -> count
    fetches: list[Fetch] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)  # every URL in a URL attribute or inline script
    tracker_calls: list[str] = field(default_factory=list)  # inline script excerpts

    @property
    def tracking_urls(self) -> list[str]:
        """URLs that carry a UTM, click id or ``ref`` parameter."""
        return [url for url in self.urls if tracking_params(url)]


def tracking_params(url: str) -> list[tuple[str, str]]:
    """The tracking parameters (UTMs, click ids, ref) in a URL's query, as (name, value)."""
    try:
        query = urlsplit(html.unescape(url)).query
    except ValueError:
        return []
    pairs = parse_qsl(query, keep_blank_values=True)
    return [(k, v) for k, v in pairs if k in F.TRACKING_PARAMS or k.startswith("utm_")]


class _Scanner(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.result = PageScan()
        self._form: dict | None = None
        self._script: tuple[str, list[str]] | None = None  # (type, chunks)
        self._style: list[str] | None = None

    def _position(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        self._element(tag, attrs, closes=False)

    def handle_startendtag(self, tag, attrs):
        self._element(tag, attrs, closes=True)

    def _element(self, tag: str, attrs: list[tuple[str, str | None]], closes: bool) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            start = self._position()
            end = start + len(self.get_starttag_text() or "")
            if "data-inquiry" in values:
                self._form = {"values": values, "fields": [], "end": end, "preset": ""}
        elif self._form is not None and tag in ("input", "select", "textarea", "button") and values.get("name"):
            self._form["fields"].append(values["name"])
            if values["name"] == F.FORM and values.get("type") == "hidden":
                self._form["preset"] = values.get("value", "")
        if tag == "script":
            if values.get("src"):
                self.result.scripts.append(values["src"])
            if not closes:
                kind = (values.get("type") or "text/javascript").strip().lower()
                self._script = (kind, [])
        if tag == "style" and not closes:
            self._style = []
        self._fetches(tag, values)
        for name, value in values.items():
            if name in URL_ATTRS and value.strip():
                self.result.urls.append(value.strip())
            elif name in ("srcset", "imagesrcset"):
                self.result.urls.extend(_srcset(value))
        if values.get("style"):
            self._css(values["style"], f"<{tag} style>")

    def _fetches(self, tag: str, values: dict[str, str]) -> None:
        if tag == "link":
            rels = set((values.get("rel") or "").lower().split())
            if rels and rels <= NON_FETCHING_RELS:
                return
        if tag == "input" and (values.get("type") or "").lower() != "image":
            return
        for attr, kind in FETCHES.get(tag, ()):
            value = values.get(attr, "").strip()
            if not value:
                continue
            urls = _srcset(value) if attr == "srcset" else value.split() if attr == "ping" else [value]
            for url in urls:
                self.result.fetches.append(Fetch(kind, url, f"<{tag} {attr}>"))

    def _css(self, text: str, where: str) -> None:
        for match in CSS_URL.finditer(text):
            url = match.group(1) or match.group(2)
            self.result.fetches.append(Fetch("CSS resource", url, where))
            self.result.urls.append(url)

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            values = self._form["values"]
            self.result.forms.append(Form(
                preset=self._form["preset"],
                id=values.get("id", ""),
                action=values.get("action", ""),
                method=(values.get("method") or "get").lower(),
                fields=tuple(self._form["fields"]),
                end_of_start_tag=self._form["end"],
            ))
            self._form = None
        elif tag == "script" and self._script is not None:
            kind, chunks = self._script
            self._script = None
            code = "".join(chunks)
            if not code.strip():
                return
            self.result.inline_scripts[kind] = self.result.inline_scripts.get(kind, 0) + 1
            if kind in NOT_EXECUTED:
                return
            for match in INLINE_URL.finditer(code):
                url = match.group(0)
                self.result.fetches.append(Fetch("address in an inline script", url, "inline <script>"))
                self.result.urls.append(url)
            for match in TRACKER_CALL.finditer(code):
                start = max(0, match.start() - 20)
                self.result.tracker_calls.append(" ".join(code[start : match.end() + 80].split()))
        elif tag == "style" and self._style is not None:
            self._css("".join(self._style), "<style>")
            self._style = None

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)
        elif self._style is not None:
            self._style.append(data)


def _srcset(value: str) -> list[str]:
    return [part.split()[0] for part in value.split(",") if part.strip()]


def scan(text: str) -> PageScan:
    """Everything the firewall and the tracking manifest need to know about one page."""
    scanner = _Scanner(text)
    scanner.feed(text)
    scanner.close()
    return scanner.result


def add_hidden_fields(text: str, page_path: str) -> str:
    """Give each ``<form data-inquiry>`` the hidden fields it lacks (form_page, fill_ms, ft_*, lt_*).

    ``form_page`` is the page's own path (the script refreshes it on submit); the attribution
    fields start empty and the script fills them. Fields a form already has are left alone.
    """
    forms = scan(text).forms
    if not forms:
        return text
    values = {F.FORM_PAGE: page_path}
    pieces, last = [], 0
    for form in forms:
        missing = [name for name in F.hidden_fields() if name not in form.fields and name != F.FORM]
        if not missing:
            continue
        inputs = "".join(
            f'<input type="hidden" name="{name}" value="{html.escape(values.get(name, ""), quote=True)}">'
            for name in missing
        )
        pieces += [text[last : form.end_of_start_tag], "\n", inputs]
        last = form.end_of_start_tag
    return "".join(pieces) + text[last:] if pieces else text

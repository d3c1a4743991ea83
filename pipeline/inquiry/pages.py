"""Read a built HTML page the way the tag firewall needs it, and add the forms' hidden fields.

:func:`scan` lists, for one page: its inquiry forms, its scripts, every URL that makes the
browser contact a server (scripts, images, frames, stylesheets, form posts, pings, CSS
``url()``, addresses inside inline scripts), every URL that carries tracking parameters,
and analytics calls in inline scripts. :func:`add_hidden_fields` gives every inquiry form
the hidden fields of :mod:`pipeline.inquiry.fields`. Both are pure: text in, values out.

A tokenizer (comments skipped, script and style read as text, quoted attributes) is enough
here, and several times faster than a parser: the build only reads the pages it wrote.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field
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
    fetches: list[Fetch] = field(default_factory=list)  # from other hosts than the site's own
    # URLs in URL attributes and inline scripts (on a page without tracking parameters, only
    # those of the elements that fetch: the rest cannot matter)
    urls: list[str] = field(default_factory=list)
    tracker_calls: list[str] = field(default_factory=list)  # inline script excerpts

    @property
    def tracking_urls(self) -> list[str]:
        """URLs that carry a UTM, click id or ``ref`` parameter."""
        return [url for url in self.urls if _TRACKING_HINT.search(url) and tracking_params(url)]


def tracking_params(url: str) -> list[tuple[str, str]]:
    """The tracking parameters (UTMs, click ids, ref) in a URL's query, as (name, value)."""
    try:
        query = urlsplit(html.unescape(url)).query
    except ValueError:
        return []
    pairs = parse_qsl(query, keep_blank_values=True)
    return [(k, v) for k, v in pairs if k in F.TRACKING_PARAMS or k.startswith("utm_")]


# One token: a comment, or a start/end tag whose attributes may quote ">".
_TOKEN = re.compile(
    r"<!--.*?-->|<(?P<close>/?)(?P<name>[a-zA-Z][a-zA-Z0-9:-]*)(?P<attrs>(?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+)>",
    re.DOTALL,
)
_ATTR = re.compile(r"""([^\s"'=<>/`]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
RAW_TEXT = ("script", "style")  # elements whose content is text, not markup
# Only these elements matter on a page without tracking parameters, CSS url()s or pings
# (most pages): the others are skipped without reading their attributes.
_BASE_TAGS = tuple(sorted((set(FETCHES) - {"a", "area"}) | {"input", "select", "textarea", "button", *RAW_TEXT}))
# A tracking parameter in a query (``&amp;`` ends in ``;``, so ``;`` covers escaped ampersands).
_TRACKING_HINT = re.compile(
    r"[?&;](?:utm_\w+|" + "|".join(re.escape(p) for p in F.TRACKING_PARAMS) + r")="
)
# Substrings the hint cannot match without: a whole page is checked for these first, since a
# regex that starts with a character class crawls through 30 kB pages (most carry none).
# A short name needs its separator: every page's "href=" holds "ref=".
_HINT_WORDS = (
    ("utm_",)
    + tuple(f"{p}=" for p in F.TRACKING_PARAMS if not p.startswith("utm_") and len(p) > 3)
    + tuple(f"{sep}{p}=" for p in F.TRACKING_PARAMS if len(p) <= 3 for sep in "?&;")
)


def _tracking_hint(text: str) -> bool:
    return any(word in text for word in _HINT_WORDS) and _TRACKING_HINT.search(text) is not None


@functools.lru_cache(maxsize=4)
def _token_pattern(names: tuple[str, ...] | None) -> re.Pattern:
    if names is None:
        return _TOKEN
    alternatives = "|".join(sorted(names, key=len, reverse=True))
    initials = "".join(sorted({n[0] for n in names} | {n[0].upper() for n in names}))
    # The initials' class turns most other tags away before the alternatives are tried.
    return re.compile(
        rf"<(?:!--.*?-->|(?P<close>/?)(?=[{initials}])(?P<name>{alternatives})(?=[\s/>])"
        r"(?P<attrs>(?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+)>)",
        re.DOTALL | re.IGNORECASE,
    )


_HOST_IN_TEXT = re.compile(r"//([A-Za-z0-9.-]+)")
# Elements that matter only when they name another host (scripts and forms always matter).
_ONLY_IF_ELSEWHERE = frozenset(FETCHES) - {"script", "form", "input"}


def _attributes(text: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for name, double, single, bare in reversed(_ATTR.findall(text)):  # the first of a name wins
        raw = double or single or bare
        values[name.lower()] = html.unescape(raw) if "&" in raw else raw
    return values


@functools.lru_cache(maxsize=8192)
def host_of(url: str) -> str | None:
    """The host an absolute or protocol-relative http(s) URL goes to; None for site-relative ones."""
    text = url.strip()
    if "//" not in text:
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        return None
    if not parts.netloc:
        return None
    return (parts.hostname or "").lower() or None


class _Scanner:
    """Walks a page's tags in order (a tokenizer, not a tree: the build only reads its own pages)."""

    def __init__(self, text: str, own_hosts: frozenset[str]):
        self.text = text
        self.own_hosts = own_hosts
        self.result = PageScan()
        self._form: dict | None = None

    def _elsewhere(self, attrs: str) -> bool:
        return any(host.lower() not in self.own_hosts for host in _HOST_IN_TEXT.findall(attrs))

    def run(self) -> PageScan:
        text, position = self.text, 0
        every_tag = _tracking_hint(text) or "url(" in text or "@import" in text
        names = None if every_tag else _BASE_TAGS + (("a", "area") if "ping=" in text else ())
        pattern = _token_pattern(names)
        while (match := pattern.search(text, position)) is not None:
            position = match.end()
            name = match.group("name")
            if name is None:  # a comment
                continue
            name = name.lower()
            if match.group("close"):
                if name == "form":
                    self._end_form()
                continue
            attrs = match.group("attrs")
            if names is not None and name in _ONLY_IF_ELSEWHERE and not self._elsewhere(attrs):
                continue  # an image or stylesheet of the site's own
            values = _attributes(attrs) if attrs.strip() else {}
            self._element(name, values, match.end())
            if name in RAW_TEXT and not attrs.rstrip().endswith("/"):
                close = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(text, position)
                content_end = close.start() if close else len(text)
                self._raw(name, values, text[position:content_end])
                position = close.end() if close else len(text)
        self._end_form()
        return self.result

    def _element(self, tag: str, values: dict[str, str], end_of_start_tag: int) -> None:
        if tag == "form" and "data-inquiry" in values:
            self._form = {"values": values, "fields": [], "end": end_of_start_tag, "preset": ""}
        elif self._form is not None and tag in ("input", "select", "textarea", "button") and values.get("name"):
            self._form["fields"].append(values["name"])
            if values["name"] == F.FORM and values.get("type") == "hidden":
                self._form["preset"] = values.get("value", "")
        if tag == "script" and values.get("src"):
            self.result.scripts.append(values["src"])
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
                self._fetch(kind, url, f"<{tag} {attr}>")

    def _fetch(self, kind: str, url: str, element: str) -> None:
        host = host_of(url)
        if host is not None and host not in self.own_hosts:
            self.result.fetches.append(Fetch(kind, url, element))

    def _css(self, text: str, where: str) -> None:
        for match in CSS_URL.finditer(text):
            url = match.group(1) or match.group(2)
            self._fetch("CSS resource", url, where)
            self.result.urls.append(url)

    def _raw(self, tag: str, values: dict[str, str], content: str) -> None:
        if tag == "style":
            self._css(content, "<style>")
            return
        if not content.strip():
            return
        kind = (values.get("type") or "text/javascript").strip().lower()
        self.result.inline_scripts[kind] = self.result.inline_scripts.get(kind, 0) + 1
        if kind in NOT_EXECUTED:
            return
        for match in INLINE_URL.finditer(content):
            url = match.group(0)
            self._fetch("address in an inline script", url, "inline <script>")
            self.result.urls.append(url)
        for match in TRACKER_CALL.finditer(content):
            start = max(0, match.start() - 20)
            self.result.tracker_calls.append(" ".join(content[start : match.end() + 80].split()))

    def _end_form(self) -> None:
        if self._form is None:
            return
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


def _srcset(value: str) -> list[str]:
    return [part.split()[0] for part in value.split(",") if part.strip()]


def scan(text: str, own_hosts: frozenset[str] | set[str] = frozenset()) -> PageScan:
    """Everything the firewall and the tracking manifest need to know about one page.

    ``own_hosts``: the site's own host names; what the page fetches from them (or by a
    site-relative address) is not listed in ``fetches``.
    """
    return _Scanner(text, frozenset(own_hosts)).run()


def missing_fields(form: Form) -> list[str]:
    """The hidden fields (besides ``form``, the preset) the form does not carry yet."""
    return [name for name in F.hidden_fields() if name not in form.fields and name != F.FORM]


def hidden_inputs(names, page_path: str) -> str:
    """``<input type="hidden">`` for each name: ``form_page`` holds the page's path, the rest start
    empty (the script fills them)."""
    values = {F.FORM_PAGE: page_path}
    return "".join(
        f'<input type="hidden" name="{name}" value="{html.escape(values.get(name, ""), quote=True)}">'
        for name in names
    )


def add_hidden_fields(text: str, page_path: str) -> str:
    """Give each ``<form data-inquiry>`` the hidden fields it lacks (form_page, fill_ms, ft_*, lt_*).

    ``form_page`` is the page's own path (the script refreshes it on submit); the attribution
    fields start empty and the script fills them. Fields a form already has are left alone.
    """
    if "data-inquiry" not in text:
        return text
    forms = scan(text).forms
    if not forms:
        return text
    pieces, last = [], 0
    for form in forms:
        missing = missing_fields(form)
        if not missing:
            continue
        pieces += [text[last : form.end_of_start_tag], "\n", hidden_inputs(missing, page_path)]
        last = form.end_of_start_tag
    return "".join(pieces) + text[last:] if pieces else text

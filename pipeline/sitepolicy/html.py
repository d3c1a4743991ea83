"""Reading a built page as a browser does: everything it fetches, submits or runs.

The page is parsed by an HTML5 parser (``selectolax``/lexbor, the WHATWG parsing algorithm:
character references decoded, attributes as the browser sees them, ``<noscript>`` read as
markup, ``<template>`` and ``<iframe srcdoc>`` read as the documents they become). Every
URL is resolved against the page's address and any ``<base href>`` (:mod:`.urls`), URLs in
CSS are read with a CSS tokenizer (:mod:`.css`) and addresses in inline scripts with a
JavaScript lexer (:mod:`.scripts`).

Attributes are judged by an allow-list: those known to hold text (``class``, ``alt``,
``aria-*``...) are skipped, those known to fetch, navigate or submit are resolved and
judged, and any other attribute holding an address (``data-*`` values that a script may
fetch, an attribute this module does not know) is treated as fetching.

:func:`scan` returns a :class:`PageScan`; :mod:`.firewall` applies the rules to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

from pipeline.inquiry import fields as F
from pipeline.sitepolicy import css, scripts
from pipeline.sitepolicy.tracking import tracking_hint, tracking_params
from pipeline.sitepolicy.urls import Resolved, is_site_path, refresh_url, resolve_all, scheme_of, srcset_urls

# Attributes that hold text, never an address (HTML Standard attribute index, SVG 2, ARIA).
TEXT_ATTRS = frozenset(
    [
        "id",
        "class",
        "title",
        "lang",
        "dir",
        "hidden",
        "tabindex",
        "role",
        "alt",
        "width",
        "height",
        "type",
        "name",
        "value",
        "placeholder",
        "required",
        "checked",
        "selected",
        "disabled",
        "readonly",
        "multiple",
        "min",
        "max",
        "step",
        "pattern",
        "maxlength",
        "minlength",
        "size",
        "cols",
        "rows",
        "wrap",
        "autocomplete",
        "autofocus",
        "for",
        "form",
        "method",
        "enctype",
        "accept",
        "accept-charset",
        "formmethod",
        "formenctype",
        "formnovalidate",
        "formtarget",
        "novalidate",
        "rel",
        "rev",
        "media",
        "sizes",
        "loading",
        "decoding",
        "fetchpriority",
        "crossorigin",
        "integrity",
        "referrerpolicy",
        "async",
        "defer",
        "nomodule",
        "charset",
        "content",
        "http-equiv",
        "property",
        "itemprop",
        "itemscope",
        "itemref",
        "colspan",
        "rowspan",
        "headers",
        "scope",
        "span",
        "start",
        "reversed",
        "datetime",
        "open",
        "label",
        "kind",
        "srclang",
        "default",
        "controls",
        "muted",
        "loop",
        "playsinline",
        "preload",
        "autoplay",
        "allow",
        "allowfullscreen",
        "sandbox",
        "frameborder",
        "scrolling",
        "translate",
        "spellcheck",
        "contenteditable",
        "draggable",
        "inputmode",
        "enterkeyhint",
        "is",
        "slot",
        "part",
        "nonce",
        "target",
        "download",
        "hreflang",
        "shape",
        "coords",
        "usemap",
        "ismap",
        "accesskey",
        "align",
        "valign",
        "border",
        "cellpadding",
        "cellspacing",
        "summary",
        "abbr",
        "axis",
        "nowrap",
        "bgcolor",
        "color",
        "face",
        "clear",
        "noshade",
        "compact",
        "popover",
        "popovertarget",
        "popovertargetaction",
        "inert",
        "blocking",
        "elementtiming",
        "exportparts",
        "autocapitalize",
        "autocorrect",
        "list",
        "dirname",
        "high",
        "low",
        "optimum",
        "shadowrootmode",
        "shadowrootdelegatesfocus",
        "shadowrootclonable",
        "shadowrootserializable",
        "command",
        "commandfor",
        "closedby",
        "cite",
        "longdesc",
        "itemtype",
        "itemid",
        "xmlns",
        "xmlns:xlink",
        "xml:lang",
        "xml:space",
        "version",
        "viewbox",
        "preserveaspectratio",
        "focusable",
        "d",
        "points",
        "x",
        "y",
        "x1",
        "x2",
        "y1",
        "y2",
        "cx",
        "cy",
        "r",
        "rx",
        "ry",
        "dx",
        "dy",
        "transform",
        "opacity",
        "fill-opacity",
        "stroke-opacity",
        "stroke-width",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-miterlimit",
        "fill-rule",
        "clip-rule",
        "font-size",
        "font-family",
        "font-weight",
        "text-anchor",
        "dominant-baseline",
        "offset",
        "stop-color",
        "stop-opacity",
        "gradientunits",
        "gradienttransform",
        "patternunits",
        "patterncontentunits",
        "patterntransform",
        "pathlength",
    ]
)
# SVG keeps the case of its attribute names (viewBox): both spellings are text.
TEXT_ATTRS |= frozenset(
    [
        "viewBox",
        "preserveAspectRatio",
        "gradientUnits",
        "gradientTransform",
        "patternUnits",
        "patternContentUnits",
        "patternTransform",
        "pathLength",
    ]
)
# Elements whose href (or xlink:href) is a link the visitor follows, not a fetch.
LINKS = frozenset({"a", "area"})
# <link rel> values that fetch nothing by themselves (HTML Standard, "Link types").
NON_FETCHING_RELS = frozenset(
    {
        "canonical",
        "alternate",
        "author",
        "license",
        "me",
        "next",
        "prev",
        "help",
        "bookmark",
        "external",
        "nofollow",
        "noopener",
        "noreferrer",
        "tag",
        "search",
        "shortlink",
        "privacy-policy",
        "terms-of-service",
        "opener",
    }
)
# What a <link rel=preload as=...> fetches, by CSP family.
_PRELOAD_AS = {
    "script": "script",
    "style": "style",
    "image": "image",
    "font": "font",
    "fetch": "connect",
    "audio": "media",
    "video": "media",
    "track": "media",
    "document": "frame",
    "worker": "script",
    "sharedworker": "script",
    "serviceworker": "script",
    "audioworklet": "script",
    "paintworklet": "script",
    "json": "connect",
    "manifest": "connect",
}
# SVG elements whose href / xlink:href fetches a resource.
SVG_ANIMATION = frozenset({"animate", "set", "animatemotion", "animatetransform", "animatecolor"})
# Attributes whose value is CSS that may hold url() (SVG presentation attributes).
CSS_VALUE_ATTRS = frozenset(
    {
        "fill",
        "stroke",
        "filter",
        "mask",
        "clip-path",
        "marker-start",
        "marker-mid",
        "marker-end",
        "cursor",
        "marker",
    }
)
BLOCKED_SCHEMES = frozenset({"javascript", "vbscript"})
CONTROLS = ("input", "select", "textarea", "button")


@dataclass(frozen=True)
class Fetch:
    """One thing the page makes the browser fetch (or submit to) from another host."""

    kind: str  # what it is, for people: "script", "pixel or image", "iframe", "form post", ...
    url: str  # as written (character references decoded)
    element: str  # where: "<img srcset>", "<iframe srcdoc> <img src>", "<style>", "inline <script>"
    family: str = ""  # the CSP directive family it needs: script, image, style, font, frame, ...
    host: str = ""  # the host it resolves to (punycode)
    href: str = ""  # the address it resolves to (against the page and any <base>)


@dataclass(frozen=True)
class Finding:
    """Something refused on every page, whatever its host: script in a URL, a <base>, an <object>..."""

    problem: str
    fix: str


@dataclass(frozen=True)
class Submitter:
    action: str  # resolved formaction ('' when the button has none)
    method: str  # formmethod ('' when none)


@dataclass(frozen=True)
class Form:
    preset: str  # the ``form`` field's value ("" when the form has none)
    id: str
    action: str  # as written
    method: str
    fields: tuple[str, ...]  # names of its controls, in order
    target: str = ""  # the action resolved against the page (where the browser sends it)
    submitters: tuple[Submitter, ...] = ()  # buttons that change the target or method


@dataclass
class PageScan:
    forms: list[Form] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)  # src of every <script src>, in order
    inline_scripts: dict[str, int] = field(default_factory=dict)  # type -> count
    script_hashes: list[str] = field(default_factory=list)  # CSP hash of each inline script a browser runs
    fetches: list[Fetch] = field(default_factory=list)  # from other hosts than the site's own
    findings: list[Finding] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)  # addresses that may carry tracking parameters
    tracker_calls: list[str] = field(default_factory=list)  # inline script excerpts
    csp: list[str] = field(default_factory=list)  # <meta http-equiv=Content-Security-Policy> values
    csp_first: bool = True  # the first policy comes before anything that loads
    form_hint: bool = False  # the page text names an inquiry form (what the CSP filter saw)

    @property
    def tracking_urls(self) -> list[str]:
        """URLs that carry a UTM, click id or ``ref`` parameter."""
        return [url for url in self.urls if tracking_hint(url) and tracking_params(url)]


class _Scanner:
    def __init__(self, own_hosts: frozenset[str], result: PageScan, track: bool, prefix: str = ""):
        self.own = own_hosts
        self.result = result
        self.track = track  # collect addresses for the tracking-parameter rule
        self.prefix = prefix  # "<iframe srcdoc> " inside a nested document
        self.own_base = True  # relative addresses stay on the site (no <base> elsewhere)
        # "https://own.host/...": nothing after the host's "/" can change the host.
        self.own_prefixes = tuple(f"{scheme}://{host}/" for host in own_hosts for scheme in ("https", "http"))

    # --- judging one address ------------------------------------------------------------

    def _judge(self, value: str, base: str, kind: str, family: str, where: str) -> None:
        """A fetch (or submission) of ``value``: another host is recorded; script in a URL, or a
        data: document, is refused."""
        if self.track and value:
            self.result.urls.append(value)
        if (
            not value
            or value.startswith(self.own_prefixes)
            or (self.own_base and (is_site_path(value) or not any(c in value for c in ":/\\")))
        ):
            return  # the page's own origin
        for target in resolve_all(value, base):
            self._target(target, value, kind, family, where)

    def _target(self, target: Resolved, value: str, kind: str, family: str, where: str) -> None:
        scheme = target.scheme
        if target.fetches_from_network:
            if target.host not in self.own:
                self.result.fetches.append(
                    Fetch(kind, value, f"{self.prefix}{where}", family, target.host, target.href)
                )
        elif scheme in BLOCKED_SCHEMES:
            self._find(
                f"{where} runs script from its address ({_short(value)})",
                "remove it: code runs only from the theme's script files",
            )
        elif scheme == "data" and family != "image":
            self._find(
                f"{where} loads a data: address ({_short(value)}), a document or script inside the page",
                "remove it: only images may be written as data: addresses",
            )
        elif family == "form" and scheme not in ("", "about"):
            self._find(
                f"{where} sends the form to a {scheme}: address ({_short(value)})",
                "forms post only to the site itself",
            )

    def _link(self, value: str, base: str, where: str) -> None:
        """A link the visitor follows: any host, but no script, and no tracking term."""
        if self.track and value:
            self.result.urls.append(value)
        scheme = scheme_of(value)  # the URL parser's own reading of the scheme: no base can change it
        if scheme in BLOCKED_SCHEMES or scheme == "data":
            self._find(
                f"{where} is a {scheme}: link ({_short(value)})",
                "link to a page (https://...) instead: a data: or javascript: link runs code",
            )

    def _unknown(self, name: str, value: str, base: str, where: str) -> None:
        """An attribute not known to hold text: an address in it is treated as fetched."""
        if not value:
            return
        if "(" in value:
            for url in css.urls_in_declarations(value):
                self._judge(url, base, "CSS resource", "image", where)
        if not any(c in value for c in ":/\\"):
            return
        for target in resolve_all(value, base):
            scheme = target.scheme
            if scheme in BLOCKED_SCHEMES:
                self._find(
                    f"{where} holds a {scheme}: address ({_short(value)})",
                    "remove it: code runs only from the theme's script files",
                )
            elif target.fetches_from_network and target.host not in self.own and _looks_like_address(value):
                if self.track:
                    self.result.urls.append(value)
                self.result.fetches.append(
                    Fetch(
                        "address in an attribute (treated as fetched)",
                        value,
                        f"{self.prefix}{where}",
                        "connect",
                        target.host,
                    )
                )

    def _find(self, problem: str, fix: str) -> None:
        self.result.findings.append(Finding(f"{self.prefix}{problem}", fix))

    # --- the document -------------------------------------------------------------------

    def document(self, tree: LexborHTMLParser, page_url: str, top: bool) -> None:
        base = page_url
        base_node = tree.css_first("base[href]")
        if base_node is not None:
            href = base_node.attributes.get("href") or ""
            resolved = resolve_all(href, page_url)
            for target in resolved:
                if target.fetches_from_network and target.host not in self.own:
                    self.result.fetches.append(
                        Fetch(
                            "base address (every relative link and form goes there)",
                            href,
                            f"{self.prefix}<base href>",
                            "base",
                            target.host,
                        )
                    )
            if resolved[0].scheme:
                base = resolved[-1].href  # the worst case: the other host, if either reading gives one
                self.own_base = resolved[-1].host in self.own
        policy_seen = not top
        forms: dict[int, dict] = {}
        for node in tree.root.traverse(include_text=False) if tree.root is not None else ():
            tag = (node.tag or "").lower()
            if tag.startswith("-"):  # comments, doctype
                continue
            attrs = node.attributes
            if top and not policy_seen:
                if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "content-security-policy":
                    policy_seen = True
                elif tag not in ("html", "head", "meta", "title"):
                    self.result.csp_first = False
            self.element(node, tag, attrs, base)
            if tag == "form" and "data-inquiry" in attrs:
                forms[id(node)] = {"node": node, "attrs": attrs}
        if top:
            for entry in forms.values():
                self.result.forms.append(self.form(entry["node"], entry["attrs"], base, tree))

    def element(self, node, tag: str, attrs: dict, base: str) -> None:
        for name in attrs.keys() - TEXT_ATTRS if attrs else ():
            low = name.lower()
            if low in TEXT_ATTRS or low.startswith("aria-"):
                continue
            self.attribute(tag, low, attrs[name] or "", attrs, base)
        special = _SPECIAL.get(tag)
        if special is not None:
            special(self, node, tag, attrs, base)

    def attribute(self, tag: str, name: str, value: str, attrs: dict, base: str) -> None:
        label = f"<{tag} {name}>"
        if name.startswith("on"):
            self._find(
                f"{label} is an inline event handler ({_short(value)})",
                "remove it: the site's security policy runs no inline code; put it in a theme script",
            )
        elif name == "style":
            self._find(
                f"<{tag} style> sets an inline style, which the site's security policy ignores",
                "use a class the theme's CSS styles instead",
            )
            for url in css.urls_in_declarations(value):
                self._judge(url, base, "CSS resource", "image", label)
        elif name in ("srcset", "imagesrcset"):
            for url in srcset_urls(value):
                self._judge(url, base, "pixel or image", "image", label)
        elif name == "ping":
            for url in value.split():
                self._judge(url, base, "ping beacon", "connect", label)
        elif name == "archive":
            for url in re.split(r"[\s,]+", value):
                self._judge(url, base, "embedded object", "object", label)
        elif name in ("href", "xlink:href"):
            self._href(tag, attrs, value, base, label)
        elif name in ("src", "lowsrc", "dynsrc"):
            self._src(tag, attrs, value, base, label)
        elif name in ("poster", "background"):
            self._judge(value, base, "pixel or image", "image", label)
        elif name in ("data", "codebase", "classid", "code", "object") and tag in (
            "object",
            "applet",
            "embed",
        ):
            self._judge(value, base, "embedded object", "object", label)
        elif name in ("action", "formaction"):
            self._judge(value, base, "form post", "form", label)
        elif name == "manifest":
            self._judge(value, base, "app manifest", "manifest", label)
        elif name == "srcdoc" and tag in ("iframe", "frame"):
            self.nested(value, base, self.prefix + "<iframe srcdoc> ")
        elif name in CSS_VALUE_ATTRS:
            for url in css.urls_in_declarations(value):
                self._judge(url, base, "CSS resource", "image", label)
        elif (
            tag in SVG_ANIMATION
            and name in ("values", "to", "from", "by")
            and (
                (attrs.get("attributeName") or attrs.get("attributename") or "").lower()
                in ("href", "xlink:href")
            )
        ):
            for url in value.split(";"):
                self._judge(url.strip(), base, "animated address", "image", label)
        else:
            self._unknown(name, value, base, label)

    def _plugin(self, node, tag: str, attrs: dict, base: str) -> None:
        self._find(
            f"<{tag}> embeds a plugin object, which the site's security policy blocks",
            "remove it: show a picture (with a link) instead",
        )

    def _base(self, node, tag: str, attrs: dict, base: str) -> None:
        self._find(
            "<base> changes where every relative link and form of the page goes, and the site's "
            "security policy ignores it",
            "remove it",
        )

    def _template(self, node, tag: str, attrs: dict, base: str) -> None:
        self.nested(_inner_html(node), base, self.prefix + "<template> ")

    def _href(self, tag: str, attrs: dict, value: str, base: str, label: str) -> None:
        if tag in LINKS:
            self._link(value, base, label)
        elif tag == "link":
            family = _link_family(attrs)
            if family is None:
                self._link(value, base, label)
            else:
                kind = {"style": "stylesheet", "image": "icon or image", "script": "script"}.get(
                    family, "linked resource"
                )
                self._judge(value, base, kind, family, label)
        elif tag == "base":
            if self.track and value:
                self.result.urls.append(value)
        elif tag == "script":
            self._judge(value, base, "script", "script", label)
        else:  # SVG image, feImage, use, filter, pattern, textPath... fetch what they name
            self._judge(value, base, "pixel or image", "image", label)

    def _src(self, tag: str, attrs: dict, value: str, base: str, label: str) -> None:
        if tag == "script":
            self.result.scripts.append(value)
            self._judge(value, base, "script", "script", label)
        elif tag in ("iframe", "frame", "fencedframe", "portal"):
            self._judge(value, base, "iframe", "frame", label)
        elif tag in ("embed",):
            self._judge(value, base, "embedded object", "object", label)
        elif tag in ("video", "audio", "track") or (
            tag == "source"
            and "srcset" not in attrs
            and "media" not in attrs
            and "sizes" not in attrs
            and "type" in attrs
            and attrs["type"]
            and not attrs["type"].startswith("image/")
        ):
            self._judge(value, base, "media", "media", label)
        else:  # img, input type=image, source in picture, anything unknown: an image at least
            self._judge(value, base, "pixel or image", "image", label)

    def _meta(self, node, tag: str, attrs: dict, base: str) -> None:
        equiv = (attrs.get("http-equiv") or "").strip().lower()
        content = attrs.get("content") or ""
        if equiv == "content-security-policy":
            if not self.prefix:  # a nested document inherits the page's policy
                self.result.csp.append(content)
        elif equiv == "refresh":
            url = refresh_url(content)
            if url is not None:
                self._judge(url, base, "automatic redirect", "redirect", "<meta http-equiv=refresh>")
        elif equiv in ("set-cookie", "link"):
            self._find(f"<meta http-equiv={equiv}> sets a header from inside the page", "remove it")

    def _script(self, node, tag: str, attrs: dict, base: str) -> None:
        if attrs.get("src") or attrs.get("href") or attrs.get("xlink:href"):
            return
        text = node.text(deep=True) or ""
        if not text.strip():
            return
        kind = (attrs.get("type") or "text/javascript").strip().lower()
        self.result.inline_scripts[kind] = self.result.inline_scripts.get(kind, 0) + 1
        if not scripts.runs(attrs.get("type")):
            return
        if self.prefix:
            self._find(
                "an inline <script> inside a nested document, which the site's security policy blocks",
                "remove it: code runs only from the theme's script files",
            )
        else:
            self.result.script_hashes.append(scripts.csp_hash(text))
        for url in scripts.addresses(text):
            self._judge(url, base, "address in an inline script", "connect", "inline <script>")
        self.result.tracker_calls.extend(scripts.tracker_calls(text))

    def _style(self, node, tag: str, attrs: dict, base: str) -> None:
        text = node.text(deep=True) or ""
        if not text.strip():
            return
        self._find(
            "an inline <style> block, which the site's security policy ignores",
            "move the rules into the theme's CSS files",
        )
        for url in css.urls_in_stylesheet(text):
            self._judge(url, base, "CSS resource", "image", "<style>")

    def nested(self, markup: str, base: str, prefix: str) -> None:
        """A document inside the page (``srcdoc``, ``<template>``): judged as the page itself."""
        if not markup.strip():
            return
        inner = _Scanner(self.own, self.result, self.track, prefix)
        inner.own_base = self.own_base
        inner.document(LexborHTMLParser(markup), base, top=False)

    def form(self, node, attrs: dict, base: str, tree) -> Form:
        action = attrs.get("action") or ""
        names, preset, submitters = [], "", []
        controls = list(node.css(", ".join(CONTROLS)))
        form_id = attrs.get("id") or ""
        if form_id:  # controls elsewhere that belong to this form (form="id")
            controls += [
                c
                for c in tree.css(", ".join(f'{t}[form="{_css_string(form_id)}"]' for t in CONTROLS))
                if c not in controls
            ]
        for control in controls:
            control_attrs = control.attributes
            name = control_attrs.get("name")
            if name and control.parent is not None and _inside(control, node):
                names.append(name)
                if name == F.FORM and (control_attrs.get("type") or "").lower() == "hidden":
                    preset = control_attrs.get("value") or ""
            if "formaction" in control_attrs or "formmethod" in control_attrs:
                target = control_attrs.get("formaction")
                submitters.append(
                    Submitter(
                        _resolved(target, base) if target is not None else "",
                        (control_attrs.get("formmethod") or "").lower(),
                    )
                )
        return Form(
            preset=preset,
            id=form_id,
            action=action,
            method=(attrs.get("method") or "get").lower(),
            fields=tuple(names),
            target=_resolved(action, base),
            submitters=tuple(submitters),
        )


# Elements checked as a whole besides their attributes.
_SPECIAL = {
    "object": _Scanner._plugin,
    "embed": _Scanner._plugin,
    "applet": _Scanner._plugin,
    "base": _Scanner._base,
    "meta": _Scanner._meta,
    "script": _Scanner._script,
    "style": _Scanner._style,
    "template": _Scanner._template,
}


def _inside(control, form) -> bool:
    parent = control.parent
    while parent is not None:
        if parent == form:
            return True
        parent = parent.parent
    return False


def _css_string(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _resolved(value: str, base: str) -> str:
    """Where a form sends its data: the action resolved (an empty action is the page itself)."""
    targets = resolve_all(value or "", base)
    return targets[-1].href


def _link_family(attrs: dict) -> str | None:
    """The CSP family a <link> fetches with, or None when its rel fetches nothing."""
    rels = set((attrs.get("rel") or "").lower().split())
    if "stylesheet" in rels:
        return "style"
    if rels & {"icon", "apple-touch-icon", "apple-touch-icon-precomposed", "mask-icon", "shortcut"}:
        return "image"
    if rels & {"preload", "modulepreload"}:
        return _PRELOAD_AS.get(
            (attrs.get("as") or "").lower(), "script" if "modulepreload" in rels else "connect"
        )
    if rels and rels <= NON_FETCHING_RELS:
        return None
    return "connect"  # preconnect, dns-prefetch, prefetch, prerender, manifest, pingback, unknown


def _looks_like_address(value: str) -> bool:
    """An attribute value that names a host: scheme:, //, or a backslash form of them."""
    text = value.strip().replace("\\", "/")
    return "//" in text or bool(re.match(r"(?i)\s*(https?|wss?|ftp):", text))


def _inner_html(node) -> str:
    markup = node.html or ""
    start = _end_of_start_tag(markup)
    end = markup.rfind("</")
    return markup[start:end] if start < end else ""


def _end_of_start_tag(markup: str) -> int:
    quote = ""
    for index, char in enumerate(markup):
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == ">":
            return index + 1
    return len(markup)


def _short(url: str, limit: int = 100) -> str:
    return url if len(url) <= limit else url[: limit - 1] + "…"


def scan(
    text: str,
    own_hosts: frozenset[str] | set[str] = frozenset(),
    page_url: str = "https://first-party.invalid/",
) -> PageScan:
    """Everything the firewall and the tracking manifest need to know about one page.

    ``page_url``: the page's address (its site path under SITEURL); ``own_hosts``: the site's own
    host names (what the page fetches from them is not listed in ``fetches``).
    """
    result = PageScan(form_hint=form_hint(text))
    own = frozenset(own_hosts) | {resolve_all(page_url, "")[0].host}
    _Scanner(own, result, tracking_hint(text)).document(LexborHTMLParser(text), page_url, top=True)
    return result


def form_hint(text: str) -> bool:
    """Does the page's text name an inquiry form (a form, or the placeholder the build renders)?
    (As the theme writes it, in lower case; the firewall also counts the forms the parser finds.)"""
    return "data-inquiry" in text or "<!--inquiry-form" in text

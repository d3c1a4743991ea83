"""URLs as a browser reads them: WHATWG URL parsing (``ada-url``), ``srcset`` lists and
``<meta http-equiv="refresh">`` values.

Every check in this package judges the host a browser would contact, so it never looks at
the text of a URL: ``https:\\\\evil.example\\x``, ``/\\evil.example/x``,
``ht<TAB>tps://evil.example``, ``https://site@evil.example`` and ``https://пример.рф`` are
all resolved first (WHATWG URL Standard, https://url.spec.whatwg.org/: backslashes are
slashes in special schemes, tabs and newlines are removed, userinfo is not the host, hosts
go through IDNA to their punycode form). Character references are decoded earlier, by the
HTML parser.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ada_url import join_url, parse_url

# The URL Standard strips leading and trailing C0 controls and spaces, and removes every
# tab and newline, before parsing.
_STRIP = "".join(chr(c) for c in range(0x21))
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
SPECIAL = ("http", "https", "ws", "wss", "ftp")  # schemes with hosts ("special schemes")


@dataclass(frozen=True)
class Resolved:
    href: str
    scheme: str  # "https", "data", "javascript", ... ("" when the text is no URL at all)
    host: str  # punycode, lower case; "" for schemes without a host

    @property
    def fetches_from_network(self) -> bool:
        return self.scheme in SPECIAL


INVALID = Resolved("", "", "")


def clean(text: str) -> str:
    """The text the URL parser reads: outer controls and spaces stripped, tabs and newlines removed."""
    text = text.strip(_STRIP)
    return _TAB_OR_NEWLINE.sub("", text) if ("\t" in text or "\n" in text or "\r" in text) else text


@functools.lru_cache(maxsize=16384)
def resolve(text: str, base: str) -> Resolved:
    """``text`` resolved against ``base`` as a browser does; INVALID when it is no URL."""
    value = clean(text)
    try:
        href = join_url(base, value) if base else value
        parts = parse_url(href, attributes=("protocol", "hostname"))
    except ValueError:
        return INVALID
    return Resolved(href, parts["protocol"][:-1], parts["hostname"].lower())


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


def scheme_of(text: str) -> str:
    """The scheme a URL has by itself, lower case ('' for a relative one): the URL Standard's
    scheme state, after outer controls and spaces, tabs and newlines are removed."""
    match = _SCHEME.match(clean(text))
    return match.group(0)[:-1].lower() if match else ""


def is_site_path(text: str) -> bool:
    """``/a/b`` (not ``//host`` or ``/\\host``): always the page's own origin, whatever the base."""
    return len(text) > 0 and text[0] == "/" and text[1:2] not in ("/", "\\") and clean(text) == text


def other_scheme(base: str) -> str:
    """The base with http and https swapped: ``https:evil.example`` is relative on an https page
    but names the host evil.example on an http one, so a value is judged against both."""
    if base.startswith("https:"):
        return "http:" + base[6:]
    if base.startswith("http:"):
        return "https:" + base[5:]
    return base


def resolve_all(text: str, base: str) -> tuple[Resolved, ...]:
    """Every way ``text`` can resolve on this page, whichever scheme the site is served with."""
    value = clean(text)
    head = value[:8].lower()
    if head.startswith(("https://", "http://")):
        return (resolve(value, ""),)  # absolute: the base plays no part (and the result is shared)
    first = resolve(value, base)
    colon = value.find(":")
    if colon > 0 and "/" not in value[:colon] and value[:colon].lower() in SPECIAL:
        second = resolve(value, other_scheme(base))
        if second != first:
            return first, second
    return (first,)


def origin_of(url: str) -> str:
    """``https://Example.com:443/x`` -> ``https://example.com``; '' for URLs without an origin."""
    try:
        origin = parse_url(url, attributes=("origin",))["origin"]
    except ValueError:
        return ""
    return "" if origin == "null" else origin


def host_of(url: str) -> str:
    """The host a URL names (punycode, lower case), '' when it names none."""
    return resolve(url, "").host


# --- srcset (HTML Standard, "parse a srcset attribute") ------------------------------------


_ASCII_SPACE = re.compile(r"[ \t\n\r\f]+")


def srcset_urls(value: str) -> list[str]:
    """The URLs of a ``srcset``/``imagesrcset`` list, split as the HTML Standard does: a URL runs
    to the next whitespace and may itself hold commas; trailing commas end a candidate; a comma
    outside parentheses ends a candidate's descriptors."""
    if "(" in value:
        return _srcset_urls_slowly(value)
    urls, expect_url = [], True
    for token in _ASCII_SPACE.split(value):
        while token:
            if expect_url:
                token = token.lstrip(",")
                if token:
                    urls.append(token.rstrip(","))
                    expect_url = token.endswith(",")
                    token = ""
            else:  # descriptors, up to a comma
                comma = token.find(",")
                token, expect_url = ("", False) if comma < 0 else (token[comma + 1 :], True)
    return urls


def _srcset_urls_slowly(value: str) -> list[str]:
    """:func:`srcset_urls` for lists whose descriptors hold parentheses, character by character."""
    urls, position, length = [], 0, len(value)
    while position < length:
        while position < length and (value[position] in " \t\n\r\f,"):
            position += 1
        if position >= length:
            break
        start = position
        while position < length and value[position] not in " \t\n\r\f":
            position += 1
        url = value[start:position]
        descriptors = False
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            descriptors = True
        if url:
            urls.append(url)
        if descriptors:  # skip the descriptors, up to a comma outside parentheses
            depth = 0
            while position < length:
                char = value[position]
                if char == "(":
                    depth += 1
                elif char == ")":
                    depth = max(0, depth - 1)
                elif char == "," and depth == 0:
                    break
                position += 1
    return urls


# --- <meta http-equiv="refresh"> (HTML Standard, "shared declarative refresh steps") --------


def refresh_url(content: str) -> str | None:
    """The address a refresh value sends the page to; None for a plain reload or no refresh."""
    space = " \t\n\r\f"
    text, position = content, 0
    while position < len(text) and text[position] in space:
        position += 1
    start = position
    while position < len(text) and (text[position].isdigit() or text[position] == "."):
        position += 1
    if position == start:
        return None
    if position < len(text):
        if text[position] not in ";," + space:
            return None
        while position < len(text) and text[position] in space:
            position += 1
        if position < len(text) and text[position] in ";,":
            position += 1
        while position < len(text) and text[position] in space:
            position += 1
    url = text[position:]
    if url[:3].lower() == "url":
        rest = url[3:].lstrip(space)
        if rest.startswith("="):
            url = rest[1:].lstrip(space)
    if url[:1] in ("'", '"'):
        quote, url = url[0], url[1:]
        end = url.find(quote)
        url = url if end < 0 else url[:end]
    return url or None

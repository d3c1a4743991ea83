"""Header rules: which Cache-Control, Content-Type and Content-Encoding each key gets.

Rules come from ``S3_RULES`` (a list of dicts) followed by :data:`DEFAULT_RULES`. For each
header, the first rule whose pattern matches the key and that sets that header wins, so a
project rule can change Cache-Control for a folder and still get the usual Content-Type.

Patterns are globs over the key relative to the site root, matched by wcmatch as ``.gitignore``
reads them: ``*`` stays within a folder, ``**`` (a whole path segment) crosses folders,
``{a,b}`` is either, ``?`` and ``[...]`` as in the shell; a pattern without ``/`` matches the
file name at any depth. Names starting with a dot are matched like any other. A pattern
starting with ``re:`` is a regular expression searched in the key.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from wcmatch import glob

from pipeline.deploy.errors import DeployError

IMMUTABLE = "public, max-age=31536000, immutable"
# Browsers revalidate every time (a cheap 304); CloudFront keeps HTML 5 minutes, and the
# deploy invalidates exactly the pages it changed.
HTML = "public, max-age=0, s-maxage=300, must-revalidate"
SHORT = "public, max-age=300"
DEFAULT = "public, max-age=3600"

# Theme assets are fingerprinted as name.<hex>.ext with at least 10 hex digits.
FINGERPRINTED = r"re:(^|/)[^/]+\.[0-9a-f]{10,}\.[A-Za-z0-9]+$"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".map": "application/json; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".atom.xml": "application/atom+xml; charset=utf-8",
    ".rss.xml": "application/rss+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".vtt": "text/vtt; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".gif": "image/gif",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".webmanifest": "application/manifest+json; charset=utf-8",
    ".pdf": "application/pdf",
    ".wasm": "application/wasm",
    ".yml": "application/yaml; charset=utf-8",  # RFC 9512: the content editor's config.yml
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    # Pagefind's index files are already gzip-compressed binary blobs.
    ".pagefind": "application/octet-stream",
    ".pf_fragment": "application/octet-stream",
    ".pf_index": "application/octet-stream",
    ".pf_meta": "application/octet-stream",
    ".pf_filter": "application/octet-stream",
}

COMPRESSIBLE = re.compile(
    r"^(text/|application/(json|javascript|xml|manifest\+json|atom\+xml|rss\+xml)|image/svg\+xml)"
)


@dataclass(frozen=True)
class HeaderRule:
    """One ``S3_RULES`` entry: a pattern and the headers it sets (``None`` = not set here)."""

    pattern: str
    cache_control: str | None = None
    content_type: str | None = None
    content_encoding: str | None = None

    def matches(self, key: str) -> bool:
        return key_matches(self.pattern, key)


@dataclass(frozen=True, order=True)
class Headers:
    """The effective headers of one object."""

    content_type: str
    cache_control: str
    content_encoding: str | None = None


DEFAULT_RULES: tuple[HeaderRule, ...] = (
    HeaderRule(FINGERPRINTED, cache_control=IMMUTABLE),
    HeaderRule("media/**", cache_control=IMMUTABLE),
    HeaderRule("pagefind/**/*.pf_*", cache_control=IMMUTABLE),
    HeaderRule("*.html", cache_control=HTML),
    HeaderRule("pagefind/**", cache_control=SHORT),
    HeaderRule("*.{xml,txt,json,ics,webmanifest}", cache_control=SHORT),
    HeaderRule("**", cache_control=DEFAULT),
)

_RULE_FIELDS = {"glob", "cache_control", "content_type", "content_encoding"}


def parse_rules(raw: Iterable[Mapping[str, Any]] | None) -> tuple[HeaderRule, ...]:
    """Turn ``S3_RULES`` into rules (project rules first, then the defaults)."""
    rules = []
    for index, entry in enumerate(raw or ()):
        where = f"S3_RULES[{index}]"
        if not isinstance(entry, Mapping):
            raise DeployError(
                f"{where} must be a dict like {{'glob': '*.pdf', 'cache_control': '...'}}, not {entry!r}."
            )
        unknown = set(entry) - _RULE_FIELDS
        if unknown:
            raise DeployError(
                f"{where} has unknown field(s) {', '.join(sorted(unknown))}; "
                f"use only {', '.join(sorted(_RULE_FIELDS))}."
            )
        pattern = entry.get("glob")
        if not isinstance(pattern, str) or not pattern:
            raise DeployError(f"{where} needs a 'glob' such as 'downloads/*.pdf'.")
        try:
            _matcher(pattern)
        except Exception as exc:  # re.error, or a {a,b} pattern expanding past wcmatch's limit
            raise DeployError(f"{where}: pattern {pattern!r} is not valid ({exc}); fix the glob.") from None
        values = {}
        for field in ("cache_control", "content_type", "content_encoding"):
            value = entry.get(field)
            if value is not None and (not isinstance(value, str) or not value.strip() or "\n" in value):
                raise DeployError(f"{where}: '{field}' must be a one-line string, not {value!r}.")
            values[field] = value
        if not any(values.values()):
            raise DeployError(
                f"{where} ({pattern!r}) sets no header; add cache_control, content_type or content_encoding."
            )
        rules.append(HeaderRule(pattern, **values))
    return tuple(rules) + DEFAULT_RULES


def headers_for(key: str, rules: Iterable[HeaderRule], gzip_text: bool = False) -> Headers:
    """The headers for ``key`` (relative to the site root) under ``rules``."""
    chosen: dict[str, str | None] = {"cache_control": None, "content_type": None, "content_encoding": None}
    for rule in rules:
        adds = [f for f, value in chosen.items() if value is None and getattr(rule, f) is not None]
        if adds and rule.matches(key):  # a rule that can add nothing is not even matched
            for field in adds:
                chosen[field] = getattr(rule, field)
    content_type = chosen["content_type"] or guess_content_type(key)
    encoding = chosen["content_encoding"]
    if (
        encoding is None
        and gzip_text
        and not key.startswith("pagefind/")
        and COMPRESSIBLE.match(content_type)
    ):
        encoding = "gzip"
    return Headers(content_type, chosen["cache_control"] or DEFAULT, encoding)


def guess_content_type(key: str) -> str:
    name = key.rsplit("/", 1)[-1].lower()
    for suffix in sorted(CONTENT_TYPES, key=len, reverse=True):
        if name.endswith(suffix):
            return CONTENT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(name, strict=False)
    return guessed or "application/octet-stream"


def key_matches(pattern: str, key: str) -> bool:
    """Whether ``key`` (relative to the site root or the prefix) matches a rule's ``pattern``."""
    return _matcher(pattern)(key)


_GLOB = glob.GLOBSTAR | glob.BRACE | glob.DOTMATCH | glob.FORCEUNIX


@lru_cache(maxsize=512)
def _matcher(pattern: str) -> Callable[[str], bool]:
    if pattern.startswith("re:"):
        search = re.compile(pattern[3:]).search
        return lambda key: search(key) is not None
    # A pattern with no "/" matches the file name at any depth; a leading "/" anchors at the root.
    flags = _GLOB if "/" in pattern else _GLOB | glob.MATCHBASE
    # wcmatch's own translation, one regex per {a,b} alternative; joined and matched directly, it
    # costs half of WcMatcher.match, which also normalizes file-system paths (keys need none).
    included, _excluded = glob.translate(pattern.lstrip("/"), flags=flags)  # nothing excluded without NEGATE
    regex = re.compile("|".join(f"(?:{part})" for part in included))
    return lambda key: regex.match(key) is not None

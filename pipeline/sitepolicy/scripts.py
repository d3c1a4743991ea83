"""What a script names: the addresses in its string literals, its analytics calls, its CSP hash.

The literals are read with a small JavaScript lexer (comments skipped; strings, template
literals and regular-expression literals told apart), so an address in a comment is not
reported and one in a string is, escapes (``\\x2F``, ``\\u002F``) decoded. An address a
script assembles at run time cannot be seen here: the Content-Security-Policy stops it in
the browser (``connect-src``, ``img-src``, ``script-src 'self'``).
"""

from __future__ import annotations

import base64
import hashlib
import re

# Calls that send an analytics event (Google, Meta, TikTok, LinkedIn, Microsoft, Matomo, and others).
TRACKER_CALL = re.compile(
    r"\b(gtag|fbq|ttq\.(?:track|page)|lintrk|uetq\.push|_paq\.push|dataLayer\.push|plausible|umami\.track|"
    r"twq|pintrk|snaptr|rdt|clarity|hj|analytics\.(?:track|page)|mixpanel\.track|posthog\.capture|"
    r"heap\.track|_hsq\.push|gaq\.push|ga)\s*\("
)
# Script types a browser does not run (data blocks): the CSP does not apply to them.
NOT_EXECUTED = frozenset(
    {"application/ld+json", "application/json", "text/template", "text/html", "importmap", "speculationrules"}
)
# The types a browser runs as classic or module scripts (HTML Standard, "JavaScript MIME type").
EXECUTED = frozenset(
    {
        "",
        "module",
        "text/javascript",
        "application/javascript",
        "application/ecmascript",
        "application/x-ecmascript",
        "application/x-javascript",
        "text/ecmascript",
        "text/javascript1.0",
        "text/javascript1.1",
        "text/javascript1.2",
        "text/javascript1.3",
        "text/javascript1.4",
        "text/javascript1.5",
        "text/jscript",
        "text/livescript",
        "text/x-ecmascript",
        "text/x-javascript",
    }
)

# An address in a string: scheme:// or //, with \ read as / (as the URL parser does).
_ADDRESS = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.\-]*:)?[\\/]{2}[^\s\"'`<>]+")
# A host name alone ("plausible.io"); file names such as "site.js" are not hosts.
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}$", re.IGNORECASE)
FILE_SUFFIXES = frozenset(
    {
        "js",
        "mjs",
        "css",
        "json",
        "html",
        "htm",
        "xml",
        "txt",
        "svg",
        "png",
        "jpg",
        "jpeg",
        "gif",
        "webp",
        "avif",
        "ico",
        "woff",
        "woff2",
        "ttf",
        "otf",
        "wasm",
        "map",
        "pdf",
        "ics",
        "md",
        "gz",
        "zip",
        "csv",
        "mp4",
        "webm",
        "mp3",
        "php",
        "py",
        "yml",
        "yaml",
        "pf_meta",
        "pf_index",
        "pf_fragment",
        "preventdefault",
        "length",
        "value",
        "name",
        "href",
        "src",
        "textcontent",
        "classname",
        "dataset",
        "style",
        "checked",
    }
)


def csp_hash(text: str) -> str:
    """The CSP source for an inline script: ``'sha256-<base64>'`` of its UTF-8 text."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def runs(script_type: str | None) -> bool:
    """Does a browser run a ``<script type>`` (missing, empty, JavaScript or module)?"""
    kind = (script_type or "").strip().lower()
    return (
        kind in EXECUTED
        or kind not in NOT_EXECUTED
        and kind.startswith(("text/javascript", "application/javascript"))
    )


def addresses(source: str) -> list[str]:
    """Every address (``https://host/...``, ``//host``, or a bare host name) in the script's strings."""
    found = []
    for literal in string_literals(source):
        matches = _ADDRESS.findall(literal)
        found += matches
        if (
            not matches
            and _HOST.match(literal.strip())
            and literal.strip().rsplit(".", 1)[1].lower() not in FILE_SUFFIXES
        ):
            found.append("//" + literal.strip())
    return found


def tracker_calls(source: str) -> list[str]:
    """Excerpts around each analytics call in a script."""
    return [
        " ".join(source[max(0, m.start() - 20) : m.end() + 80].split()) for m in TRACKER_CALL.finditer(source)
    ]


# Characters after which a "/" starts a regular expression, not a division.
_REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^") | {""}
_REGEX_KEYWORDS = (
    "return",
    "typeof",
    "instanceof",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
    "case",
    "do",
    "else",
)
_ESCAPE = re.compile(r"\\(u\{[0-9A-Fa-f]+\}|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|.)", re.DOTALL)
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _unescape(text: str) -> str:
    def one(match: re.Match) -> str:
        code = match.group(1)
        if code.startswith("u{"):
            return chr(int(code[2:-1], 16))
        if code[0] in "ux" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _SIMPLE.get(code, code)

    return _ESCAPE.sub(one, text) if "\\" in text else text


def string_literals(source: str) -> list[str]:
    """The text of every string and template literal (template parts between ``${}``), escapes decoded."""
    found: list[str] = []
    i, n, last = 0, len(source), ""
    depth: list[int] = []  # brace depth at each open template ${
    braces = 0
    while i < n:
        c = source[i]
        if c in " \t\r\n":
            i += 1
            continue
        if source.startswith("//", i):
            end = source.find("\n", i)
            i = n if end < 0 else end
            continue
        if source.startswith("/*", i):
            end = source.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        if c in "'\"":
            j, buf = i + 1, []
            while j < n and source[j] != c and source[j] != "\n":
                if source[j] == "\\" and j + 1 < n:
                    buf.append(source[j : j + 2])
                    j += 2
                    continue
                buf.append(source[j])
                j += 1
            found.append(_unescape("".join(buf)))
            i, last = j + 1, "a"
            continue
        if c == "`" or (c == "}" and depth and depth[-1] == braces):
            if c == "}":
                depth.pop()
            j, buf = i + 1, []
            while j < n and source[j] != "`" and not source.startswith("${", j):
                if source[j] == "\\" and j + 1 < n:
                    buf.append(source[j : j + 2])
                    j += 2
                    continue
                buf.append(source[j])
                j += 1
            found.append(_unescape("".join(buf)))
            if source.startswith("${", j):
                depth.append(braces)
                i = j + 2
                last = "("
            else:
                i, last = j + 1, "a"
            continue
        if c == "/" and (last in _REGEX_AFTER or last in _REGEX_KEYWORDS):
            j, in_class = i + 1, False
            while j < n and source[j] != "\n":
                ch = source[j]
                if ch == "\\":
                    j += 2
                    continue
                if ch == "[":
                    in_class = True
                elif ch == "]":
                    in_class = False
                elif ch == "/" and not in_class:
                    break
                j += 1
            i, last = j + 1, "a"
            continue
        if c.isalnum() or c in "_$":
            j = i
            while j < n and (source[j].isalnum() or source[j] in "_$"):
                j += 1
            word = source[i:j]
            i, last = j, (word if word in _REGEX_KEYWORDS else "a")
            continue
        if c == "{":
            braces += 1
        elif c == "}":
            braces -= 1
        i, last = i + 1, ("a" if c in ")]" else c)
    return found

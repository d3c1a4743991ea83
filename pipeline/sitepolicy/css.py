"""URLs inside CSS, read with a CSS tokenizer (``tinycss2``, CSS Syntax Level 3).

A tokenizer sees what a browser sees: ``\\75rl(https://x)`` is ``url(https://x)`` after
escapes, ``u/**/rl(x)`` is no URL at all, and ``image-set("a.png" 1x)`` or
``@import "x.css"`` name URLs in plain strings. Every string argument of a function that
takes an image or a resource (``url()``, ``src()``, ``image-set()``, ``image()``,
``cross-fade()``...) counts, at any depth.
"""

from __future__ import annotations

import tinycss2

# Functions whose string arguments are URLs (CSS Values 4, CSS Images 4, and prefixed forms).
URL_FUNCTIONS = frozenset(
    {
        "url",
        "src",
        "image",
        "image-set",
        "-webkit-image-set",
        "cross-fade",
        "-webkit-cross-fade",
    }
)


def urls_in_stylesheet(text: str) -> list[str]:
    """Every URL a stylesheet (a ``.css`` file or a ``<style>`` block) names, in order."""
    found: list[str] = []
    _walk(tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True), found, False)
    return found


def urls_in_declarations(text: str) -> list[str]:
    """Every URL a ``style`` attribute (a declaration list) names, in order."""
    found: list[str] = []
    _walk(tinycss2.parse_component_value_list(text, skip_comments=True), found, False)
    return found


def _walk(nodes, found: list[str], strings_are_urls: bool) -> None:
    for node in nodes or ():
        kind = node.type
        if kind == "url" or kind == "string" and strings_are_urls:
            found.append(node.value)
        elif kind == "function":
            _walk(node.arguments, found, strings_are_urls or node.lower_name in URL_FUNCTIONS)
        elif kind == "at-rule":
            _walk(node.prelude, found, node.lower_at_keyword == "import")
            _walk(node.content, found, False)
        elif kind == "qualified-rule":
            _walk(node.prelude, found, False)
            _walk(node.content, found, False)
        elif kind in ("() block", "[] block", "{} block"):
            _walk(node.content, found, strings_are_urls)

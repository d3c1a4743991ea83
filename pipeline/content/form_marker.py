"""The Markdown syntax for an inquiry form, and the placeholder it leaves in the HTML.

A coordinator writes one line, on its own, anywhere in a Markdown body::

    [[inquiry-form]]                                    general contact form
    [[inquiry-form procedure=botox]]                    consult form, Botox preselected
    [[inquiry-form special=december-hydrafacial-glow]]  the special preselected
    [[inquiry-form event=winter-open-house]]            RSVP to the event
    [[inquiry-form procedure=botox heading="Ask us about Botox"]]

The Markdown extension (``plugins/inquiry_tags/markdown.py``) turns the line into an HTML
comment, ``<!--inquiry-form procedure=botox-->``, which is invisible in feeds; the build
replaces it with the theme's form component (``partials/inquiry_form.html``) when it
writes the page. :func:`parse` checks the words and says what to fix.

The preselection travels in the form's POST body only, never in a URL.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from urllib.parse import quote, unquote

# What the extension recognises as "meant to be a form" (typos included, so they are reported).
LINE = re.compile(r"^ {0,3}\[\[\s*(inquiry[-_ ]?form)\b(?P<args>[^\]]*)\]\]\s*$", re.IGNORECASE)
# The placeholder the extension writes, and the build replaces.
PLACEHOLDER = re.compile(r"<!--inquiry-form(?P<args>(?: [^>]*?)?)-->")
# Text a page still shows when a marker was not on a line of its own.
LEFTOVER = re.compile(r"\[\[\s*inquiry[-_ ]?form[^\]]*\]\]", re.IGNORECASE)
REFS = ("procedure", "special", "event")  # preset = the kind of the thing preselected
KEYS = REFS + ("heading",)
EXAMPLE = "[[inquiry-form procedure=botox]]"


@dataclass(frozen=True)
class FormRequest:
    """What one marker asks for: a preset, the id it preselects, an optional heading."""

    preset: str = "contact"
    ref: str | None = None
    heading: str | None = None


class MarkerError(ValueError):
    """A marker the build cannot use; ``str()`` is "what is wrong — the fix"."""


def placeholder(args: str) -> str:
    """``' procedure=botox'`` -> ``<!--inquiry-form procedure%3Dbotox-->`` (safe inside a comment:
    no ``-`` or ``>`` survives the quoting)."""
    args = args.strip()
    return (
        f"<!--inquiry-form {quote(args, safe='').replace('-', '%2D')}-->" if args else "<!--inquiry-form-->"
    )


def placeholder_args(match: re.Match) -> str:
    """The marker's words, as written, from a :data:`PLACEHOLDER` match."""
    return unquote(match.group("args").strip())


def parse(args: str) -> FormRequest:
    """``'procedure=botox heading="Ask us"'`` -> FormRequest('procedure', 'botox', 'Ask us')."""
    try:
        words = shlex.split(args)
    except ValueError:
        raise MarkerError(
            f"[[inquiry-form {args.strip()}]] has an unclosed quote — close it, "
            'e.g. heading="Ask us about Botox"'
        ) from None
    values: dict[str, str] = {}
    for word in words:
        key, sep, value = word.partition("=")
        key = key.strip().lower()
        if not sep:
            if key == "contact" and not values:
                continue  # [[inquiry-form contact]] reads naturally
            raise MarkerError(
                f"'{word}' in an inquiry form line is not KEY=VALUE — write e.g. {EXAMPLE} "
                f"(keys: {', '.join(KEYS)})"
            )
        if key not in KEYS:
            raise MarkerError(f"'{key}' is not an inquiry form option — use one of: {', '.join(KEYS)}")
        if key in values:
            raise MarkerError(f"'{key}' is given twice in an inquiry form line — keep one")
        if not value.strip():
            raise MarkerError(f"'{key}=' has no value — write e.g. {EXAMPLE}")
        values[key] = value.strip()
    refs = [key for key in REFS if key in values]
    if len(refs) > 1:
        raise MarkerError(
            f"an inquiry form preselects one thing, not {' and '.join(refs)} — keep one of them"
        )
    preset = refs[0] if refs else "contact"
    return FormRequest(preset, values.get(preset) if refs else None, values.get("heading"))

"""Images written inside a Markdown body (``![alt](/images/x.jpg)``).

They go through the image pipeline like every other image: each must be a file under
``content/`` with alt text, and is replaced by responsive ``<picture>`` markup. Originals
are never copied to the site, and a picture from another host would be a third-party
request, so both are refused with a message saying what to do instead.
"""

from __future__ import annotations

import html
import math
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.content.errors import Problem
from pipeline.sitepolicy.urls import resolve_all

_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r'([a-zA-Z_:-]+)\s*=\s*"([^"]*)"')
_LINK_PREFIXES = ("{static}", "{attach}", "{filename}")
_HERE_HOST = "first-party.invalid"
_HERE = f"https://{_HERE_HOST}/page/"


@dataclass(frozen=True)
class BodyImage:
    tag: str  # the <img> element as Markdown wrote it
    src: str
    alt: str

    @property
    def external(self) -> bool:
        return is_external(self.src)

    @property
    def path(self) -> str:
        """The file under content/ it names, e.g. images/blog/x.jpg."""
        src = self.src
        for prefix in _LINK_PREFIXES:
            src = src.removeprefix(prefix)
        return posixpath.normpath(src.split("?", 1)[0].split("#", 1)[0].lstrip("/")).lstrip("./")


def is_external(src: str) -> bool:
    """Not a file of this site, as a browser reads the address: another host (``//x``,
    ``https:\\\\x``, ``/\\x``, ``https:x`` on an http page, ``https://site@x``) or a scheme (data:...)."""
    for prefix in _LINK_PREFIXES:
        src = src.removeprefix(prefix)
    targets = resolve_all(src, _HERE)
    return any(t.host != _HERE_HOST or t.scheme != "https" for t in targets) or ":" in src.split("/", 1)[0]


def body_images(markup: str) -> list[BodyImage]:
    found = []
    for match in _IMG.finditer(markup or ""):
        attrs = {k.lower(): html.unescape(v) for k, v in _ATTR.findall(match.group(0))}
        found.append(BodyImage(match.group(0), attrs.get("src", ""), attrs.get("alt", "").strip()))
    return found


def check(path: str, markup: str, files: set[str], patient_folder: str) -> list[Problem]:
    """Problems with the images in one body; ``files`` are paths relative to content/."""
    problems = []
    for image in body_images(markup):
        where = f"the image '{image.src}' in the text"
        if image.external:
            pass  # reported, with its line, by the content allow-list (pipeline.sitepolicy.content)
        elif image.path not in files:
            problems.append(Problem(path, "body", f"{where} does not exist",
                                    f"put the file at content/{image.path} or correct the path"))
        elif image.path.startswith(patient_folder.rstrip("/") + "/"):
            problems.append(Problem(path, "body", f"{where} is a patient photo from the gallery",
                                    "gallery photos are published only on their case's page, under its consent"))
        if not image.alt:
            problems.append(Problem(path, "body", f"{where} has no alt text",
                                    "describe it between the brackets: ![a description](path)"))
    return problems


def replace_images(markup: str, picture: Callable[[str, str], str]) -> str:
    """Swap each local ``<img>`` for ``picture(path under content/, alt)``."""
    def swap(match: re.Match) -> str:
        (image,) = body_images(match.group(0))
        return match.group(0) if image.external else picture(image.path, image.alt)

    return _IMG.sub(swap, markup or "")


_MARKUP = re.compile(r"<!--.*?-->|<[^>]*>", re.DOTALL)
_WORD = re.compile(r"\w+")
WORDS_PER_MINUTE = 220


def reading_minutes(markup: str) -> int:
    """Minutes to read a body's text (its words at 220 a minute, at least 1); tags, comments
    and attributes such as alt text do not count."""
    text = _MARKUP.sub(" ", markup)
    words = len(_WORD.findall(html.unescape(text) if "&" in text else text))
    return max(1, math.ceil(words / WORDS_PER_MINUTE))

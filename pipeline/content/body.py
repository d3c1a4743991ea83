"""Images and file links written inside a Markdown body.

Every way a body can show a picture — ``![alt](/images/x.jpg)``, ``{static}`` and
``{attach}`` links, paths relative to the file, a raw ``<img>`` — goes through the image
pipeline: :class:`BodyImagesExtension` (a Python-Markdown tree processor) takes each
``<img>`` out of the converted body as it is read, before Pelican sees a link to the
original, and leaves a token that the build swaps for responsive ``<picture>`` markup once
the image is processed. What the pipeline cannot take (``<picture>``, ``srcset``, an SVG
``<image>``, a CSS background in a ``style`` attribute...) is found by an HTML5 parser over
the converted body and stops the build with the file and line, like an image that does not
exist, one on another site, or a patient photo from the gallery.

Links to files (``[menu]({static}/files/menu.pdf)``) are collected too: only the static file
types the site allows are copied (see :mod:`pipeline.static_files`).
"""

from __future__ import annotations

import html
import math
import posixpath
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from html.parser import HTMLParser

from markdown import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, STX
from selectolax.lexbor import LexborHTMLParser

from pipeline.content.errors import Problem
from pipeline.sitepolicy.urls import resolve_all

_LINK_PREFIXES = ("{static}", "{attach}", "{filename}")
TOKEN = (
    "body-image {}"  # <!--body-image 3-->: the body's fourth image, until the build swaps in its <picture>
)
_TOKEN = re.compile(r"<!--body-image (\d+)-->")
_HERE_HOST = "first-party.invalid"
_HERE = f"https://{_HERE_HOST}/page/"


@dataclass(frozen=True)
class BodyImage:
    src: str  # as the body wrote it
    alt: str
    path: str = ""  # the file under content/ it names (empty when external)
    line: int | None = None
    needles: tuple[str, ...] = ()  # texts that find its line in the Markdown (src may be encoded or escaped)

    @property
    def external(self) -> bool:
        return is_external(self.src)


@dataclass(frozen=True)
class BodyLink:
    """A link to a file of the content folder (``{static}``, ``{attach}``), which Pelican would copy."""

    href: str
    path: str
    line: int | None = None


def is_external(src: str) -> bool:
    """Not a file of this site, as a browser reads the address: another host (``//x``,
    ``https:\\\\x``, ``/\\x``, ``https:x`` on an http page, ``https://site@x``) or a scheme (data:...)."""
    for prefix in _LINK_PREFIXES:
        src = src.removeprefix(prefix)
    targets = resolve_all(src, _HERE)
    return any(t.host != _HERE_HOST or t.scheme != "https" for t in targets) or ":" in src.split("/", 1)[0]


@dataclass
class Found:
    """What one body holds, as the tree processor and :func:`inspect` saw it."""

    images: list[BodyImage] = field(default_factory=list)
    links: list[BodyLink] = field(default_factory=list)
    problems: list[tuple[str, str, str]] = field(
        default_factory=list
    )  # (what, fix, text to find the line by)


def resolve(src: str, source: str) -> str:
    """The file under content/ that ``src`` names, written in the body of ``source`` (relative to content/).

    ``/images/x.jpg`` and ``{static}/images/x.jpg`` start at the content folder; ``{static}x.jpg``
    and ``../images/x.jpg`` at the file's own folder, as Pelican and Markdown editors read them.
    """
    path = html.unescape(src).split("?", 1)[0].split("#", 1)[0].strip()
    for prefix in _LINK_PREFIXES:
        if path.startswith(prefix):
            path = path[len(prefix) :]
            break
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(posixpath.dirname(source), path)
    return posixpath.normpath(joined).lstrip("./") if joined else ""


def _local_file_link(href: str) -> bool:
    return href.startswith(_LINK_PREFIXES[:2])


class _RawTags(HTMLParser):
    """Start tags in a raw HTML fragment, with their exact source text (to swap an <img> in place)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}, self.get_starttag_text()))

    handle_startendtag = handle_starttag


class BodyImagesTreeprocessor(Treeprocessor):
    """Takes every <img> (Markdown's and raw HTML's) out of the body, leaving a numbered token."""

    def run(self, root: etree.Element) -> None:
        found = self.md.body_found = Found()
        source = getattr(self.md, "body_source", "")
        images = list(root.iter("img"))
        parents = {child: parent for parent in root.iter() for child in parent} if images else {}
        for element in images:
            src, alt = _unescape(element.get("src", "")), _unescape(element.get("alt", ""))
            # Markdown wrote ![alt](src): its source has the src with Markdown's escapes, or at least ![alt](
            token = self._take(found, src, alt, source, (src, src.replace("\\", "\\\\"), f"![{alt}]("))
            _replace(parents[element], element, etree.Comment(token))
        for element in root.iter("a"):
            if _local_file_link(element.get("href", "")):
                found.links.append(BodyLink(element.get("href"), resolve(element.get("href"), source)))
        stash = self.md.htmlStash.rawHtmlBlocks
        for index, block in enumerate(stash):
            # Only a fragment that has an <img or <a can hold what is taken here (tag names are plain text).
            if not isinstance(block, str) or not ("<img" in block.lower() or "<a" in block.lower()):
                continue
            parser = _RawTags()
            parser.feed(block)
            parser.close()
            for tag, attrs, text in parser.tags:
                if tag == "img":
                    token = self._take(
                        found, attrs.get("src", ""), attrs.get("alt", ""), source, (text.split("\n", 1)[0],)
                    )
                    block = block.replace(text, f"<!--{token}-->", 1)
                elif tag == "a" and _local_file_link(attrs.get("href", "")):
                    found.links.append(BodyLink(attrs["href"], resolve(attrs["href"], source)))
            stash[index] = block

    @staticmethod
    def _take(found: Found, src: str, alt: str, source: str, needles: tuple[str, ...]) -> str:
        image = BodyImage(src, alt.strip(), "", needles=needles)
        if not image.external:
            image = BodyImage(src, alt.strip(), resolve(src, source), needles=needles)
        found.images.append(image)
        return TOKEN.format(len(found.images) - 1)


_ESCAPED = re.compile(f"{STX}(\\d+){ETX}")


def _unescape(text: str) -> str:
    """Text as Markdown will write it: its backslash escapes (kept as placeholders until the last
    tree processor) back to the characters they stand for."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1))), text) if STX in text else text


def _replace(parent: etree.Element, old: etree.Element, new: etree.Element) -> None:
    new.tail = old.tail
    parent[list(parent).index(old)] = new


class BodyImagesExtension(Extension):
    def extendMarkdown(self, md) -> None:  # Markdown's API names it
        md.body_found = Found()
        md.body_source = ""
        # After inline patterns (20) have stashed raw inline HTML and attr_list (8) has set attributes.
        md.treeprocessors.register(BodyImagesTreeprocessor(md), "body_images", 1)

    def reset(self) -> None:
        pass


# What a body may not carry: anything else that would make the browser fetch a picture.
_IMAGE_TAGS = {
    "picture": "a <picture> element",
    "source": "a <source> element",
    "image": "an SVG <image>",
    "feimage": "an SVG <feImage>",
    "video": "a video",
    "object": "an <object>",
    "embed": "an <embed>",
}
_IMAGE_ATTRS = {
    "srcset": "a srcset",
    "imagesrcset": "an imagesrcset",
    "background": "a background attribute",
    "poster": "a poster image",
    "lowsrc": "a lowsrc",
    "dynsrc": "a dynsrc",
}
_FIX_PICTURE = (
    "write the picture as ![a description](images/blog/photo.jpg) on its own line: the image pipeline "
    "makes the responsive versions, without the photo's metadata or file name"
)


# Names that must appear, in some letter case, in a body that holds anything :func:`inspect` looks for
# (tag and attribute names are plain text in HTML: no character reference can spell them).
_MARKERS = ("<img", "<input", "style", "xlink", *(f"<{tag}" for tag in _IMAGE_TAGS), *_IMAGE_ATTRS)


def inspect(markup: str) -> list[tuple[str, str, str]]:
    """(what, fix, text to find the line by) for every picture in ``markup`` that is not a pipeline token."""
    lower = (markup or "").lower()
    if not any(marker in lower for marker in _MARKERS):
        return []
    found = []
    tree = LexborHTMLParser(markup or "")
    for node in tree.css("*"):
        tag = (node.tag or "").lower()
        attrs = {k.lower(): v or "" for k, v in (node.attributes or {}).items()}
        if tag in _IMAGE_TAGS:
            found.append(
                (
                    f"the text has {_IMAGE_TAGS[tag]}, which the image pipeline cannot take",
                    _FIX_PICTURE,
                    f"<{tag}",
                )
            )
        elif tag == "img" or (tag == "input" and attrs.get("type", "").lower() == "image"):
            found.append(
                ("the text has an image the image pipeline did not take", _FIX_PICTURE, attrs.get("src", tag))
            )
        for name, what in _IMAGE_ATTRS.items():
            if name in attrs:
                found.append(
                    (
                        f"the text has {what} on <{tag}>, which the image pipeline cannot take",
                        _FIX_PICTURE,
                        name,
                    )
                )
        style = attrs.get("style", "")
        if re.search(r"url\s*\(|image-set\s*\(|\\", style, re.IGNORECASE):
            found.append(
                (
                    "the text has a picture in a style attribute (CSS url())",
                    "remove the style; show pictures with ![a description](images/...)",
                    "style",
                )
            )
        if tag in ("use", "a", "image") and attrs.get("xlink:href"):
            found.append((f"the text has an SVG link (xlink:href on <{tag}>)", "remove it", "xlink:href"))
    return found


def check(path: str, images: list[BodyImage], files: set[str], patient_folder: str) -> list[Problem]:
    """Problems with the images in one body; ``files`` are paths relative to content/."""
    problems = []
    for image in images:
        where = f"the image '{image.src}' in the text"
        if image.src.startswith("data:"):
            problems.append(
                Problem(
                    path,
                    "body",
                    f"the image '{image.src[:24]}...' is written into the text "
                    "(a data: address), with whatever metadata it carries",
                    "save the picture under content/images/ and show it with ![a description](images/...)",
                    image.line,
                )
            )
        elif image.external:
            problems.append(
                Problem(
                    path,
                    "body",
                    f"{where} is on another site (a third-party request)",
                    "save the picture under content/images/ and link to it there",
                    image.line,
                )
            )
        elif image.path not in files:
            problems.append(
                Problem(
                    path,
                    "body",
                    f"{where} does not exist",
                    f"put the file at content/{image.path} or correct the path",
                    image.line,
                )
            )
        elif image.path.startswith(patient_folder.rstrip("/") + "/"):
            problems.append(
                Problem(
                    path,
                    "body",
                    f"{where} is a patient photo from the gallery",
                    "gallery photos are published only on their case's page, under its consent",
                    image.line,
                )
            )
        if not image.alt:
            problems.append(
                Problem(
                    path,
                    "body",
                    f"{where} has no alt text",
                    "describe it between the brackets: ![a description](path)",
                    image.line,
                )
            )
    return problems


def line_of(body: str, needle: str, first_line: int, after: int = 0) -> int | None:
    """The file line where ``needle`` first appears in ``body`` (at or after file line ``after``)."""
    if not needle:
        return None
    for number, text in enumerate(body.splitlines(), first_line):
        if number >= after and needle in text:
            return number
    return None


def replace_tokens(markup: str, pictures: list[str]) -> str:
    """Swap each ``<!--body-image N-->`` token for ``pictures[N]``."""
    return _TOKEN.sub(lambda m: pictures[int(m.group(1))] if int(m.group(1)) < len(pictures) else "", markup)


_MARKUP = re.compile(r"<!--.*?-->|<[^>]*>", re.DOTALL)
_WORD = re.compile(r"\w+")
WORDS_PER_MINUTE = 220


def reading_minutes(markup: str) -> int:
    """Minutes to read a body's text (its words at 220 a minute, at least 1); tags, comments
    and attributes such as alt text do not count."""
    text = _MARKUP.sub(" ", markup)
    words = len(_WORD.findall(html.unescape(text) if "&" in text else text))
    return max(1, math.ceil(words / WORDS_PER_MINUTE))

"""Files of the content folder that reach the site as they are: only from an allow-list, PDFs stripped.

Pelican copies whatever a page links with ``{static}`` or ``{attach}`` (and whatever
``STATIC_PATHS`` names). Pictures never go that way: the image pipeline publishes them
without metadata or file name. Any other file is copied only when its type is on the list
(``STATIC_FILE_TYPES``, default PDF and iCalendar), and a PDF loses what names its author and
the software that made it (the document information dictionary and the XMP packet, ISO 32000-2
§14.3) before it is written.
"""

from __future__ import annotations

import io
import posixpath
from collections.abc import Iterable

from pipeline.content.errors import Problem
from pipeline.errors import PipelineError

DEFAULT_TYPES = ("pdf", "ics")
PICTURES = frozenset(
    {"jpg", "jpeg", "png", "webp", "heic", "heif", "avif", "gif", "tif", "tiff", "bmp", "svg"}
)
# Keys that carry who and what made a PDF, or editing history: the document's and any object's.
_PDF_KEYS = ("/Metadata", "/PieceInfo", "/Info")


class StaticFileError(PipelineError):
    """A static file that cannot be published as it is; the message names it and the fix."""


def extension(path: str) -> str:
    return posixpath.splitext(path)[1].lstrip(".").lower()


def allowed_types(value) -> tuple[str, ...]:
    """STATIC_FILE_TYPES as a tuple of lower-case extensions; a picture type is refused."""
    if value is None:
        return DEFAULT_TYPES
    if isinstance(value, str) or not all(isinstance(v, str) for v in value):
        raise StaticFileError(
            f"STATIC_FILE_TYPES is {value!r}: give a list of file extensions, like ['pdf', 'ics']."
        )
    types = tuple(v.lower().lstrip(".") for v in value)
    pictures = sorted(set(types) & PICTURES)
    if pictures:
        raise StaticFileError(
            f"STATIC_FILE_TYPES lists {', '.join(pictures)}: pictures reach the site only through "
            "the image pipeline (metadata and file names removed). Take them out of the list."
        )
    return types


def refusal(name: str, allowed: Iterable[str]) -> tuple[str, str] | None:
    """(what, fix) when the file ``name`` may not be copied to the site as it is; None when it may."""
    ext = extension(name)
    if ext in PICTURES:
        return (
            f"would copy the original picture {name} to the site, with its metadata and file name",
            "show it with ![a description](images/...) instead: the image pipeline publishes it without them",
        )
    if ext not in allowed:
        listed = ", ".join(allowed) or "none"
        return (
            f"would copy {name} to the site, and .{ext or '(no extension)'} files are not published",
            f"publish only these types: {listed} (STATIC_FILE_TYPES in pelicanconf.py), or remove the link",
        )
    return None


def link_problems(
    path: str, links: Iterable, files: set[str], allowed: Iterable[str] = DEFAULT_TYPES
) -> list[Problem]:
    """Problems with the ``{static}``/``{attach}`` links of one body (``files``: relative to content/)."""
    problems = []
    for link in links:
        refused = refusal(f"content/{link.path}", tuple(allowed))
        if refused is not None:
            what, fix = refused
            problems.append(Problem(path, "body", f"the link '{link.href}' {what}", fix, link.line))
        elif link.path not in files:
            problems.append(
                Problem(
                    path,
                    "body",
                    f"the link '{link.href}' names a file that does not exist",
                    f"put the file at content/{link.path} or correct the path",
                    link.line,
                )
            )
    return problems


def strip_pdf(data: bytes, name: str) -> bytes:
    """The PDF without its document information (author, creator, producer, title...), XMP metadata,
    per-object metadata or editing history, and without comments' author names. Deterministic."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    try:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise StaticFileError(
            f"{name}: the PDF cannot be read ({exc}). Export it again as PDF and replace the file."
        ) from None
    writer.metadata = None
    writer.xmp_metadata = None
    seen: set[int] = set()
    todo = [writer.root_object]
    while todo:  # every object the document reaches: pages, images, fonts, annotations
        node = todo.pop()
        if isinstance(node, IndirectObject):
            if node.idnum in seen:
                continue
            seen.add(node.idnum)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            for key in _PDF_KEYS:
                node.pop(key, None)
            if node.get("/Type") == "/Annot" or "/Subtype" in node and "/Rect" in node:
                node.pop("/T", None)  # an annotation's author
            todo.extend(node.values())
        elif isinstance(node, ArrayObject):
            todo.extend(node)
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

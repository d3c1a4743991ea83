"""Static files plugin: only allowed types reach the site as they are, PDFs without metadata, and no
picture except through the image pipeline (``pipeline.static_files``).

- ``initialized``: ``STATIC_FILE_TYPES`` is checked; the theme's static folder may hold no picture
  (it would be copied with its metadata and name) and its CSS may name none (``url()``, ``image-set()``,
  ``data:image/...``): each is a problem with the file and line.
- ``static_generator_finalized``: what Pelican would copy (``STATIC_PATHS``, ``{static}``/``{attach}``
  links) is kept only when allowed; links from a body are reported against the body's line by the
  content check, the rest here.
- ``finalized``: every PDF in the output loses its metadata; any picture in the output that is not an
  image-pipeline derivative is a problem (whatever put it there), so no original ever passes.

Settings: ``STATIC_FILE_TYPES`` [("pdf", "ics")]: extensions of files copied as they are.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import tinycss2
from pelican import signals

from pipeline.content.errors import Problem, problems_of
from pipeline.files import write_atomic
from pipeline.static_files import PICTURES, StaticFileError, allowed_types, extension, refusal, strip_pdf

SETTING = "STATIC_FILE_TYPES"
# What the image pipelines write: named by a content hash (never a source's name), metadata stripped.
_DERIVATIVE = re.compile(r"^[0-9a-f]{16,64}(-\d+(x\d+)?)?\.(avif|webp|jpe?g|png)$")
RASTER = PICTURES - {"svg"}
_DATA_PICTURE = re.compile(r"^\s*data:image/(?!svg)", re.IGNORECASE)


def _shown(path: str, settings: dict) -> str:
    """A path as the coordinator knows it: relative to the project (the content folder's parent)."""
    project = os.path.dirname(os.path.abspath(settings["PATH"]))
    return os.path.relpath(os.path.abspath(path), project).replace(os.sep, "/")


def configure(pelican) -> None:
    settings = pelican.settings
    settings[SETTING] = allowed_types(settings.get(SETTING))
    problems_of(settings).add(theme_problems(settings))


def theme_problems(settings: dict) -> list[Problem]:
    problems = []
    for folder in settings.get("THEME_STATIC_PATHS", ["static"]):
        root = Path(settings["THEME"]) / folder
        for path in sorted(root.rglob("*")) if root.is_dir() else []:
            shown = _shown(str(path), settings)
            if path.is_file() and extension(path.name) in RASTER:
                problems.append(
                    Problem(
                        shown,
                        "file",
                        "is a picture in the theme, which would be copied to the site "
                        "as it is (with its metadata and file name)",
                        "use an SVG or CSS instead, or put the picture in content/images/ and show "
                        "it from a template with img(...), which goes through the image pipeline",
                    )
                )
            elif path.is_file() and path.suffix == ".css":
                problems += css_problems(path.read_text(encoding="utf-8", errors="replace"), shown)
    return problems


def _tokens(nodes):
    for node in nodes:
        yield node
        for name in ("prelude", "content", "arguments"):
            inner = getattr(node, name, None)
            if isinstance(inner, list):
                yield from _tokens(inner)


def css_problems(css: str, shown: str) -> list[Problem]:
    """Pictures a stylesheet names (read with a CSS tokenizer, escapes decoded)."""
    problems = []
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    for token in _tokens(rules):
        if token.type not in ("url", "string"):
            continue
        value = token.value.strip()
        target = value.split("?", 1)[0].split("#", 1)[0]
        if _DATA_PICTURE.match(value) or extension(target) in RASTER:
            problems.append(
                Problem(
                    shown,
                    "url",
                    f"names the picture '{value[:60]}', which would reach the site "
                    "as it is (with its metadata), outside the image pipeline",
                    "use an SVG, a CSS gradient or a colour, or show the picture in the page with img(...)",
                    token.source_line,
                )
            )
    return problems


def check_static(generator) -> None:
    """Keep only the static files that may be copied as they are."""
    settings = generator.settings
    allowed = settings.get(SETTING) or allowed_types(None)
    linked = set(generator.context.get("static_links", ()))
    kept = []
    for static in generator.staticfiles:
        relative = os.path.relpath(static.source_path, settings["PATH"]).replace(os.sep, "/")
        refused = refusal(_shown(static.source_path, settings), allowed)
        if refused is None:
            kept.append(static)
        elif relative not in linked:  # a body's link is reported with its line by the content check
            what, fix = refused
            problems_of(settings).add(
                [
                    Problem(
                        _shown(static.source_path, settings),
                        "STATIC_PATHS",
                        f"is listed in STATIC_PATHS and {what}",
                        fix,
                    )
                ]
            )
    generator.staticfiles[:] = kept


def finish(pelican) -> None:
    """Strip every PDF written; refuse any picture that is not an image-pipeline derivative."""
    settings = pelican.settings
    output = Path(settings["OUTPUT_PATH"])
    problems = []
    for folder, _, names in os.walk(output):
        for name in sorted(names):
            ext = extension(name)
            if ext != "pdf" and ext not in RASTER:
                continue
            path = Path(folder, name)
            if path.is_symlink():
                continue
            relative = path.relative_to(output).as_posix()
            if ext == "pdf":
                data = path.read_bytes()
                try:
                    clean = strip_pdf(data, relative)
                except StaticFileError as exc:
                    problems.append(
                        Problem(
                            f"output/{relative}",
                            "file",
                            str(exc).split(": ", 1)[1],
                            "export it again as PDF and replace the file",
                        )
                    )
                    path.unlink()
                    continue
                if clean != data:  # a new file, never writing through a link to the source
                    write_atomic(path, clean)
            elif not _DERIVATIVE.match(name):
                problems.append(
                    Problem(
                        f"output/{relative}",
                        "file",
                        "is a picture that did not come through the "
                        "image pipeline: it would be published as it is, with its metadata and file "
                        "name",
                        "show pictures with ![a description](images/...) in Markdown or "
                        "img(...) in templates",
                    )
                )
                path.unlink()
    problems_of(settings).add(problems)


def register():
    signals.initialized.connect(configure)
    signals.static_generator_finalized.connect(check_static)
    signals.finalized.connect(finish)

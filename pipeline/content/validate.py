"""Validation of content: one file at a time, then the site as a whole.

``parse`` checks a file's front matter against its type's model and turns pydantic's
errors into :class:`Problem`s a coordinator can act on. ``check_site`` checks what no
single file can: references to other content, image files, duplicate ids.
"""

from __future__ import annotations

import datetime as dt
import difflib
import posixpath
import re
from dataclasses import dataclass, field

from pydantic import ValidationError

from pipeline.content.errors import Problem
from pipeline.content.frontmatter import Parsed
from pipeline.content.models import Image, Model
from pipeline.content.types import BY_KIND, PHASES, TYPES, ContentType, for_path

_UNION_TAGS = {"date", "datetime", "int", "str", "float", "decimal", "bool", "none"}
# A value `inv new` left for the coordinator to write: "[write one sentence for search results]".
PLACEHOLDER = re.compile(r"^\[\s*write\b(?P<what>.*)\]$", re.IGNORECASE | re.DOTALL)
# Placeholders older stubs carried, refused the same way.
OLD_PLACEHOLDERS = {
    "describe the photo for someone who cannot see it": "what the photo shows, for someone who cannot see it"
}
IMAGE_TYPES = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".avif", ".gif", ".tif", ".tiff")


@dataclass
class Entry:
    """One content file as the validator sees it."""

    ctype: ContentType
    id: str
    path: str
    parsed: Parsed
    record: Model | None = None
    problems: list[Problem] = field(default_factory=list)
    personal: list = field(default_factory=list)  # (line, personal_data.Hit) in the file's source
    body_images: list = field(default_factory=list)  # pipeline.content.body.BodyImage, in the body's order
    body_links: list = field(default_factory=list)  # links to files of the content folder

    @property
    def draft(self) -> bool:
        """Written as a draft (its problems are warnings), whether or not the rest of it is valid."""
        return str(self.parsed.data.get("status", "")).strip().lower() == "draft"

    @property
    def published(self) -> bool:
        return self.record is not None and getattr(self.record, "status", "published") == "published"


def parse(ctype: ContentType, parsed: Parsed, path: str, id: str) -> Entry:
    entry = Entry(ctype, id, path, parsed, problems=list(parsed.problems))
    if parsed.problems and not parsed.data:
        return entry
    blanks = placeholders(ctype.model, parsed, path)
    entry.problems.extend(blanks)
    try:
        entry.record = ctype.model.model_validate(parsed.data)
    except ValidationError as exc:
        # A placeholder's own message says what to write; the model's complaint about it adds nothing.
        left = {p.field for p in blanks}
        entry.problems.extend(
            p
            for p in _explain(exc, ctype, parsed, path)
            if not any(p.field == f or p.field.startswith(f + ".") for f in left)
        )
    else:
        if blanks:
            entry.record = None
    return entry


def placeholder_what(value) -> str | None:
    """What a placeholder asks for ("one sentence for search results"), or None for a real value."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = PLACEHOLDER.match(text)
    if match:
        return match["what"].strip() or "the value"
    return OLD_PLACEHOLDERS.get(text.lower().rstrip("."))


def placeholders(model: type[Model], parsed: Parsed, path: str) -> list[Problem]:
    """Every value still as ``inv new`` wrote it: "is still the placeholder — write ..."."""
    found = []

    def walk(value, loc: tuple) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*loc, str(key)))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, (*loc, index))
        else:
            what = placeholder_what(value)
            if what is not None:
                dotted = ".".join(str(p) for p in loc)
                example = _example_for(model, loc)
                hint = f", e.g. {_yaml_value(example)}" if example is not None else ""
                found.append(
                    Problem(
                        path,
                        dotted,
                        "is still the placeholder",
                        f"write {what}{hint}",
                        parsed.line_of(dotted),
                    )
                )

    walk(parsed.data, ())
    return found


def _example_for(model: type[Model], loc: tuple) -> object | None:
    """The example declared on the field at ``loc`` (walking into nested models)."""
    current = model
    info = None
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        info = current.model_fields.get(part)
        if info is None:
            return None
        annotation = info.annotation
        current = next(
            (
                a
                for a in getattr(annotation, "__args__", (annotation,))
                if isinstance(a, type) and issubclass(a, Model)
            ),
            None,
        )
        if current is None and isinstance(annotation, type) and issubclass(annotation, Model):
            current = annotation
    extra = info.json_schema_extra if info else None
    return extra.get("example") if isinstance(extra, dict) else None


PATTERN_MESSAGE = "is not in the expected form"  # a value that does not match its field's pattern


def pattern_fix(name, example) -> str:
    """How to write a value of the expected form: ``inv check`` and the editor say the same."""
    return "write it like the example" + (
        f", e.g. {name}: {_yaml_value(example)}" if example is not None else ""
    )


def yaml_value(value) -> str:
    """A value as it is written in a file: ``[a, b]``, ``true``, ``{q: x}``."""
    return _yaml_value(value)


def _yaml_value(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _explain(exc: ValidationError, ctype: ContentType, parsed: Parsed, path: str) -> list[Problem]:
    problems = []
    seen: set[tuple[str, str]] = set()
    model = ctype.model
    known = sorted(model.model_fields)
    for error in exc.errors():
        # pydantic names union members and validators in the location; the field path is enough.
        loc = tuple(
            p
            for i, p in enumerate(error["loc"])
            if not (i > 0 and isinstance(p, str) and (p in _UNION_TAGS or "[" in p))
        )
        if error["type"] == "field_problem":  # a cross-field check names the field at fault
            loc = (*loc, error["ctx"]["field"])
        dotted = ".".join(str(p) for p in loc) or "front matter"
        if (dotted, error["type"]) in seen:
            continue
        seen.add((dotted, error["type"]))
        line = parsed.line_of(dotted)
        kind = error["type"]
        example = _example_for(model, loc)
        hint = f", e.g. {loc[-1]}: {_yaml_value(example)}" if example is not None and loc else ""
        if kind == "missing":
            where = "the front matter" if parsed.container == "front matter" else parsed.container
            message, fix = "is missing", f"add it to {where}{hint}"
        elif kind == "extra_forbidden":
            name = str(loc[-1])
            siblings = known if len(loc) == 1 else []
            close = difflib.get_close_matches(name, siblings, n=1)
            message = "is not a field of a " + ctype.noun if len(loc) == 1 else "is not a known field"
            fix = (
                f"did you mean '{close[0]}'?"
                if close
                else ("remove it" + (f" (fields are: {', '.join(known)})" if siblings else ""))
            )
        elif kind in (
            "date_parsing",
            "date_from_datetime_parsing",
            "datetime_parsing",
            "date_type",
            "datetime_type",
            "datetime_from_date_parsing",
        ):
            message, fix = f"'{error.get('input')}' is not a date", "write it as YYYY-MM-DD, e.g. 2026-03-14"
        elif kind == "literal_error":
            message = f"'{error.get('input')}' is not allowed"
            fix = "use one of: " + error["ctx"]["expected"].replace("'", "")
        elif kind in ("bool_parsing", "bool_type"):
            message, fix = f"'{error.get('input')}' is not yes/no", "write true or false"
        elif kind in ("list_type",):
            message, fix = "should be a list", f"write it as a list{hint}"
        elif kind in ("string_too_short",) or (kind == "too_short" and not error.get("input")):
            message, fix = "is empty", f"fill it in{hint}"
        elif kind == "too_short":
            message, fix = "needs at least one item", f"add one{hint}"
        elif kind in ("string_type",):
            message, fix = f"should be text, not {type(error.get('input')).__name__}", f"write text{hint}"
        elif kind in ("model_type", "model_attributes_type", "dict_type"):
            message, fix = "should be a group of fields", f"indent its fields under it{hint}"
        elif kind == "string_pattern_mismatch":
            message = f"'{error.get('input')}' {PATTERN_MESSAGE}"
            fix = pattern_fix(loc[-1], example) if loc else f"write it like the example{hint}"
        elif kind in (
            "decimal_parsing",
            "int_parsing",
            "float_parsing",
            "decimal_type",
            "int_type",
            "float_type",
        ):
            message, fix = f"'{error.get('input')}' is not a number", f"write digits only{hint}"
        elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            message, fix = f"{error.get('input')} is out of range", error["msg"].lower()
        elif kind in ("value_error", "field_problem"):
            text = str(error["ctx"].get("error", error["ctx"].get("text", error["msg"])))
            message, _, fix = text.partition(" — ")
            fix = fix or f"fix the value{hint}"
        else:
            message, fix = error["msg"], f"fix the value{hint}"
        problems.append(Problem(path, dotted, message, fix, line))
    return problems


def _values(value) -> list[tuple[str, str]]:
    """(suffix, id) pairs for a reference field holding one id or a list of ids."""
    if isinstance(value, list):
        return [(f".{i}", v) for i, v in enumerate(value)]
    return [("", value)] if value else []


def check_site(entries: list[Entry], files: set[str], content_prefix: str = "content") -> list[Problem]:
    """Problems across files: references, images, duplicate ids. ``files`` are relative to content/."""
    problems: list[Problem] = []
    folders = ", ".join(f"{t.folder}/" for t in TYPES)
    for name in sorted(files):
        if name.endswith((".md", ".markdown")) and for_path(name) is None:
            problems.append(
                Problem(
                    f"{content_prefix}/{name}",
                    "file",
                    "is not in a folder the site knows",
                    f"move it into one of: {folders}",
                )
            )
    by_kind: dict[str, dict[str, Entry]] = {}
    for entry in entries:
        seen = by_kind.setdefault(entry.ctype.kind, {})
        if entry.id in seen:
            other = seen[entry.id].path
            problems.append(
                Problem(
                    entry.path,
                    "file name",
                    f"another {entry.ctype.noun} has the id '{entry.id}' ({other})",
                    "rename one of the files: the file name is the id other content uses",
                    1,
                )
            )
        seen[entry.id] = entry

    for entry in entries:
        record = entry.record
        if record is None:
            problems += _raw_image_problems(entry, files, content_prefix)
            continue
        for field_name, kind in type(record).references.items():
            targets = by_kind.get(kind, {})
            noun = BY_KIND[kind].noun
            for suffix, ref in _values(getattr(record, field_name)):
                dotted = field_name + suffix
                line = entry.parsed.line_of(dotted)
                target = targets.get(ref)
                if kind == entry.ctype.kind and ref == entry.id:
                    problems.append(
                        Problem(entry.path, dotted, f"'{ref}' refers to itself", "remove it", line)
                    )
                elif target is None:
                    # Only existing things of the same kind, never the file itself.
                    choices = sorted(
                        i
                        for i, e in targets.items()
                        if e.published and not (kind == entry.ctype.kind and i == entry.id)
                    )
                    close = difflib.get_close_matches(ref, choices, n=1)
                    fix = (
                        f"did you mean '{close[0]}'?"
                        if close
                        else ("use one of: " + ", ".join(choices) if choices else f"add the {noun} first")
                    )
                    problems.append(
                        Problem(
                            entry.path,
                            dotted,
                            f"'{ref}' is not a {noun}",
                            fix + f" (the {noun}'s file name without .md)",
                            line,
                        )
                    )
                elif entry.published and not target.published and target.record is not None:
                    problems.append(
                        Problem(
                            entry.path,
                            dotted,
                            f"the {noun} '{ref}' is a draft",
                            f"publish {target.path} or remove '{ref}' here",
                            line,
                        )
                    )
        for field_name in type(record).images:
            image = getattr(record, field_name)
            if isinstance(image, Image) and image.src.lstrip("/") not in files:
                problems.append(_missing_image(entry, field_name, image.src, files, content_prefix))
    return problems


def _missing_image(entry: Entry, field_name: str, src: str, files: set[str], prefix: str) -> Problem:
    close = similar_image(src.lstrip("/"), files)
    fix = (
        f"did you mean '{close}'?"
        if close
        else f"put the file at {prefix}/{src.lstrip('/')} or correct the path"
    )
    return Problem(
        entry.path,
        f"{field_name}.src",
        f"the image '{src}' does not exist",
        fix,
        entry.parsed.line_of(f"{field_name}.src"),
    )


def _raw_image_problems(entry: Entry, files: set[str], prefix: str) -> list[Problem]:
    """Missing pictures of a file that is not valid yet (a stub still holding placeholders): listed too."""
    problems = []
    for field_name in entry.ctype.model.images:
        value = entry.parsed.data.get(field_name)
        src = value.get("src") if isinstance(value, dict) else None
        if (
            isinstance(src, str)
            and src.strip()
            and placeholder_what(src) is None
            and src.lstrip("/") not in files
        ):
            problems.append(_missing_image(entry, field_name, src, files, prefix))
    return problems


def similar_image(wanted: str, files: set[str], folder_excluded: str = "gallery/") -> str | None:
    """An existing picture ``wanted`` was probably meant to be: the same name in another folder, or a
    near spelling in the same folder. Never a file that is not a picture, nor a patient photo."""
    images = sorted(f for f in files if f.lower().endswith(IMAGE_TYPES) and not f.startswith(folder_excluded))
    folder, name = posixpath.split(wanted)
    moved = [f for f in images if posixpath.basename(f) == name]
    if moved:
        return moved[0]
    siblings = {posixpath.basename(f): f for f in images if posixpath.dirname(f) == folder}
    close = difflib.get_close_matches(name, sorted(siblings), n=1, cutoff=0.8)
    return siblings[close[0]] if close else None


def phase_of(entry: Entry, as_of: dt.date, tz: dt.tzinfo = dt.UTC) -> str:
    """The entry's phase on ``as_of`` (a key of ``types.PHASES``), from its type's lifecycle hook."""
    if entry.record is None:
        return "draft"
    return entry.ctype.phase(entry.record, as_of, tz)


def publication_status(entry: Entry, as_of: dt.date, tz: dt.tzinfo = dt.UTC) -> str:
    """What the page's content-status says: published, draft, scheduled or expired."""
    return PHASES[phase_of(entry, as_of, tz)].status

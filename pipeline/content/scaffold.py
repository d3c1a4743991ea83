"""New content files that start blank, written from the type's model.

``inv new post "Title"`` and friends call :func:`scaffold`. The stub shows every field of the
type: each value the coordinator must write is a placeholder, ``"[write the summary]"``, with an
example in a comment; ``inv check`` refuses a placeholder ("is still the placeholder — write
...", see ``pipeline.content.validate``), so nothing of the stub can be published by mistake.
Optional fields are there too, commented out, with an example. The stub is a draft: until it is
finished its problems are warnings and it stays off the site.

Because the stub is derived from the model, a field added to a model appears in new files
without touching this code.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
import unicodedata
from decimal import Decimal

import yaml
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from pipeline.content.models import Image, Model
from pipeline.content.types import BY_KIND, ContentType

# Fields the README documents and new files rarely need: shown as comments only.
_RARE = ("redirect_from", "modified", "social")
ALT = "[write what the picture shows, for someone who cannot see it]"
# Fields whose plain name would not say what to write.
_WHAT = {
    "consent": "the id of the patient's signed marketing authorization, from the consent ledger",
    "time_since_treatment": "when the after photos were taken, as time after treatment",
    "age_range": "the age range: 18-29, 30-39, 40-49, 50-59, 60-69 or 70+",
    "sessions": "the number of sessions",
    "map_url": "the clinic's map link (https://...)",
    "hours": "the opening hours, one day per line",
    "price_from": "the lowest price, a number",
}


def slugify(title: str) -> str:
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "untitled"


def _flow(value) -> str:
    """``value`` as YAML on one line: ``[a, b]``, ``{q: x}``, ``"text: with colon"``."""
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**6, sort_keys=False)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def _example(info: FieldInfo):
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    return extra.get("example")


def _nested_model(annotation) -> type[Model] | None:
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, Model):
            return candidate
    return None


def _is_list(annotation) -> bool:
    return typing.get_origin(annotation) is list


def _words(name: str) -> str:
    return name.replace("_", " ")


def placeholder(name: str, info: FieldInfo, reference: str | None = None) -> str:
    """What the coordinator is asked to write in a field: ``[write the summary]``."""
    if name == "alt":
        return ALT
    if reference:
        noun = BY_KIND[reference].noun if reference in BY_KIND else reference
        return (
            f"[write the id of a {noun}]" if not _is_list(info.annotation) else f"[write the ids of {noun}s]"
        )
    if name in _WHAT:
        return f"[write {_WHAT[name]}]"
    annotation = info.annotation
    args = [a for a in typing.get_args(annotation) if a is not type(None)] or [annotation]
    if typing.get_origin(annotation) is typing.Literal:
        args = [annotation]
    choices = [v for a in args if typing.get_origin(a) is typing.Literal for v in typing.get_args(a)]
    if choices:
        return "[write one of: " + ", ".join(map(str, choices)) + "]"
    if dt.datetime in args:
        return f"[write the {_words(name)}: day and time, like 2026-12-10 17:30]"
    if dt.date in args:
        return f"[write the {_words(name)}: a date, like 2026-12-01]"
    if bool in args:
        return "[write true or false]"
    if any(a in (int, float, Decimal) for a in args):
        return f"[write the {_words(name)}: a number]"
    return f"[write the {_words(name)}]"


def _comment(text: str) -> str:
    return f"  # {text}" if text else ""


class _Stub:
    """Writes one model's fields as YAML lines, with comments."""

    def __init__(self, ctype: ContentType, slug: str, choices: dict[str, list[str]]):
        self.ctype, self.slug, self.choices = ctype, slug, choices
        self.lines: list[str] = []

    def field(self, name, info: FieldInfo, given, reference, lead: str, indent: str) -> None:
        example = _example(info)
        nested = _nested_model(info.annotation)
        must = info.is_required() or given is ...
        if given is not _ABSENT and given is not ...:
            self.lines.append(f"{lead}{name}: {_flow(given)}")
            return
        if not must or name in _RARE:
            shown = example if example is not None else self._example_of(nested, info)
            if shown is None and info.default not in (None, "", PydanticUndefined) and not nested:
                shown = info.default
            if shown is None:
                return
            self.lines.append(f"{lead}# {name}: {_flow(shown)}{_comment('optional')}")
            return
        if nested is Image:
            self.lines.append(f"{lead}{name}:")
            self.lines.append(
                f"{indent}  src: {self.image_path()}{_comment('put the picture there, or write its path')}"
            )
            self.lines.append(
                f"{indent}  alt: {_flow(ALT)}{_comment('e.g. ' + _flow(_example(Image.model_fields['alt'])))}"
            )
            return
        if nested is not None:
            self.lines.append(f"{lead}{name}:")
            if _is_list(info.annotation):
                _fields(self, nested, {}, indent + "    ", first=indent + "  - ")
            else:
                _fields(self, nested, {}, indent + "  ")
            return
        value = placeholder(name, info, reference)
        hint = []
        if example is not None:
            hint.append(f"e.g. {_flow(example)}")
        if reference and self.choices.get(reference):
            hint.append("one of: " + ", ".join(self.choices[reference][:12]))
        if _is_list(info.annotation):
            self.lines.append(f"{lead}{name}: [{_flow(value)}]{_comment('; '.join(hint))}")
        else:
            self.lines.append(f"{lead}{name}: {_flow(value)}{_comment('; '.join(hint))}")

    def _example_of(self, nested, info):
        if nested is Image:
            return {"src": self.image_path(), "alt": _example(Image.model_fields["alt"])}
        if nested is None:
            return None
        values = {n: _example(i) for n, i in nested.model_fields.items() if _example(i) is not None}
        return [values] if _is_list(info.annotation) else values or None

    def image_path(self) -> str:
        return f"images/{self.ctype.folder}/{self.slug}.jpg"


_ABSENT = object()


def scaffold(
    ctype: ContentType, title: str, today: dt.date, choices: dict[str, list[str]]
) -> tuple[str, str]:
    """(file name, text) for a new draft of ``ctype``; ``choices`` lists existing ids by kind (shown in comments)."""
    slug = slugify(title)
    given: dict = {ctype.title_field: title}
    if "date" in ctype.model.model_fields:
        given["date"] = today
    if ctype.starter is not None:
        given.update(ctype.starter(today))
    if "status" in ctype.model.model_fields:
        given["status"] = "draft"
    stub = _Stub(ctype, slug, choices)
    stub.lines.append(
        f'# A new {ctype.noun}. Replace every "[write ...]" value (an example follows each one);'
    )
    stub.lines.append(
        "# lines starting with # are optional fields: remove the # to use one. Then run `inv check`."
    )
    stub.lines.append("# It stays a draft, off the site, until you change status to published.")
    _fields(stub, ctype.model, given)
    body = f"[write the {ctype.noun} here, in Markdown]\n"
    return f"{slug}.md", "---\n" + "\n".join(stub.lines) + "\n---\n" + body


def _fields(stub: _Stub, model: type[Model], given: dict, indent: str = "", first: str = "") -> None:
    """Every field of ``model``, with the ``given`` values (a nested dict for a nested model, such as a
    special's offer; ``...`` for a field to write even though it is optional). ``first`` is the lead
    of the first line (``  - `` for an item of a list)."""
    references = getattr(model, "references", {})
    # The fields a new file rarely needs come last.
    for name, info in sorted(model.model_fields.items(), key=lambda item: item[0] in _RARE):
        value = given.get(name, _ABSENT)
        nested = _nested_model(info.annotation)
        lead, first = first or indent, ""
        if isinstance(value, dict) and nested is not None:
            stub.lines.append(f"{lead}{name}:")
            _fields(stub, nested, value, indent + "  ")
        else:
            stub.field(name, info, value, references.get(name), lead, indent)


def case_file(title: str, choices: dict[str, list[str]]) -> tuple[str, str]:
    """(folder name, case.yml text) for a new gallery case: ``inv new case "Botox forehead 02"``."""
    from pipeline.content.types import GALLERY_CASE

    slug = slugify(title)
    stub = _Stub(GALLERY_CASE, slug, choices)
    stub.lines.append(
        '# A new before/after case. Replace every "[write ...]" value (an example follows each one),'
    )
    stub.lines.append(
        "# put the photos in this folder under the names given for src, and write the id of the"
    )
    stub.lines.append("# patient's signed marketing authorization (the consent ledger) in consent.")
    stub.lines.append("# Never a patient's name or a calendar date anywhere in this file.")
    given = {"title": title, "status": "draft"}
    for name, info in GALLERY_CASE.model.model_fields.items():
        if name == "pairs":
            stub.lines.append("pairs:  # one pair per angle; add more for other views")
            stub.lines.append("  - view: Front  # optional: the angle both photos show")
            for role in ("before", "after"):
                stub.lines.append(f"    {role}:")
                stub.lines.append(f"      src: front-{role}.jpg{_comment('the photo in this folder')}")
                stub.lines.append(
                    f"      alt: {_flow(ALT)}{_comment(f'e.g. Forehead at rest, {role} treatment')}"
                )
            continue
        stub.field(name, info, given.get(name, _ABSENT), GALLERY_CASE.model.references.get(name), "", "")
    return slug, "\n".join(stub.lines) + "\n"

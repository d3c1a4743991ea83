"""Settings declared once: each feature's settings are one pydantic model.

A feature declares its settings as a subclass of :class:`FeatureSettings`: one field per
setting, named without the feature's prefix (``IMAGE_WIDTHS`` is the field ``widths`` of
``ImageSettings``, whose ``PREFIX`` is ``"IMAGE_"``), with its type, its default and a
description. From that one declaration come:

- :meth:`FeatureSettings.read`: the unknown-setting check (any ``IMAGE_*`` that is not a field,
  with the closest real name), the defaults, and the validation, whose errors name the setting,
  the value and the fix, raised as the feature's own error;
- :func:`settings_markdown`: the settings reference (``docs/settings.md``, checked by a test).

A field's validator raises ``ValueError("the fix")``; a type mismatch gets a fix derived from the
type and the default. A setting outside the prefix (``CONSENT_LEDGER``) names itself with
``setting(...)``. Values are checked strictly (``True`` is no whole number, ``"3"`` no number):
they come from a Python settings file. The model never reads Pelican; it reads a mapping.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Mapping
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.errors import PipelineError


class SettingsError(PipelineError):
    """A setting has a value the feature cannot use."""


def setting(default: Any = ..., description: str = "", *, name: str | None = None, **kwargs) -> Any:
    """A field of a settings model: its default, what it does, and (outside the prefix) its name."""
    extra = {"setting": name} if name else None
    return Field(default, description=description, json_schema_extra=extra, **kwargs)


class FeatureSettings(BaseModel):
    """One feature's settings. Subclasses set PREFIX, TITLE and ERROR, and declare the fields."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, arbitrary_types_allowed=True)

    PREFIX: ClassVar[str] = ""  # what the fields' setting names start with ("" = none)
    CHECKED: ClassVar[tuple[str, ...] | None] = (
        None  # prefixes whose every setting is declared (default: PREFIX)
    )
    TITLE: ClassVar[str] = ""  # how messages and the docs name the feature ("image")
    ERROR: ClassVar[type[PipelineError]] = SettingsError
    OTHERS: ClassVar[tuple[str, ...]] = ()  # names with the prefix that belong to another feature

    @classmethod
    def name_of(cls, field: str) -> str:
        """The setting's name in the settings file."""
        extra = cls.model_fields[field].json_schema_extra
        if isinstance(extra, dict) and extra.get("setting"):
            return str(extra["setting"])
        return cls.PREFIX + field.upper()

    @classmethod
    def names(cls) -> dict[str, str]:
        """Setting name -> field name, in declaration order."""
        return {cls.name_of(field): field for field in cls.model_fields}

    @classmethod
    def read(cls, settings: Mapping[str, Any]) -> Self:
        """The feature's settings from a settings mapping; the feature's error names what is wrong."""
        names = cls.names()
        checked = cls.CHECKED if cls.CHECKED is not None else ((cls.PREFIX,) if cls.PREFIX else ())
        unknown = (
            sorted(k for k in settings if k.startswith(checked) and k not in names and k not in cls.OTHERS)
            if checked
            else []
        )
        if unknown:
            raise cls.ERROR(cls._unknown(unknown))
        # None is "not set" for a setting that cannot be None: it takes its default.
        values = {
            field: settings[name]
            for name, field in names.items()
            if name in settings and (settings[name] is not None or _accepts_none(cls.model_fields[field]))
        }
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            raise cls.ERROR(cls._explain(exc, values)) from None

    @classmethod
    def _unknown(cls, unknown: list[str]) -> str:
        listed = []
        for name in unknown:
            close = difflib.get_close_matches(name, list(cls.names()), n=1)
            listed.append(f"{name} (did you mean {close[0]}?)" if close else name)
        return (
            f"{', '.join(listed)}: not {_article(cls.TITLE)} {cls.TITLE} setting — check the spelling; "
            f"the {cls.TITLE} settings are {', '.join(cls.names())} (docs/settings.md)."
        )

    @classmethod
    def _explain(cls, exc: ValidationError, values: Mapping[str, Any]) -> str:
        error = exc.errors()[0]
        loc = error["loc"]
        field = str(loc[0]) if loc else ""
        if field not in cls.model_fields:  # a check across fields names the field it is about
            field = str(error.get("ctx", {}).get("field", next(iter(cls.model_fields))))
        name = cls.name_of(field)
        value = values.get(field, cls.model_fields[field].default)
        if error["type"] == "value_error":
            fix = str(error["ctx"]["error"])
        else:
            fix = cls.type_fix(field)
            if len(loc) > 1:
                fix = f"{loc[1:]!s} is {error.get('input')!r}: " + fix
        return f"{name} is {value!r}: {fix.rstrip('.')}."

    @classmethod
    def type_fix(cls, field: str) -> str:
        info = cls.model_fields[field]
        fix = "use " + _kind(info.annotation)
        default = info.default
        # "True or False" says it all; a bool default is no example.
        if (
            default not in (None, ..., "", (), [], {})
            and not isinstance(default, bool)
            and not callable(default)
        ):
            fix += f", e.g. {default!r}"
        return fix

    @classmethod
    def defaults(cls) -> dict[str, Any]:
        """Setting name -> default (what a settings file without it gets)."""
        return {
            cls.name_of(f): info.get_default(call_default_factory=True)
            for f, info in cls.model_fields.items()
        }


def _accepts_none(info) -> bool:
    annotation = info.annotation
    return annotation is None or type(None) in typing.get_args(annotation) or info.default is None


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


_KINDS = {
    bool: "True or False",
    int: "a whole number",
    float: "a number",
    str: "text",
    dict: "a dict",
}


def _kind(annotation) -> str:
    """How a message names a type: "a whole number", "a list of texts", "text, or None"."""
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin in (typing.Union, types.UnionType):
        kinds = [_kind(a) for a in args]
        if type(None) in typing.get_args(annotation):
            kinds.append("None")
        return " or ".join(dict.fromkeys(kinds))
    if origin is typing.Annotated:
        return _kind(typing.get_args(annotation)[0])
    if origin is typing.Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(annotation))
    if origin in (list, tuple, set, frozenset) or (origin and getattr(origin, "__name__", "") == "Sequence"):
        inner = _kind(args[0]) if args else "values"
        return f"a list of {_plural(inner)}"
    if origin in (dict,) or (origin and getattr(origin, "__name__", "") == "Mapping"):
        return "a dict"
    return _KINDS.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _plural(kind: str) -> str:
    for single, many in (("a whole number", "whole numbers"), ("a number", "numbers"), ("text", "texts")):
        if kind == single:
            return many
    return kind.removeprefix("a ") + "s" if kind.startswith("a ") else kind


def _default_text(value: Any) -> str:
    if value is None:
        return "None"
    if isinstance(value, Mapping) and not value:
        return "{}"
    return f"`{value!r}`"


def settings_markdown(features: list[type[FeatureSettings]]) -> str:
    """The settings reference: one section per feature, one row per setting (docs/settings.md)."""
    lines = [
        "# Settings",
        "",
        "Generated from the settings models (`python -m pipeline.settings_catalog` writes this file; a test",
        "checks it matches). Set them in `pelicanconf.py` (every build) or `publishconf.py` (the public",
        "site). A misspelt setting with a feature's prefix, or a value of the wrong kind, stops the build",
        "with the setting's name and the fix.",
    ]
    for feature in features:
        doc = " ".join((feature.__doc__ or "").split())
        prefix = f" (`{feature.PREFIX}*`)" if feature.PREFIX else ""
        lines += [
            "",
            f"## {feature.TITLE[:1].upper()}{feature.TITLE[1:]}{prefix}",
            "",
            doc,
            "",
            "| setting | default | what it does |",
        ]
        lines += ["|---|---|---|"]
        for field, info in feature.model_fields.items():
            default = _default_text(info.get_default(call_default_factory=True))
            what = " ".join((info.description or "").split()).replace("|", "\\|")
            default = default.replace("|", "\\|")
            lines.append(f"| `{feature.name_of(field)}` | {default} | {what} |")
    return "\n".join(lines) + "\n"

"""The editor's configuration, generated from the content model: never written by hand.

Decap CMS reads a ``config.yml`` (https://decapcms.org/docs/configuration-options/) listing its
collections and their fields. Here each content type of the registry becomes a collection and
each field of its pydantic model a widget (https://decapcms.org/docs/widgets/):

=============================================  =================================================
the model says                                 the editor shows
=============================================  =================================================
text (``str``), an id, a phone number          ``string`` (``text`` where the field declares it)
``Literal[...]``, ``Choices(...)``             ``select`` with those options
``bool``                                       ``boolean``
``int``, ``float``, ``Decimal``                ``number`` (``min``/``max`` from ``ge``/``le``...)
``date`` / ``datetime``                        ``datetime`` (a day, or a day and a time)
a reference (``references``)                   ``relation`` to that collection, by file name
a nested model (an image, an address)          ``object`` with its fields (an image: ``image``)
``list[...]``, ``tuple[...]``                  ``list`` (of strings, numbers or objects)
a mapping with declared ``keys``               ``object`` with one field per key
=============================================  =================================================

Each field carries ``required`` (no default in the model), a ``hint`` (the field's description
and its example) and the model's rules the editor can check itself: ``pattern`` (with the
message ``inv check`` gives), ``min``/``max`` for numbers and list lengths. The rules it cannot
express (one field against another, references, the consent ledger, the gallery's words and
dates) are checked by ``inv check``, and before saving by ``inv edit`` (:mod:`.checks`).

A field added to a model appears in the editor with no other change; a test walks every model
field and every generated field both ways.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from pipeline.content import models, types, validate
from pipeline.content.types import ContentType

BODY = "body"  # Decap's name for the Markdown below the front matter
DATE_FORMAT = "YYYY-MM-DD"  # moment.js tokens, as Decap's datetime widget takes them
TIME_FORMAT = "HH:mm"
SENSITIVE = "consent"  # the editor marker of a consent id: a relation into the ledger


@dataclass(frozen=True)
class Collection:
    """One collection of the editor: a folder of files of one content type, or one data file."""

    name: str  # the collection's id in the editor (the content type's kind)
    label: str
    singular: str
    model: type[models.Model]
    folder: str = ""  # folder collections: relative to the project, e.g. content/blog
    file: str = ""  # file collections: the one file, e.g. content/practice.yml
    extension: str = "md"
    path: str = ""  # a file's path inside the folder, when not the id itself ("{{slug}}/case")
    title_field: str = "title"
    preview_path: str = ""  # the page's address on the site, e.g. blog/{{slug}}/
    media: tuple[str, str] | None = None  # (media_folder, public_folder) for uploads
    body: bool = True  # Markdown below the front matter
    description: str = ""


@dataclass(frozen=True)
class Site:
    """What the configuration needs to know about the site and its repository."""

    content: str = "content"  # the content folder, relative to the repository
    article_url: str = "blog/{slug}/"
    page_url: str = "{slug}/"
    partner_registry: str = "partners.yml"  # inside the content folder
    consent_ledger: str = "gallery/consent.yml"
    repo: str = ""  # owner/name on GitHub
    branch: str = "main"
    site_url: str = ""
    oauth_url: str = ""  # the OAuth client answering <url>/auth (the GitHub sign-in handshake)
    preview_context: str = "deploy/preview"
    stylesheet: str = ""  # the theme's stylesheet, for the preview pane
    extra: Mapping = field(default_factory=dict)


def _url(pattern: str) -> str:
    return pattern.replace("{slug}", "{{slug}}")


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text[:1].upper() + text[1:]


def collections(site: Site, registry: Iterable[ContentType] | None = None) -> list[Collection]:
    """Every content type as a collection: the registry's Markdown types, the gallery's cases, and
    the data files (the practice, the referral partners, the consent ledger)."""
    content = site.content.strip("/")
    out = []
    for ctype in types.TYPES if registry is None else registry:
        url = {"article": site.article_url, "page": site.page_url}.get(ctype.pelican, ctype.url)
        out.append(
            Collection(
                name=ctype.kind,
                label=ctype.index_title or f"{ctype.noun.capitalize()}s",
                singular=ctype.noun.capitalize(),
                model=ctype.model,
                folder=f"{content}/{ctype.folder}",
                title_field=ctype.title_field,
                preview_path=_url(url),
                media=(f"/{content}/images/{ctype.folder}", f"/images/{ctype.folder}"),
                description=_sentence((ctype.model.__doc__ or "").split(":", 1)[-1]),
            )
        )
    case = types.GALLERY_CASE
    out.append(
        Collection(
            name=case.kind,
            label=case.index_title,
            singular=case.noun.capitalize(),
            model=case.model,
            folder=f"{content}/{case.folder}",
            extension="yml",
            path="{{slug}}/case",
            preview_path=_url(case.url),
            media=("", ""),  # the photos go into the case's own folder, named by file name only
            body=False,
            description=(
                "Before/after photos of one patient, published only under a signed marketing "
                "authorization from the consent ledger. No names and no calendar dates anywhere."
            ),
        )
    )
    from pipeline.partners import Registry

    for name, label, model, path, text in (
        (
            "practice",
            "Practice",
            models.Practice,
            "practice.yml",
            "Who the practice is: name, contacts, logo.",
        ),
        (
            "partners",
            "Referral partners",
            Registry,
            site.partner_registry,
            "Local practitioners who refer clients; contacts are internal and never published.",
        ),
        (
            "consent",
            "Consent ledger",
            models.ConsentLedger,
            site.consent_ledger,
            "Signed marketing authorizations, ids only: the forms with names stay in the records system.",
        ),
    ):
        out.append(
            Collection(
                name=name,
                label=label,
                singular=label,
                model=model,
                file=f"{content}/{path}",
                extension="yml",
                body=False,
                media=(f"/{content}/images", "/images") if name == "practice" else None,
                description=text,
            )
        )
    return out


# --- one field --------------------------------------------------------------------------------


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _extra(info: FieldInfo) -> dict:
    return info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}


@dataclass
class _Shape:
    """A field's type with ``None`` and ``Annotated`` taken apart."""

    base: object
    optional: bool = False
    metadata: list = field(default_factory=list)
    members: tuple = ()  # the union's other members


def shape(annotation, metadata: Iterable = ()) -> _Shape:
    """The type the editor edits: ``X | None`` is an optional X; of a union, a model first (``social``
    is a group of fields or ``false``), a date before a date-time (a post's day)."""
    meta = list(metadata)
    while typing.get_origin(annotation) is typing.Annotated:
        annotation, *more = typing.get_args(annotation)
        meta += more
    optional = False
    members: tuple = ()
    if typing.get_origin(annotation) in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        members = tuple(args)
        plain = [typing.get_args(a)[0] if typing.get_origin(a) is typing.Annotated else a for a in args]
        pick = next((a for a, p in zip(args, plain, strict=True) if _is_model(p)), None)
        if pick is None and dt.date in plain:
            pick = args[plain.index(dt.date)]
        inner = shape(pick if pick is not None else args[0])
        return _Shape(inner.base, optional or inner.optional, meta + inner.metadata, members)
    return _Shape(annotation, optional, meta, members)


def _is_model(value) -> bool:
    return isinstance(value, type) and issubclass(value, BaseModel)


def _constraint(metadata: Iterable, name: str):
    for item in metadata:
        value = getattr(item, name, None)
        if value is not None:
            return value
    return None


def _choices(s: _Shape) -> tuple | None:
    if typing.get_origin(s.base) is typing.Literal:
        return tuple(typing.get_args(s.base))
    marker = next((m for m in s.metadata if isinstance(m, models.Choices)), None)
    return marker.values() if marker else None


def _hint(info: FieldInfo, example) -> str:
    text = (info.description or "").strip()
    if example is not None:
        shown = validate.yaml_value(example)
        text += f" Example: {shown}" if text else f"Example: {shown}"
    return text


def pattern_rule(name: str, pattern: str, example) -> list[str]:
    """A widget's ``pattern``: the model's regular expression and ``inv check``'s words for a value
    that does not match it (:func:`pipeline.content.validate.pattern_fix`)."""
    return [pattern, f"{validate.PATTERN_MESSAGE} — {validate.pattern_fix(name, example)}"]


class FieldBuilder:
    """Turns a model's fields into widgets; ``relations`` maps a reference kind to its collection."""

    def __init__(self, titles: Mapping[str, str]):
        self.titles = titles  # collection name -> the field its entries are known by

    def fields(self, model: type[BaseModel]) -> list[dict]:
        own = list(getattr(model, "__annotations__", {}))
        names = sorted(model.model_fields, key=lambda n: (n not in own, own.index(n) if n in own else 0))
        references = getattr(model, "references", {})
        return [self.field(name, model.model_fields[name], references.get(name)) for name in names]

    def field(self, name: str, info: FieldInfo, reference: str | None = None) -> dict:
        extra = _extra(info)
        example = extra.get("example")
        s = shape(info.annotation, info.metadata)
        out = {"name": name, "label": _label(name), "required": info.is_required() and not s.optional}
        hint = _hint(info, example)
        if hint:
            out["hint"] = hint
        out.update(self.widget(name, s, extra, reference, example))
        if out["widget"] == "object" and not out["required"]:
            # An optional group (a procedure's picture): the editor cannot say "all or none", so
            # none of its fields is required there; `inv check` still asks for the alt text of a
            # picture that is given.
            out["fields"] = _none_required(out["fields"])
        default = info.default
        if (
            default not in (None, PydanticUndefined, "")
            and not isinstance(default, (list, dict, Decimal))
            and out["widget"] in ("string", "select", "boolean", "number")
        ):
            out["default"] = default
        elif isinstance(default, Decimal):
            out["default"] = float(default)
        return out

    def widget(self, name: str, s: _Shape, extra: dict, reference: str | None, example) -> dict:
        base = s.base
        origin = typing.get_origin(base)
        if reference:
            return self.relation(reference, multiple=origin is list)
        if extra.get("editor") == SENSITIVE:
            return {
                "widget": "relation",
                "collection": "consent",
                "file": "ledger",
                "value_field": "consents.*.id",
                "search_fields": ["consents.*.id"],
                "display_fields": ["consents.*.id"],
            }
        choices = _choices(s)
        if choices is not None:
            return {"widget": "select", "options": list(choices)}
        if _is_model(base):
            return {"widget": "object", "collapsed": False, "fields": self.fields(base)}
        if origin is list or origin is tuple:
            return self.sequence(name, base, s, example)
        if origin is dict:
            keys = extra.get("keys") or []
            value_pattern = extra.get("value_pattern")
            sub = []
            for key in keys:
                item = {"name": key, "label": _label(key), "widget": "string", "required": False}
                if value_pattern:
                    sample = (example or {}).get(key) or next(iter((example or {}).values()), None)
                    rule = pattern_rule(key, value_pattern, sample)
                    item["pattern"] = (
                        [value_pattern, extra["value_message"]] if extra.get("value_message") else rule
                    )
                sub.append(item)
            return {"widget": "object", "collapsed": False, "fields": sub}
        if base is bool:
            return {"widget": "boolean"}
        if base in (int, float, Decimal):
            return self.number(base, s.metadata)
        if base is dt.date:
            return {
                "widget": "datetime",
                "format": DATE_FORMAT,
                "date_format": DATE_FORMAT,
                "time_format": False,
            }
        if base is dt.datetime:
            return {
                "widget": "datetime",
                "format": f"{DATE_FORMAT} {TIME_FORMAT}",
                "date_format": DATE_FORMAT,
                "time_format": TIME_FORMAT,
            }
        if extra.get("editor") == "image":
            return {"widget": "image", "choose_url": False}
        out = {"widget": "text" if extra.get("editor") == "text" else "string"}
        pattern = _constraint(s.metadata, "pattern")
        if pattern:
            out["pattern"] = pattern_rule(name, pattern, example)
        return out

    def relation(self, kind: str, multiple: bool) -> dict:
        title = self.titles.get(kind, "title")
        return {
            "widget": "relation",
            "collection": kind,
            "value_field": "{{slug}}",
            "search_fields": [title],
            "display_fields": [title],
            "multiple": multiple,
        }

    @staticmethod
    def number(base, metadata) -> dict:
        out = {"widget": "number", "value_type": "int" if base is int else "float"}
        low = _constraint(metadata, "ge")
        low = low if low is not None else _constraint(metadata, "gt")
        high = _constraint(metadata, "le")
        high = high if high is not None else _constraint(metadata, "lt")
        if low is not None:
            out["min"] = float(low) if base is not int else int(low)
        if high is not None:
            out["max"] = float(high) if base is not int else int(high)
        if base is not int:
            out["step"] = 0.01 if base is Decimal else 0.05
        return out

    def sequence(self, name: str, base, s: _Shape, example) -> dict:
        args = typing.get_args(base)
        out: dict = {"widget": "list"}
        low = _constraint(s.metadata, "min_length")
        if typing.get_origin(base) is tuple:
            out["min"] = out["max"] = len(args)
            item = shape(args[0])
        else:
            item = shape(args[0])
            if low:
                out["min"] = low
        item_base = item.base
        choices = _choices(item)
        if choices is not None:
            return {"widget": "select", "multiple": True, "options": list(choices), **_bounds(out)}
        if _is_model(item_base):
            out["fields"] = self.fields(item_base)
            out["collapsed"] = False
            return out
        if item_base in (int, float, Decimal):
            out["field"] = {"name": name, "label": _label(name), **self.number(item_base, item.metadata)}
            return out
        pattern = _constraint(item.metadata, "pattern")
        if pattern:
            sample = example[0] if isinstance(example, list) and example else example
            out["field"] = {
                "name": name,
                "label": _label(name),
                "widget": "string",
                "pattern": pattern_rule(name, pattern, sample),
            }
        return out  # a list of texts: written one per line, or separated by commas


def _none_required(fields: list[dict]) -> list[dict]:
    """The fields of an optional group, none required, all the way down (lists keep their items' rules)."""
    out = []
    for sub in fields:
        sub = {**sub, "required": False}
        sub.pop("default", None)  # a group left empty is left out (a default would half-fill it)
        if sub.get("widget") == "object":
            sub["fields"] = _none_required(sub["fields"])
        out.append(sub)
    return out


def _bounds(out: dict) -> dict:
    return {k: out[k] for k in ("min", "max") if k in out}


# --- the whole configuration ------------------------------------------------------------------


def collection_config(collection: Collection, builder: FieldBuilder) -> dict:
    fields = builder.fields(collection.model)
    out: dict = {
        "name": collection.name,
        "label": collection.label,
        "label_singular": collection.singular,
    }
    if collection.description:
        out["description"] = collection.description
    if collection.file:
        out["files"] = [
            {
                "name": "ledger" if collection.name == "consent" else collection.name,
                "label": collection.label,
                "file": collection.file,
                "fields": fields,
            }
        ]
        # The practice, the partners and the ledger are edited as they are, never created or deleted.
        out["editor"] = {"preview": False}
    else:
        out.update(
            folder=collection.folder,
            create=True,
            extension=collection.extension,
            format="frontmatter" if collection.body else "yml",
            slug="{{slug}}",
            identifier_field=collection.title_field,
            summary="{{" + collection.title_field + "}}",
            fields=fields + ([_body()] if collection.body else []),
        )
        if collection.path:
            out["path"] = collection.path
        if collection.preview_path:
            out["preview_path"] = collection.preview_path
    if collection.media is not None:
        out["media_folder"], out["public_folder"] = collection.media
    return out


def _body() -> dict:
    return {
        "name": BODY,
        "label": "Text",
        "widget": "markdown",
        "required": False,
        "hint": "The page's text, in Markdown. Pictures from the site's pictures only; "
        "[[inquiry-form]] on a line of its own adds the inquiry form.",
        "buttons": [
            "bold",
            "italic",
            "link",
            "heading-two",
            "heading-three",
            "quote",
            "bulleted-list",
            "numbered-list",
        ],
        "editor_components": ["image"],
        "modes": ["rich_text", "raw"],
    }


def editor_config(site: Site, registry: Iterable[ContentType] | None = None) -> dict:
    """The whole ``config.yml``: the GitHub backend with review (a change is a pull request), the
    local backend ``inv edit`` runs, uploads under ``content/images/``, one collection per type."""
    specs = collections(site, registry)
    builder = FieldBuilder({c.name: c.title_field for c in specs})
    backend: dict = {
        "name": "github",
        "repo": site.repo or "OWNER/REPOSITORY",
        "branch": site.branch,
        "preview_context": site.preview_context,
        "squash_merges": True,
        "commit_messages": {
            "create": "Create {{collection}} “{{slug}}” (content editor)",
            "update": "Update {{collection}} “{{slug}}” (content editor)",
            "delete": "Delete {{collection}} “{{slug}}” (content editor)",
            "uploadMedia": "Upload “{{path}}” (content editor)",
            "deleteMedia": "Delete “{{path}}” (content editor)",
        },
    }
    if site.oauth_url:
        backend["base_url"] = site.oauth_url.rstrip("/")
        backend["auth_endpoint"] = "auth"  # the external OAuth clients' convention: /auth, /callback
    config = {
        "backend": backend,
        # `inv edit` serves the local backend on the editor's own origin (set by admin/editor.js).
        "local_backend": True,
        "publish_mode": "editorial_workflow",
        "show_preview_links": True,
        "media_folder": f"{site.content.strip('/')}/images",
        "public_folder": "/images",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [collection_config(c, builder) for c in specs],
    }
    if site.site_url:
        config["site_url"] = config["display_url"] = site.site_url
    config.update(site.extra)
    return config

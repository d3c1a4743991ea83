"""New content files with every field stubbed, written from the type's model.

``inv new post "Title"`` and friends call :func:`scaffold`; because the stub is derived
from the model, a field added to a model appears in new files without touching this code.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import yaml
from pydantic.fields import FieldInfo

from pipeline.content.models import Model
from pipeline.content.types import ContentType


def slugify(title: str) -> str:
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "untitled"


def _nested_model(info: FieldInfo) -> type[Model] | None:
    for candidate in (info.annotation, *getattr(info.annotation, "__args__", ())):
        if isinstance(candidate, type) and issubclass(candidate, Model):
            return candidate
    return None


def _stub(model: type[Model]) -> dict:
    data = {}
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        nested = _nested_model(info)
        if "example" in extra:
            data[name] = extra["example"]
        elif nested is not None:
            is_list = getattr(info.annotation, "__origin__", None) is list
            data[name] = [_stub(nested)] if is_list else _stub(nested)
        elif not info.is_required() and info.default is not None:
            data[name] = info.default
        else:
            data[name] = None
    return data


def scaffold(ctype: ContentType, title: str, today: dt.date, choices: dict[str, list[str]]) -> tuple[str, str]:
    """(file name, text) for a new draft of ``ctype``.

    ``choices`` maps a referenced kind to its existing ids, so references start valid.
    """
    slug = slugify(title)
    data = _stub(ctype.model)
    data[ctype.title_field] = title
    if "date" in data:
        data["date"] = today
    data.pop("modified", None)
    data.pop("redirect_from", None)  # documented in the README; rarely needed in a new file
    if ctype.starter is not None:
        data.update(ctype.starter(today))
    if "status" in data:
        data["status"] = "draft"
    for field, kind in ctype.model.references.items():
        ids = choices.get(kind, [])
        if isinstance(data.get(field), list):
            data[field] = ids[:1]
        else:
            data[field] = ids[0] if ids else data.get(field)
    for field in ctype.model.images:
        if isinstance(data.get(field), dict):
            data[field] = {"src": f"images/{ctype.folder}/{slug}.jpg", "alt": "Describe the photo for someone who cannot see it"}
    data = {k: v for k, v in data.items() if v is not None}
    front = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
    body = f"Write the {ctype.noun} here, in Markdown.\n"
    return f"{slug}.md", f"---\n{front}---\n{body}"

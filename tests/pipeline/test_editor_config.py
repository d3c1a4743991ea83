"""The editor's configuration is generated from the content model: every type a collection, every
field a widget with the model's rules, and Decap CMS's own schema accepts it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import typing

from pydantic import BaseModel

from pipeline.content import models, types
from pipeline.editor.config import Site, collections, editor_config, shape


def _by_name(config: dict) -> dict[str, dict]:
    return {c["name"]: c for c in config["collections"]}


def _fields_of(collection: dict) -> list[dict]:
    if "files" in collection:
        return collection["files"][0]["fields"]
    return [f for f in collection["fields"] if f["name"] != "body"]


def _model_of(name: str) -> type[BaseModel]:
    return next(c.model for c in collections(Site()) if c.name == name)


def _sub_model(annotation) -> type[BaseModel] | None:
    """The model a field holds (itself, in a list, or optional), if any."""
    s = shape(annotation)
    base = s.base
    if typing.get_origin(base) in (list, tuple):
        base = shape(typing.get_args(base)[0]).base
    return base if isinstance(base, type) and issubclass(base, BaseModel) else None


def _agree(model: type[BaseModel], fields: list[dict], where: str, optional_group: bool = False) -> None:
    """Every model field has a widget and every widget a model field, both ways, all the way down;
    required in the editor exactly when the model has no default (inside an optional group, none
    is: the editor cannot say "all or none")."""
    assert [f["name"] for f in fields] and {f["name"] for f in fields} == set(model.model_fields), where
    for widget in fields:
        info = model.model_fields[widget["name"]]
        here = f"{where}.{widget['name']}"
        optional = shape(info.annotation).optional
        assert widget["required"] == (info.is_required() and not optional and not optional_group), here
        if info.description:
            assert info.description.strip() in widget.get("hint", ""), here
        sub = _sub_model(info.annotation)
        if sub is not None and widget["widget"] in ("object", "list"):
            group = optional_group or (widget["widget"] == "object" and not widget["required"])
            _agree(sub, widget["fields"], here, group and widget["widget"] == "object")


def test_every_content_type_is_a_collection_and_every_field_a_widget():
    config = editor_config(Site())
    found = _by_name(config)
    wanted = {t.kind for t in types.TYPES} | {types.GALLERY_CASE.kind, "practice", "partners", "consent"}
    assert set(found) == wanted
    for name, collection in found.items():
        _agree(_model_of(name), _fields_of(collection), name)
    for ctype in types.TYPES:  # Markdown types keep their text and are saved where the build reads them
        collection = found[ctype.kind]
        assert collection["fields"][-1]["widget"] == "markdown"
        assert collection["folder"] == f"content/{ctype.folder}" and collection["format"] == "frontmatter"
    assert found["case"]["path"] == "{{slug}}/case" and found["case"]["extension"] == "yml"


def test_widgets_follow_the_field_types_references_and_rules():
    found = _by_name(editor_config(Site()))
    post = {f["name"]: f for f in found["post"]["fields"]}
    assert post["author"]["widget"] == "relation" and post["author"]["collection"] == "team"
    assert post["author"]["multiple"] is False
    assert post["procedures"]["widget"] == "relation" and post["procedures"]["multiple"] is True
    assert post["procedures"]["collection"] == "procedure"
    assert post["date"]["widget"] == "datetime" and post["date"]["time_format"] is False
    assert post["status"]["widget"] == "select" and set(post["status"]["options"]) == {"published", "draft"}
    cover = {f["name"]: f for f in post["cover"]["fields"]}
    assert (
        cover["src"]["widget"] == "image" and cover["alt"]["widget"] == "string" and cover["alt"]["required"]
    )
    # Patterns carry the words inv check gives for a value that does not match.
    procedure = {f["name"]: f for f in found["procedure"]["fields"]}
    faq = {f["name"]: f for f in procedure["faqs"]["fields"]}
    assert procedure["faqs"]["widget"] == "list" and faq["a"]["widget"] == "text"
    pattern, message = procedure["sessions"]["pattern"]
    assert re.fullmatch(pattern, "3-6") and not re.search(pattern, "a few")
    assert "is not in the expected form" in message and "sessions: 3-6" in message
    assert procedure["body_areas"]["min"] == 1
    location = {f["name"]: f for f in found["location"]["fields"]}
    hours = {f["name"]: f for f in location["hours"]["fields"]}
    assert set(hours) == set(models.DAYS)
    pattern, message = hours["monday"]["pattern"]
    assert re.fullmatch(pattern, "9:00-18:00") and re.fullmatch(pattern, "closed")
    assert not re.search(pattern, "9 to 6") and message
    geo = {f["name"]: f for f in location["geo"]["fields"]}
    assert geo["lat"]["widget"] == "number" and (geo["lat"]["min"], geo["lat"]["max"]) == (-90, 90)
    case = {f["name"]: f for f in found["case"]["fields"]}
    assert case["consent"]["widget"] == "relation" and case["consent"]["collection"] == "consent"
    ledger = {f["name"]: f for f in _fields_of(found["consent"])}
    assert ledger["consents"]["widget"] == "list"


def test_a_field_added_to_a_model_appears_with_no_other_change():
    class Wider(models.Post):
        parking: str = models.example("Free in the garage", default="", description="Where to park.")
        visits: int = models.example(2, ge=1, le=6, description="How many visits it takes.")
        kind: typing.Literal["news", "guide"] = "guide"
        when: dt.date | None = None

    registry = [dataclasses.replace(t, model=Wider) if t.kind == "post" else t for t in types.TYPES]
    post = {f["name"]: f for f in _by_name(editor_config(Site(), registry))["post"]["fields"]}
    assert post["parking"]["widget"] == "string" and "Where to park." in post["parking"]["hint"]
    assert "Free in the garage" in post["parking"]["hint"] and not post["parking"]["required"]
    assert (post["visits"]["widget"], post["visits"]["min"], post["visits"]["max"]) == ("number", 1, 6)
    assert post["kind"]["widget"] == "select" and post["kind"]["options"] == ["news", "guide"]
    assert post["when"]["widget"] == "datetime" and not post["when"]["required"]


def test_the_github_backend_saves_changes_for_review_and_links_to_the_preview():
    config = editor_config(
        Site(repo="aurora/site", oauth_url="https://www.example.com", site_url="https://www.example.com")
    )
    assert config["publish_mode"] == "editorial_workflow"
    backend = config["backend"]
    assert (backend["name"], backend["repo"], backend["branch"]) == ("github", "aurora/site", "main")
    assert backend["preview_context"] == "deploy/preview"
    assert backend["base_url"] == "https://www.example.com" and backend["auth_endpoint"] == "auth"

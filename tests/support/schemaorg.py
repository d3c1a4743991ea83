"""JSON-LD checked against the schema.org vocabulary itself and against Google's required properties.

The vocabulary is the schema.org release file ``schemaorg-current-https.jsonld`` (release 30.0, from
the schemaorg/schemaorg repository, data/releases/30.0/), kept in tests/data. From it:

- every ``@type`` must be a class of the vocabulary (``rdfs:Class``), and not superseded;
- every property must be a property of the vocabulary whose ``schema:domainIncludes`` names one of
  the node's types or one of their supertypes (``rdfs:subClassOf``, transitively);
- every value must fit the property's ``schema:rangeIncludes``: a node of a range type (or a subtype);
  a member of a range enumeration, written as its URL (``https://schema.org/EventScheduled``); or a
  literal of a range data type (Text, URL, Number, Integer, Boolean, Date, DateTime, Time), checked
  for its form. Where an entity is expected, schema.org's data model accepts a URL that names it
  ("Data model", https://schema.org/docs/datamodel.html: "we will get a text string or a URL"); plain
  text is not accepted for an entity or an enumeration here, since Google reads neither.

A node that is only ``{"@id": ...}`` takes its types from the node with that id elsewhere in the
same site, when there is one.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

VOCABULARY = Path(__file__).resolve().parents[1] / "data" / "schemaorg-30.0-current-https.jsonld"
SCHEMA = "https://schema.org/"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")

# Google Search Central's required properties for rich results, per type (and its subtypes):
# - LocalBusiness: https://developers.google.com/search/docs/appearance/structured-data/local-business
#   ("Required properties: address (PostalAddress), name").
# - Event: https://developers.google.com/search/docs/appearance/structured-data/event
#   ("Required properties: location, name, startDate"); location a Place with an address, or a
#   VirtualLocation with a url for an online event.
# - Article/BlogPosting: https://developers.google.com/search/docs/appearance/structured-data/article
#   has no required properties ("There are no required properties; add the properties that apply");
#   its recommended author (with name), datePublished, dateModified, headline and image are required
#   here, so every post gives Google all it can use.
GOOGLE_REQUIRED = {
    "LocalBusiness": ("name", "address"),
    "Event": ("name", "startDate", "location"),
    "BlogPosting": ("headline", "author", "datePublished", "dateModified", "image"),
}


@dataclass
class Vocabulary:
    parents: dict[str, set[str]] = field(default_factory=dict)  # class -> direct superclasses
    domains: dict[str, set[str]] = field(default_factory=dict)  # property -> classes it is defined on
    ranges: dict[str, set[str]] = field(default_factory=dict)  # property -> expected types
    members: dict[str, set[str]] = field(default_factory=dict)  # enumeration member -> its types
    superseded: set[str] = field(default_factory=set)

    def ancestors(self, name: str) -> set[str]:
        seen, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo += self.parents.get(current, ())
        return seen

    def is_class(self, name: str) -> bool:
        return name in self.parents

    def is_a(self, types: Iterable[str], wanted: Iterable[str]) -> bool:
        wanted = set(wanted)
        return any(self.ancestors(t) & wanted for t in types)


def _local(value: str) -> str:
    return value.removeprefix("schema:")


def _ids(value) -> list[str]:
    items = value if isinstance(value, list) else [value] if value else []
    return [
        _local(i["@id"]) for i in items if isinstance(i, dict) and str(i.get("@id", "")).startswith("schema:")
    ]


@cache
def vocabulary(path: Path = VOCABULARY) -> Vocabulary:
    vocab = Vocabulary()
    for node in json.loads(path.read_text(encoding="utf-8"))["@graph"]:
        name = _local(node["@id"])
        kinds = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
        if "schema:supersededBy" in node:
            vocab.superseded.add(name)
        if "rdfs:Class" in kinds:
            vocab.parents[name] = set(_ids(node.get("rdfs:subClassOf")))
            if "schema:DataType" in kinds:  # Text, Number, Date ...: typed DataType, not subclasses of it
                vocab.parents[name].add("DataType")
        if "rdf:Property" in kinds:
            vocab.domains[name] = set(_ids(node.get("schema:domainIncludes")))
            vocab.ranges[name] = set(_ids(node.get("schema:rangeIncludes")))
        others = {_local(k) for k in kinds if k.startswith("schema:") and k != "schema:DataType"}
        if others:
            vocab.members[name] = others  # e.g. EventScheduled: EventStatusType
    return vocab


def nodes(data) -> Iterator[dict]:
    """Every JSON object with a @type or @id in a JSON-LD document, nested ones included."""
    if isinstance(data, list):
        for item in data:
            yield from nodes(item)
    elif isinstance(data, dict):
        if "@type" in data or "@id" in data:
            yield data
        for key, value in data.items():
            if key != "@context":
                yield from nodes(value)


def _types(node: Mapping) -> list[str]:
    value = node.get("@type", [])
    return [value] if isinstance(value, str) else list(value)


def _literal_fits(value, kind: str) -> bool:
    if kind in ("Text", "PronounceableText", "CssSelectorType", "XPathType"):
        return isinstance(value, str)
    if kind == "URL":
        return isinstance(value, str) and bool(_URL.match(value))
    if kind == "Boolean":
        return isinstance(value, bool)
    if kind in ("Number", "Float"):
        return (isinstance(value, (int, float)) and not isinstance(value, bool)) or (
            isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d+)?", value) is not None
        )
    if kind == "Integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, str) and re.fullmatch(r"-?\d+", value) is not None
        )
    if kind == "Date":
        return isinstance(value, str) and bool(_DATE.match(value)) and _parses(dt.date.fromisoformat, value)
    if kind == "DateTime":
        return isinstance(value, str) and _parses(dt.datetime.fromisoformat, value) and "T" in value
    if kind == "Time":
        return isinstance(value, str) and bool(_TIME.match(value))
    return False


def _parses(parse, value: str) -> bool:
    try:
        parse(value)
    except ValueError:
        return False
    return True


def check_value(vocab: Vocabulary, prop: str, value, known: Mapping[str, list[str]]) -> str | None:
    """Why ``value`` is not in the range of ``prop``, or None."""
    expected = vocab.ranges[prop]
    if isinstance(value, dict):
        types = _types(value) or known.get(value.get("@id", ""), [])
        if not types:
            return None if "@id" in value else f"{prop}: an object without a @type"
        if vocab.is_a(types, expected):
            return None
        return f"{prop}: a {'/'.join(types)} is not one of {sorted(expected)}"
    if isinstance(value, str) and value.startswith(SCHEMA) and value.removeprefix(SCHEMA) in vocab.members:
        member = value.removeprefix(SCHEMA)
        if vocab.is_a(vocab.members[member], expected):
            return None
        return f"{prop}: {member} is a {'/'.join(vocab.members[member])}, not one of {sorted(expected)}"
    literal_kinds = {k for k in expected if vocab.is_a([k], ["DataType"])}
    if any(_literal_fits(value, kind) for kind in literal_kinds):
        return None
    entity_range = expected - literal_kinds
    enumerations = {e for e in entity_range if vocab.is_a([e], ["Enumeration"])}
    if entity_range - enumerations and isinstance(value, str) and _URL.match(value):
        return None  # a URL naming the entity (schema.org data model)
    return f"{prop}: {value!r} is not a value of {sorted(expected)}"


def check_node(node: Mapping, vocab: Vocabulary, known: Mapping[str, list[str]]) -> list[str]:
    """Every way ``node`` departs from the vocabulary (its own properties; nested nodes are checked
    on their own by the caller)."""
    problems = []
    types = _types(node)
    where = f"{'/'.join(types) or 'node'} {node.get('@id', '')}".strip()
    for kind in types:
        if not vocab.is_class(kind):
            problems.append(f"{where}: @type {kind} is not a schema.org type")
        elif kind in vocab.superseded:
            problems.append(f"{where}: @type {kind} is superseded")
    types = types or known.get(node.get("@id", ""), [])
    for prop, value in node.items():
        if prop.startswith("@"):
            continue
        if prop not in vocab.domains:
            problems.append(f"{where}: {prop} is not a schema.org property")
            continue
        if prop in vocab.superseded:
            problems.append(f"{where}: {prop} is superseded")
        if types and not vocab.is_a(types, vocab.domains[prop]):
            problems.append(
                f"{where}: {prop} is not a property of {'/'.join(types)} or its supertypes "
                f"(it is defined on {sorted(vocab.domains[prop])})"
            )
        for item in value if isinstance(value, list) else [value]:
            why = check_value(vocab, prop, item, known)
            if why:
                problems.append(f"{where}: {why}")
    return problems


def google_required(node: Mapping, vocab: Vocabulary) -> list[str]:
    problems = []
    for kind, required in GOOGLE_REQUIRED.items():
        if vocab.is_a(_types(node), [kind]):
            for prop in required:
                if node.get(prop) in (None, "", [], {}):
                    problems.append(f"{'/'.join(_types(node))} {node.get('@id', '')}: Google requires {prop}")
            if kind == "Event":
                for place in (
                    node["location"] if isinstance(node.get("location"), list) else [node.get("location")]
                ):
                    if isinstance(place, dict) and not (place.get("address") or place.get("url")):
                        problems.append(
                            f"Event {node.get('@id')}: location needs an address (or a url online)"
                        )
            if (
                kind == "BlogPosting"
                and isinstance(node.get("author"), dict)
                and not node["author"].get("name")
            ):
                problems.append(f"BlogPosting {node.get('@id')}: author needs a name")
    return problems


def check_documents(documents: Mapping[str, list]) -> list[str]:
    """``{page: [JSON-LD documents]}`` -> every problem, prefixed by its page."""
    vocab = vocabulary()
    known: dict[str, list[str]] = {}
    fullest: dict[
        str, int
    ] = {}  # @id -> most properties any node with it has (the entity; others refer to it)
    for docs in documents.values():
        for node in nodes(docs):
            if node.get("@id") and _types(node):
                known.setdefault(node["@id"], _types(node))
            if node.get("@id"):
                fullest[node["@id"]] = max(fullest.get(node["@id"], 0), len(node))
    problems = []
    for page, docs in sorted(documents.items()):
        for node in nodes(docs):
            problems += [f"{page}: {p}" for p in check_node(node, vocab, known)]
            if (
                not node.get("@id") or len(node) == fullest[node["@id"]]
            ):  # a short reference is not the entity
                problems += [f"{page}: {p}" for p in google_required(node, vocab)]
    return problems

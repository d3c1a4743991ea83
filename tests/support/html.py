"""Reading built pages the way a crawler would: links, JSON-LD, meta tags."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html


def page(output: Path, url_path: str):
    """Parse the file that serves ``url_path`` (``/team/`` -> team/index.html)."""
    rel = url_path.lstrip("/")
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    return lxml.html.fromstring((output / rel).read_bytes())


def links(doc, scope: str = "//main") -> set[str]:
    """Every href inside ``scope`` (the main content by default)."""
    return {a.get("href") for a in doc.xpath(f"{scope}//a[@href]")}


def jsonld_nodes(doc) -> list[dict]:
    """All JSON-LD nodes on a page, @graph flattened."""
    nodes = []
    for script in doc.xpath('//script[@type="application/ld+json"]'):
        data = json.loads(script.text)
        nodes.extend(data.get("@graph", [data]))
    return nodes


def node_of_type(doc, schema_type: str) -> dict:
    matches = [
        n
        for n in jsonld_nodes(doc)
        if schema_type in ([n.get("@type")] if isinstance(n.get("@type"), str) else n.get("@type", []))
    ]
    assert len(matches) == 1, f"expected one {schema_type}, got {[n.get('@type') for n in jsonld_nodes(doc)]}"
    return matches[0]


def meta(doc, name: str) -> str | None:
    values = doc.xpath(f'//meta[@name="{name}"]/@content')
    return values[0] if values else None

"""Paths as the coordinator knows them."""

from __future__ import annotations

import os


def display_path(source_path: str, content_root: str) -> str:
    """``content/blog/x.md``: the path as the coordinator knows it."""
    parent = os.path.dirname(os.path.abspath(content_root))
    return os.path.relpath(os.path.abspath(source_path), parent).replace(os.sep, "/")

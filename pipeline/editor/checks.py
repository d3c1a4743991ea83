"""Before the editor saves: what ``inv check`` would say of the entry, field by field.

The editor sends the entry it is about to save (its fields, and the pictures uploaded with it).
:func:`check_entry` writes it, as the editor would, into a copy of the content folder (hard links:
instant, nothing copied) and runs the real check (``runner.check``, in a child process: one
Pelican run per process) on that copy. The problems of that file come back with their field, in
the words ``inv check`` uses; a published entry with a problem is not saved, a draft's problems
are listed and it is saved (drafts never block, as in the build).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from pipeline.content.errors import Problem
from pipeline.content.scaffold import slugify
from pipeline.editor.config import BODY, Collection
from pipeline.photos import files as photo_files
from pipeline.photos import metadata

ROOT = Path(__file__).resolve().parents[2]


def entry_path(collection: Collection, slug: str, data: dict) -> str:
    """The file the editor writes for this entry, relative to the repository (its folder's parent)."""
    if collection.file:
        return collection.file
    slug = slug or slugify(str(data.get(collection.title_field) or "untitled"))
    inner = collection.path.replace("{{slug}}", slug) if collection.path else slug
    return f"{collection.folder}/{inner}.{collection.extension}"


def serialize(collection: Collection, data: dict) -> str:
    """The file's text: YAML (front matter, and the Markdown body below it)."""
    fields = {k: v for k, v in data.items() if k != BODY and v not in (None, "", [])}
    text = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=1000)
    if not collection.body:
        return text
    return f"---\n{text}---\n{data.get(BODY) or ''}\n"


def stage(content: Path, into: Path) -> Path:
    """A copy of ``content`` under ``into`` made of hard links (a copy where linking is refused)."""
    target = into / content.name
    for parent, _dirs, names in os.walk(content):
        rel = Path(parent).relative_to(content)
        (target / rel).mkdir(parents=True, exist_ok=True)
        for name in names:
            source = Path(parent, name)
            if source.is_symlink():
                continue  # the build refuses links anyway; the check reports the real folder's
            try:
                os.link(source, target / rel / name)
            except OSError:
                (target / rel / name).write_bytes(source.read_bytes())
    return target


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()  # a hard link to the real file: never write through it
    path.write_bytes(data)


def run_check(content: Path) -> tuple[list[Problem], list[Problem], str]:
    """(errors, warnings, other message) of ``inv check`` on ``content``, run in a child process."""
    code = (
        "import json, sys, runner\n"
        "from pipeline.errors import PipelineError\n"
        "def out(e, w, m=''):\n"
        "    print(json.dumps({'errors': [vars(p) for p in e], 'warnings': [vars(p) for p in w], 'message': m}))\n"
        "try:\n"
        "    s = runner.check('pelicanconf.py', {'PATH': sys.argv[1], 'SEARCH_INDEX': False})\n"
        "    out([], runner.warnings_of(s))\n"
        "except PipelineError as exc:\n"
        "    out(getattr(exc, 'problems', []), getattr(exc, 'warnings', []), '' if hasattr(exc, 'problems') else str(exc))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(content)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    try:
        answer = json.loads(result.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return [], [], (result.stderr.strip().splitlines() or ["the check could not run"])[-1]
    return (
        [Problem(**p) for p in answer["errors"]],
        [Problem(**p) for p in answer["warnings"]],
        answer["message"],
    )


def check_entry(content: Path, collection: Collection, payload: dict) -> dict:
    """The editor's question, answered: ``{"problems": [...], "blocking": bool}``."""
    data = payload.get("data") or {}
    rel = payload.get("path") or entry_path(collection, payload.get("slug") or "", data)
    with tempfile.TemporaryDirectory(prefix="editor-check-") as folder:
        staged = stage(content, Path(folder))
        staged_repo = staged.parent
        _write(staged_repo / rel, serialize(collection, data).encode("utf-8"))
        for item in payload.get("media") or []:
            path = str(item.get("path") or "").lstrip("/")
            if not path or ".." in Path(path).parts:
                continue
            if collection.media == ("", "") and not payload.get("path"):
                # Pictures kept beside the entry (a gallery case's photos): before a new entry is
                # first saved the editor does not know its folder yet; they go where it will be.
                path = (Path(rel).parent / Path(path).name).as_posix()
            raw = base64.b64decode(item.get("content") or "")
            with contextlib.suppress(metadata.PhotoMetadataError):
                raw = metadata.scrub_bytes(raw)[0]  # as the upload will be written (inv edit cleans it)
            _write(staged_repo / path, raw)
        errors, warnings, message = run_check(staged)
        photos = photo_files.problems(photo_files.photos_in(staged), staged_repo)
    mine = [p for p in [*errors, *photos] if _same_file(p.path, rel)]
    drafts = [p for p in warnings if _same_file(p.path, rel)]
    draft = str(data.get("status", "")).strip().lower() == "draft"
    problems = mine + drafts
    answer = {
        "problems": [
            {"field": p.field, "message": p.message, "fix": p.fix, "text": str(p)} for p in problems
        ],
        "blocking": bool(mine) and not draft,
    }
    others = len(errors) - len([p for p in errors if p in mine])
    if message and not problems:
        answer["problems"].append({"field": "", "message": message, "fix": "", "text": message})
        answer["blocking"] = True
    if others:
        answer["others"] = others  # problems elsewhere: `inv check` lists them; they do not stop this save
    return answer


def _same_file(path: str, rel: str) -> bool:
    """Is a problem's file (``content/blog/x.md``, as the check names it) the entry's?"""
    return path.replace("\\", "/") == rel

"""The briefs' I/O edge: read the content folder, build the briefs, write ``internal/briefs/<id>/``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pipeline.briefs import history
from pipeline.briefs.model import Brief, Context, device_brief, procedure_brief
from pipeline.briefs.render import brief_html, brief_pdf
from pipeline.claims import custom
from pipeline.claims import site as content_site
from pipeline.content import frontmatter
from pipeline.errors import PipelineError
from pipeline.files import write_folder


class BriefError(PipelineError):
    """A brief that cannot be written: an unknown id, or content with problems."""


def context(content_root: Path, as_of: dt.date) -> Context:
    content_root = Path(content_root)
    entries = content_site.read_entries(content_root)
    broken = [p for e in entries if not e.draft for p in e.problems]
    if broken:
        listed = "\n  ".join(str(p) for p in broken[:10])
        raise BriefError(f"The content has problems; fix them first (inv check):\n  {listed}")
    claims, problems = custom.load(content_root / content_site.CLAIMS_FILE, "content/claims.yml")
    if problems:
        raise BriefError(
            "content/claims.yml has problems; fix them first (inv check):\n  "
            + "\n  ".join(map(str, problems))
        )
    published = [e for e in entries if e.record is not None and not e.draft]
    by_kind: dict[str, dict] = {}
    bodies, paths = {}, {}
    for entry in published:
        by_kind.setdefault(entry.ctype.kind, {})[entry.id] = entry.record
        bodies[(entry.ctype.kind, entry.id)] = (entry.parsed.body or "", entry.parsed.body_line or 1)
        paths[(entry.ctype.kind, entry.id)] = entry.path
    practice = by_kind.get("practice", {}).get("practice")
    return Context(
        procedures=by_kind.get("procedure", {}),
        devices=by_kind.get("device", {}),
        team=by_kind.get("team", {}),
        locations=by_kind.get("location", {}),
        specials=by_kind.get("special", {}),
        bodies=bodies,
        paths=paths,
        approved=list(claims.approved_phrases),
        custom_rules=list(claims.rules),
        as_of=as_of,
        currency=getattr(practice, "currency", "USD") or "USD",
    )


def ids(ctx: Context) -> list[str]:
    return sorted(ctx.procedures) + sorted(ctx.devices)


def build(ctx: Context, brief_id: str) -> Brief:
    if brief_id in ctx.procedures:
        return procedure_brief(ctx, brief_id)
    if brief_id in ctx.devices:
        return device_brief(ctx, brief_id)
    raise BriefError(
        f"'{brief_id}' is not a procedure or a device — use one of: {', '.join(ids(ctx))} (or --all)"
    )


def _changes(old_text: str, new_text: str, path: str) -> list[str]:
    """Field by field: what the content file says now that its previous version did not."""
    old, new = frontmatter.split(old_text, path), frontmatter.split(new_text, path)
    changes = []
    for name in sorted(set(old.data) | set(new.data)):
        before, after = old.data.get(name), new.data.get(name)
        if before == after:
            continue
        if before is None:
            changes.append(f"{name} added: {_short(after)}")
        elif after is None:
            changes.append(f"{name} removed (was {_short(before)})")
        elif isinstance(before, list) and isinstance(after, list):
            added = [x for x in after if x not in before]
            gone = [x for x in before if x not in after]
            parts = [f"added {_short(x)}" for x in added] + [f"removed {_short(x)}" for x in gone]
            changes.append(f"{name}: " + "; ".join(parts or ["reordered"]))
        else:
            changes.append(f"{name}: {_short(before)} → {_short(after)}")
    if old.body.strip() != new.body.strip():
        changes.append("the text below the front matter changed: reread the sections above")
    return changes


def _short(value, limit: int = 160) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, str) else value
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def with_history(brief: Brief, project: Path) -> Brief:
    path = (Path(project) / brief.path).resolve()
    found = history.history(path)
    if found.previous is not None:
        brief.changes = _changes(found.previous, path.read_text(encoding="utf-8"), brief.path)
        brief.changes_note = f"Compared with {found.previous_label}." + (
            f" {found.note}" if found.note else ""
        )
        if not brief.changes:
            brief.changes_note += " Nothing a brief teaches changed."
    else:
        brief.changes_note = found.note[0].upper() + found.note[1:] + "."
    return brief


def write(brief: Brief, folder: Path, practice: str) -> Path:
    target = Path(folder) / brief.id
    record = {
        "id": brief.id,
        "kind": brief.kind,
        "title": brief.title,
        "version": brief.version,
        "source": brief.path,
        "quiz": [
            {"question": q.text, "options": q.options, "answer": q.answer_text, "field": q.field}
            for q in brief.quiz
        ],
    }
    write_folder(
        target,
        {
            "brief.html": brief_html(brief, practice).encode("utf-8"),
            "brief.pdf": brief_pdf(brief, practice),
            "brief.json": json.dumps(record, indent=2, ensure_ascii=False).encode("utf-8"),
        },
    )
    return target

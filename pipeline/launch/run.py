"""The launch kit's I/O edge: read the content folder, build and claims-check the drafts, write them.

Content drafts go where the coordinator edits content (``content/blog/``, ``content/specials/``) with
``status: draft``: the public build writes no drafts, so nothing is published until the coordinator
changes the status. A draft that already exists is left as it is (it may hold the coordinator's
edits). The plan, the note and a README go to ``internal/launch/<id>/``; the briefs to
``internal/briefs/<id>/``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.briefs import run as briefs
from pipeline.claims import check as claims_check
from pipeline.claims import site
from pipeline.claims.document import Document, from_entry
from pipeline.claims.text import body_sentences
from pipeline.consent import ConsentError, decide, load_ledger
from pipeline.content import frontmatter, types, validate
from pipeline.files import write_folder
from pipeline.launch.kit import Case, Kit, LaunchError, kit


@dataclass
class Written:
    kit: Kit
    folder: Path  # internal/launch/<id>/
    created: list[str] = field(default_factory=list)  # content drafts written now
    kept: list[str] = field(default_factory=list)  # content drafts that existed and were left as they are
    briefs: list[Path] = field(default_factory=list)


def _cases(
    entries, content_root: Path, ledger_path: str | None, procedure_id: str, as_of: dt.date
) -> list[Case]:
    """The procedure's before/after cases whose consent covers social media on ``as_of``."""
    if not ledger_path:
        return []
    try:
        ledger = load_ledger(content_root / ledger_path)
    except ConsentError:
        return []  # a broken ledger allows nothing; the build reports it
    out = []
    for entry in entries:
        record = entry.record
        if entry.ctype.kind != "case" or record is None or entry.draft or record.procedure != procedure_id:
            continue
        try:
            allowed = decide(record.consent, ledger, "social", as_of, case=entry.path).allowed
        except ConsentError:
            allowed = False
        if allowed and record.pairs:
            folder = Path(entry.path).parent.as_posix()
            out.append(Case(entry.id, record.title, f"{folder}/{record.pairs[0].after.src}"))
    return sorted(out, key=lambda c: c.id)


def _author(ctx, procedure_id: str) -> str:
    performs = [
        tid for tid, m in sorted(ctx.team.items()) if procedure_id in (getattr(m, "procedures", None) or ())
    ]
    if performs or ctx.team:
        return (performs or sorted(ctx.team))[0]
    raise LaunchError("content/team/ has nobody: a blog post needs an author — add the team first.")


def _draft_document(text: str, ctype: types.ContentType, path: str, stem: str):
    entry = validate.parse(ctype, frontmatter.split(text, path), path, stem)
    if entry.record is None:
        listed = "\n  ".join(str(p) for p in entry.problems)
        raise LaunchError(f"The launch kit's draft {path} would not be valid content:\n  {listed}")
    return entry, from_entry(entry)


def _text_document(text: str, path: str, stem: str, procedure_id: str) -> Document:
    return Document(path, "post", stem, tuple(body_sentences(text, 1)), (procedure_id,))


def findings(made: Kit, entries, inputs, disclaimers, currency: str, content_prefix: str = "content"):
    """The claims check over every draft of the kit, as the build would run it (drafts counted as published)."""
    blog_entry, blog = _draft_document(
        made.blog, types.POST, f"{content_prefix}/{made.blog_path}", Path(made.blog_path).stem
    )
    special_entry, special = _draft_document(
        made.special, types.SPECIAL, f"{content_prefix}/{made.special_path}", Path(made.special_path).stem
    )
    internal = f"internal/launch/{made.procedure}"
    social = _text_document(
        "\n\n".join(p.caption for p in made.posts),
        f"{internal}/social-plan.csv",
        "social-plan",
        made.procedure,
    )
    note = _text_document(made.referral_note, f"{internal}/referral-note.md", "referral-note", made.procedure)
    # The introductory special is judged with the kit's special in force, as it will be once published.
    published_special = validate.parse(
        types.SPECIAL,
        frontmatter.split(made.special.replace("status: draft", "status: published", 1), special.path),
        special.path,
        special.id,
    )
    facts = site.facts([*entries, published_special], inputs, disclaimers, currency)
    out = []
    for doc in (blog, special, social, note):
        out += claims_check.check_document(doc, facts, inputs.rules)
    return [f for f in out if not f.accepted]


def launch(
    content_root: Path,
    procedure_id: str,
    as_of: dt.date,
    project: Path,
    internal: Path,
    practice_name: str,
    disclaimers: list[str],
    ledger_path: str | None,
    write_briefs: bool = True,
) -> Written:
    content_root = Path(content_root).resolve()
    ctx = briefs.context(content_root, as_of)
    if procedure_id in ctx.devices and procedure_id not in ctx.procedures:
        # A new device: its launch is the launch of the procedure that uses it.
        using = ctx.procedures_using(procedure_id)
        if len(using) != 1:
            raise LaunchError(
                f"'{procedure_id}' is a device used by "
                + (
                    f"{len(using)} procedures ({', '.join(using)}): launch one of them"
                    if using
                    else "no procedure: add it to a procedure's devices in content/procedures/ first"
                )
            )
        procedure_id = using[0]
    if procedure_id not in ctx.procedures:
        raise LaunchError(
            f"'{procedure_id}' is not a procedure — add content/procedures/{procedure_id}.md first "
            f"(inv new procedure ...), or use one of: {', '.join(sorted(ctx.procedures))}"
        )
    entries = [e for e in site.read_entries(content_root) if not e.draft]
    inputs = site.read_inputs(content_root, ledger_path, as_of)
    practice = next((e.record for e in entries if e.ctype.kind == "practice" and e.record is not None), None)
    disclaimers = [d for d in (*disclaimers, getattr(practice, "disclaimer", "")) if d]
    procedure = ctx.procedures[procedure_id]
    devices = [found for n in procedure.devices if (found := ctx.device_for(n)) is not None]
    facts = site.facts(entries, inputs, disclaimers, ctx.currency)

    def clean(text: str) -> bool:
        doc = _text_document(text, "draft", "draft", procedure_id)
        return not claims_check.check_document(doc, facts, inputs.rules)

    made = kit(
        procedure_id,
        procedure,
        devices,
        _cases(entries, content_root, ledger_path, procedure_id, as_of),
        as_of,
        practice_name or getattr(practice, "name", "") or "our practice",
        _author(ctx, procedure_id),
        ctx.currency,
        disclaimers[0] if disclaimers else "",
        clean=clean,
    )
    prefix = site.shown(content_root, content_root)
    found = findings(made, entries, inputs, disclaimers, ctx.currency, prefix)
    if found:
        listed = "\n  ".join(f"{f.path}: rule {f.rule}, \u201c{f.words}\u201d: {f.suggestion}" for f in found)
        raise LaunchError(
            "The launch kit's drafts would not pass the claims check; fix the procedure's wording they "
            f"quote (content/procedures/{procedure_id}.md), then run inv launch again:\n  {listed}"
        )
    written = Written(made, Path(internal) / "launch" / procedure_id)
    for relative, text in ((made.blog_path, made.blog), (made.special_path, made.special)):
        target = content_root / relative
        shown = site.shown(target, content_root)
        if target.exists():
            written.kept.append(shown)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.created.append(shown)
    readme = "\n".join(
        [
            f"# Launch kit: {made.name}",
            "",
            "Everything here is a draft. Before publishing:",
            "",
            *[f"- {n}" for n in made.notes],
            "",
            "Files:",
            "",
            f"- {prefix}/{made.blog_path}: blog post outline (status: draft)",
            f"- {prefix}/{made.special_path}: introductory special (status: draft)",
            "- social-plan.csv and social-plan.md: four weeks of posts",
            "- referral-note.md: a short note for referral partners",
            *[f"- internal/briefs/{b}/: staff brief (HTML, PDF, quiz)" for b in made.briefs],
            "",
        ]
    )
    write_folder(
        written.folder,
        {
            "README.md": readme.encode("utf-8"),
            "social-plan.csv": made.social_csv().encode("utf-8"),
            "social-plan.md": made.social_markdown().encode("utf-8"),
            "referral-note.md": made.referral_note.encode("utf-8"),
        },
    )
    for brief_id in made.briefs if write_briefs else ():
        brief = briefs.with_history(briefs.build(ctx, brief_id), project)
        written.briefs.append(briefs.write(brief, Path(internal) / "briefs", practice_name))
    return written

"""What changed in a content file since its previous version, from Git (the I/O edge is ``git``).

The previous version is the last committed one that differs from the file as it is now: the
committed file itself when it has uncommitted changes, else the version before its last commit.
A file Git does not know, a folder that is not a repository, and a shallow clone (CI checks out
one commit) each get a plain sentence instead of a history.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str  # YYYY-MM-DD
    subject: str


@dataclass
class History:
    commits: list[Commit] = field(default_factory=list)  # newest first
    previous: str | None = None  # the previous version's text
    previous_label: str = ""  # "the committed version of 2026-11-02 (abc1234)"
    note: str = ""  # why there is no (full) history


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=False, timeout=60
    )


def history(path: Path) -> History:
    """The Git history of one file and its previous version."""
    path = Path(path).resolve()
    top = _git(path.parent, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        return History(note="not in a Git repository: no earlier version to compare with")
    root = Path(top.stdout.strip())
    relative = path.relative_to(root).as_posix()
    log = _git(root, "log", "--format=%H%x09%as%x09%s", "--", relative)
    commits = [Commit(*line.split("\t", 2)) for line in log.stdout.splitlines() if line.count("\t") >= 2]
    shallow = _git(root, "rev-parse", "--is-shallow-repository").stdout.strip() == "true"
    out = History(commits=commits)
    if not commits:
        out.note = "new: not committed to Git yet, so there is no earlier version"
        return out
    current = path.read_text(encoding="utf-8") if path.is_file() else ""
    for index, commit in enumerate(commits):
        shown = _git(root, "show", f"{commit.sha}:{relative}")
        if shown.returncode == 0 and shown.stdout != current:
            out.previous = shown.stdout
            label = "the committed version" if index == 0 else "the version"
            out.previous_label = f"{label} of {commit.date} ({commit.sha[:7]}: {commit.subject})"
            break
    if out.previous is None:
        out.note = (
            "only one version is in this shallow clone: fetch the full history (git fetch --unshallow) to compare"
            if shallow
            else "first version: nothing earlier to compare with"
        )
    elif shallow:
        out.note = "this is a shallow clone: older changes may be missing (git fetch --unshallow)"
    return out

"""bench/RESULTS.md: each benchmark owns one marked section and replaces it with its latest figures."""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def record(name: str, text: str) -> Path:
    """Replace the ``<!-- name:start -->`` … ``<!-- name:end -->`` section (appended if there is none yet)."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{text.strip()}\n{end}"
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    if start in current and end in current:
        head, rest = current.split(start, 1)
        current = head + block + rest.split(end, 1)[1]
    else:
        current = current.rstrip("\n") + "\n\n" + block + "\n"
    partial = RESULTS.with_suffix(".tmp")
    partial.write_text(current, encoding="utf-8")
    partial.replace(RESULTS)
    return RESULTS

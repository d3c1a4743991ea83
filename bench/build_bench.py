"""Full-build time of this project against bare Pelican on the same Markdown, in one run.

    .venv/bin/python bench/build_bench.py [--posts 1000] [--procedures 100] [--runs 5]

Generates a synthetic practice (posts, procedures, team, locations) under bench/work/,
then times, in fresh processes, (a) bare Pelican 4.12 with its default theme reading the
same files (its Markdown reader understands the `---` front matter as plain metadata; files
named by `name:` get a `title:` line, see titled_copy) and (b) this project's build
(validation, cross-links, JSON-LD, our theme). Prints the median of each and the ratio (the
median of each round's own ratio; the goal is <= 1.15x, issue 2) and, unless --no-record,
replaces the build section of bench/RESULTS.md. --instructions adds valgrind's instruction
counts, which do not drift with the machine's load as times do.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "work" / "build"
sys.path.insert(0, str(ROOT))

from bench.results import record  # noqa: E402
from tests.support.sitefactory import SiteFactory  # noqa: E402

WORDS = [
    "skin",
    "collagen",
    "laser",
    "treatment",
    "results",
    "session",
    "recovery",
    "consultation",
    "clinic",
    "provider",
    "hydration",
    "texture",
    "tone",
    "volume",
    "gentle",
    "careful",
    "plan",
    "questions",
    "safety",
    "evidence",
    "routine",
]


def _paragraph(rng: random.Random, words: int = 60) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _body(rng: random.Random) -> str:
    parts = []
    for section in range(3):
        parts.append(f"## Section {section + 1}\n\n{_paragraph(rng)}\n\n{_paragraph(rng)}\n")
        parts.append("\n".join(f"- {_paragraph(rng, 8)}" for _ in range(3)) + "\n")
    return "\n".join(parts)


def generate(posts: int, procedures: int, folder: Path = WORK, demo: bool = False) -> Path:
    """A synthetic practice: the test fixture (every content type), or with ``demo`` the demo
    practice of content/, plus many posts and procedures. Returns its content folder."""
    shutil.rmtree(folder, ignore_errors=True)
    if demo:
        content = folder / "content"
        shutil.copytree(ROOT / "content", content)
    else:
        content = SiteFactory(folder).write_all().content
    rng = random.Random(42)
    ids = [f"procedure-{i:03d}" for i in range(procedures)]
    for i, pid in enumerate(ids):
        (content / "procedures" / f"{pid}.md").write_text(
            textwrap.dedent(f"""\
            ---
            name: Procedure {i}
            summary: {_paragraph(rng, 14)}
            body_areas: face, neck
            procedure_type: {("noninvasive", "percutaneous", "surgical")[i % 3]}
            devices: Device {i % 7}
            sessions: 1-3
            downtime: None
            price_from: {100 + i}
            related: {ids[(i + 1) % procedures]}
            ---
            """)
            + _body(rng)
        )
    authors = sorted(p.stem for p in (content / "team").glob("*.md"))[:2]
    for i in range(posts):
        day = 1 + i % 28
        month = 1 + (i // 28) % 12
        (content / "blog" / f"post-{i:04d}.md").write_text(
            textwrap.dedent(f"""\
            ---
            title: Post number {i}
            date: {2020 + i // 336}-{month:02d}-{day:02d}
            summary: {_paragraph(rng, 16)}
            category: Category {i % 6}
            tags: topic{i % 20}, theme{i % 7}
            author: {authors[i % 2]}
            cover: {{src: images/blog/botox-myths.jpg, alt: A syringe}}
            procedures: {ids[i % procedures]}
            ---
            """)
            + _body(rng)
        )
    return content


BARE_SETTINGS = """\
PATH = {content!r}
OUTPUT_PATH = {output!r}
TIMEZONE = "UTC"
SITEURL = ""
ARTICLE_PATHS = ["blog"]
PAGE_PATHS = ["procedures", "team", "locations", "pages", "specials", "events"]
STATIC_PATHS = ["images"]
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = 10
DELETE_OUTPUT_DIRECTORY = True
PLUGINS = []
# The default theme lists every page in every page's menu: with the procedures, team and
# locations that would be 113 links on each of 1,600 pages, work our theme's fixed menu does not do.
DISPLAY_PAGES_ON_MENU = False
# The same Markdown extensions and pagination as this project, so both do the same text work
# (Pelican's default pagination also collides: page 2 of tag "topic1" is tag/topic12.html).
MARKDOWN = {{"extension_configs": {{"markdown.extensions.extra": {{}}, "markdown.extensions.smarty": {{}},
                                   "markdown.extensions.toc": {{"permalink": False}},
                                   "markdown.extensions.meta": {{}}}}, "output_format": "html5"}}
PAGINATION_PATTERNS = ((1, "{{url}}", "{{save_as}}"),
                       (2, "{{base_name}}/page/{{number}}/", "{{base_name}}/page/{{number}}/index.html"))
"""

OURS = """\
import sys; sys.path.insert(0, {root!r})
import runner
runner.build("publishconf.py", {{"PATH": {content!r}, "OUTPUT_PATH": {output!r}, "AS_OF_DATE": "2026-11-22",
                                   "SEARCH_INDEX": {search}, "INTERNAL_PATH": {internal!r},
                                   "IMAGE_CACHE_PATH": {cache!r}, "TEMPLATE_CACHE_PATH": {templates!r}}})
"""


# Child processes may cache bytecode as on any coordinator's machine: with PYTHONDONTWRITEBYTECODE
# set (as in some sandboxes), this project's own modules would be compiled again in every run,
# while Pelican's came compiled from pip.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def titled_copy(content: Path, folder: Path) -> Path:
    """The same files for bare Pelican, which skips (and writes no page for) a file without a
    ``title``: procedures, team members and locations are named by ``name:``, so each copy gets a
    ``title:`` line with the same text. Everything else is the same file (a hard link)."""
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(content, folder, copy_function=os.link)
    for path in sorted(folder.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        head = text.partition("\n---\n")[0]
        name = re.search(r"^name:(.*)$", head, re.M)
        if text.startswith("---\n") and name and not re.search(r"^title:", head, re.M):
            path.unlink()  # a new file, not an edit of the linked original
            path.write_text(f"---\ntitle:{name.group(1)}\n{text[4:]}", encoding="utf-8")
    return folder


def _time(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, env=ENV)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--procedures", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count CPU instructions of one build each under valgrind (noise-free; ~30 min)",
    )
    parser.add_argument("--no-record", action="store_true", help="do not update bench/RESULTS.md")
    args = parser.parse_args()

    content = generate(args.posts, args.procedures)
    bare_conf = WORK / "bare_pelicanconf.py"
    bare_content = titled_copy(content, WORK / "content-bare")
    bare_conf.write_text(BARE_SETTINGS.format(content=str(bare_content), output=str(WORK / "out-bare")))
    bare = [sys.executable, "-m", "pelican", "-s", str(bare_conf), "-q"]

    def ours(search: bool) -> list[str]:
        # Each kind of run has its own output folder: a build replaces the last one it made, and
        # the search run's extra Pagefind files would otherwise be deleted by the next plain run.
        output = WORK / ("out-ours-search" if search else "out-ours")
        code = OURS.format(
            root=str(ROOT),
            content=str(content),
            output=str(output),
            search=search,
            internal=str(WORK / "internal"),
            cache=str(WORK / "image-cache"),
            templates=str(WORK / "template-cache"),
        )
        return [sys.executable, "-c", code]

    # One untimed run of each: the image and template caches warm (as after any earlier build), the
    # bytecode of both is written, and both read their Markdown from the page cache alike.
    for cmd in (bare, ours(False), ours(True)):
        _time(cmd)
    runs = {"bare Pelican": bare, "this project": ours(False), "  + search index": ours(True)}
    times = {name: [] for name in runs}
    # Rounds alternate their order (A B C, then C B A): this machine slows down under sustained
    # load, and whatever runs later in a round would pay for it.
    for round_ in range(args.runs):
        for name in list(runs) if round_ % 2 == 0 else list(reversed(runs)):
            times[name].append(_time(runs[name]))
    _, ours_s, search_s = (statistics.median(t) for t in times.values())
    # Each round's own ratio (the builds ran within seconds of each other), as a median over rounds.
    # The verdict is for the real configuration: every build indexes for search (SEARCH_INDEX = True).
    ratios = [o / b for o, b in zip(times["  + search index"], times["bare Pelican"], strict=False)]
    plain = statistics.median(
        o / b for o, b in zip(times["this project"], times["bare Pelican"], strict=False)
    )
    pages = sum(1 for _ in (WORK / "out-ours").rglob("*.html"))
    bare_pages = sum(1 for _ in (WORK / "out-bare").rglob("*.html"))
    ratio = statistics.median(ratios)
    lines = [
        f"Synthetic site: {args.posts:,} posts, {args.procedures:,} procedures; our build wrote {pages:,} HTML pages, "
        f"bare Pelican {bare_pages:,}. Machine: {os.cpu_count()} cores, load average "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} at the end.",
        "",
        "| build | median | best | runs |",
        "|---|---:|---:|---|",
    ]
    for name, values in times.items():
        lines.append(
            f"| {name.strip()} | {statistics.median(values):.2f} s | {min(values):.2f} s | "
            f"{', '.join(f'{v:.2f}' for v in values)} |"
        )
    lines += [
        "",
        f"Ratio this project as every build runs it (with the Pagefind search index) / bare Pelican, "
        f"median of {len(ratios)} rounds' own ratios: **{ratio:.2f}x** "
        f"(rounds: {', '.join(f'{r:.2f}' for r in ratios)}; best times: "
        f"{min(times['  + search index']) / min(times['bare Pelican']):.2f}x) (goal <= 1.15x) -> "
        f"{'met' if ratio <= 1.15 else 'NOT met'}.",
        f"Without the search index (SEARCH_INDEX = False, which no real build uses): {plain:.2f}x; indexing "
        f"adds {search_s - ours_s:.2f} s, and bare Pelican has no search at all.",
    ]
    print("\n".join(lines))
    if args.instructions:
        lines += ["", *_instructions(bare, ours(False))]
    if not args.no_record:
        command = "bench/build_bench.py" + (" --instructions" if args.instructions else "")
        path = record(
            "build-bench",
            "\n".join(
                [
                    "## Full build vs bare Pelican (issue 2)",
                    "",
                    f"Command: `.venv/bin/python {command}` (this run: {args.runs} rounds). Both read the same Markdown "
                    "files with the same Markdown extensions and pagination; bare Pelican 4.12 uses its default theme "
                    "and gets a `title:` line in the procedures, team members and locations (named by `name:`), or it "
                    "would skip them. Ours validates every file, computes cross-links and JSON-LD, renders our theme, "
                    "runs the image pipeline (warm cache), feeds, SEO files and the tag firewall.",
                    "",
                    *lines,
                ]
            ),
        )
        print(f"\nrecorded in {path.relative_to(ROOT)}")


def _instructions(bare: list[str], ours: list[str]) -> list[str]:
    """Instructions executed by one build each (valgrind's callgrind): the same count on every run,
    whatever else the machine is doing, where times on a shared machine drift by tens of percent.

    Ours is counted twice: the main process alone (the tag firewall's page scans run in a second
    process, on another core, as pages are written), and with those scans done in the main
    process too (as on a one-core machine), which is all the work a build does."""
    if shutil.which("valgrind") is None:
        print("instructions: valgrind is not installed (apt-get install valgrind); skipped")
        return []
    single = [
        sys.executable,
        "-c",
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); import pipeline.sitepolicy.background "
        f"as b; b._cores = lambda: 1\n{ours[-1].replace('out-ours', 'out-ours-one-core')}",
    ]
    jobs = {}
    for index, (name, cmd) in enumerate(
        (
            ("bare Pelican", bare),
            ("this project, main process", ours),
            ("this project, all work on one core", single),
        )
    ):
        # At once: counts do not depend on what else runs, and valgrind is ~50x slower than a build.
        log = (WORK / f"callgrind.{index}.log").open("w+")
        jobs[name] = (
            log,
            subprocess.Popen(
                ["valgrind", "--tool=callgrind", f"--callgrind-out-file={WORK / f'callgrind.{index}'}", *cmd],
                cwd=ROOT,
                env=ENV,
                stdout=subprocess.DEVNULL,
                stderr=log,
            ),
        )
    counts = {}
    for name, (log, job) in jobs.items():
        job.wait()
        log.seek(0)
        err = log.read()
        if job.returncode:
            raise SystemExit(f"valgrind run of {name} failed:\n{err[-2000:]}")
        # Valgrind's first line comes from the process it started; a forked worker reports its own count.
        pid = re.search(r"==(\d+)==", err).group(1)
        counts[name] = int(re.search(rf"=={pid}== I\s+refs:\s+([\d,]+)", err).group(1).replace(",", ""))
    base = counts["bare Pelican"]
    lines = [
        "Instructions executed (valgrind callgrind, one build each; the same count on any machine load):",
        "",
        "| build | instructions | ratio |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {count / 1e9:.2f} G | {count / base:.2f}x |" for name, count in counts.items()]
    print("\n".join(lines))
    return lines


if __name__ == "__main__":
    main()

"""Full-build time of this project against bare Pelican on the same Markdown, in one run.

    .venv/bin/python bench/build_bench.py [--posts 1000] [--procedures 100] [--runs 3]

Generates a synthetic practice (posts, procedures, team, locations) under bench/work/,
then times, in fresh processes, (a) bare Pelican 4.12 with its default theme reading the
same files (its Markdown reader understands the `---` front matter as plain metadata) and
(b) this project's build (validation, cross-links, JSON-LD, our theme). Prints the median
of each and the ratio; the goal is <= 1.15x (issue 2).
"""

from __future__ import annotations

import argparse
import random
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

from tests.support.sitefactory import SiteFactory  # noqa: E402

WORDS = ("skin collagen laser treatment results session recovery consultation clinic provider "
         "hydration texture tone volume gentle careful plan questions safety evidence routine").split()


def _paragraph(rng: random.Random, words: int = 60) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _body(rng: random.Random) -> str:
    parts = []
    for section in range(3):
        parts.append(f"## Section {section + 1}\n\n{_paragraph(rng)}\n\n{_paragraph(rng)}\n")
        parts.append("\n".join(f"- {_paragraph(rng, 8)}" for _ in range(3)) + "\n")
    return "\n".join(parts)


def generate(posts: int, procedures: int) -> Path:
    """A synthetic practice: the test fixture (every content type), plus many posts and procedures."""
    shutil.rmtree(WORK, ignore_errors=True)
    content = SiteFactory(WORK).write_all().content
    rng = random.Random(42)
    ids = [f"procedure-{i:03d}" for i in range(procedures)]
    for i, pid in enumerate(ids):
        (content / "procedures" / f"{pid}.md").write_text(textwrap.dedent(f"""\
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
            """) + _body(rng))
    authors = ["dr-lee", "kim-park"]
    for i in range(posts):
        day = 1 + i % 28
        month = 1 + (i // 28) % 12
        (content / "blog" / f"post-{i:04d}.md").write_text(textwrap.dedent(f"""\
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
            """) + _body(rng))
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
from plugins import sitebuild
sitebuild.build("publishconf.py", {{"PATH": {content!r}, "OUTPUT_PATH": {output!r}, "AS_OF_DATE": "2026-11-22",
                                   "SEARCH_INDEX": {search}, "INTERNAL_PATH": {internal!r},
                                   "IMAGE_CACHE_PATH": {cache!r}}})
"""


def _time(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--procedures", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    content = generate(args.posts, args.procedures)
    bare_conf = WORK / "bare_pelicanconf.py"
    bare_conf.write_text(BARE_SETTINGS.format(content=str(content), output=str(WORK / "out-bare")))
    bare = [sys.executable, "-m", "pelican", "-s", str(bare_conf), "-q"]
    def ours(search: bool) -> list[str]:
        code = OURS.format(root=str(ROOT), content=str(content), output=str(WORK / "out-ours"), search=search,
                           internal=str(WORK / "internal"), cache=str(WORK / "image-cache"))
        return [sys.executable, "-c", code]

    subprocess.run(ours(False), check=True, cwd=ROOT, stdout=subprocess.DEVNULL)  # warm the image cache
    times = {"bare Pelican": [], "this project": [], "  + search index": []}
    for _ in range(args.runs):  # interleaved, so drift on the machine hits all alike
        times["bare Pelican"].append(_time(bare))
        times["this project"].append(_time(ours(False)))
        times["  + search index"].append(_time(ours(True)))
    bare_s, ours_s, search_s = (statistics.median(t) for t in times.values())
    pages = sum(1 for _ in (WORK / "out-ours").rglob("*.html"))
    print(f"synthetic site: {args.posts} posts, {args.procedures} procedures; our build wrote {pages} HTML pages")
    for name, values in times.items():
        print(f"  {name:16s} median {statistics.median(values):6.2f} s   runs: {', '.join(f'{v:.2f}' for v in values)}")
    ratio = ours_s / bare_s
    print(f"ratio this project / bare Pelican (plugins + validation): {ratio:.2f}x (goal <= 1.15x) -> "
          f"{'OK' if ratio <= 1.15 else 'OVER'}")
    print(f"with the Pagefind search index as well: {search_s / bare_s:.2f}x "
          f"(indexing adds {search_s - ours_s:.2f} s; bare Pelican has no search)")


if __name__ == "__main__":
    main()

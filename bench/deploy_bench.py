"""Benchmark: our S3 deploy against `aws s3 sync`, same ~2,500-file site, same SeaweedFS server.

    .venv/bin/python bench/deploy_bench.py            # prints the table, updates bench/RESULTS.md

The site is this project's own build of the demo practice scaled to ~2,500 files. Three scenarios,
each tool on its own bucket:
  1. first deploy to an empty bucket;
  2. no-change deploy after a fresh rebuild (same bytes, new mtimes: what every CI run sees);
  3. one-post edit after a fresh rebuild (one post's Markdown changes; whatever the build then changes,
     the post's page, its search fragment and index, is uploaded).

Both tools run as separate processes, so start-up time counts for both. PUTs are counted on the
wire side of each tool: botocore request hooks for ours (PutObject + CopyObject), the
"upload:" lines for `aws s3 sync`; bytes are the bodies sent.

awscli 1.x pins docutils<=0.19 and Pelican needs docutils>=0.22, so awscli cannot live in the
project venv: this script installs it (pinned below) into bench/work/awscli-venv on first run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.results import record  # noqa: E402

WORK = ROOT / "bench" / "work" / "deploy"
AWSCLI = "awscli==1.46.3"
AWS_VENV = ROOT / "bench" / "work" / "awscli-venv"
# The demo practice scaled up, built by this project with publishconf.py (Pagefind included):
# about 2,500 files, like the 2,663-file site in REFERENCE.md's `aws s3 sync` figure.
POSTS, PROCEDURES = 710, 60
EDITED_POST = "post-0007"


def content() -> Path:
    """The scaled demo content, generated once per run."""
    from bench.build_bench import generate

    return generate(POSTS, PROCEDURES, WORK / "practice", demo=True)


def build(source: Path) -> Path:
    """A fresh build into WORK/site: same content, same bytes, new files and mtimes (as in CI)."""
    import runner

    site = WORK / "site"
    runner.build(
        "publishconf.py",
        {
            "PATH": str(source),
            "OUTPUT_PATH": str(site),
            "AS_OF_DATE": "2026-11-22",
            "INTERNAL_PATH": str(WORK / "internal"),
            "IMAGE_CACHE_PATH": str(WORK / "image-cache"),
            "TEMPLATE_CACHE_PATH": str(WORK / "template-cache"),
        },
    )
    return site


def edit_one_post(source: Path) -> None:
    post = source / "blog" / f"{EDITED_POST}.md"
    post.write_text(
        post.read_text(encoding="utf-8") + "\nOne more sentence, added for the benchmark.\n", encoding="utf-8"
    )


def aws_cli() -> Path:
    exe = AWS_VENV / "bin" / "aws"
    if not exe.exists():
        print(f"installing {AWSCLI} into {AWS_VENV} (once)...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(AWS_VENV)], check=True)
        subprocess.run([str(AWS_VENV / "bin" / "pip"), "install", "-q", AWSCLI], check=True)
    return exe


def run_aws(server, site: Path, bucket: str) -> dict:
    env = {
        **os.environ,
        **server.env(),
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }
    started = time.perf_counter()
    out = subprocess.run(
        [
            str(aws_cli()),
            "s3",
            "sync",
            str(site),
            f"s3://{bucket}/",
            "--delete",
            "--no-progress",
            "--endpoint-url",
            server.endpoint,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    uploaded = re.findall(r"^upload: (.+?) to s3://", out.stdout, re.MULTILINE)
    return {"seconds": seconds, "puts": len(uploaded), "bytes": sum(Path(p).stat().st_size for p in uploaded)}


def run_ours(server, site: Path, bucket: str) -> dict:
    env = {**os.environ, **server.env()}
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, __file__, "--one-deploy", str(site), bucket],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if out.returncode:
        raise SystemExit(f"our deploy failed:\n{out.stderr}")
    seconds = time.perf_counter() - started
    return {"seconds": seconds, **json.loads(out.stdout.strip().splitlines()[-1])}


def one_deploy(site: str, bucket: str) -> None:
    """Child process: one real deploy through the default boto3 chain (AWS_ENDPOINT_URL)."""
    from rich.console import Console

    from pipeline.deploy.config import deploy_config
    from pipeline.deploy.run import boto3_clients, deploy

    counts = {"puts": 0, "bytes": 0}
    make = boto3_clients(8)

    def count(params, event_name, **_):
        if event_name.rsplit(".", 1)[-1] in ("PutObject", "CopyObject"):
            counts["puts"] += 1
            counts["bytes"] += len(params.get("Body") or b"")

    def clients(service, region=None):
        client = make(service, region)
        client.meta.events.register("provide-client-params.s3", count)
        return client

    deploy(
        Path(site),
        deploy_config({"S3_BUCKET": bucket}),
        {},
        clients,
        console=Console(stderr=True, quiet=True),
    )
    print(json.dumps(counts))


def main() -> None:
    from tests.support.s3servers import start_seaweed

    WORK.mkdir(parents=True, exist_ok=True)
    aws_cli()
    server = start_seaweed()
    try:
        buckets = {"ours": server.new_bucket("ours"), "aws": server.new_bucket("aws")}
        runners = {"ours": run_ours, "aws": run_aws}
        rows = []
        source = content()
        files = size = 0
        for name in ("first deploy", "no change, fresh rebuild", "one-post edit, fresh rebuild"):
            if name.startswith("one-post"):
                edit_one_post(source)
            results = {}
            for tool in ("ours", "aws"):
                site = build(source)  # every run starts from a fresh build, as in CI
                files = sum(1 for p in site.rglob("*") if p.is_file())
                size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
                results[tool] = runners[tool](server, site, buckets[tool])
            rows.append((name, results))
            print(f"{name}: ours {results['ours']}  aws {results['aws']}", flush=True)
    finally:
        server.close()
    report(rows, files, size)


def report(rows, files: int, size: int) -> None:
    header = (
        f"Site: {files} files, {size / 1e6:.1f} MB: the demo practice with {POSTS} more posts and {PROCEDURES} more "
        f"procedures, built with publishconf.py (pages, fingerprinted CSS/JS, media/ derivatives, feeds, sitemap, "
        f"Pagefind index). The edit appends a sentence to one post's Markdown, then rebuilds. Server: SeaweedFS "
        f"`weed mini` on loopback, 2 cores."
    )
    table = [
        "| scenario | ours: PUTs | ours: MB | ours: s | aws s3 sync: PUTs | aws: MB | aws: s | time aws/ours |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in rows:
        o, a = r["ours"], r["aws"]
        table.append(
            f"| {name} | {o['puts']} | {o['bytes'] / 1e6:.1f} | {o['seconds']:.2f} | {a['puts']} | "
            f"{a['bytes'] / 1e6:.1f} | {a['seconds']:.2f} | {a['seconds'] / o['seconds']:.1f}x |"
        )
    goal = rows[1][1]["ours"]
    verdict = f"No-change goal (0 PUTs, <= 2 s): {goal['puts']} PUTs in {goal['seconds']:.2f} s -> " + (
        "met" if goal["puts"] == 0 and goal["seconds"] <= 2 else "NOT met"
    )
    text = "\n".join([header, "", *table, "", verdict])
    print("\n" + text)
    path = record(
        "deploy-bench",
        "\n".join(
            [
                "## S3 deploy vs `aws s3 sync` (issue 3)",
                "",
                (
                    "Command: `.venv/bin/python bench/deploy_bench.py` (starts SeaweedFS, installs "
                    f"`{AWSCLI}` into bench/work/awscli-venv once). Both tools run as processes; time includes start-up."
                ),
                "",
                text,
            ]
        ),
    )
    print(f"\nUpdated {path.relative_to(ROOT)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--one-deploy", nargs=2, metavar=("SITE", "BUCKET"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_deploy:
        one_deploy(*args.one_deploy)
    else:
        main()

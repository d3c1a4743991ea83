"""bench/results.py: each benchmark replaces only its own section of bench/RESULTS.md."""

from bench import results


def test_a_benchmark_replaces_its_section_and_leaves_the_others(tmp_path, monkeypatch):
    path = tmp_path / "RESULTS.md"
    monkeypatch.setattr(results, "RESULTS", path)
    results.record("a-bench", "## A\n\nfirst figures")
    results.record("b-bench", "## B\n\nb figures\n")
    results.record("a-bench", "## A\n\nnew figures")
    text = path.read_text(encoding="utf-8")
    assert text == (
        "# Benchmark results\n\n<!-- a-bench:start -->\n## A\n\nnew figures\n<!-- a-bench:end -->\n\n"
        "<!-- b-bench:start -->\n## B\n\nb figures\n<!-- b-bench:end -->\n"
    )
    assert not path.with_suffix(".tmp").exists()

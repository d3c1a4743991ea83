"""Pages scanned on another core while the build writes the next ones."""

from pipeline.sitepolicy import html as pages
from pipeline.sitepolicy.background import BackgroundScans

OWN = frozenset({"www.example.com"})
URL = "https://www.example.com/page/"


def _page(path, script_host: str) -> str:
    path.write_text(
        f'<html><head><script src="https://{script_host}/a.js"></script></head><body></body></html>',
        encoding="utf-8",
    )
    return str(path)


def test_each_page_gets_the_scan_of_its_last_write(tmp_path):
    scans = BackgroundScans(OWN, workers=1, batch=4)
    try:
        paths = [_page(tmp_path / f"p{i}.html", "www.example.com") for i in range(10)]
        for path in paths:
            scans.submit(path, URL)
        # p3 is written again (after its first scan was handed over) and submitted again.
        scans.take(paths[0])
        _page(tmp_path / "p3.html", "tracker.example")
        scans.submit(paths[3], URL)
        (tmp_path / "bad.html").write_bytes(b"<p>\xff\xfe not UTF-8</p>")
        scans.submit(str(tmp_path / "bad.html"), URL)
        results = {path: scans.take(path) for path in paths[1:]}
        assert scans.take(str(tmp_path / "bad.html")) is None  # the caller reads it and reports the error
        assert scans.take(str(tmp_path / "never-submitted.html")) is None
    finally:
        scans.close()
    assert results[paths[3]] == pages.scan((tmp_path / "p3.html").read_text(), OWN, URL)
    assert [f.url for f in results[paths[3]].fetches] == ["https://tracker.example/a.js"]
    for path in paths[1:]:
        if path != paths[3]:
            assert results[path] is not None and results[path].fetches == []


def test_pages_that_the_build_still_rewrites_are_left_to_the_end(tmp_path):
    page = tmp_path / "book.html"
    page.write_text("<main><p>Ask us:</p><!--inquiry-form procedure=botox--></main>", encoding="utf-8")
    scans = BackgroundScans(OWN, workers=1)
    try:
        scans.submit(str(page), URL)
        assert scans.take(str(page)) is None  # a Markdown form's placeholder, rendered at the end
    finally:
        scans.close()
    none = BackgroundScans(OWN, workers=0)  # one core: nothing in the background
    none.submit(str(page), URL)
    assert none.take(str(page)) is None

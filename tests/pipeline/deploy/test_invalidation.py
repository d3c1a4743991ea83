from pipeline.deploy.invalidation import BATCH, invalidation_batches, invalidation_paths


def test_pages_invalidate_their_directory_url_too():
    assert invalidation_paths(["index.html", "blog/a post/index.html", "theme/x.css"]) == [
        "/",
        "/blog/a%20post/",
        "/blog/a%20post/index.html",
        "/index.html",
        "/theme/x.css",
    ]
    assert invalidation_paths(["index.html"], prefix="previews/pr-3") == [
        "/previews/pr-3/",
        "/previews/pr-3/index.html",
    ]


def test_batches_and_wildcard_fallback():
    paths = [f"/p{n}" for n in range(2500)]
    batches = invalidation_batches(paths, max_paths=3000)
    assert [len(b) for b in batches] == [BATCH, BATCH, 500] and [p for b in batches for p in b] == paths
    assert invalidation_batches(paths, max_paths=300) == [["/*"]]
    assert invalidation_batches(paths, max_paths=300, prefix="previews/pr-3") == [["/previews/pr-3/*"]]
    assert invalidation_batches([], max_paths=300) == []

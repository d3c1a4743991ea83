"""Which CloudFront paths to invalidate after a deploy. Pure: no I/O.

A page ``dir/index.html`` is requested as ``/dir/`` and, after the viewer-request function
rewrites it, cached as ``/dir/index.html``; AWS recommends invalidating both URIs when a
function changes the URI, so both are listed.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

# CloudFront: at most 3,000 file paths in invalidations in progress at once; keep batches smaller.
BATCH = 1000
MAX_PATHS_LIMIT = 3000


def invalidation_paths(keys: Iterable[str], prefix: str = "") -> list[str]:
    """The viewer paths for changed keys (relative to ``prefix``), sorted and unique."""
    paths = set()
    for key in keys:
        path = "/" + (f"{prefix}/{key}" if prefix else key)
        paths.add(path)
        if path.endswith("/index.html"):
            paths.add(path[: -len("index.html")])
    return sorted(quote(p, safe="/-_.~!$&'()+,;=:@") for p in paths)


def invalidation_batches(paths: list[str], max_paths: int, prefix: str = "") -> list[list[str]]:
    """``paths`` in batches, or one wildcard (``/*``) when there are more than ``max_paths``."""
    if not paths:
        return []
    if len(paths) > max_paths:
        return [[quote(f"/{prefix}/*" if prefix else "/*", safe="/-_.~*")]]
    return [paths[i : i + BATCH] for i in range(0, len(paths), BATCH)]

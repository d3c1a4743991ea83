"""A synthetic built site that looks like the real one: pretty-URL pages, fingerprinted theme
assets, media/ derivatives with content-hash names, feeds, sitemap and a Pagefind folder.

Deterministic: the same arguments write the same bytes, so "a fresh rebuild" is
``make_site(...)`` again (new mtimes, same content). Used by the deploy tests and by
bench/deploy_bench.py.
"""

from __future__ import annotations

import hashlib
import io
import random
import shutil
from pathlib import Path

from PIL import Image

WORDS = [
    "botox",
    "filler",
    "laser",
    "peel",
    "facial",
    "consult",
    "glow",
    "skin",
    "smooth",
    "renew",
    "tone",
    "lift",
    "care",
    "clinic",
    "results",
    "weeks",
    "session",
    "gentle",
    "natural",
    "comfort",
]


def _h(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


def _image(seed: int, size: int = 48) -> bytes:
    rnd = random.Random(seed)
    raw = rnd.randbytes(size * size * 3)
    buf = io.BytesIO()
    Image.frombytes("RGB", (size, size), raw).save(buf, "WEBP", quality=80)
    return buf.getvalue()


def _text(rnd: random.Random, words: int) -> str:
    return " ".join(rnd.choice(WORDS) for _ in range(words))


def make_site(
    root: Path,
    pages: int = 12,
    images: int = 6,
    fragments: int | None = None,
    edited: frozenset[int] = frozenset(),
    page_words: int = 120,
    image_size: int = 48,
    without: frozenset[str] = frozenset(),
) -> dict[str, Path]:
    """Build the site afresh under ``root`` (like Pelican's DELETE_OUTPUT_DIRECTORY); return {key: path}.

    Page numbers in ``edited`` get new text; keys in ``without`` are left out.
    """
    root = Path(root)
    shutil.rmtree(root, ignore_errors=True)
    files: dict[str, bytes] = {}
    css = (".site{color:#222}" * 40).encode()
    js = ("document.documentElement.classList.add('js');" * 30).encode()
    css_key = f"theme/css/site.{_h(css)}.css"
    js_key = f"theme/js/site.{_h(js)}.js"
    files[css_key] = css
    files[js_key] = js
    files["theme/fonts/inter.woff2"] = random.Random(7).randbytes(4000)
    media = []
    for i in range(images):
        data = _image(i, image_size)
        key = f"media/{_h(data)}-800w.webp"
        files[key] = data
        media.append(key)

    def page(title: str, body: str, image: str | None = None) -> bytes:
        img = f'<img src="/{image}" alt="">' if image else ""
        return (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<title>{title}</title><meta name="content-status" content="published">'
            f'<link rel="stylesheet" href="/{css_key}"><script src="/{js_key}" defer></script>'
            f"</head><body><h1>{title}</h1>{img}<p>{body}</p></body></html>"
        ).encode()

    links = []
    for n in range(pages):
        rnd = random.Random(n)
        body = _text(rnd, page_words) + (" Updated: now with more detail." if n in edited else "")
        key = f"posts/post-{n:04d}/index.html"
        files[key] = page(f"Post {n}", body, media[n % len(media)] if media else None)
        links.append(f'<a href="/posts/post-{n:04d}/">Post {n}</a>')
    files["index.html"] = page("Home", " ".join(links[:20]) + (" (updated)" if edited else ""))
    files["about/index.html"] = page("About", "A practice.")
    feed_items = "".join(
        f"<entry><title>Post {n}</title></entry>" for n in sorted(edited | set(range(min(pages, 10))))
    )
    files["feeds/all.atom.xml"] = f"<?xml version='1.0'?><feed>{feed_items}</feed>".encode()
    files["sitemap.xml"] = (
        "<?xml version='1.0'?><urlset>"
        + "".join(f"<url><loc>/posts/post-{n:04d}/</loc></url>" for n in range(pages))
        + "</urlset>"
    ).encode()
    files["robots.txt"] = b"User-agent: *\nAllow: /\n"
    for n in range(fragments if fragments is not None else pages // 3):
        data = random.Random(10_000 + n).randbytes(600) + (b"!" if n in edited else b"")
        files[f"pagefind/fragment/en_{_h(data)}.pf_fragment"] = data
    files["pagefind/pagefind.js"] = b"export const pagefind = 1;"

    written = {}
    for key, data in sorted(files.items()):
        if key in without:
            continue
        path = root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written[key] = path
    return written

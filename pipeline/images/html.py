"""``<picture>`` markup for a processed image: a pure string function."""

from __future__ import annotations

from html import escape

from pipeline.images.process import ProcessedImage

_FALLBACK = "jpeg"


def _srcset(image: ProcessedImage, fmt: str, base_url: str) -> str:
    return ", ".join(f"{base_url}{d.name} {d.width}w" for d in image.variants(fmt))


def picture_html(
    processed: ProcessedImage,
    alt: str,
    sizes: str = "100vw",
    eager: bool = False,
    *,
    base_url: str = "/",
    css_class: str | None = None,
) -> str:
    """AVIF and WebP ``<source>``s, then a JPEG ``<img>`` with explicit width/height (no layout shift).

    ``eager`` is for the first, largest image of a page (the LCP candidate): it loads at
    once with ``fetchpriority="high"``; every other image is ``loading="lazy"``.
    ``alt`` is required and escaped; pass "" only for a purely decorative image.
    """
    if alt is None:
        raise ValueError("alt text is required (use '' only for decorative images)")
    base = base_url if base_url.endswith("/") else base_url + "/"
    sizes_attr = escape(sizes, quote=True)
    parts = ["<picture>"]
    for fmt in sorted(
        {d.format for d in processed.derivatives} - {_FALLBACK},
        key=lambda f: ("avif", "webp").index(f) if f in ("avif", "webp") else 9,
    ):
        parts.append(
            f'<source type="{processed.variants(fmt)[0].mime}" '
            f'srcset="{escape(_srcset(processed, fmt, base), quote=True)}" sizes="{sizes_attr}">'
        )
    fallback = processed.variants(_FALLBACK)
    largest = fallback[-1]
    attributes = [
        f'src="{escape(base + largest.name, quote=True)}"',
        f'srcset="{escape(_srcset(processed, _FALLBACK, base), quote=True)}"',
        f'sizes="{sizes_attr}"',
        f'width="{largest.width}" height="{largest.height}"',
        f'alt="{escape(alt, quote=True)}"',
    ]
    if css_class:
        attributes.append(f'class="{escape(css_class, quote=True)}"')
    attributes.append('fetchpriority="high"' if eager else 'loading="lazy" decoding="async"')
    parts.append(f"<img {' '.join(attributes)}>")
    parts.append("</picture>")
    return "".join(parts)

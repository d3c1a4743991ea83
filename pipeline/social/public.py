"""The social images the site publishes itself, so a scheduler can fetch each post's image by URL.

Sprout Social's bulk import takes an image as a public ``image_url`` (Instagram cannot publish a
post without one). Every build therefore writes, for each item that may be posted on its day
(the same selection as an export: ``run.collect``, so a gallery case only while its consent
includes social media), the first image of each network whose bulk row carries an image
(``Network.image_url``) to ``media/social/<hash16>-<w>x<h>.jpg`` in the site, and the deploy
uploads them with the rest. Nothing links to them; robots.txt disallows the folder and CloudFront
marks it ``noindex`` (infra/site.yaml). The names are the ones an export gives the same images, so
``image_url`` is ``<SITEURL>/media/social/<file>`` (or ``SOCIAL_IMAGE_BASE_URL/<file>``).

When consent lapses or an item stops being postable, the next build leaves its images out and the
deploy deletes them from the bucket.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.images.cache import ImageCache
from pipeline.social import images
from pipeline.social.config import SocialConfig
from pipeline.social.items import SocialItem
from pipeline.social.networks import NETWORKS


def image_base(config: SocialConfig) -> str:
    """Where the published social images are: ``SOCIAL_IMAGE_BASE_URL``, or the site's media/social/."""
    return config.image_base_url or (f"{config.site_url}/{images.PUBLIC_FOLDER}" if config.site_url else "")


def image_url(config: SocialConfig, file: str) -> str:
    base = image_base(config)
    return f"{base}/{file}" if base else ""


def public_images(
    items: Iterable[SocialItem], config: SocialConfig, cache: ImageCache | None = None
) -> dict[str, bytes]:
    """``{"media/social/<file>": JPEG bytes}``: each item's image for every network whose bulk row
    carries one, each distinct image once (many posts share a cover)."""
    wanted: dict[str, tuple] = {}
    for item in items:
        source = item.pair or item.photo
        if source is None:
            continue
        for network in item.networks:
            net = NETWORKS[network]
            if not net.image_url or not net.images:
                continue
            size = net.images[0].size
            key = images.key_for(source, size, item.watermark, config.quality)
            wanted.setdefault(
                f"{images.PUBLIC_FOLDER}/{images.file_name(key, size)}", (source, size, item, key)
            )
    return {
        name: images.render(source, size, item.watermark, config.quality, cache, key=key).data
        for name, (source, size, item, key) in sorted(wanted.items())
    }

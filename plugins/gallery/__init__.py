"""Before/after gallery plugin: cases in, consent checked, pages and an internal consent manifest out.

A case is a folder ``content/gallery/<case-id>/`` holding the photos and a ``case.yml``
(fields: ``pipeline.content.models.GalleryCase``; README, "Before/after galleries"). At every
build each case's consent id is looked up in the ledger (``pipeline.consent``): an unknown id
stops the build; a revoked, expired or out-of-scope consent withholds the case (a warning says
which and why) and nothing of it is written.

Settings (defaults in brackets); errors name the key:

- ``CONSENT_LEDGER`` ["gallery/consent.yml"]: the ledger, relative to the content folder (``PATH``).
- ``GALLERY_DISCLAIMER`` [None = the practice's ``disclaimer``]: the results disclaimer every case,
  the gallery and the procedure pages' case lists show.
- ``CASE_URL`` / ``CASE_SAVE_AS`` ["gallery/{slug}/"]: where case pages go.
- ``INTERNAL_PATH`` ["internal"]: where ``consent-manifest.json`` goes (never deployed).
- ``WATERMARK_*``: gallery photos are watermarked by default (``plugins/watermark``).
"""

from __future__ import annotations

from pelican import signals

from pipeline.consent import ConsentError
from pipeline.content import types

from . import generator

DEFAULTS = {
    "CONSENT_LEDGER": "gallery/consent.yml",
    "GALLERY_DISCLAIMER": None,
}


def configure(pelican) -> None:
    settings = pelican.settings
    unknown = sorted(k for k in settings if k.startswith("GALLERY_") and k not in DEFAULTS)
    if unknown:
        raise ConsentError(
            f"{', '.join(unknown)}: unknown setting(s) in the settings file; "
            f"the gallery settings are {', '.join(DEFAULTS)}. Check the spelling."
        )
    for key, default in DEFAULTS.items():
        settings.setdefault(key, default)
    ledger = settings["CONSENT_LEDGER"]
    if not isinstance(ledger, str) or not ledger.strip():
        raise ConsentError(
            f"CONSENT_LEDGER is {ledger!r}: give the ledger's path inside the content folder, "
            "like 'gallery/consent.yml'."
        )
    disclaimer = settings["GALLERY_DISCLAIMER"]
    if disclaimer is not None and (not isinstance(disclaimer, str) or not disclaimer.strip()):
        raise ConsentError(
            "GALLERY_DISCLAIMER must be a sentence of text, or None for the practice's disclaimer."
        )
    prefix = types.GALLERY_CASE.setting_prefix
    settings.setdefault(f"{prefix}_URL", types.GALLERY_CASE.url)
    settings.setdefault(f"{prefix}_SAVE_AS", types.save_as(settings[f"{prefix}_URL"]))


def get_generators(pelican):
    return generator.GalleryGenerator


def register():
    signals.initialized.connect(configure)
    signals.get_generators.connect(get_generators)
    signals.all_generators_finalized.connect(generator.link)
    signals.finalized.connect(generator.write_manifest)

"""Referral partners adapter: validates the partner registry on every build and writes the
optional public "Our partners" page (``theme/templates/partners.html``).

Settings (``PARTNER_*``, checked when the build starts; see ``pipeline.partners.DEFAULTS``):
``PARTNER_REGISTRY`` ["partners.yml", in the content folder], ``PARTNER_PUBLIC_PAGE`` [False],
``PARTNER_PAGE_URL`` ["partners/"], ``PARTNER_PAGE_TITLE``, ``PARTNER_PAGE_INTRO``, and for
`inv partners` ``PARTNER_CAMPAIGN``, ``PARTNER_LANDING``, ``PARTNER_CARD_TEXT``.

The page lists only active partners who agreed (``public: true``), with what
:func:`pipeline.partners.public_listing` returns: never the internal contact or notes.
"""

from __future__ import annotations

import logging

from pelican import signals
from pelican.generators import Generator

from pipeline import partner_log, partners
from pipeline.content import types

logger = logging.getLogger(__name__)


class PartnersPageGenerator(Generator):
    def generate_context(self):
        values = partners.check_settings(self.settings)
        path, shown = partners.registry_path(self.settings)
        registry = partners.load_registry(path, shown)  # a bad registry stops the build (and `inv check`)
        log_file, log_shown = partner_log.log_path(self.settings)  # so does a bad relationship log
        partner_log.read_log(log_file, log_shown, [p.code for p in registry.partners])
        self.listing = partners.public_listing(registry) if values["PARTNER_PUBLIC_PAGE"] else []
        self.url = values["PARTNER_PAGE_URL"].strip("/") + "/"
        self.title = values["PARTNER_PAGE_TITLE"]
        self.intro = values["PARTNER_PAGE_INTRO"]
        self.context["public_partners"] = self.listing
        self.context["partners_url"] = self.url if self.listing else None

    def generate_output(self, writer):
        if not self.listing:
            return
        writer.write_file(
            types.save_as(self.url),
            self.get_template("partners"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=self.url,
            page_title=self.title,
            partners_intro=self.intro,
        )
        logger.info("partners: listed %d partner(s) at /%s", len(self.listing), self.url)


def get_generators(pelican):
    return PartnersPageGenerator


def register():
    signals.get_generators.connect(get_generators)

"""Inquiry tags plugin: inquiry forms, first-party attribution, and the tag firewall.

- Every template gets ``inquiry`` (receiver URL, presets, ``inquiry.script()`` for the
  first-party attribution script, ``inquiry.on(kind)``); the form component is the theme's
  ``partials/inquiry_form.html`` macro ``inquiry_form(preset, procedure=, special=, event=)``.
- Markdown: a line ``[[inquiry-form procedure=botox]]`` renders the same component
  (:mod:`pipeline.content.form_marker`).
- Every ``<form data-inquiry>`` gets the hidden fields of :mod:`pipeline.inquiry.fields`
  at build time; ``attribution.js`` is shipped as a fingerprinted theme script.
- A thank-you page (INQUIRY_THANK_YOU_URL, noindex, not in the sitemap or search).
- Every page gets its Content-Security-Policy ``<meta>`` (the ``security_policy`` filter
  around base.html), and the tag firewall (:mod:`pipeline.sitepolicy.firewall`) scans every
  written page and the theme's CSS and JS; the build fails naming the page, the tag and the
  fix. ``INTERNAL_PATH/tracking-manifest.json`` lists forms, scripts and external hosts per
  page, ``INTERNAL_PATH/security-headers.json`` the headers ``inv serve`` sends (never deployed).

Settings (the receiver's INQUIRY_* are documented in :mod:`pipeline.inquiry`):

- ``INQUIRY_FORM_PAGES`` [("contact", "procedure", "special", "event")]: page kinds whose
  templates carry a form.
- ``INQUIRY_FORM_PRESETS`` [{}]: texts per preset (heading, intro, interest_label,
  message_label, submit, sent), merged over the defaults in ``settings.PRESETS``.
- ``INQUIRY_THIRD_PARTY_TAGS`` [[]]: the allowlist, e.g. ``[{"name": "Plausible", "host":
  "plausible.io", "pages": "no-forms", "loads": ["script", "connect"], "purpose": "..."}]``;
  ``"pages": "first-party"`` (with a purpose) declares another host as the site's own.
- ``INQUIRY_SENSITIVE_TERMS`` [[]]: condition words to keep out of tracking URLs, besides
  the built-in list and every procedure's name, id, devices and body areas.
- ``INQUIRY_SENSITIVE_EXCEPTIONS`` [[]]: words never treated as sensitive (e.g. "back").
- ``INQUIRY_FIRST_PARTY_HOSTS`` [[]]: other hosts that are the practice's own (beyond the
  site's host and its subdomains, each must be declared first-party in the tags).
"""

from pelican import signals

from . import site


def register():
    signals.initialized.connect(site.configure)
    signals.generator_init.connect(site.add_helpers)
    signals.get_generators.connect(site.get_generators)
    signals.all_generators_finalized.connect(site.collect)
    signals.content_written.connect(site.note_page)
    signals.finalized.connect(site.finish)

"""Content model plugin: typed, validated content with computed cross-links and JSON-LD.

The rules live in ``pipeline.content`` (models, registry, validation), ``pipeline.crosslinks``
and ``pipeline.jsonld``; this package only connects them to Pelican's signals.
"""

from pelican import signals

from . import generator, reader, site, templating


def add_reader(readers) -> None:
    for extension in reader.FrontMatterReader.file_extensions:
        readers.reader_classes[extension] = reader.FrontMatterReader


def add_template_helpers(pelican_generator) -> None:
    pelican_generator.env.globals.update(templating.helpers(pelican_generator.settings))


def fingerprint_assets(pelican) -> None:
    templating.fingerprint_output(pelican.settings)


def register():
    signals.initialized.connect(site.configure)
    signals.readers_init.connect(add_reader)
    signals.generator_init.connect(add_template_helpers)
    signals.get_generators.connect(generator.get_generators)
    signals.all_generators_finalized.connect(site.finalize)
    signals.finalized.connect(fingerprint_assets)


practice_contacts = site.practice_contacts


def newest_first(content):
    """ARTICLE_ORDER_BY key: newest first, ties by slug (stable across file systems)."""
    return (-content.date.timestamp(), content.slug)

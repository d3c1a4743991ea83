"""The frame of a site build the plugins (``plugins/*``) hang on: not a feature, not a plugin's.

- :class:`Build` (:mod:`sitebuild.build`): one per Pelican run; :func:`build_of` finds it from
  any signal's argument. Plugins keep their state of a run on it (``build.state(Class)``),
  never in a module.
- :mod:`sitebuild.images`: the run's image service (``build.images``), which the content, the
  gallery, the templates and the feeds all request images from.

``register()`` makes it a Pelican plugin too: listed in ``PLUGINS`` (first or anywhere), it
starts a new :class:`Build` when each run starts. See ARCHITECTURE.md for the data flow.
"""

from pelican import signals

from .build import KEY, Build, build_of, start

__all__ = ["KEY", "Build", "build_of", "start"]


def _start(pelican) -> None:
    start(pelican.settings)


def _join(generator) -> None:
    """Every generator of a run shares one context: the build goes into it, and so into every
    template's context (where the template helpers find it)."""
    build = build_of(generator.settings)
    generator.context[KEY] = build
    build.context = generator.context


def _generators(generators) -> None:
    build_of(generators).generators = list(generators)


def register():
    signals.get_generators.connect(_start)
    signals.generator_init.connect(_join)
    signals.all_generators_finalized.connect(_generators)

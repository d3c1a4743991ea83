"""One Pelican run as an object: the state and the services a run's plugins share.

A :class:`Build` is created when a run starts (Pelican's ``get_generators`` signal, sent at the
start of every ``Pelican.run``) and kept in the run's settings under :data:`KEY`; :func:`build_of`
finds it from whatever a signal hands a receiver. Nothing of a run lives in a module: two runs
in one process (the tests, ``inv check`` then ``inv build``, ``inv regenerate``) never see each
other's state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

KEY = "SITE_BUILD"
S = TypeVar("S")
F = TypeVar("F")


class Build:
    """One run of the site's build.

    - ``settings``: the run's settings.
    - ``images``: the image service (:class:`sitebuild.images.SiteImages`): every image of the run.
    - ``practice``: the practice's entry (``content/practice.yml``, read once by the content model).
    - ``items``: every content item the run read, by kind (``procedure``, ``team``, ``location``,
      ``special``, ``event``, ... from the content model; ``case`` from the gallery), as the
      generators made them (Pelican content objects, gallery cases). A generator adds its kinds
      in ``generate_context``; readers use them from ``all_generators_finalized`` on, when every
      generator has read its files, whatever order the plugins are listed in.
    - ``context``: the run's shared template context (every generator's ``context``).
    - ``generators``: the run's generators, once every file is read (``all_generators_finalized``).
    - ``feature(Settings)``: a feature's settings model (:mod:`pipeline.settings`), read once per run.
    - ``state(Class)``: a plugin's own state for this run, created on first use as ``Class(build)``.
    """

    def __init__(self, settings: dict):
        from sitebuild.images import SiteImages

        self.settings = settings
        self.images = SiteImages(settings)
        self.practice = None
        self.items: dict[str, list] = {}
        self.context: dict | None = None
        self.generators: list = []
        self._features: dict[type, Any] = {}
        self._state: dict[Any, Any] = {}

    def feature(self, settings_class: type[F]) -> F:
        if settings_class not in self._features:
            self._features[settings_class] = settings_class.read(self.settings)
        return self._features[settings_class]

    def state(self, factory: Callable[[Build], S]) -> S:
        if factory not in self._state:
            self._state[factory] = factory(self)
        return self._state[factory]

    def close(self) -> None:
        """Stop what the run started (a plugin state's ``close()``: worker processes). Idempotent."""
        for state in self._state.values():
            close = getattr(state, "close", None)
            if close is not None:
                close()


def start(settings: dict) -> Build:
    """A new run on ``settings``; an earlier run's build on them (``pelican --autoreload``, a run
    that stopped half-way) is closed and left behind."""
    earlier = settings.get(KEY)
    if earlier is not None:
        earlier.close()
    build = settings[KEY] = Build(settings)
    return build


def build_of(where: Any) -> Build:
    """The build a signal's argument belongs to: the Pelican object, a generator, the generators'
    list, the settings, or a template context."""
    if isinstance(where, (list, tuple)):
        where = where[0]
    # A dict, or a Jinja template context (not a Mapping, but with get()), holds it; else its settings.
    holder = (
        where if isinstance(where, Mapping) or hasattr(where, "get") else getattr(where, "settings", None)
    )
    build = holder.get(KEY) if holder is not None else None
    if build is None:
        raise RuntimeError(
            "No build is running: the sitebuild plugin must be in PLUGINS (pelicanconf.py) for the site's "
            "plugins to work."
        )
    return build

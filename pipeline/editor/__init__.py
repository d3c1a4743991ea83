"""The content editor at /admin/: Decap CMS, configured from the content model.

- :mod:`.config`: the editor's configuration (``config.yml``), generated from the content models
  (``pipeline.content.models``) and the registry of content types (``pipeline.content.types``):
  every type is a collection, every field a widget with its rules, help text and example.
- :mod:`.policy`: the Content-Security-Policy of the editor's page, the only page that has its own.
- :mod:`.bundle`: the editor's JavaScript, installed from npm at a pinned version (``editor/``),
  and the files of ``/admin/``.
- :mod:`.checks`: what ``inv edit`` answers before the editor saves: the problems ``inv check``
  would report for the entry, field by field.
- :mod:`.server`: ``inv edit``'s server: the site, the editor, its local backend (decap-server)
  and the check, on one address; uploads lose their location data on the way.

Settings (``EDITOR_*``, read in ``plugins/editor``):

- ``EDITOR_PUBLIC`` [False]: publish /admin/ with the site. A local build (``inv build``,
  ``inv edit``) always has it when the editor is installed; the public build only with this set.
- ``EDITOR_REPO`` [""]: the GitHub repository the editor saves to, ``owner/name``.
- ``EDITOR_BRANCH`` ["main"]: the branch merges publish to.
- ``EDITOR_OAUTH_URL`` [""]: the OAuth client that answers the GitHub sign-in handshake
  (``<url>/auth`` and ``<url>/callback``: one of the maintained clients Decap lists,
  https://decapcms.org/docs/external-oauth-clients/; README, "The content editor").
- ``EDITOR_PREVIEW_CONTEXT`` ["deploy/preview"]: the commit status the pull-request preview
  workflow sets, whose link the editor shows as the entry's preview.
"""

import re

from pipeline.errors import PipelineError


class EditorError(PipelineError):
    """The editor cannot be built or served; the message says what to install or change."""


class EditorSettings:
    """The EDITOR_* settings, read in one place (``plugins/editor``, the tag firewall, ``inv edit``)."""

    def __init__(self, settings: dict):
        self.public = bool(settings.get("EDITOR_PUBLIC", False))
        self.local = bool(settings.get("EDITOR_LOCAL", False))  # set by `inv edit` for its own build
        self.repo = str(settings.get("EDITOR_REPO") or "")
        self.branch = str(settings.get("EDITOR_BRANCH") or "main")
        self.oauth_url = str(settings.get("EDITOR_OAUTH_URL") or "")
        self.preview_context = str(settings.get("EDITOR_PREVIEW_CONTEXT") or "deploy/preview")
        if self.repo and not _REPO.match(self.repo):
            raise EditorError(
                f"EDITOR_REPO is '{self.repo}': write the GitHub repository as owner/name, e.g. aurora/site."
            )

    @property
    def wanted(self) -> bool:
        """Does this build write /admin/ (the public build only with EDITOR_PUBLIC)?"""
        return self.public or self.local


_REPO = re.compile(r"^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$")

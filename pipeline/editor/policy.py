"""The Content-Security-Policy and response headers of the editor's page, ``/admin/``.

The editor is the one page of the site that runs someone else's application (Decap CMS) and
talks to another service (GitHub's API, when it saves to the repository). It gets a policy of
its own, deliberately, for that one path; every other page keeps the site's strict policy
(``pipeline.sitepolicy.csp``), and the tag firewall checks that only ``/admin/`` carries this one.

What Decap CMS needs, and why (CSP Level 3, https://www.w3.org/TR/CSP3/):

- ``style-src 'unsafe-inline'``: its interface is styled by Emotion, which writes ``<style>``
  elements at run time (https://emotion.sh/docs/introduction); no hash or nonce can name them.
- ``script-src 'unsafe-eval'``: it validates its configuration with Ajv, which compiles each
  schema into a function with ``new Function`` (https://ajv.js.org/security.html#content-security-policy).
- ``connect-src https://api.github.com``: the GitHub backend reads and writes the repository
  through the REST API; ``'self'`` serves the local backend (``inv edit``);
  ``blob:``: on saving, it reads the pictures it is about to upload back from their object URLs.
- ``img-src blob: https://avatars.githubusercontent.com``: previews of pictures it loaded
  through the API (object URLs) and the signed-in user's avatar.
- ``frame-src 'self' blob:``: its preview pane is an iframe of its own document.

Everything else stays as tight as the site's: no plugins, no ``<base>``, forms only to the site,
not framed by any other site (``frame-ancestors``, header only). The opener policy is
``same-origin-allow-popups``: the GitHub sign-in opens a pop-up whose answer comes back through
``window.opener`` (https://html.spec.whatwg.org/multipage/browsers.html#cross-origin-opener-policies).
"""

from __future__ import annotations

from pipeline.sitepolicy.csp import OTHER_HEADERS

PATH = "/admin/"  # where the editor lives on the site
GITHUB_API = "https://api.github.com"
GITHUB_AVATARS = "https://avatars.githubusercontent.com"


def editor_policy(header: bool = False, https: bool = True) -> str:
    """The editor page's policy: its ``<meta>`` (``header=False``) or the response header."""
    directives = [
        ("default-src", ["'self'"]),
        ("script-src", ["'self'", "'unsafe-eval'"]),
        ("style-src", ["'self'", "'unsafe-inline'"]),
        ("img-src", ["'self'", "data:", "blob:", GITHUB_AVATARS]),
        ("font-src", ["'self'", "data:"]),
        ("connect-src", ["'self'", "blob:", GITHUB_API]),
        ("media-src", ["'self'", "blob:"]),
        ("frame-src", ["'self'", "blob:"]),
        ("worker-src", ["'self'", "blob:"]),
        ("manifest-src", ["'self'"]),
        ("object-src", ["'none'"]),
        ("base-uri", ["'none'"]),
        ("form-action", ["'self'"]),
    ]
    if header:
        directives.append(("frame-ancestors", ["'none'"]))
    text = "; ".join(f"{name} {' '.join(values)}" for name, values in directives)
    return text + ("; upgrade-insecure-requests" if https else "")


def editor_headers(https: bool = True) -> list[tuple[str, str]]:
    """The response headers of everything under ``/admin/`` (``inv edit``, ``inv serve``, CloudFront):
    the site's, with the editor's policy and an opener policy that lets the sign-in pop-up answer."""
    others = [
        (name, "same-origin-allow-popups" if name == "Cross-Origin-Opener-Policy" else value)
        for name, value in OTHER_HEADERS
    ]
    return [("Content-Security-Policy", editor_policy(header=True, https=https)), *others]


def editor_pages(settings: dict) -> dict[str, str]:
    """The pages of this build that carry the editor's policy: ``/admin/`` when it writes the editor."""
    from pipeline.editor import EditorSettings

    if not EditorSettings(settings).wanted:
        return {}
    return {PATH: editor_policy(https=str(settings.get("SITEURL") or "").startswith("https:"))}


def is_editor_path(path: str, prefix: str = "") -> bool:
    """Is this request path the editor's (``/admin/``, ``/admin/config.yml`` ...)?"""
    path = path[len(prefix) :] if prefix and path.startswith(prefix + "/") else path
    return path == PATH.rstrip("/") or path.startswith(PATH)

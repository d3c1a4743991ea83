"""Site policy: what the built site may load, link, run and contain, checked twice.

The promise to patients is that nothing about them reaches a third party. The build
checks it on what it writes, with a real HTML5 parser, a WHATWG URL parser and a CSS
tokenizer (never a pattern over text), and every page carries a Content-Security-Policy so
the browser enforces the same rules on any host.

- :mod:`.content`: the allow-list for Markdown bodies (elements, attributes, link schemes),
  checked when content is read, reported with the other content problems.
- :mod:`.html`: a built page read as a browser reads it: everything it fetches, submits or
  runs, each URL resolved against the page and any ``<base>``.
- :mod:`.firewall`: the rules on those scans (inquiry forms and the thank-you page contact
  only the site; third-party tags only where declared; no treatment or condition in a
  tracking address), the theme's CSS and JavaScript, and the internal tracking manifest.
- :mod:`.csp`: the one function that builds the Content-Security-Policy, for each page's
  ``<meta>``, ``inv serve``'s response headers and CloudFront's.
- :mod:`.tags`: declared third-party tags and the hosts that count as the site's own.
- :mod:`.tracking`: tracking parameters and the sensitive terms they must never carry.
- :mod:`.urls`, :mod:`.css`, :mod:`.scripts`: URL, CSS and JavaScript reading.
- :mod:`.background`: page scans on a second core while the build writes.

Nothing here imports Pelican; ``plugins/inquiry_tags`` connects it to the build. The inquiry
receiver (``pipeline/inquiry``) imports none of it, so its Lambda package carries none of it.
"""

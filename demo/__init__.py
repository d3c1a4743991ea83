"""The demo practice's invented data, drawn reproducibly: nothing here runs when the site builds.

- ``images``: the sample covers, procedure pictures, portraits and logo under content/
  (``.venv/bin/python -m demo.images content``);
- ``gallery``: the before/after photos of the demo gallery, some with the metadata a phone
  leaves behind, for the scrub to remove (``.venv/bin/python -m demo.gallery content``);
- ``reports``: the report inputs under data/ and the reports benchmark's large data set
  (``.venv/bin/python -m demo.reports``).

The site, its plugins and the inquiry receiver never import this package; the tests check
that the committed files are exactly what these generators draw.
"""

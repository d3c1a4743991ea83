"""Say only what is true: the claims and readability check, and the testimonials ledger.

===================  ========================================================================
module               what it does
===================  ========================================================================
``text``             Markdown and front-matter prose -> sentences, each word with its line
``document``         one content file -> a :class:`~pipeline.claims.document.Document`
``facts``            what the content declares (prices, downtime, specials, devices' FDA status
                     and indications, disclaimers) -> :class:`~pipeline.claims.facts.Facts`
``rules``            the built-in rules: one table, each with its reason and a rewording
``custom``           the practice's own rules and approved phrases (``content/claims.yml``)
``testimonials``     the testimonials ledger (``content/testimonials.yml``) and its rendering
``readability``      reading grades (textstat), cached by text
``check``            every rule over every document; acceptances; findings -> problems
``report``           ``inv claims``: every finding as HTML and CSV under internal/claims/
``site``             the I/O edge: reads the content folder for the tasks
===================  ========================================================================

The area's exception is :class:`~pipeline.claims.errors.ClaimsError`.
"""

from pipeline.claims.errors import ClaimsError

__all__ = ["ClaimsError"]

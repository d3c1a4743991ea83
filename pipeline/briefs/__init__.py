"""Staff briefs (``inv brief``), who has acknowledged them (``inv staff``) and launch kits (``inv launch``).

``model`` builds a brief from the content, ``quiz`` its ten questions, ``history`` what changed
(from Git), ``render`` the HTML and PDF, ``acknowledgements`` reads ``data/staff/`` and tells who
still has to read what, ``launch`` writes a new procedure's drafts, ``run`` is the I/O edge.
"""

"""CSV cells that are safe to open in a spreadsheet.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by Excel and its kin (CSV injection, OWASP). Text from the public web (inquiry
messages, names) goes into the exports the coordinator opens, so such text gets a
leading ``'``; numbers (``-12.5``, ``+15035550142``) are left alone.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def safe_cell(value, yes: str = "true", no: str = "false") -> str:
    """One CSV cell: empty for None, ``yes``/``no`` for booleans, formula-looking text defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes if value else no
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_START) and not _is_number(text):
        return "'" + text
    return text

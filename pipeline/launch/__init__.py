"""The launch kit for a new device or procedure (``inv launch <procedure>``).

``kit`` builds the drafts from the validated content (plain values in, text out): a blog post
outline and an introductory special (both ``status: draft``), a four-week social plan and a note
for referral partners. ``run`` is the I/O edge: it reads the content folder, checks every draft
with the claims check, and writes them; the staff briefs come from ``pipeline.briefs``.
"""

from pipeline.launch.kit import LaunchError

__all__ = ["LaunchError"]

"""What an SES client sends, as the form fields of each SendEmail request (read on the wire)."""

from __future__ import annotations

from urllib.parse import parse_qs


def wire(client) -> list[dict]:
    """Each SendEmail request ``client`` makes from now on, parsed: ``{"Message.Subject.Data": [...], ...}``."""
    bodies: list[dict] = []

    def keep(request, **_):
        bodies.append(parse_qs(request.body.decode() if isinstance(request.body, bytes) else request.body))

    client.meta.events.register("before-send.ses.SendEmail", keep)
    return bodies

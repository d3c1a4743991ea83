"""Tell the coordinator a new inquiry arrived, by email through Amazon SES, without its content.

The email carries the time and the record's reference only: no name, contact details,
interest or message, because email is not where patient information should travel.
"""

from __future__ import annotations

import logging

from botocore.exceptions import BotoCoreError, ClientError

log = logging.getLogger(__name__)


def notification_text(record_id: str, received_at: str, where: str) -> tuple[str, str]:
    """Subject and body of the notification (pure)."""
    subject = "New website inquiry"
    body = (
        f"A new inquiry arrived through the website at {received_at.replace('T', ' ').rstrip('Z')} UTC.\n\n"
        f"Reference: {record_id}\n"
        f"Stored in: {where}\n\n"
        "Its content is not in this email, to keep patient information out of email. "
        "Export the inquiries (inv inquiries) or open the store to read it.\n"
    )
    return subject, body


class SesNotifier:
    """Sends the notification through an SES client passed in (``boto3.client("ses")``)."""

    def __init__(self, client, sender: str, recipient: str, where: str):
        self.client = client
        self.sender = sender
        self.recipient = recipient
        self.where = where

    def __call__(self, record_id: str, received_at: str) -> bool:
        subject, body = notification_text(record_id, received_at, self.where)
        return self.send_text(subject, body, record_id)

    def send_text(self, subject: str, body: str, about: str = "reminder") -> bool:
        """Send one plain-text email; False (logged by ``about``, never by content) if SES refused."""
        try:
            self.client.send_email(
                Source=self.sender,
                Destination={"ToAddresses": [self.recipient]},
                Message={
                    "Subject": {"Data": subject, "Charset": "UTF-8"},
                    "Body": {"Text": {"Data": body, "Charset": "UTF-8"}},
                },
            )
        except (BotoCoreError, ClientError) as exc:
            # The inquiry is already stored; a lost notification must not fail the visitor.
            log.warning("inquiry: notification for %s not sent (%s)", about, type(exc).__name__)
            return False
        return True

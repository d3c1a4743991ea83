"""Inquiry receiver: validate, normalize and store website inquiries and call/booking clicks.

One core (:class:`Receiver`) with two faces: a WSGI app for ``inv serve``
(:mod:`pipeline.inquiry.wsgi`) and an AWS Lambda handler for production
(:mod:`pipeline.inquiry.lambda_handler`). Each inquiry is stored as one JSON object
(a local folder, or a private, encrypted S3 bucket) before the visitor is told it was
sent; a store failure answers 503 and the visitor's browser keeps what they typed.

Settings (Pelican settings, or environment variables of the same name in Lambda):

=============================  ======================  ==============================================
name                           default                 meaning
=============================  ======================  ==============================================
INQUIRY_RECEIVER_URL           "/api/inquiry"          where forms post; the click beacon is the
                                                       sibling ``.../beacon``
INQUIRY_ORIGINS                ()                      site origins allowed to post (CORS), e.g.
                                                       ["https://www.example.com"]; the receiver's
                                                       own origin is always allowed
INQUIRY_STORE                  "internal/inquiries"    a folder (relative to the project root) or
                                                       "s3://bucket/prefix": inquiries go to its
                                                       inquiries/YYYY/MM/DD/, clicks to clicks/...
                                                       (a folder named inquiries is that folder;
                                                       see :mod:`pipeline.inquiry.store`)
INQUIRY_MIN_FILL_SECONDS       3                       quicker submissions are refused (see below)
INQUIRY_RATE_LIMIT             "10/hour"               inquiries per client IP (token bucket)
INQUIRY_BEACON_RATE_LIMIT      "120/hour"              click beacons per client IP
INQUIRY_MAX_BYTES              65536                   largest request body
INQUIRY_THANK_YOU_URL          "/thank-you/"           where a plain form POST lands; a path is
                                                       resolved against the posting site's origin
INQUIRY_ATTRIBUTION_DAYS       90                      days the browser keeps attribution (read by
                                                       attribution.js from ``data-days``)
INQUIRY_NOTIFY_EMAIL           ""                      SES "new inquiry" email (no content); off
                                                       when empty
INQUIRY_NOTIFY_FROM            = INQUIRY_NOTIFY_EMAIL  SES-verified sender
INQUIRY_PHONE_REGION           "US"                    region for phone numbers without +country
INQUIRY_SSE                    "aws:kms"               S3 server-side encryption asked for on every
                                                       PutObject: "aws:kms" or "AES256"
INQUIRY_KMS_KEY_ID             ""                      KMS key for aws:kms (empty: the bucket's or
                                                       AWS-managed key)
INQUIRY_CALL_PHONE             ""                      the number the receiver's "not sent" page
                                                       offers, e.g. "(805) 555-0100"
=============================  ======================  ==============================================

In the Lambda function only: INQUIRY_ORIGIN_SECRET_ARN, the Secrets Manager secret CloudFront
sends as X-Origin-Verify; requests without it are refused (:mod:`pipeline.inquiry.origin`).

Anti-spam, and why it works without JavaScript:

- Honeypot: the form has a text input named ``website`` hidden from people (off-screen,
  ``aria-hidden``, ``tabindex=-1``, ``autocomplete=off``). Filled in, the request gets the
  normal "thank you" answer and nothing is stored.
- Minimum fill time: ``attribution.js`` sets the hidden ``fill_ms`` to 0 when the page
  loads and to the milliseconds spent on the form (a monotonic clock, so a wrong device
  clock cannot matter) on every input and on submit; it also waits out the remainder
  before sending, so a person is never refused. A value under INQUIRY_MIN_FILL_SECONDS,
  a missing or empty ``fill_ms``, or a post lacking any hidden field of the form, is too
  fast (:mod:`pipeline.inquiry.filltime`): JSON gets 422 "too_fast"; a plain post (no
  JavaScript) gets a one-step confirmation page that keeps the fields and carries a
  ``fill_token``, the receiver's own signed clock, so its button sends the message once
  long enough has passed. A bot that fills fields by script without input events leaves 0
  and is refused.

The form the templates render (names from :mod:`pipeline.inquiry.fields`)::

    <form id="inquiry-form" data-inquiry action="{INQUIRY_RECEIVER_URL}" method="post">
      <input type="hidden" name="form" value="contact|procedure|special|event">
      <input type="hidden" name="form_page" value="/the/page/path/">   (set at build time)
      <input type="hidden" name="ft_utm_source" value=""> ...           (every attribution_fields())
      name, email (type=email), phone (type=tel), preferred_location, interest, message,
      contact_method (radio: email|phone|sms), consent_contact (checkbox, required),
      consent_sms (checkbox), each inside an element marked data-field (or a fieldset);
      the honeypot <input name="website">, hidden from people; a submit button.
    </form>
    <script src=".../attribution.js" data-days="{INQUIRY_ATTRIBUTION_DAYS}"
            data-beacon="{config.beacon_url}" data-min-fill="{INQUIRY_MIN_FILL_SECONDS}" defer>

A refused plain POST comes back to ``form_page?inquiry_error=CODE&inquiry_fields=a,b#inquiry-form``.

Rate limit in production: the in-memory bucket holds per process (per warm Lambda
instance). See :mod:`pipeline.inquiry.ratelimit` for the limits that hold across
instances (WAF rate-based rule on CloudFront, API Gateway throttling, reserved concurrency).

The build side lives elsewhere, so the receiver's Lambda package carries none of it:
:mod:`pipeline.content.form_marker` (the ``[[inquiry-form ...]]`` line in Markdown) and
:mod:`pipeline.sitepolicy` (the tag firewall, the Content-Security-Policy, the content
allow-list); :mod:`~pipeline.inquiry.package` builds the Lambda zip.

Public API: :func:`attribution_fields`, :func:`hidden_fields`, :func:`load_config`,
:func:`build_receiver`, :class:`Receiver`, :func:`make_app`, :func:`serve`,
:func:`export_inquiries`, :func:`export_clicks`, :func:`write_export`, :func:`open_store`,
:class:`InquiryError`.
"""

import importlib

from pipeline.inquiry.config import ReceiverConfig, load_config
from pipeline.inquiry.errors import InquiryError
from pipeline.inquiry.fields import attribution_fields, hidden_fields

# The receiver's side (server, store, export, with botocore and email validation) is imported on
# first use: a site build needs only the config and the fields.
_LAZY = {
    "export_clicks": "export",
    "export_inquiries": "export",
    "write_export": "export",
    "Receiver": "receiver",
    "Request": "receiver",
    "Response": "receiver",
    "build_receiver": "service",
    "LocalStore": "store",
    "S3Store": "store",
    "open_store": "store",
    "make_app": "wsgi",
    "serve": "wsgi",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "InquiryError",
    "LocalStore",
    "Receiver",
    "ReceiverConfig",
    "Request",
    "Response",
    "S3Store",
    "attribution_fields",
    "build_receiver",
    "export_clicks",
    "export_inquiries",
    "hidden_fields",
    "load_config",
    "make_app",
    "open_store",
    "serve",
    "write_export",
]

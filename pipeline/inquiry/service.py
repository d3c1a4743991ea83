"""Assemble a receiver from settings: the one edge both faces (WSGI, Lambda) share."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

from pipeline.inquiry.config import ReceiverConfig, load_config
from pipeline.inquiry.notify import SesNotifier
from pipeline.inquiry.origin import LOCAL
from pipeline.inquiry.receiver import Receiver
from pipeline.inquiry.store import open_store


def build_receiver(
    settings: Mapping[str, Any] | ReceiverConfig | None = None,
    *,
    root: str | os.PathLike = ".",
    s3_client=None,
    ses_client=None,
    token_keys: Callable[[], list[bytes]] | None = None,
) -> Receiver:
    """A Receiver for these INQUIRY_* settings (or a checked config).

    A folder store is relative to ``root`` (the project root). Without clients, boto3's
    default chain makes them, and only when the settings need them (an ``s3://`` store,
    a notification address), with timeouts that keep a visitor's wait to seconds.
    ``token_keys`` sign the confirmation page's fill-time token: every instance of the receiver
    needs the same ones (the Lambda function derives them from the origin secret); by default
    they live as long as this process.
    """
    config = settings if isinstance(settings, ReceiverConfig) else load_config(settings)
    store = open_store(
        config.store, root=root, s3_client=s3_client, sse=config.sse, kms_key_id=config.kms_key_id
    )
    notifier = None
    if config.notify_email:
        if ses_client is None:
            import boto3
            from botocore.config import Config

            # The record is stored already; the visitor waits for this email only: one short try.
            ses_client = boto3.client(
                "ses", config=Config(connect_timeout=1, read_timeout=2, retries={"total_max_attempts": 1})
            )
        notifier = SesNotifier(ses_client, config.notify_from, config.notify_email, store.where)
    return Receiver(config, store, notifier=notifier, token_keys=token_keys or LOCAL.token_keys)

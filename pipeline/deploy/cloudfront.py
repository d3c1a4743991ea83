"""CloudFront edges: invalidate changed paths; keep the viewer-request function's code current."""

from __future__ import annotations

import hashlib
import logging
import random

from pipeline.deploy.aws import error_code
from pipeline.deploy.errors import DeployError

log = logging.getLogger(__name__)

# CloudFront refuses a new invalidation while too many paths are being invalidated
# (TooManyInvalidationsInProgress, HTTP 400: "Quotas" in the CloudFront Developer Guide), and
# earlier ones take minutes to finish. botocore's standard mode does not retry a 400, so this
# one code gets its own wait: up to 8 tries, backoff from 2 s doubling to 60 s, full jitter.
INVALIDATION_ATTEMPTS = 8
INVALIDATION_BACKOFF = (2.0, 60.0)  # first delay, longest delay (seconds)
_WAIT_HANDLER = "deploy-wait-for-invalidations"


def _wait_for_invalidations(attempts: int, response, **_) -> float | None:
    """botocore's needs-retry hook for CreateInvalidation: a delay before the next try, or None."""
    if response is None or attempts >= INVALIDATION_ATTEMPTS:
        return None
    if response[1].get("Error", {}).get("Code") != "TooManyInvalidationsInProgress":
        return None  # everything else as botocore's retry mode decides
    first, longest = INVALIDATION_BACKOFF
    log.info("deploy: CloudFront is busy with earlier invalidations; trying again (attempt %d)", attempts)
    return random.uniform(0, min(longest, first * 2 ** (attempts - 1)))


def invalidate(client, distribution_id: str, batches: list[list[str]], run_id: str) -> list[str]:
    """Create one invalidation per batch; return their ids."""
    # A more specific event than the retry mode's own hook, so it is asked first (botocore events).
    client.meta.events.register(
        "needs-retry.cloudfront.CreateInvalidation", _wait_for_invalidations, unique_id=_WAIT_HANDLER
    )
    ids = []
    for number, paths in enumerate(batches):
        # The same reference on a retried request returns the same invalidation, not a new one.
        reference = hashlib.sha256(f"{run_id}:{number}:{','.join(paths)}".encode()).hexdigest()[:32]
        batch = {"Paths": {"Quantity": len(paths), "Items": paths}, "CallerReference": reference}
        try:
            result = client.create_invalidation(DistributionId=distribution_id, InvalidationBatch=batch)
        except Exception as exc:
            raise _explain(
                exc, f"invalidating {len(paths)} path(s) on distribution {distribution_id}"
            ) from None
        ids.append(result["Invalidation"]["Id"])
        log.info("deploy: CloudFront invalidation %s for %d path(s)", ids[-1], len(paths))
    return ids


def sync_function(client, name: str, code: str) -> bool:
    """Update and publish the CloudFront Function ``name`` if its live code differs; True if changed."""
    wanted = code.encode()
    try:
        live = client.get_function(Name=name, Stage="LIVE")["FunctionCode"].read()
        if live == wanted:
            return False
        described = client.describe_function(Name=name, Stage="DEVELOPMENT")
        config = described["FunctionSummary"]["FunctionConfig"]
        new_config = {
            "Comment": config.get("Comment", ""),
            "Runtime": config.get("Runtime", "cloudfront-js-2.0"),
        }
        if config.get("KeyValueStoreAssociations"):
            new_config["KeyValueStoreAssociations"] = config["KeyValueStoreAssociations"]
        updated = client.update_function(
            Name=name, IfMatch=described["ETag"], FunctionConfig=new_config, FunctionCode=wanted
        )
        client.publish_function(Name=name, IfMatch=updated["ETag"])
    except Exception as exc:
        raise _explain(exc, f"updating the CloudFront Function '{name}'") from None
    log.info("deploy: published new code for CloudFront Function %s", name)
    return True


def _explain(exc: BaseException, doing: str) -> DeployError:
    code = error_code(exc)
    if code == "NoSuchDistribution":
        return DeployError(
            f"CloudFront has no such distribution while {doing}. Fix CLOUDFRONT_DISTRIBUTION_ID "
            "(the DistributionId output of the infra stack)."
        )
    if code == "NoSuchFunctionExists":
        return DeployError(
            f"CloudFront has no such function while {doing}. Fix CLOUDFRONT_FUNCTION_NAME (the "
            "ViewerRequestFunctionName output of the infra stack) or create the stack (infra/README.md)."
        )
    if code in ("AccessDenied", "AccessDeniedException", "InvalidClientTokenId", "SignatureDoesNotMatch"):
        return DeployError(
            f"AWS refused access while {doing} ({code}). Check the credentials and the deploy role."
        )
    return DeployError(
        f"CloudFront failed while {doing}: {code}: {exc}. The files are deployed; run the deploy again."
    )

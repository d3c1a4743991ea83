"""CloudFront edges: invalidate changed paths; keep the viewer-request function's code current."""

from __future__ import annotations

import hashlib
import logging

from pipeline.deploy.aws import DEFAULT_RETRY, RetryPolicy, call_with_retries, error_code
from pipeline.deploy.errors import DeployError

log = logging.getLogger(__name__)

# Invalidations in progress are capped; waiting for earlier ones to finish takes minutes.
THROTTLE_RETRY = RetryPolicy(attempts=8, base=2.0, cap=60.0)


def invalidate(
    client, distribution_id: str, batches: list[list[str]], run_id: str, retry: RetryPolicy = THROTTLE_RETRY
) -> list[str]:
    """Create one invalidation per batch; return their ids."""
    ids = []
    for number, paths in enumerate(batches):
        # The same reference on a retried request returns the same invalidation, not a new one.
        reference = hashlib.sha256(f"{run_id}:{number}:{','.join(paths)}".encode()).hexdigest()[:32]
        batch = {"Paths": {"Quantity": len(paths), "Items": paths}, "CallerReference": reference}
        try:
            result = call_with_retries(
                lambda batch=batch: client.create_invalidation(
                    DistributionId=distribution_id, InvalidationBatch=batch
                ),
                retry,
            )
        except Exception as exc:
            raise _explain(
                exc, f"invalidating {len(paths)} path(s) on distribution {distribution_id}"
            ) from None
        ids.append(result["Invalidation"]["Id"])
        log.info("deploy: CloudFront invalidation %s for %d path(s)", ids[-1], len(paths))
    return ids


def sync_function(client, name: str, code: str, retry: RetryPolicy = DEFAULT_RETRY) -> bool:
    """Update and publish the CloudFront Function ``name`` if its live code differs; True if changed."""
    wanted = code.encode()
    try:
        live = call_with_retries(lambda: client.get_function(Name=name, Stage="LIVE"), retry)[
            "FunctionCode"
        ].read()
        if live == wanted:
            return False
        described = call_with_retries(lambda: client.describe_function(Name=name, Stage="DEVELOPMENT"), retry)
        config = described["FunctionSummary"]["FunctionConfig"]
        new_config = {
            "Comment": config.get("Comment", ""),
            "Runtime": config.get("Runtime", "cloudfront-js-2.0"),
        }
        if config.get("KeyValueStoreAssociations"):
            new_config["KeyValueStoreAssociations"] = config["KeyValueStoreAssociations"]
        updated = call_with_retries(
            lambda: client.update_function(
                Name=name, IfMatch=described["ETag"], FunctionConfig=new_config, FunctionCode=wanted
            ),
            retry,
        )
        call_with_retries(lambda: client.publish_function(Name=name, IfMatch=updated["ETag"]), retry)
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

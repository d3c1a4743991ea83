"""Deploy the built site to S3 (behind CloudFront), uploading only what changed.

List (local.py, remote.py) -> plan (plan.py, pure) -> act (executor.py) -> CloudFront
(cloudfront.py, invalidation.py, redirects.py). run.py ties them together for ``inv deploy``.
"""

from pipeline.deploy.errors import DeployError
from pipeline.deploy.plan import Plan, PlanRules, plan_deploy

__all__ = ["DeployError", "Plan", "PlanRules", "plan_deploy"]

"""moto, extended for the e2e deploy (scripts/e2e/run.sh): the pinned moto server plus small,
tested patches for what the Terraform AWS provider needs and stock moto lacks or reads back wrong.

Each patch lives in its own module of this package with a docstring naming the AWS API call it
fixes; PATCHES lists them in the order apply() runs them. Every patch has a test in tests/ that
calls the running server with boto3 and fails without the patch: each test runs against moto_ext
and stock moto (tests/conftest.py), and on stock moto the gap must still show.
"""

from __future__ import annotations

import importlib

PATCHES = (
    "iam_managed_policies",
    "s3_fixes",
    "s3_policy",
    "codeconnections",
    "ec2_fixes",
    "elasticache_fixes",
    "rds_fixes",
    "appautoscaling_fixes",
    "codebuild_fixes",
    "cloudwatch_cbor",
    "sesv2_fixes",
    "codepipeline_fixes",
    "ecs_fixes",
    "backup_fixes",
    "lambda_fixes",
    "secretsmanager_fixes",
)

_applied: list[str] = []


def apply() -> list[str]:
    """Apply every patch once (idempotent); returns the names applied."""
    if not _applied:
        for name in PATCHES:
            importlib.import_module(f"{__name__}.{name}").apply()
            _applied.append(name)
    return list(_applied)

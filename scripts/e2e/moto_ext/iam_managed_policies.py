"""IAM: AWS-managed policies (arn:aws:iam::aws:policy/...).

The stacks attach AWS-managed policies (AmazonSSMManagedInstanceCore, AmazonRDSEnhancedMonitoringRole,
AmazonECSTaskExecutionRolePolicy, ...): AttachRolePolicy and GetPolicy of those ARNs fail with
NoSuchEntity in stock moto unless MOTO_IAM_LOAD_MANAGED_POLICIES=true, which loads moto's bundled
copy of them into every account. Set here so that no caller can forget it.
"""

from __future__ import annotations

import os


def apply() -> None:
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"

"""How long each watched secret has kept its value, as the metric MarkMail/Secrets DaysSinceChange
(dimension ResourceName: the secret's name).

Run every six hours by EventBridge. Per secret (environment WATCH: comma-separated names) it
publishes the days since the value last changed (the newest of LastChangedDate, LastRotatedDate,
CreatedDate from DescribeSecret: metadata only, the value is never read). Alarms on the metric
remind operators to rotate the keys only they can rotate (Salesforce, Stripe, AI, Docker Hub),
to bump the JWT key deliberately, and catch a database rotation that stopped happening.
"""

from __future__ import annotations

import datetime
import logging
import os

import boto3

logger = logging.getLogger()
logger.setLevel(logging.INFO)

NAMESPACE = "MarkMail/Secrets"
METRIC = "DaysSinceChange"


def handler(event, context, now: datetime.datetime | None = None):  # noqa: ARG001
    names = [n.strip() for n in os.environ.get("WATCH", "").split(",") if n.strip()]
    if not names:
        raise ValueError("WATCH names no secret")
    now = now or datetime.datetime.now(datetime.timezone.utc)
    sm = boto3.client("secretsmanager")
    data, ages = [], {}
    for name in names:
        meta = sm.describe_secret(SecretId=name)
        changed = max(d for d in (meta.get("LastChangedDate"), meta.get("LastRotatedDate"), meta.get("CreatedDate")) if d is not None)
        age = round((now - changed).total_seconds() / 86400, 2)
        ages[name] = age
        data.append({"MetricName": METRIC, "Dimensions": [{"Name": "ResourceName", "Value": name}], "Value": age, "Unit": "None", "Timestamp": now})
    boto3.client("cloudwatch").put_metric_data(Namespace=NAMESPACE, MetricData=data)
    logger.info("days since change: %s", ages)
    return ages

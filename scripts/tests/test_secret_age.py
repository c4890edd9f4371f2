"""functions/secret-age: the metric behind the secret-age alarms, against moto (Secrets Manager's
metadata and CloudWatch's metric store)."""

from __future__ import annotations

import datetime
import sys

import pytest

from conftest import REGION, REPO

sys.path.insert(0, str(REPO / "functions" / "secret-age"))
import secret_age  # noqa: E402


@pytest.fixture
def fn_env(moto_endpoint, monkeypatch):
    for k, v in {"AWS_ENDPOINT_URL": moto_endpoint, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


def test_publishes_the_days_since_each_value_changed(aws, fn_env, monkeypatch):
    sm = aws("secretsmanager")
    sm.create_secret(Name="markmail-dev-stripe-secret", SecretString='{"STRIPE_SECRET_KEY":"REPLACE_ME"}')
    sm.create_secret(Name="markmail-dev-db-secret", SecretString='{"password":"x"}')
    monkeypatch.setenv("WATCH", "markmail-dev-stripe-secret, markmail-dev-db-secret")
    later = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=200)
    ages = secret_age.handler({}, None, now=later)
    assert set(ages) == {"markmail-dev-stripe-secret", "markmail-dev-db-secret"}
    assert all(199.9 < a < 200.1 for a in ages.values()), ages

    # A new value resets the age (put-secret-value, as an operator or a rotation does).
    sm.put_secret_value(SecretId="markmail-dev-stripe-secret", SecretString='{"STRIPE_SECRET_KEY":"sk_test_new"}')
    now = datetime.datetime.now(datetime.timezone.utc)
    assert secret_age.handler({}, None, now=now)["markmail-dev-stripe-secret"] < 0.1

    stats = aws("cloudwatch").get_metric_statistics(
        Namespace="MarkMail/Secrets", MetricName="DaysSinceChange", Dimensions=[{"Name": "ResourceName", "Value": "markmail-dev-db-secret"}],
        StartTime=now - datetime.timedelta(days=1), EndTime=later + datetime.timedelta(days=1), Period=86400, Statistics=["Maximum"],
    )["Datapoints"]
    assert max(d["Maximum"] for d in stats) > 199


def test_a_missing_secret_fails_loudly(aws, fn_env, monkeypatch):
    monkeypatch.setenv("WATCH", "markmail-dev-ai-secret")
    with pytest.raises(Exception, match="ResourceNotFoundException"):
        secret_age.handler({}, None)
    monkeypatch.setenv("WATCH", "")
    with pytest.raises(ValueError, match="WATCH names no secret"):
        secret_age.handler({}, None)

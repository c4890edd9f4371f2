"""Secrets Manager rotation read-back.

RotateSecret / DescribeSecret (aws_secretsmanager_secret_rotation with rotation_rules
{schedule_expression = "rate(7 days)", duration = "4h"}, the database's password rotation): moto
kept only RotationRules.AutomaticallyAfterDays and turned RotationEnabled on only when that was
given, so a schedule expression left the secret "not rotating": DescribeSecret had
RotationEnabled false, and the provider then reads rotation_lambda_arn "" and no rotation_rules,
so every plan wanted to set both again. AWS keeps the rules as given (ScheduleExpression,
Duration, AutomaticallyAfterDays) and enables rotation once a rotation function and rules are set;
so does the emulator now. CancelRotateSecret still turns rotation off (moto's own code).
"""

from __future__ import annotations

from typing import Any

KEYS = ("AutomaticallyAfterDays", "Duration", "ScheduleExpression")


def apply() -> None:
    from moto.secretsmanager.models import FakeSecret, SecretsManagerBackend

    original_rotate = SecretsManagerBackend.rotate_secret
    original_to_dict = FakeSecret.to_dict

    def rotate_secret(self, secret_id: str, *args: Any, **kwargs: Any) -> str:  # type: ignore[no-untyped-def]
        names = ("client_request_token", "rotation_lambda_arn", "rotation_rules", "rotate_immediately")
        given = {**dict(zip(names, args)), **kwargs}
        out = original_rotate(self, secret_id, *args, **kwargs)
        secret = self.secrets[secret_id]
        rules = {k: v for k, v in (given.get("rotation_rules") or {}).items() if k in KEYS and v not in (None, "")}
        if rules:
            secret.__dict__["_moto_ext_rotation_rules"] = rules
        if secret.rotation_lambda_arn and secret.__dict__.get("_moto_ext_rotation_rules"):
            secret.rotation_enabled = True
        return out

    def to_dict(self) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        out = original_to_dict(self)
        rules = self.__dict__.get("_moto_ext_rotation_rules")
        if rules and "RotationRules" in out:
            out["RotationRules"] = dict(rules)
        return out

    SecretsManagerBackend.rotate_secret = rotate_secret
    FakeSecret.to_dict = to_dict

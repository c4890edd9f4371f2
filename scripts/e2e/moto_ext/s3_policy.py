"""S3 bucket policies: conditions.

moto evaluates bucket policies on object requests (GetObject, PutObject, HeadObject, ...) but
passes no request context, and a statement whose Condition is not met counts as DENIED: every
bucket with a conditional statement, like our TLS-only Deny (aws:SecureTransport=false,
s3:TlsVersion < 1.2), refused every object request, so Terraform's S3 backend got 403 on its
state. Here each conditional statement is evaluated against the request as AWS does: it applies
when its conditions hold and is ignored otherwise. Known context keys: aws:SecureTransport
(the request came over TLS) and s3:TlsVersion (the negotiated version); a key the emulator
cannot know is absent, so its condition does not hold (…IfExists and Null behave as in IAM).
"""

from __future__ import annotations

import fnmatch
import json
import threading
from typing import Any, Callable

_request = threading.local()


def context() -> dict[str, str]:
    return getattr(_request, "keys", {})


class RequestContextMiddleware:
    """WSGI: records the context keys of the current request for the policy evaluation."""

    def __init__(self, app: Callable[..., Any]):
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        keys = {"aws:SecureTransport": "true" if environ.get("wsgi.url_scheme") == "https" else "false"}
        tls = environ.get("moto_ext.tls_version")  # "TLSv1.3", set by server.RequestHandler
        if tls and tls.startswith("TLSv"):
            keys["s3:TlsVersion"] = tls[4:]
        _request.keys = keys
        try:
            return self.app(environ, start_response)
        finally:
            _request.keys = {}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _compare(operator: str, actual: str, expected: str) -> bool:
    op = operator.lower()
    if op == "bool":
        return actual.lower() == str(expected).lower()
    if op.startswith("numeric"):
        try:
            a, e = float(actual), float(expected)
        except ValueError:
            return False
        return {
            "numericequals": a == e, "numericnotequals": a != e, "numericlessthan": a < e,
            "numericlessthanequals": a <= e, "numericgreaterthan": a > e, "numericgreaterthanequals": a >= e,
        }.get(op, False)
    if op in ("stringequals", "arnequals"):
        return actual == expected
    if op in ("stringnotequals", "arnnotequals"):
        return actual != expected
    if op in ("stringequalsignorecase",):
        return actual.lower() == str(expected).lower()
    if op in ("stringlike", "arnlike"):
        return fnmatch.fnmatchcase(actual, expected)
    if op in ("stringnotlike", "arnnotlike"):
        return not fnmatch.fnmatchcase(actual, expected)
    return False


def conditions_hold(condition: dict[str, Any], keys: dict[str, str]) -> bool:
    """IAM semantics: every operator block holds; within one, every key holds; a key holds when
    any of its values matches. A key missing from the request: false, except …IfExists (true)
    and Null (true when the policy says "true")."""
    for operator, entries in condition.items():
        if_exists = operator.endswith("IfExists")
        op = operator[: -len("IfExists")] if if_exists else operator
        for key, expected in entries.items():
            actual = next((v for k, v in keys.items() if k.lower() == key.lower()), None)
            values = [str(v) for v in _as_list(expected)]
            if op == "Null":
                if (actual is None) != (values[0].lower() == "true"):
                    return False
                continue
            if actual is None:
                if if_exists:
                    continue
                return False
            negated = op.lower().startswith(("stringnot", "arnnot", "numericnot"))
            matches = [_compare(op, actual, v) for v in values]
            if not (all(matches) if negated else any(matches)):
                return False
    return True


def apply() -> None:
    from moto.iam.access_control import IAMPolicy, PermissionResult
    from moto.s3.models import FakeBucket

    def get_permission(self, action, resource):  # type: ignore[no-untyped-def]
        if self.policy is None:
            return PermissionResult.NEUTRAL
        doc = json.loads(self.policy.decode() if isinstance(self.policy, bytes) else self.policy)
        keys = context()
        kept = []
        for statement in _as_list(doc.get("Statement", [])):
            condition = statement.get("Condition")
            if not condition:
                kept.append(statement)
            elif conditions_hold(condition, keys):
                kept.append({k: v for k, v in statement.items() if k != "Condition"})
        return IAMPolicy(json.dumps({**doc, "Statement": kept})).is_action_permitted(action, resource)

    FakeBucket.get_permission = get_permission

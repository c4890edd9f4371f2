"""GET /moto-ext/inventory: every object the emulator holds, for the e2e's before/after counts.

moto's own /moto-api/data.json serializes every attribute and fails on some (RDS raises for the
master password), so this walks the backends itself: for each service, account and region, every
dict or list attribute of a backend whose values are moto models. Each object is listed as
{"service", "region", "type", "key", "label", "state"}; label is its name-like attributes and EC2
Name tag, which is what the e2e searches for "markmail-dev"; state is its lifecycle state where the
model has one (a KMS key's KeyState, an ECS or EC2 object's status/state, "deleted" for a secret
scheduled for deletion), which the e2e uses to tell what AWS itself keeps after a destroy.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Iterator

NAME_ATTRS = (
    "name", "arn", "identifier", "db_instance_identifier", "db_cluster_identifier", "cache_cluster_id",
    "replication_group_id", "dashboard_name", "alarm_name", "log_group_name", "repository_name",
    "cluster_name", "service_name", "family", "group_name", "role_name", "policy_name", "table_name",
    "topic_arn", "bucket_name", "connection_name", "secret_id", "zone_name", "description",
)


def _is_model(value: Any) -> bool:
    from moto.core.common_models import BaseModel

    return isinstance(value, BaseModel)


def _label(obj: Any, tags: dict[str, Any]) -> str:
    parts = []
    for attr in NAME_ATTRS:
        try:
            value = getattr(obj, attr, None)
        except Exception:  # noqa: BLE001 - some model properties raise by design
            continue
        if isinstance(value, str) and value:
            parts.append(value)
    oid = getattr(obj, "id", None)
    if isinstance(oid, str):
        name = (tags.get(oid) or {}).get("Name")
        if name:
            parts.append(name)
    return " ".join(dict.fromkeys(parts))


def _state(obj: Any) -> str:
    try:
        is_deleted = getattr(obj, "is_deleted", None)
        if callable(is_deleted) and is_deleted():
            return "deleted"
        for attr in ("key_state", "status", "state"):
            value = getattr(obj, attr, None)
            if isinstance(value, str) and value:
                return value
    except Exception:  # noqa: BLE001 - some model properties raise by design
        pass
    return ""


def objects() -> Iterator[dict[str, Any]]:
    from moto.core.base_backend import BackendDict

    for backend_dict in list(BackendDict._instances):
        service = getattr(backend_dict, "service_name", "?")
        for account_id, by_region in list(backend_dict.items()):
            for region, backend in list(by_region.items()):
                tags = getattr(backend, "tags", {})
                tags = tags if isinstance(tags, dict) else {}
                for attr, value in list(vars(backend).items()):
                    items: list[tuple[str, Any]] = []
                    if isinstance(value, dict):
                        items = [(str(k), v) for k, v in list(value.items())]
                    elif isinstance(value, list):
                        items = [(str(i), v) for i, v in enumerate(value)]
                    for key, obj in items:
                        if _is_model(obj):
                            yield {"service": service, "account": account_id, "region": region,
                                   "type": f"{attr}:{type(obj).__name__}", "key": key, "label": _label(obj, tags),
                                   "state": _state(obj)}
                        elif isinstance(obj, dict) and obj and all(_is_model(v) for v in obj.values()):
                            for k2, o2 in list(obj.items()):  # nested per-id maps (e.g. ec2 per-VPC)
                                yield {"service": service, "account": account_id, "region": region,
                                       "type": f"{attr}:{type(o2).__name__}", "key": f"{key}/{k2}",
                                       "label": _label(o2, tags), "state": _state(o2)}


class ExtApiMiddleware:
    """WSGI: GET /moto-ext/inventory; everything else goes on to moto."""

    def __init__(self, app: Callable[..., Any]):
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("PATH_INFO") == "/moto-ext/inventory" and environ.get("REQUEST_METHOD") == "GET":
            from moto.core.base_backend import backend_lock

            with backend_lock:
                data = json.dumps(list(objects())).encode()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
            return [data]
        return self.app(environ, start_response)

"""Application Auto Scaling: tags.

aws_appautoscaling_target (the ECS services' scaling targets) registers with Tags and reads them
back with ListTagsForResource; moto implements no tagging for the service ("The
list_tags_for_resource action has not been implemented", HTTP 500, retried by the provider until
its timeout). RegisterScalableTarget now keeps Tags, and ListTagsForResource, TagResource and
UntagResource work on scalable-target ARNs (ResourceNotFoundException for an unknown ARN).
"""

from __future__ import annotations

import json
from typing import Any


def _tags(backend: Any) -> dict[str, dict[str, str]]:
    if "_moto_ext_tags" not in backend.__dict__:
        backend.__dict__["_moto_ext_tags"] = {}
    return backend.__dict__["_moto_ext_tags"]


def _known(backend: Any, arn: str) -> bool:
    return any(t.arn == arn for by_id in backend.targets.values() for t in by_id.values())


def apply() -> None:
    from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse
    from moto.core.exceptions import JsonRESTError

    def not_found(arn: str) -> Exception:
        return JsonRESTError("ResourceNotFoundException", f"No scalable target found for {arn}")

    original_register = ApplicationAutoScalingResponse.register_scalable_target

    def register_scalable_target(self):  # type: ignore[no-untyped-def]
        out = original_register(self)
        tags = self._get_param("Tags")
        if tags:
            _tags(self.applicationautoscaling_backend).setdefault(json.loads(out)["ScalableTargetARN"], {}).update(tags)
        return out

    def list_tags_for_resource(self):  # type: ignore[no-untyped-def]
        backend, arn = self.applicationautoscaling_backend, self._get_param("ResourceARN")
        if not _known(backend, arn):
            raise not_found(arn)
        return json.dumps({"Tags": _tags(backend).get(arn, {})})

    def tag_resource(self):  # type: ignore[no-untyped-def]
        backend, arn = self.applicationautoscaling_backend, self._get_param("ResourceARN")
        if not _known(backend, arn):
            raise not_found(arn)
        _tags(backend).setdefault(arn, {}).update(self._get_param("Tags") or {})
        return "{}"

    def untag_resource(self):  # type: ignore[no-untyped-def]
        backend, arn = self.applicationautoscaling_backend, self._get_param("ResourceARN")
        if not _known(backend, arn):
            raise not_found(arn)
        for key in self._get_param("TagKeys") or []:
            _tags(backend).get(arn, {}).pop(key, None)
        return "{}"

    ApplicationAutoScalingResponse.register_scalable_target = register_scalable_target
    ApplicationAutoScalingResponse.list_tags_for_resource = list_tags_for_resource
    ApplicationAutoScalingResponse.tag_resource = tag_resource
    ApplicationAutoScalingResponse.untag_resource = untag_resource

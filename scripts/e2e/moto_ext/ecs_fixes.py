"""ECS services.

CreateService / UpdateService: moto keeps only the fields it models (task definition, desired
count, load balancers, network configuration, ...) and drops the rest of the request:
capacityProviderStrategy (our FARGATE + FARGATE_SPOT split), deploymentConfiguration (circuit
breaker, alarms, min/max percent, strategy), healthCheckGracePeriodSeconds, enableExecuteCommand,
enableECSManagedTags, placement settings, availabilityZoneRebalancing. It also reported launchType
EC2 for a service that gave a capacity provider strategy instead. DescribeServices then differed
from the configuration, and the provider's plan stopped with "force_new_deployment should be true
when capacity_provider_strategy is being updated". Every such field is kept and returned now, and
a service with a capacity provider strategy has no launchType, as in AWS.
"""

from __future__ import annotations

from typing import Any

MODELED = {"cluster", "serviceName", "service", "taskDefinition", "desiredCount", "loadBalancers", "serviceRegistries",
           "launchType", "platformVersion", "networkConfiguration", "role", "schedulingStrategy",
           "deploymentController", "tags", "propagateTags", "clientToken", "forceNewDeployment"}


def _extra_fields() -> list[str]:
    import botocore.session

    model = botocore.session.get_session().get_service_model("ecs")
    service = set(model.shape_for("Service").members)
    requested = set(model.operation_model("CreateService").input_shape.members) | set(
        model.operation_model("UpdateService").input_shape.members)
    return sorted((service & requested) - MODELED)


def apply() -> None:
    from botocore import xform_name
    from moto.ecs.responses import EC2ContainerServiceResponse

    fields = _extra_fields()

    def keep(self, service: Any) -> None:  # type: ignore[no-untyped-def]
        for field in fields:
            value = self._get_param(field)
            if value is not None:
                setattr(service, xform_name(field), value)
        strategy = getattr(service, "capacity_provider_strategy", None)
        if strategy and not self._get_param("launchType"):
            service.launch_type = None
            for deployment in getattr(service, "deployments", []):
                deployment["launchType"] = None
                deployment["capacityProviderStrategy"] = strategy

    for action in ("create_service", "update_service"):
        original = getattr(EC2ContainerServiceResponse, action)

        def wrapped(self, _original=original):  # type: ignore[no-untyped-def]
            result = _original(self)
            keep(self, result.result["service"])
            return result

        setattr(EC2ContainerServiceResponse, action, wrapped)

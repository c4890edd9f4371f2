"""RDS (Aurora PostgreSQL) instances.

- CreateDBInstance / ModifyDBInstance: Performance Insights settings (EnablePerformanceInsights,
  PerformanceInsightsKMSKeyId, PerformanceInsightsRetentionPeriod) were accepted and dropped, so
  DescribeDBInstances never reported them and every plan wanted to turn Performance Insights on.
  They are kept and returned now (retention defaults to 7 days when enabled, as in AWS).
- CreateDBInstance without CACertificateIdentifier: moto answered rds-ca-default (retired in
  2024); AWS gives new instances rds-ca-rsa2048-g1. The provider creates the Aurora writer, sees
  a different CA than ca_cert_identifier, and modifies + reboots it, each followed by a wait: that
  was most of the writer's 3 minutes. The default is AWS's now, so the writer is ready after the
  provider's first availability check (its fixed 30 s delay).
- DescribeDBClusters of a provisioned cluster: moto always sent an empty ScalingConfigurationInfo
  (serverless v1 only), which the provider reads as a scaling_configuration block of zeros, so
  every plan wanted to "add" one. It is left out unless the cluster has a scaling configuration,
  as AWS does.
"""

from __future__ import annotations

from typing import Any

DEFAULT_CA = "rds-ca-rsa2048-g1"

_PI_KEYS = ("enable_performance_insights", "performance_insights_kms_key_id", "performance_insights_retention_period")


def apply() -> None:
    from moto.rds.models import DBInstance

    original_init = DBInstance.__init__

    def init(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[no-untyped-def]
        original_init(self, *args, **kwargs)
        if not kwargs.get("ca_certificate_identifier"):
            self.ca_certificate_identifier = DEFAULT_CA
        for key in _PI_KEYS:
            if kwargs.get(key) is not None:
                setattr(self, key, kwargs[key])

    DBInstance.__init__ = init

    def enabled(self) -> bool:  # type: ignore[no-untyped-def]
        value = getattr(self, "enable_performance_insights", False)
        return value if isinstance(value, bool) else str(value).lower() == "true"

    def retention(self):  # type: ignore[no-untyped-def]
        value = self.__dict__.get("performance_insights_retention_period")
        return int(value) if value is not None else (7 if enabled(self) else None)

    def kms_key(self):  # type: ignore[no-untyped-def]
        return self.__dict__.get("performance_insights_kms_key_id") if enabled(self) else None

    def set_retention(self, value):  # type: ignore[no-untyped-def]
        self.__dict__["performance_insights_retention_period"] = value

    def set_kms_key(self, value):  # type: ignore[no-untyped-def]
        self.__dict__["performance_insights_kms_key_id"] = value

    from moto.rds.models import DBCluster

    original_scaling = DBCluster.scaling_configuration_info.fget

    def scaling_configuration_info(self):  # type: ignore[no-untyped-def]
        return original_scaling(self) if self.scaling_configuration else None

    DBCluster.scaling_configuration_info = property(scaling_configuration_info)

    DBInstance.performance_insights_enabled = property(enabled)
    DBInstance.performance_insights_retention_period = property(retention, set_retention)
    DBInstance.performance_insights_kms_key_id = property(kms_key, set_kms_key)

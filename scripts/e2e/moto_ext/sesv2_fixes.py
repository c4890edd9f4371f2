"""SES v2 configuration sets.

GetConfigurationSet: moto stores the request's SendingOptions ({"SendingEnabled": true}) and wraps
it once more on the way out, {"SendingOptions": {"SendingEnabled": {"SendingEnabled": true}}}; the
Go SDK refuses that body ("expected Enabled to be of type *bool"), so aws_sesv2_configuration_set
could not be read after its creation. SendingOptions is returned as stored now (AWS's default,
sending enabled, when none was given).
"""

from __future__ import annotations

from typing import Any


def apply() -> None:
    from moto.ses.models import ConfigurationSet

    original = ConfigurationSet.to_dict_v2

    def to_dict_v2(self) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        out = original(self)
        enabled = self.enabled
        if isinstance(enabled, dict):
            out["SendingOptions"] = {"SendingEnabled": bool(enabled.get("SendingEnabled", True))}
        elif isinstance(enabled, bool):
            out["SendingOptions"] = {"SendingEnabled": enabled}
        else:
            out["SendingOptions"] = {"SendingEnabled": True}
        return out

    ConfigurationSet.to_dict_v2 = to_dict_v2

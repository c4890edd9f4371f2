"""Lambda function logging configuration.

CreateFunction / UpdateFunctionConfiguration / GetFunction(Configuration): moto kept no
LoggingConfig, so GetFunction never returned one and every plan wanted to add the
logging_config block (log_format "Text", the function's log group) to the database's rotation
function and the monitoring stack's secret-age checker. AWS stores the given LoggingConfig and
reports its defaults where none was given (LogFormat Text, LogGroup /aws/lambda/<name>; with the
JSON format the application and system log levels default to INFO). So does the emulator now.
"""

from __future__ import annotations

from typing import Any


def _logging_config(name: str, given: dict[str, Any] | None, current: dict[str, Any] | None = None) -> dict[str, Any]:
    merged = {**(current or {}), **(given or {})}
    out: dict[str, Any] = {
        "LogFormat": merged.get("LogFormat") or "Text",
        "LogGroup": merged.get("LogGroup") or f"/aws/lambda/{name}",
    }
    if out["LogFormat"] == "JSON":
        out["ApplicationLogLevel"] = merged.get("ApplicationLogLevel") or "INFO"
        out["SystemLogLevel"] = merged.get("SystemLogLevel") or "INFO"
    return out


def apply() -> None:
    from moto.awslambda.models import LambdaFunction

    original_init = LambdaFunction.__init__
    original_configuration = LambdaFunction.get_configuration
    original_update = LambdaFunction.update_configuration

    def init(self, account_id: str, spec: dict[str, Any], *args: Any, **kwargs: Any) -> None:  # type: ignore[no-untyped-def]
        original_init(self, account_id, spec, *args, **kwargs)
        self.__dict__["_moto_ext_logging_config"] = _logging_config(self.function_name, spec.get("LoggingConfig"))

    def get_configuration(self, *args: Any, **kwargs: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        config = original_configuration(self, *args, **kwargs)
        config["LoggingConfig"] = dict(
            self.__dict__.get("_moto_ext_logging_config") or _logging_config(self.function_name, None))
        return config

    def update_configuration(self, config_updates: dict[str, Any]) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        if "LoggingConfig" in config_updates:
            self.__dict__["_moto_ext_logging_config"] = _logging_config(
                self.function_name, config_updates["LoggingConfig"], self.__dict__.get("_moto_ext_logging_config"))
        return original_update(self, config_updates)

    LambdaFunction.__init__ = init
    LambdaFunction.get_configuration = get_configuration
    LambdaFunction.update_configuration = update_configuration

"""CodeStar Connections / CodeConnections: no backend in moto at all (every call is a 404).

A minimal one for aws_codestarconnections_connection and the pipeline that uses it, on the
awsJson1_0 protocol (X-Amz-Target CodeStar_connections_20191201.*, signing name
codestar-connections, what the provider calls; the JSON form of CodeConnections_20231201.* is
answered the same way, its CBOR form is not implemented):
CreateConnection, GetConnection, ListConnections, DeleteConnection, ListTagsForResource,
TagResource, UntagResource. New connections are PENDING, as in AWS (a person activates them in
the console); UpdateConnectionStatus is not an AWS call, so tests flip the status through
moto_ext's own POST /moto-ext/codeconnections/<status>?arn=... if they need to.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any, Callable
from urllib.parse import parse_qs

from moto.core.base_backend import BackendDict, BaseBackend

TARGETS = {
    "CodeStar_connections_20191201": "codestar-connections",
    "CodeConnections_20231201": "codeconnections",
}
PROVIDER_TYPES = {"Bitbucket", "GitHub", "GitHubEnterpriseServer", "GitLab", "GitLabSelfManaged"}


class ResourceNotFound(Exception):
    pass


class InvalidInput(Exception):
    pass


class Connection:
    def __init__(self, service: str, account_id: str, region: str, name: str, provider_type: str | None,
                 host_arn: str | None, tags: list[dict[str, str]]):
        self.arn = f"arn:aws:{service}:{region}:{account_id}:connection/{uuid.uuid4()}"
        self.name = name
        self.provider_type = provider_type
        self.host_arn = host_arn
        self.owner = account_id
        self.status = "PENDING"
        self.tags = {t["Key"]: t["Value"] for t in tags}

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ConnectionName": self.name,
            "ConnectionArn": self.arn,
            "OwnerAccountId": self.owner,
            "ConnectionStatus": self.status,
        }
        if self.provider_type:
            out["ProviderType"] = self.provider_type
        if self.host_arn:
            out["HostArn"] = self.host_arn
        return out


class CodeConnectionsBackend(BaseBackend):
    def __init__(self, region_name: str, account_id: str):
        super().__init__(region_name, account_id)
        self.connections: dict[str, Connection] = {}

    def create(self, service: str, body: dict[str, Any]) -> dict[str, Any]:
        name = body.get("ConnectionName") or ""
        if not re.fullmatch(r"[\s\S]{1,32}", name):
            raise InvalidInput("ConnectionName must be 1 to 32 characters")
        provider_type, host_arn = body.get("ProviderType"), body.get("HostArn")
        if bool(provider_type) == bool(host_arn):
            raise InvalidInput("exactly one of ProviderType and HostArn is required")
        if provider_type and provider_type not in PROVIDER_TYPES:
            raise InvalidInput(f"ProviderType {provider_type} is not one of {sorted(PROVIDER_TYPES)}")
        c = Connection(service, self.account_id, self.region_name, name, provider_type, host_arn, body.get("Tags") or [])
        self.connections[c.arn] = c
        return {"ConnectionArn": c.arn, "Tags": body.get("Tags") or []}

    def get(self, arn: str) -> Connection:
        # Both ARN spellings name the same connection (AWS accepts either after the rename).
        for key in (arn, _other_spelling(arn)):
            if key in self.connections:
                return self.connections[key]
        raise ResourceNotFound(f"Connection {arn} does not exist")

    def delete(self, arn: str) -> None:
        del self.connections[self.get(arn).arn]


def _other_spelling(arn: str) -> str:
    if ":codestar-connections:" in arn:
        return arn.replace(":codestar-connections:", ":codeconnections:", 1)
    return arn.replace(":codeconnections:", ":codestar-connections:", 1)


backends: BackendDict[CodeConnectionsBackend] = BackendDict(CodeConnectionsBackend, "codestar-connections")


def handle(backend: CodeConnectionsBackend, service: str, action: str, body: dict[str, Any]) -> dict[str, Any]:
    if action == "CreateConnection":
        return backend.create(service, body)
    if action == "GetConnection":
        return {"Connection": backend.get(body.get("ConnectionArn", "")).describe()}
    if action == "ListConnections":
        items = [c.describe() for c in backend.connections.values()
                 if not body.get("ProviderTypeFilter") or c.provider_type == body["ProviderTypeFilter"]]
        return {"Connections": items}
    if action == "DeleteConnection":
        backend.delete(body.get("ConnectionArn", ""))
        return {}
    if action == "ListTagsForResource":
        c = backend.get(body.get("ResourceArn", ""))
        return {"Tags": [{"Key": k, "Value": v} for k, v in sorted(c.tags.items())]}
    if action == "TagResource":
        c = backend.get(body.get("ResourceArn", ""))
        c.tags.update({t["Key"]: t["Value"] for t in body.get("Tags") or []})
        return {}
    if action == "UntagResource":
        c = backend.get(body.get("ResourceArn", ""))
        for key in body.get("TagKeys") or []:
            c.tags.pop(key, None)
        return {}
    raise InvalidInput(f"moto_ext codeconnections does not implement {action}")


def _scope(environ: dict[str, Any]) -> tuple[str, str] | None:
    """(region, account) from the SigV4 credential scope, account from the access key (moto's rule)."""
    auth = environ.get("HTTP_AUTHORIZATION", "")
    m = re.search(r"Credential=([^/]+)/\d+/([^/]+)/([^/]+)/", auth)
    if not m:
        return None
    from moto.core import DEFAULT_ACCOUNT_ID

    return m.group(2), DEFAULT_ACCOUNT_ID


class CodeConnectionsMiddleware:
    """WSGI: answers the two CodeConnections protocols, passes everything else to moto."""

    def __init__(self, app: Callable[..., Any]):
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        # Go SDK: "CodeStar_connections_20191201.GetConnection"; botocore: "com.amazonaws.codestar.connections.CodeStar_connections_20191201.GetConnection"
        prefix, _, action = target.rpartition(".")
        prefix = prefix.rpartition(".")[2]
        if prefix in TARGETS:
            return self._answer(environ, start_response, TARGETS[prefix], action)
        path = environ.get("PATH_INFO", "")
        if path.startswith("/moto-ext/codeconnections/") and environ.get("REQUEST_METHOD") == "POST":
            status = path.rsplit("/", 1)[1]
            arn = parse_qs(environ.get("QUERY_STRING", "")).get("arn", [""])[0]
            region = arn.split(":")[3] if arn.count(":") >= 5 else "us-east-1"
            from moto.core import DEFAULT_ACCOUNT_ID

            try:
                backends[DEFAULT_ACCOUNT_ID][region].get(arn).status = status
            except ResourceNotFound as e:
                return _json(start_response, 404, {"message": str(e)})
            return _json(start_response, 200, {"ConnectionArn": arn, "ConnectionStatus": status})
        return self.app(environ, start_response)

    def _answer(self, environ: dict[str, Any], start_response: Callable[..., Any], service: str, action: str) -> Any:
        scope = _scope(environ)
        region, account = scope if scope else ("us-east-1", "123456789012")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        raw = environ["wsgi.input"].read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
            result = handle(backends[account][region], service, action, body)
        except ResourceNotFound as e:
            return _json(start_response, 400, {"__type": "ResourceNotFoundException", "message": str(e)})
        except (InvalidInput, ValueError) as e:
            return _json(start_response, 400, {"__type": "ValidationException", "message": str(e)})
        return _json(start_response, 200, result)


def _json(start_response: Callable[..., Any], status: int, doc: dict[str, Any]) -> list[bytes]:
    data = json.dumps(doc).encode()
    reason = {200: "OK", 400: "Bad Request", 404: "Not Found"}[status]
    start_response(f"{status} {reason}", [("Content-Type", "application/x-amz-json-1.0"), ("Content-Length", str(len(data)))])
    return [data]


def apply() -> None:
    """Nothing to patch in moto itself: the service is the middleware above (server.build_app)."""

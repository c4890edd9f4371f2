"""CloudWatch over the Smithy RPC v2 CBOR protocol.

The AWS SDKs now call CloudWatch (the provider's aws_cloudwatch_metric_alarm and
aws_cloudwatch_dashboard, the AWS CLI's `cloudwatch get-dashboard`) with Smithy RPC v2 CBOR:
POST /service/GraniteServiceVersion20100801/operation/<Operation>, a CBOR body, header
smithy-protocol: rpc-v2-cbor. moto speaks only the older Query protocol to CloudWatch and
answers 404 to every such call. This adapter translates: the CBOR request is decoded with the
service model (botocore), re-encoded as the Query request moto understands and passed to moto;
moto's XML answer is parsed with the same model and encoded back as CBOR (errors as
{"__type", "message"} with the x-amzn-query-error header the SDKs read for CloudWatch).
"""

from __future__ import annotations

import io
import re
from typing import Any, Callable
from urllib.parse import urlencode

PATH = re.compile(r"^/service/GraniteServiceVersion20100801/operation/([A-Za-z]+)$")
NAMESPACE = "com.amazonaws.cloudwatch"


def _model() -> Any:
    import botocore.session

    return botocore.session.get_session().get_service_model("cloudwatch")


class CloudWatchCborMiddleware:
    def __init__(self, app: Callable[..., Any]):
        self.app = app
        self._model: Any = None

    @property
    def model(self) -> Any:
        if self._model is None:
            self._model = _model()
        return self._model

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        m = PATH.match(environ.get("PATH_INFO", ""))
        if not m or environ.get("REQUEST_METHOD") != "POST":
            return self.app(environ, start_response)
        from botocore.parsers import QueryParser, RpcV2CBORParser
        from botocore.serialize import QuerySerializer, RpcV2CBORSerializer

        operation = self.model.operation_model(m.group(1))
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        params: dict[str, Any] = {}
        if operation.input_shape is not None and body:
            params = RpcV2CBORParser().parse({"body": body, "headers": {}, "status_code": 200}, operation.input_shape)
            params.pop("ResponseMetadata", None)
        query = QuerySerializer().serialize_to_request(params, operation)
        form = urlencode(query["body"]).encode()

        inner = dict(environ)
        inner.update({
            "PATH_INFO": "/", "QUERY_STRING": "", "CONTENT_TYPE": "application/x-www-form-urlencoded; charset=utf-8",
            "CONTENT_LENGTH": str(len(form)), "wsgi.input": io.BytesIO(form),
        })
        inner.pop("HTTP_SMITHY_PROTOCOL", None)
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
            captured["status"], captured["headers"] = status, headers
            return lambda _data: None

        chunks = self.app(inner, capture)
        try:
            xml = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        code = int(captured["status"].split()[0])
        headers = {k.lower(): v for k, v in captured["headers"]}
        parsed = QueryParser().parse({"body": xml, "headers": headers, "status_code": code}, operation.output_shape)
        out_headers = [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor")]
        if "x-amzn-requestid" in headers:
            out_headers.append(("x-amzn-RequestId", headers["x-amzn-requestid"]))
        serializer = RpcV2CBORSerializer()
        data = bytearray()
        if code >= 300:
            error = parsed.get("Error", {})
            error_code = error.get("Code") or "InternalFailure"
            doc = {"__type": f"{NAMESPACE}#{error_code}", "message": error.get("Message", "")}
            _encode_plain(serializer, data, doc)
            out_headers.append(("x-amzn-query-error", f"{error_code};{'Sender' if code < 500 else 'Receiver'}"))
        else:
            parsed.pop("ResponseMetadata", None)
            if operation.output_shape is not None:
                serializer._serialize_data_item(data, parsed, operation.output_shape)
            else:
                data += b"\xa0"  # empty map
        out_headers.append(("Content-Length", str(len(data))))
        start_response(captured["status"], out_headers)
        return [bytes(data)]


def _encode_plain(_serializer: Any, data: bytearray, doc: dict[str, str]) -> None:
    """A CBOR map of strings (error bodies have no model shape)."""
    data += bytes([0xA0 + len(doc)])  # map of len(doc) < 24 pairs
    for key, value in doc.items():
        for text in (key, value):
            raw = text.encode()
            if len(raw) < 24:
                data += bytes([0x60 + len(raw)])
            elif len(raw) < 256:
                data += bytes([0x78, len(raw)])
            else:
                data += bytes([0x79]) + len(raw).to_bytes(2, "big")
            data += raw


def apply() -> None:
    """Nothing to patch in moto itself: the adapter is the middleware above (server.build_app)."""

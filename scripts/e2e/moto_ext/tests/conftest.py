"""Fixtures for the moto_ext tests: the extended server (python -m moto_ext, TLS + CONNECT proxy)
and, for comparison, stock moto (moto_server with the same certificate), both on 127.0.0.1.

Each patch test runs against both: on moto_ext the behaviour AWS has must hold, on stock moto the
gap must still show. When a stock case starts failing, moto has fixed the gap upstream: drop the
patch (the test says so).
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

E2E = Path(__file__).resolve().parents[2]  # scripts/e2e
sys.path.insert(0, str(E2E.parent / "tests"))  # scripts/tests: moto_process, shared with the ops tests
from moto_process import free_port, moto_server_bin, reset, start, stop, wait_ready  # noqa: E402

REGION = "ap-northeast-1"


@dataclass
class Server:
    name: str  # "ext" or "stock"
    endpoint: str
    ca: str
    proxy: str | None

    @property
    def ext(self) -> bool:
        return self.name == "ext"

    def client(self, service: str, **config: object):
        return boto3.client(
            service, region_name=REGION, endpoint_url=self.endpoint, verify=self.ca,
            aws_access_key_id="testing", aws_secret_access_key="testing",
            config=Config(retries={"max_attempts": 1, "mode": "standard"}, **config),
        )

    def cbor_client(self, service: str, data_dir: Path):
        """A client that speaks Smithy RPC v2 CBOR, as the Go SDK does (botocore itself prefers JSON)."""
        import json as _json

        import botocore.session

        loader_session = botocore.session.get_session()
        model = loader_session.get_component("data_loader").load_service_model(service, "service-2")
        model = _json.loads(_json.dumps(model))
        model["metadata"]["protocols"] = ["smithy-rpc-v2-cbor"]
        model["metadata"]["protocol"] = "smithy-rpc-v2-cbor"
        version = model["metadata"]["apiVersion"]
        target = data_dir / service / version
        target.mkdir(parents=True, exist_ok=True)
        (target / "service-2.json").write_text(_json.dumps(model))
        session = botocore.session.Session()
        session.set_config_variable("data_path", str(data_dir))
        return boto3.Session(botocore_session=session).client(
            service, region_name=REGION, endpoint_url=self.endpoint, verify=self.ca,
            aws_access_key_id="testing", aws_secret_access_key="testing",
            config=Config(retries={"max_attempts": 1, "mode": "standard"}))

    def reset(self) -> None:
        reset(self.endpoint, self.ca)

    def expect(self, holds: bool, what: str) -> None:
        """On moto_ext `holds` must be true; on stock moto it must still be false (the gap)."""
        if self.ext:
            assert holds, f"moto_ext: {what}"
        else:
            assert not holds, f"stock moto now does this itself ({what}): remove the moto_ext patch"


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("moto_ext")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "MOTO_IAM_LOAD_MANAGED_POLICIES"}
    env["PYTHONPATH"] = str(E2E)
    port, proxy_port, stock_port = free_port(), free_port(), free_port()
    ext_log, stock_log = tmp / "ext.log", tmp / "stock.log"
    ext = start([sys.executable, "-m", "moto_ext", "-p", str(port), "--tls-dir", str(tmp / "tls"), "--proxy-port", str(proxy_port)],
                ext_log, env)
    procs = [ext]
    try:
        ca = str(tmp / "tls" / "ca.pem")
        deadline = time.monotonic() + 60
        while not (tmp / "tls" / "server.key").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        stock = start([moto_server_bin(), "-H", "127.0.0.1", "-p", str(stock_port),
                       "-c", str(tmp / "tls" / "server.pem"), "-k", str(tmp / "tls" / "server.key")], stock_log, env)
        procs.append(stock)
        wait_ready(ext, f"https://127.0.0.1:{port}", ext_log, ca)
        wait_ready(stock, f"https://127.0.0.1:{stock_port}", stock_log, ca)
        yield {
            "ext": Server("ext", f"https://127.0.0.1:{port}", ca, f"http://127.0.0.1:{proxy_port}"),
            "stock": Server("stock", f"https://127.0.0.1:{stock_port}", ca, None),
        }
    finally:
        for p in procs:
            stop(p)


@pytest.fixture(params=["ext", "stock"])
def server(request, servers) -> Server:
    s = servers[request.param]
    s.reset()
    return s


@pytest.fixture
def ext(servers) -> Server:
    s = servers["ext"]
    s.reset()
    return s

"""Fixtures: a moto server on 127.0.0.1 (started and stopped here), boto3 clients for the
fixtures, and a runner that calls the ops scripts with the real AWS CLI pointed at moto."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from moto_process import BIN, free_port, moto_server_bin, reset, start, stop, wait_ready

HERE = Path(__file__).resolve().parent
SCRIPTS = HERE.parent
REPO = SCRIPTS.parent
STUBS = HERE / "stubs"
REGION = "ap-northeast-1"
@pytest.fixture(scope="session")
def moto_endpoint(tmp_path_factory):
    """moto_server on a free loopback port, for the whole session; always stopped."""
    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    proc = start([moto_server_bin(), "-H", "127.0.0.1", "-p", str(port)], log)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        wait_ready(proc, endpoint, log, timeout=30)
        yield endpoint
    finally:
        stop(proc)


@pytest.fixture(autouse=True)
def reset_moto(request):
    """Every test starts with an empty fake AWS account."""
    if "moto_endpoint" in request.fixturenames:
        reset(request.getfixturevalue("moto_endpoint"))
    yield


@pytest.fixture
def aws(moto_endpoint):
    """boto3 clients against moto: aws('ecs'), aws('ec2', region='us-west-2')."""

    def client(service: str, region: str = REGION):
        return boto3.client(
            service,
            region_name=region,
            endpoint_url=moto_endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    return client


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@pytest.fixture
def base_env(tmp_path, moto_endpoint):
    """Environment of a script run: the venv's aws first, moto as endpoint, fake credentials
    (default and profile `ops`), no real AWS configuration, a private TMPDIR."""
    home = tmp_path / "home"
    (home / ".aws").mkdir(parents=True)
    (home / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = testing\naws_secret_access_key = testing\n"
        "[ops]\naws_access_key_id = testing\naws_secret_access_key = testing\n"
    )
    (home / ".aws" / "config").write_text("[default]\n[profile ops]\n")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    return {
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "AWS_ENDPOINT_URL": moto_endpoint,
        "AWS_CONFIG_FILE": str(home / ".aws" / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / ".aws" / "credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "TMPDIR": str(tmp),
    }


@pytest.fixture
def run(base_env):
    """run("db/psql.sh", "dev", env={...}, input="...") -> Result (bounded by a timeout)."""

    def _run(script: str, *args: str, env: dict | None = None, input: str | None = None, timeout: int = 90) -> Result:
        full_env = {**base_env, **(env or {})}
        proc = subprocess.run(
            [str(SCRIPTS / script), *args],
            env=full_env,
            input=input if input is not None else "",
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=str(REPO),
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return _run


def secret_json(client, secret_id: str) -> dict:
    return json.loads(client.get_secret_value(SecretId=secret_id)["SecretString"])


def assert_usage_error(result: Result, message: str) -> None:
    assert result.code == 2, result
    assert result.stdout == ""
    first = result.stderr.splitlines()[0]
    assert first.startswith("error: ") and message in first, result.stderr
    assert "usage: " in result.stderr

"""insert_crm_integration_to_rds.sql: a template without personal data, run for real with psql
against a throw-away PostgreSQL (the schema of crm_integrations and users as the backend's
migrations create them)."""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import SCRIPTS, free_port

SQL = SCRIPTS / "salesforce-integration" / "aws-deployment" / "insert_crm_integration_to_rds.sql"
TOKEN = "00Dfake!AQ-token-never-printed-8c2e"
SCHEMA = """
CREATE TABLE users (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email VARCHAR(255) UNIQUE NOT NULL,
    password_hash VARCHAR(255) NOT NULL,
    name VARCHAR(255) NOT NULL
);
CREATE TABLE crm_integrations (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    provider VARCHAR(50) NOT NULL CHECK (provider IN ('salesforce')),
    org_id VARCHAR(255),
    instance_url VARCHAR(500),
    credentials JSONB NOT NULL,
    settings JSONB NOT NULL DEFAULT '{}',
    salesforce_settings JSONB,
    field_mappings JSONB NOT NULL DEFAULT '[]',
    sync_enabled BOOLEAN NOT NULL DEFAULT true,
    last_sync_at TIMESTAMP WITH TIME ZONE,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE(user_id, provider)
);
INSERT INTO users (email, password_hash, name) VALUES ('ops@example.com', 'x', 'Ops');
"""


def test_the_template_holds_no_personal_data_or_tokens():
    text = SQL.read_text()
    assert not re.search(r"[A-Za-z0-9._%+-]+@(?!example\.com)[A-Za-z0-9.-]+\.[a-z]{2,}", text), "an e-mail address other than example.com"
    assert not re.search(r"00D[A-Za-z0-9]{12,}!", text), "something like a Salesforce access token"
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", text), "a fixed UUID"
    for placeholder in (":'user_email'", ":'org_id'", ":'instance_url'", ":'sf_access_token'"):
        assert placeholder in text
    assert "ON CONFLICT (user_id, provider) DO UPDATE" in text
    assert "\\getenv sf_access_token SF_ACCESS_TOKEN" in text


def pg_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


@pytest.fixture(scope="module")
def postgres():
    """A PostgreSQL server on 127.0.0.1:<free port> with database markmail; always stopped."""
    initdb, pg_ctl, psql = pg_bin("initdb"), pg_bin("pg_ctl"), shutil.which("psql")
    if not (initdb and pg_ctl and psql):
        pytest.skip("PostgreSQL server binaries not installed (Debian: postgresql)")
    # Not under pytest's tmp dir: its parents are private to the current user, and the server
    # runs as postgres when the tests run as root.
    base = Path(tempfile.mkdtemp(prefix="markmail-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # postgres refuses to run as root
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(base, "postgres")
    data, port = base / "data", free_port()
    try:
        subprocess.run([*as_user, initdb, "-D", str(data), "-A", "trust", "-U", "markmail"], check=True, capture_output=True)
        subprocess.run(
            [*as_user, pg_ctl, "-D", str(data), "-l", str(base / "log"), "-w", "-t", "30", "-o", f"-k {base} -p {port} -c listen_addresses=127.0.0.1", "start"],
            check=True,
            capture_output=True,
        )
        env = {"PATH": os.environ["PATH"], "PGHOST": "127.0.0.1", "PGPORT": str(port), "PGUSER": "markmail"}
        subprocess.run([psql, "-d", "postgres", "-qc", "CREATE DATABASE markmail"], check=True, env=env, capture_output=True)
        subprocess.run([psql, "-d", "markmail", "-qc", SCHEMA], check=True, env=env, capture_output=True)
        yield {**env, "PGDATABASE": "markmail"}
    finally:
        subprocess.run([*as_user, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def run_sql(pg_env, *variables: str, token: str | None = TOKEN):
    env = dict(pg_env)
    if token is not None:
        env["SF_ACCESS_TOKEN"] = token
    args = ["psql", "-X", "-f", str(SQL)]
    for v in variables:
        args += ["-v", v]
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)


def query(pg_env, sql: str) -> str:
    return subprocess.run(["psql", "-X", "-At", "-c", sql], env=pg_env, capture_output=True, text=True, check=True).stdout.strip()


VARS = ("user_email=ops@example.com", "org_id=00D000000000000EAA", "instance_url=https://example.my.salesforce.com")


def test_upserts_one_row_and_never_prints_the_token(postgres):
    first = run_sql(postgres, *VARS)
    assert first.returncode == 0, first.stderr
    assert TOKEN not in first.stdout + first.stderr
    assert "salesforce" in first.stdout and "00D000000000000EAA" in first.stdout
    row = query(postgres, "SELECT provider, org_id, instance_url, credentials->>'access_token', credentials->'refresh_token', settings, salesforce_settings, field_mappings, sync_enabled FROM crm_integrations")
    assert row == f'salesforce|00D000000000000EAA|https://example.my.salesforce.com|{TOKEN}|null|{{"batch_size": 200, "sync_enabled": true, "sync_interval_minutes": 60}}|{{"api_version": "v60.0"}}|[]|t'

    again = run_sql(postgres, *VARS, "api_version=v61.0", token="second-token")
    assert again.returncode == 0, again.stderr
    assert query(postgres, "SELECT count(*), max(credentials->>'access_token'), max(salesforce_settings->>'api_version') FROM crm_integrations") == "1|second-token|v61.0"


def test_an_unknown_user_stops_with_a_clear_error(postgres):
    res = run_sql(postgres, "user_email=nobody@example.com", *VARS[1:])
    assert res.returncode == 3
    assert "no MarkMail user with the given user_email" in res.stderr
    assert TOKEN not in res.stdout + res.stderr


@pytest.mark.parametrize("missing", ["user_email", "org_id", "instance_url"])
def test_a_missing_variable_stops_before_anything_is_written(postgres, missing):
    before = query(postgres, "SELECT count(*) FROM crm_integrations")
    res = run_sql(postgres, *[v for v in VARS if not v.startswith(missing + "=")])
    assert res.returncode == 3
    assert f"set the psql variable {missing}" in res.stderr
    assert query(postgres, "SELECT count(*) FROM crm_integrations") == before


def test_the_token_must_come_from_the_environment(postgres):
    res = run_sql(postgres, *VARS, token=None)
    assert res.returncode == 3
    assert "set SF_ACCESS_TOKEN in the environment" in res.stderr

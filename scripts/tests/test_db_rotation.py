"""functions/db-rotation: the rotation function of markmail-<env>-db-secret, for real.

- The database is a throw-away PostgreSQL set up like Aurora: TLS required (non-TLS connections
  are rejected, as rds.force_ssl=1), SCRAM passwords, DDL statements logged (log_statement=ddl,
  as the cluster parameter group), and the master `markmail` is not a superuser but has
  CREATEROLE/CREATEDB and owns the database (RDS's master user).
- Secrets Manager and ECS are moto, in this process on 127.0.0.1, so RotateSecret is moto's own
  implementation: it creates the AWSPENDING version and invokes the function's four steps. Where
  moto would start the function in Docker it runs `rotation.handler` in-process instead (the
  Lambda runtime is the substitution), and RotateSecret without a function ARN keeps the
  configured one as AWS does; the function's boto3 calls go back to moto over HTTP.
- Logins are checked with psql (libpq), not with the function's own client.
"""

from __future__ import annotations

import glob
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
import zipfile
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import BIN, REGION, REPO, free_port

FUNCTION_DIR = REPO / "functions" / "db-rotation"
sys.path.insert(0, str(FUNCTION_DIR))
import pgwire  # noqa: E402
import rotation  # noqa: E402

SECRET = "markmail-dev-db-secret"
CLUSTER, SERVICE = "markmail-dev", "markmail-dev-backend"
FUNCTION = "markmail-dev-db-rotation"
ACCOUNT = "123456789012"


# ---------------------------------------------------------------------------------------------
# PostgreSQL like Aurora


def pg_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


class Postgres:
    def __init__(self, base: Path, port: int):
        self.base, self.port = base, port
        self.log = base / "log"

    def admin(self, sql: str, db: str = "postgres") -> str:
        """As the bootstrap superuser over the Unix socket, with statement logging off."""
        res = subprocess.run(
            ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", str(self.base), "-p", str(self.port), "-U", "rdsadmin", "-d", db],
            input=f"SET log_statement = 'none';\n{sql}\n",
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert res.returncode == 0, res.stderr
        return res.stdout.strip()

    def login(self, user: str, password: str, sql: str = "SELECT session_user || ' ' || current_user", sslmode: str = "require"):
        """psql over TCP with a password (libpq); returns (ok, output)."""
        conninfo = f"host=127.0.0.1 port={self.port} dbname=markmail user={user} sslmode={sslmode} connect_timeout=10"
        res = subprocess.run(["psql", "-X", "-At", conninfo, "-c", sql], env={"PATH": os.environ["PATH"], "PGPASSWORD": password}, capture_output=True, text=True, timeout=60)
        return res.returncode == 0, (res.stdout + res.stderr).strip()

    def url_login(self, url: str):
        res = subprocess.run(["psql", "-X", "-At", url, "-c", "SELECT session_user || ' ' || current_user"], env={"PATH": os.environ["PATH"]}, capture_output=True, text=True, timeout=60)
        return res.returncode == 0, (res.stdout + res.stderr).strip()


@pytest.fixture(scope="module")
def pg():
    initdb, pg_ctl = pg_bin("initdb"), pg_bin("pg_ctl")
    assert initdb and pg_ctl and shutil.which("psql") and shutil.which("openssl"), (
        "PostgreSQL server binaries and openssl are required (Debian: postgresql); scripts/tests/run.sh installs them on CI"
    )
    base = Path(tempfile.mkdtemp(prefix="markmail-rotation-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(base, "postgres")
    data, port = base / "data", free_port()
    run = lambda *cmd: subprocess.run([*as_user, *cmd], check=True, capture_output=True, timeout=120)  # noqa: E731
    try:
        run(initdb, "-D", str(data), "-U", "rdsadmin", "-A", "trust")
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
            "-keyout", str(data / "server.key"), "-out", str(data / "server.crt"))
        hba = "local all rdsadmin trust\nhostssl all all 127.0.0.1/32 scram-sha-256\nhost all all 127.0.0.1/32 reject\n"
        run("sh", "-c", f"printf '%s' '{hba}' > {data}/pg_hba.conf")
        options = (
            f"-k {base} -p {port} -c listen_addresses=127.0.0.1 -c ssl=on -c ssl_cert_file=server.crt "
            "-c ssl_key_file=server.key -c password_encryption=scram-sha-256 -c log_statement=ddl"
        )
        run(pg_ctl, "-D", str(data), "-l", str(base / "log"), "-w", "-t", "30", "-o", options, "start")
        server = Postgres(base, port)
        server.admin("CREATE ROLE markmail LOGIN CREATEROLE CREATEDB PASSWORD 'bootstrap-only';")
        server.admin("CREATE DATABASE markmail OWNER markmail;")
        server.admin("SET ROLE markmail; CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL); INSERT INTO users (email) VALUES ('ops@example.com');", db="markmail")
        yield server
    finally:
        subprocess.run([*as_user, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# moto in this process, running the function where moto would start a container


@pytest.fixture(scope="module")
def moto_endpoint_rotation():
    from moto.awslambda import models as lambda_models
    from moto.server import ThreadedMotoServer

    def run_handler(self, event=None):  # replaces LambdaFunction._invoke_lambda (Docker)
        payload = event if isinstance(event, dict) else json.loads(event or "{}")
        # An exception aborts moto's RotateSecret before it touches the labels, as a failed step does on AWS.
        result = rotation.handler(payload, None)
        return json.dumps(result), False, ""

    from moto.secretsmanager.models import SecretsManagerBackend

    real_rotate = SecretsManagerBackend.rotate_secret

    def rotate_keeping_the_function(self, secret_id, client_request_token=None, rotation_lambda_arn=None, rotation_rules=None, rotate_immediately=True):
        # AWS keeps the configured function when RotateSecret names none (the guide's manual
        # `aws secretsmanager rotate-secret --secret-id ...`); moto would forget it.
        if rotation_lambda_arn is None and self._is_valid_identifier(secret_id):
            rotation_lambda_arn = self.secrets[secret_id].rotation_lambda_arn or None
        return real_rotate(self, secret_id, client_request_token, rotation_lambda_arn, rotation_rules, rotate_immediately)

    original = lambda_models.LambdaFunction._invoke_lambda
    lambda_models.LambdaFunction._invoke_lambda = run_handler
    SecretsManagerBackend.rotate_secret = rotate_keeping_the_function
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()
        lambda_models.LambdaFunction._invoke_lambda = original
        SecretsManagerBackend.rotate_secret = real_rotate


@pytest.fixture
def env(moto_endpoint_rotation, monkeypatch):
    """The function's environment: moto as endpoint, fake credentials, the backend to redeploy."""
    import urllib.request

    urllib.request.urlopen(urllib.request.Request(f"{moto_endpoint_rotation}/moto-api/reset", method="POST"), timeout=10).read()
    values = {
        "AWS_ENDPOINT_URL": moto_endpoint_rotation,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "AWS_EC2_METADATA_DISABLED": "true",
        "ROTATION_STRATEGY": "alternating",
        "ECS_CLUSTER": CLUSTER,
        "ECS_SERVICE": SERVICE,
    }
    for k, v in values.items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return values


def client(service: str):
    # No retries: a failed rotation must fail the call once, not start three more rotations.
    return boto3.client(service, region_name=REGION, config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))


def function_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in ("rotation.py", "pgwire.py"):
            z.write(FUNCTION_DIR / name, name)
    return buf.getvalue()


@pytest.fixture
def db_secret(env, pg):
    """markmail-dev-db-secret as Terraform writes it (master user, url with sslmode=require), the
    database reset to match, rotation configured with the function, and the backend service."""
    password = rotation.new_password()
    pg.admin(
        "DROP ROLE IF EXISTS markmail_clone; "
        f"ALTER ROLE markmail CREATEROLE PASSWORD '{password}'; "
        "DROP TABLE IF EXISTS made_by_clone;",
    )
    pg.admin("DROP TABLE IF EXISTS made_by_clone;", db="markmail")
    value = {
        "username": "markmail",
        "password": password,
        "engine": "postgres",
        "host": "127.0.0.1",
        "port": str(pg.port),
        "dbname": "markmail",
        "url": f"postgresql://markmail:{password}@127.0.0.1:{pg.port}/markmail?sslmode=require",
    }
    sm = client("secretsmanager")
    arn = sm.create_secret(Name=SECRET, SecretString=json.dumps(value))["ARN"]

    iam = client("iam")
    role = iam.create_role(RoleName=FUNCTION, AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
    fn = client("lambda").create_function(FunctionName=FUNCTION, Runtime="python3.12", Role=role, Handler="rotation.handler", Code={"ZipFile": function_zip()})["FunctionArn"]
    # Terraform's aws_secretsmanager_secret_rotation with rotate_immediately = false.
    sm.rotate_secret(SecretId=SECRET, RotationLambdaARN=fn, RotationRules={"AutomaticallyAfterDays": 30}, RotateImmediately=False)

    ecs = client("ecs")
    ecs.create_cluster(clusterName=CLUSTER)
    ecs.register_task_definition(family=SERVICE, containerDefinitions=[{"name": "backend", "image": "backend:bootstrap", "memory": 512}])
    ecs.create_service(cluster=CLUSTER, serviceName=SERVICE, taskDefinition=SERVICE, desiredCount=1)
    return {"arn": arn, "initial": value}


def stage(name: str, version_stage: str = "AWSCURRENT") -> dict:
    return json.loads(client("secretsmanager").get_secret_value(SecretId=SECRET, VersionStage=version_stage)["SecretString"])


def rotate() -> None:
    client("secretsmanager").rotate_secret(SecretId=SECRET)


def deployment_id() -> str:
    return client("ecs").describe_services(cluster=CLUSTER, services=[SERVICE])["services"][0]["deployments"][0]["id"]


def run_steps(token: str) -> None:
    """What Secrets Manager does when it reattempts a rotation: the four steps with the same token."""
    for step in ("createSecret", "setSecret", "testSecret", "finishSecret"):
        rotation.handler({"Step": step, "SecretId": SECRET, "ClientRequestToken": token}, None)


def pending_token() -> str | None:
    versions = client("secretsmanager").describe_secret(SecretId=SECRET)["VersionIdsToStages"]
    return next((v for v, s in versions.items() if "AWSPENDING" in s and "AWSCURRENT" not in s), None)


# ---------------------------------------------------------------------------------------------
# Alternating users


def test_first_rotation_moves_to_the_clone_and_the_old_login_keeps_working(db_secret, pg):
    before = deployment_id()
    rotate()
    current, previous = stage(SECRET), stage(SECRET, "AWSPREVIOUS")
    initial = db_secret["initial"]
    assert current["username"] == "markmail_clone"
    assert current["password"] != initial["password"] and len(current["password"]) == 40 and current["password"].isalnum()
    assert list(current) == list(initial), "same keys in the same order"
    assert {k: current[k] for k in ("engine", "host", "port", "dbname")} == {k: initial[k] for k in ("engine", "host", "port", "dbname")}
    assert current["url"] == f"postgresql://markmail_clone:{current['password']}@127.0.0.1:{pg.port}/markmail?sslmode=require"
    assert previous == initial

    # The new login works, through the fields and through the url the backend uses; it acts as markmail.
    assert pg.login("markmail_clone", current["password"]) == (True, "markmail_clone markmail")
    assert pg.url_login(current["url"]) == (True, "markmail_clone markmail")
    assert pg.login("markmail_clone", current["password"], "SELECT count(*) FROM users") == (True, "1")
    # The previous one still works until the next rotation: running tasks and open pools are fine.
    assert pg.login("markmail", initial["password"]) == (True, "markmail markmail")
    # And the backend was told to start tasks with the new value.
    assert deployment_id() != before


def test_second_rotation_alternates_back_and_retires_the_oldest_password(db_secret, pg):
    rotate()
    first = stage(SECRET)
    rotate()
    current, previous = stage(SECRET), stage(SECRET, "AWSPREVIOUS")
    assert current["username"] == "markmail" and previous == first
    assert current["password"] not in (first["password"], db_secret["initial"]["password"])
    assert pg.login("markmail", current["password"]) == (True, "markmail markmail")
    assert pg.url_login(current["url"]) == (True, "markmail markmail")
    assert pg.login("markmail_clone", first["password"])[0], "the previous user keeps working until the next rotation"
    ok, out = pg.login("markmail", db_secret["initial"]["password"])
    assert not ok and "password authentication failed" in out, "the password from two rotations ago is gone"

    rotate()
    third = stage(SECRET)
    assert third["username"] == "markmail_clone"
    assert not pg.login("markmail_clone", first["password"])[0]
    assert pg.login("markmail_clone", third["password"])[0] and pg.login("markmail", current["password"])[0]


def test_objects_made_through_the_clone_belong_to_markmail(db_secret, pg):
    rotate()
    clone = stage(SECRET)
    ok, out = pg.login("markmail_clone", clone["password"], "CREATE TABLE made_by_clone (id int); SELECT tableowner FROM pg_tables WHERE tablename = 'made_by_clone'")
    assert (ok, out.splitlines()[-1]) == (True, "markmail"), out
    # After the next rotation the backend logs in as markmail again and owns what it made as the clone.
    rotate()
    assert pg.login("markmail", stage(SECRET)["password"], "ALTER TABLE made_by_clone ADD COLUMN note text; SELECT 'ok'")[1].endswith("ok")


def test_no_password_reaches_the_database_log(db_secret, pg):
    rotate()
    rotate()
    log = pg.log.read_text()
    passwords = [stage(SECRET)["password"], stage(SECRET, "AWSPREVIOUS")["password"], db_secret["initial"]["password"]]
    assert "CREATE ROLE" in log and "ALTER ROLE" in log and "SCRAM-SHA-256$4096:" in log, "the DDL is logged (log_statement=ddl)"
    for pw in passwords:
        assert pw not in log


# ---------------------------------------------------------------------------------------------
# Failures and retries


def test_a_failed_rotation_leaves_awscurrent_and_the_reattempt_succeeds(db_secret, pg):
    initial = db_secret["initial"]
    pg.admin("ALTER ROLE markmail NOCREATEROLE;")  # the clone cannot be created: setSecret fails
    before = deployment_id()
    with pytest.raises(ClientError):
        rotate()
    assert stage(SECRET) == initial, "AWSCURRENT unchanged"
    assert pg.login("markmail", initial["password"])[0] and pg.url_login(initial["url"])[0], "the backend's login still works"
    assert pg.admin("SELECT count(*) FROM pg_roles WHERE rolname = 'markmail_clone'") == "0", "no half-made clone"
    assert deployment_id() == before, "no redeploy for a rotation that did not finish"
    token = pending_token()
    assert token is not None and stage(SECRET, "AWSPENDING")["username"] == "markmail_clone"

    # Secrets Manager reattempts with the same token once the cause is fixed.
    pg.admin("ALTER ROLE markmail CREATEROLE;")
    run_steps(token)
    current = stage(SECRET)
    assert current["username"] == "markmail_clone" and pg.login("markmail_clone", current["password"])[0]
    assert pending_token() is None and deployment_id() != before
    # The next scheduled rotation goes on from there.
    rotate()
    assert stage(SECRET)["username"] == "markmail"


def test_a_fresh_rotation_after_a_failure_succeeds_too(db_secret, pg):
    pg.admin("ALTER ROLE markmail NOCREATEROLE;")
    with pytest.raises(ClientError):
        rotate()
    pg.admin("ALTER ROLE markmail CREATEROLE;")
    rotate()  # a new token (moto moves AWSPENDING to it)
    current = stage(SECRET)
    assert current["username"] == "markmail_clone" and pg.login("markmail_clone", current["password"])[0]
    assert pg.login("markmail", db_secret["initial"]["password"])[0]


def test_a_step_that_fails_after_setsecret_is_repaired_by_the_reattempt(db_secret, pg, monkeypatch):
    # testSecret fails once (as if the writer failed over right then); the password is set already.
    calls = {"n": 0}
    real = rotation.test_secret

    def flaky(*args):
        calls["n"] += 1
        if calls["n"] == 1:
            raise rotation.RotationError("testSecret: simulated failover")
        return real(*args)

    monkeypatch.setattr(rotation, "test_secret", flaky)
    with pytest.raises(ClientError):
        rotate()
    initial = db_secret["initial"]
    assert stage(SECRET) == initial and pg.login("markmail", initial["password"])[0]
    token = pending_token()
    pending = stage(SECRET, "AWSPENDING")
    assert pg.login("markmail_clone", pending["password"])[0], "setSecret had run"
    run_steps(token)  # createSecret and setSecret find their work done; testSecret and finishSecret complete
    assert stage(SECRET) == pending


def test_terraform_rewriting_the_secret_then_rotating(db_secret, pg):
    """database.passwordVersion bumped: Terraform sets the master password and writes the secret as
    markmail again (a new AWSCURRENT). The next rotation still works: the clone sets its own password."""
    rotate()
    clone = stage(SECRET)
    tf_password = rotation.new_password()
    pg.admin(f"ALTER ROLE markmail PASSWORD '{tf_password}';")
    rewritten = {**db_secret["initial"], "password": tf_password, "url": db_secret["initial"]["url"].replace(db_secret["initial"]["password"], tf_password)}
    client("secretsmanager").put_secret_value(SecretId=SECRET, SecretString=json.dumps(rewritten))
    assert stage(SECRET) == rewritten and stage(SECRET, "AWSPREVIOUS") == clone
    rotate()
    current = stage(SECRET)
    assert current["username"] == "markmail_clone" and current["password"] != clone["password"]
    assert pg.login("markmail_clone", current["password"])[0] and pg.login("markmail", tf_password)[0]


def test_the_function_refuses_what_is_not_a_rotation_in_progress(db_secret):
    with pytest.raises(rotation.RotationError, match="has no stage for rotation"):
        rotation.handler({"Step": "createSecret", "SecretId": SECRET, "ClientRequestToken": str(uuid.uuid4())}, None)
    current = client("secretsmanager").describe_secret(SecretId=SECRET)["VersionIdsToStages"]
    token = next(v for v, s in current.items() if "AWSCURRENT" in s)
    rotation.handler({"Step": "setSecret", "SecretId": SECRET, "ClientRequestToken": token}, None)  # AWSCURRENT: nothing to do
    assert stage(SECRET) == db_secret["initial"]


def test_the_backend_not_deployed_yet_does_not_fail_the_rotation(db_secret):
    client("ecs").delete_service(cluster=CLUSTER, service=SERVICE, force=True)
    rotate()
    assert stage(SECRET)["username"] == "markmail_clone"


# ---------------------------------------------------------------------------------------------
# Single user


def test_single_user_rotation_changes_the_password_in_place(db_secret, pg, monkeypatch):
    monkeypatch.setenv("ROTATION_STRATEGY", "single")
    rotate()
    current = stage(SECRET)
    assert current["username"] == "markmail" and current["password"] != db_secret["initial"]["password"]
    assert pg.login("markmail", current["password"]) == (True, "markmail markmail")
    assert not pg.login("markmail", db_secret["initial"]["password"])[0], "single user: the old password stops at once"
    assert pg.admin("SELECT count(*) FROM pg_roles WHERE rolname = 'markmail_clone'") == "0"


# ---------------------------------------------------------------------------------------------
# The guide's manual flow with the real AWS CLI


def test_manual_rotate_secret_and_the_guides_password_command(db_secret, pg, env, tmp_path):
    assert shutil.which("jq"), "jq is required (the guide pipes to it); scripts/tests/run.sh installs it on CI"
    cli_env = {
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "AWS_ENDPOINT_URL": env["AWS_ENDPOINT_URL"],
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_MAX_ATTEMPTS": "1",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    sh = lambda cmd: subprocess.run(["bash", "-o", "pipefail", "-c", cmd], env=cli_env, capture_output=True, text=True, timeout=120)  # noqa: E731
    rotated = sh(f"aws secretsmanager rotate-secret --secret-id {SECRET} --query Name --output text")
    assert (rotated.returncode, rotated.stdout.strip()) == (0, SECRET), rotated.stderr
    password = sh(f"aws secretsmanager get-secret-value --secret-id {SECRET} --query SecretString --output text | jq -r .password")
    user = sh(f"aws secretsmanager get-secret-value --secret-id {SECRET} --query SecretString --output text | jq -r .username")
    assert password.returncode == 0 and user.returncode == 0
    current = stage(SECRET)
    assert (user.stdout.strip(), password.stdout.strip()) == (current["username"], current["password"])
    assert pg.login(user.stdout.strip(), password.stdout.strip())[0]
    last = sh(f"aws secretsmanager describe-secret --secret-id {SECRET} --query LastRotatedDate --output text")
    assert last.returncode == 0 and last.stdout.strip() not in ("", "None")


# ---------------------------------------------------------------------------------------------
# The client's own guarantees


def test_the_client_refuses_a_server_without_tls_and_reports_bad_passwords(pg):
    with pytest.raises(pgwire.PgError) as bad:
        pgwire.Connection("127.0.0.1", pg.port, "markmail", "wrong-password", "markmail")
    assert bad.value.sqlstate == "28P01"
    with pytest.raises(pgwire.PgError) as plain:  # pg_hba rejects non-TLS, as rds.force_ssl does
        pgwire.Connection("127.0.0.1", pg.port, "markmail", "x", "markmail", sslmode="disable")
    assert plain.value.sqlstate == "28000"


def test_scram_verifier_matches_postgresql(pg):
    password = rotation.new_password()
    verifier = pgwire.scram_verifier(password, salt=b"0123456789abcdef")
    pg.admin(f"DROP ROLE IF EXISTS verifier_check; CREATE ROLE verifier_check LOGIN PASSWORD '{verifier}';")
    try:
        assert pg.admin("SELECT rolpassword FROM pg_authid WHERE rolname = 'verifier_check'") == verifier
        assert pg.login("verifier_check", password)[0]
        assert not pg.login("verifier_check", password + "x")[0]
    finally:
        pg.admin("DROP ROLE IF EXISTS verifier_check;")

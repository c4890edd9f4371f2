"""scripts/db/psql.sh: AWS lookups against moto with the real CLI; the SSM session and psql are
stubs (moto cannot emulate session-manager-plugin), which record what they were given."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from conftest import STUBS, assert_usage_error

SCRIPT = "db/psql.sh"
PASSWORD = "pw-Zk3q9-not-for-output"
WRITER = "markmail-dev"


@pytest.fixture
def stub_env(tmp_path):
    out = tmp_path / "stubs"
    out.mkdir()
    return out, {
        "MARKMAIL_SSM": str(STUBS / "fake-ssm"),
        "MARKMAIL_PSQL": str(STUBS / "fake-psql"),
        "FAKE_STUB_DIR": str(out),
        "MARKMAIL_TUNNEL_TIMEOUT": "15",
    }


def bastion(aws, state: str = "running", name: str = "markmail-dev-bastion") -> str:
    ec2 = aws("ec2")
    iid = ec2.run_instances(
        ImageId="ami-12345678",  # moto accepts any id; describe_images would cost seconds
        MinCount=1,
        MaxCount=1,
        InstanceType="t3.micro",
        TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": name}]}],
    )["Instances"][0]["InstanceId"]
    if state == "stopped":
        ec2.stop_instances(InstanceIds=[iid])
    return iid


@pytest.fixture
def environment(aws):
    """A running bastion, the writer instance markmail-dev and markmail-dev-db-secret."""
    iid = bastion(aws)
    bastion(aws, name="markmail-staging-bastion")
    rds = aws("rds")
    endpoint = rds.create_db_instance(
        DBInstanceIdentifier=WRITER,
        DBInstanceClass="db.t4g.medium",
        Engine="postgres",
        MasterUsername="markmail",
        MasterUserPassword="unused-by-the-script",
        AllocatedStorage=20,
    )["DBInstance"]
    host = rds.describe_db_instances(DBInstanceIdentifier=WRITER)["DBInstances"][0]["Endpoint"]["Address"]
    aws("secretsmanager").create_secret(
        Name="markmail-dev-db-secret",
        SecretString=json.dumps({"username": "markmail", "password": PASSWORD, "engine": "postgres", "host": host, "port": 5432, "dbname": "markmail"}),
    )
    assert endpoint
    return iid, host


def recorded(out, name):
    return json.loads((out / f"{name}.json").read_text())


def assert_session_ended(out):
    ssm = recorded(out, "ssm")
    assert (out / "ssm.terminated").exists(), "the SSM session was not terminated"
    with pytest.raises(ProcessLookupError):
        os.kill(ssm["pid"], 0)


class TestArguments:
    def test_help(self, run):
        res = run(SCRIPT, "--help")
        assert res.code == 0
        assert res.stdout.startswith("usage: psql.sh <dev|staging|prod> [-f file.sql]")
        assert "AWS-StartPortForwardingSessionToRemoteHost" in res.stdout

    @pytest.mark.parametrize(
        "args, message",
        [
            ((), "expected 1 argument (<env>), got 0"),
            (("dev", "prod"), "expected 1 argument (<env>), got 2"),
            (("test",), 'environment "test" is not valid'),
            (("dev", "-f", "does-not-exist.sql"), "-f does-not-exist.sql: no such readable file"),
            (("dev", "-f"), "-f needs a value"),
            (("dev", "-v", "no-equals-sign"), "-v expects NAME=VALUE"),
            (("dev", "--local-port", "80"), "--local-port must be a number 1024-65535"),
            (("dev", "--bogus"), "unknown option: --bogus"),
            (("dev", "--region", "nowhere"), '--region "nowhere" is not valid'),
        ],
    )
    def test_bad_arguments_exit_2_with_usage(self, run, args, message):
        assert_usage_error(run(SCRIPT, *args), message)

    def test_without_the_session_manager_plugin(self, run, stub_env, base_env, tmp_path):
        _, env = stub_env
        # A PATH with only what the script needs before that check: bash, aws, python3, the psql stub.
        bindir = tmp_path / "bin"
        bindir.mkdir()
        for tool in ("bash", "aws", "python3", "dirname", "basename"):
            found = shutil.which(tool, path=base_env["PATH"])
            assert found, tool
            (bindir / tool).symlink_to(found)
        res = run(SCRIPT, "dev", env={**env, "MARKMAIL_SSM": "", "PATH": str(bindir)})
        assert res.code == 1
        assert "error: session-manager-plugin not found: install the Session Manager plugin" in res.stderr


class TestAgainstMoto:
    def test_tunnel_password_and_psql(self, run, environment, stub_env):
        iid, host = environment
        out, env = stub_env
        res = run(SCRIPT, "dev", env=env)
        assert res.code == 0, res
        ssm = recorded(out, "ssm")["argv"]
        assert ssm[:2] == ["--region", "ap-northeast-1"]
        assert ssm[ssm.index("--target") + 1] == iid
        assert ssm[ssm.index("--document-name") + 1] == "AWS-StartPortForwardingSessionToRemoteHost"
        params = json.loads(ssm[ssm.index("--parameters") + 1])
        assert params["host"] == [host]
        assert params["portNumber"] == ["5432"]
        port = params["localPortNumber"][0]
        psql = recorded(out, "psql")
        assert psql["argv"] == ["-h", "127.0.0.1", "-p", port, "-U", "markmail", "-d", "markmail"]
        assert psql["connected"] is True, "psql ran before the tunnel was open"
        assert psql["pgpassword"] == PASSWORD
        assert psql["pgsslmode"] == "require"
        assert PASSWORD not in res.output
        assert res.stderr == f"tunnel: 127.0.0.1:{port} -> markmail-dev-bastion ({iid}) -> {host}:5432\n"
        assert res.stdout == "fake psql ran\n"
        assert_session_ended(out)

    def test_file_variables_passthrough_and_profile(self, run, environment, stub_env, tmp_path):
        out, env = stub_env
        sql = tmp_path / "q.sql"
        sql.write_text("select 1;\n")
        res = run(SCRIPT, "dev", "-f", str(sql), "-v", "user_email=ops@example.com", "--local-port", "45678", "--profile", "ops", "--", "-X", env=env)
        assert res.code == 0, res
        assert recorded(out, "ssm")["argv"][:4] == ["--region", "ap-northeast-1", "--profile", "ops"]
        assert recorded(out, "psql")["argv"] == [
            "-h", "127.0.0.1", "-p", "45678", "-U", "markmail", "-d", "markmail",
            "-v", "user_email=ops@example.com", "-v", "ON_ERROR_STOP=1", "-f", str(sql), "-X",
        ]
        assert_session_ended(out)

    def test_psql_exit_code_is_returned_and_the_session_still_ends(self, run, environment, stub_env):
        out, env = stub_env
        res = run(SCRIPT, "dev", env={**env, "FAKE_PSQL_EXIT": "3"})
        assert res.code == 3
        assert_session_ended(out)

    def test_no_running_bastion(self, run, aws, stub_env):
        bastion(aws, state="stopped")
        _, env = stub_env
        res = run(SCRIPT, "dev", env=env)
        assert res.code == 1
        assert "error: no running instance tagged Name=markmail-dev-bastion in ap-northeast-1: start it with scripts/bastion.sh dev on" in res.stderr

    def test_no_writer_instance(self, run, aws, stub_env):
        bastion(aws)
        _, env = stub_env
        res = run(SCRIPT, "dev", env=env)
        assert res.code == 1
        assert "error: no DB instance markmail-dev in ap-northeast-1: deploy markmail-dev-database first" in res.stderr

    def test_missing_db_secret_ends_the_session(self, run, environment, stub_env, aws):
        aws("secretsmanager").delete_secret(SecretId="markmail-dev-db-secret", ForceDeleteWithoutRecovery=True)
        out, env = stub_env
        res = run(SCRIPT, "dev", env=env)
        assert res.code == 1
        assert "secret markmail-dev-db-secret not found in ap-northeast-1" in res.stderr
        assert not (out / "psql.json").exists()
        assert_session_ended(out)

    def test_logs_in_as_the_user_the_rotation_made_current(self, run, environment, stub_env, aws):
        # After a rotation the secret names markmail_clone (it acts as markmail in the database).
        value = json.loads(aws("secretsmanager").get_secret_value(SecretId="markmail-dev-db-secret")["SecretString"])
        aws("secretsmanager").put_secret_value(SecretId="markmail-dev-db-secret", SecretString=json.dumps({**value, "username": "markmail_clone"}))
        out, env = stub_env
        res = run(SCRIPT, "dev", env=env)
        assert res.code == 0, res.stderr
        psql = json.loads((out / "psql.json").read_text())
        assert psql["argv"][4:6] == ["-U", "markmail_clone"]

    def test_a_username_that_is_not_a_role_name(self, run, environment, stub_env, aws):
        aws("secretsmanager").put_secret_value(SecretId="markmail-dev-db-secret", SecretString=json.dumps({"username": "x; drop", "password": "p"}))
        out, env = stub_env
        res = run(SCRIPT, "dev", env=env)
        assert res.code == 1 and "username is not a plain role name" in res.stderr
        assert not (out / "psql.json").exists()

    def test_a_secret_without_password(self, run, environment, stub_env, aws):
        aws("secretsmanager").put_secret_value(SecretId="markmail-dev-db-secret", SecretString=json.dumps({"username": "markmail"}))
        out, env = stub_env
        res = run(SCRIPT, "dev", env=env)
        assert res.code == 1
        assert 'markmail-dev-db-secret: secret has no non-empty string key "password"' in res.stderr
        assert not (out / "psql.json").exists()

    def test_session_that_fails_to_start(self, run, environment, stub_env):
        out, env = stub_env
        res = run(SCRIPT, "dev", env={**env, "FAKE_SSM_MODE": "die"})
        assert res.code == 1
        assert "error: the SSM session ended before the tunnel opened: An error occurred (TargetNotConnected)" in res.stderr
        assert not (out / "psql.json").exists()



def test_prefers_the_cluster_endpoint_which_follows_the_writer(run, aws, environment, stub_env):
    """After a failover markmail-<env> may be a reader; the cluster endpoint always reaches the writer."""
    cluster = aws("rds").create_db_cluster(
        DBClusterIdentifier="markmail-dev-cluster",
        Engine="aurora-postgresql",
        MasterUsername="markmail",
        MasterUserPassword="unused-by-the-script",
    )["DBCluster"]
    out, env = stub_env
    res = run(SCRIPT, "dev", env=env)
    assert res.code == 0, res
    ssm = recorded(out, "ssm")["argv"]
    params = json.loads(ssm[ssm.index("--parameters") + 1])
    assert params["host"] == [cluster["Endpoint"]]

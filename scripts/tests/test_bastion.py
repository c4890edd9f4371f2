"""scripts/bastion.sh: on/off through a recording cdktf stub, status against moto."""

from __future__ import annotations

import json

import pytest

from conftest import REPO, assert_usage_error

SCRIPT = "bastion.sh"


@pytest.fixture
def cdktf(tmp_path):
    """A stand-in for `npx cdktf` that records its argv, cwd and the environment it got."""
    log = tmp_path / "cdktf.json"
    stub = tmp_path / "cdktf"
    stub.write_text(
        "#!/usr/bin/env python3\nimport json, os, sys\n"
        f"json.dump({{'argv': sys.argv[1:], 'cwd': os.getcwd(), 'env': {{k: os.environ.get(k) for k in "
        "('CREATE_BASTION', 'CDK_CONTEXT_ENVIRONMENT', 'AWS_PROFILE', 'AWS_REGION', 'MARKMAIL_REGION')}}, "
        f"open({str(log)!r}, 'w'))\n"
    )
    stub.chmod(0o755)
    return {"MARKMAIL_CDKTF": str(stub)}, log


def test_help(run):
    res = run(SCRIPT, "--help")
    assert res.code == 0
    assert res.stdout.startswith("usage: bastion.sh <dev|staging|prod> <on|off|status>")


@pytest.mark.parametrize(
    "args, message",
    [
        ((), "expected 2 arguments (<env> <on|off|status>), got 0"),
        (("dev",), "got 1"),
        (("dev", "up"), 'action "up" is not valid: expected on, off or status'),
        (("uat", "on"), 'environment "uat" is not valid'),
        (("dev", "on", "--force"), "unknown option: --force"),
    ],
)
def test_bad_arguments_exit_2_with_usage(run, args, message):
    assert_usage_error(run(SCRIPT, *args), message)


def test_on_deploys_the_bastion_stack(run, cdktf):
    env, log = cdktf
    res = run(SCRIPT, "staging", "on", "--profile", "ops", env=env)
    assert res.code == 0, res
    got = json.loads(log.read_text())
    assert got["argv"] == ["deploy", "markmail-staging-bastion"]
    assert got["cwd"] == str(REPO)
    assert got["env"] == {"CREATE_BASTION": "true", "CDK_CONTEXT_ENVIRONMENT": "staging", "AWS_PROFILE": "ops", "AWS_REGION": None, "MARKMAIL_REGION": None}
    assert "CREATE_BASTION=true CDK_CONTEXT_ENVIRONMENT=staging" in res.stderr


def test_off_destroys_it(run, cdktf):
    env, log = cdktf
    res = run(SCRIPT, "dev", "off", "--auto-approve", "--region", "us-west-2", env=env)
    assert res.code == 0, res
    got = json.loads(log.read_text())
    assert got["argv"] == ["destroy", "markmail-dev-bastion", "--auto-approve"]
    assert got["env"]["AWS_REGION"] == got["env"]["MARKMAIL_REGION"] == "us-west-2"


def test_status_lists_the_instance(run, aws):
    ec2 = aws("ec2")
    iid = ec2.run_instances(
        ImageId="ami-12345678",
        MinCount=1,
        MaxCount=1,
        InstanceType="t3.micro",
        TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "markmail-dev-bastion"}]}],
    )["Instances"][0]["InstanceId"]
    res = run(SCRIPT, "dev", "status")
    assert res.code == 0, res
    assert "markmail-dev-bastion in ap-northeast-1:" in res.stdout
    row = [line for line in res.stdout.splitlines() if iid in line]
    assert len(row) == 1 and "running" in row[0] and "t3.micro" in row[0]


def test_status_without_instance(run, aws):
    res = run(SCRIPT, "prod", "status")
    assert res.code == 0, res
    assert res.stdout.strip() == "markmail-prod-bastion: no instance in ap-northeast-1 (start it with: bastion.sh prod on)"

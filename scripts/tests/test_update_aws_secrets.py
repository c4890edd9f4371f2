"""scripts/salesforce-integration/aws-deployment/update_aws_secrets.sh against moto."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import BIN, assert_usage_error, secret_json

SCRIPT = "salesforce-integration/aws-deployment/update_aws_secrets.sh"
SECRET = "markmail-dev-salesforce-secret"
NEW_ID = "3MVG9new-client-id.for-test"
NEW_SECRET = "Zx9-new-client-secret-7c1f0e"
OLD = {
    "client_id": "old-client-id",
    "client_secret": "old-client-secret-4b2a",
    "redirect_url": "https://dev.markmail.example.com/api/crm/oauth/salesforce/callback",
    "use_sandbox": "false",
    "extra_setting": "kept-as-is",
}


@pytest.fixture
def backend(aws):
    """The dev Salesforce secret, cluster markmail-dev and service markmail-dev-backend."""
    sm = aws("secretsmanager")
    sm.create_secret(Name=SECRET, SecretString=json.dumps(OLD))
    ecs = aws("ecs")
    ecs.create_cluster(clusterName="markmail-dev")
    td = ecs.register_task_definition(
        family="markmail-dev-backend",
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        cpu="512",
        memory="1024",
        containerDefinitions=[{"name": "backend", "image": "backend:1", "essential": True}],
    )["taskDefinition"]["taskDefinitionArn"]
    ecs.create_service(cluster="markmail-dev", serviceName="markmail-dev-backend", taskDefinition=td, desiredCount=1, launchType="FARGATE")
    return sm, ecs


def deployment_id(ecs) -> str:
    svc = ecs.describe_services(cluster="markmail-dev", services=["markmail-dev-backend"])["services"][0]
    return svc["deployments"][0]["id"]


def assert_no_secret_in(text: str) -> None:
    for value in (NEW_SECRET, OLD["client_secret"]):
        assert value not in text


class TestArguments:
    def test_help(self, run):
        res = run(SCRIPT, "--help")
        assert res.code == 0
        assert res.stdout.startswith("usage: update_aws_secrets.sh <dev|staging|prod> <client-id> <client-secret|->")
        assert "--force-new-deployment" in res.stdout

    @pytest.mark.parametrize(
        "args, message",
        [
            ((), "expected 3 arguments (<env> <client-id> <client-secret|->), got 0"),
            (("dev", "id"), "expected 3 arguments"),
            (("dev", "id", "secret", "extra"), "expected 3 arguments"),
            (("qa", "id", "secret"), 'environment "qa" is not valid: expected dev, staging or prod'),
            (("dev", "id with space", "secret"), "<client-id> must be 1-255 visible characters"),
            (("dev", "id", "secret", "--region", "tokyo"), '--region "tokyo" is not valid'),
            (("dev", "id", "secret", "--profile"), "--profile needs a value"),
            (("dev", "id", "secret", "--profile", "bad profile"), "--profile: not a profile name"),
        ],
    )
    def test_bad_arguments_exit_2_with_usage(self, run, args, message):
        assert_usage_error(run(SCRIPT, *args), message)

    def test_an_unknown_option_is_not_echoed_it_may_be_a_secret(self, run):
        res = run(SCRIPT, "dev", "id", "--s3cr3t-value-xyz")
        assert_usage_error(res, "unknown option at argument 3 (value not shown)")
        assert "s3cr3t" not in res.output

    def test_a_bad_secret_is_rejected_without_showing_it(self, run):
        res = run(SCRIPT, "dev", "id", "two words secret")
        assert_usage_error(res, "<client-secret> must be 1-255 visible characters without spaces (value not shown)")
        assert "two words" not in res.output


class TestAgainstMoto:
    def test_merges_keeps_other_keys_and_redeploys(self, run, backend):
        sm, ecs = backend
        before = deployment_id(ecs)
        res = run(SCRIPT, "dev", NEW_ID, NEW_SECRET)
        assert res.code == 0, res
        stored = secret_json(sm, SECRET)
        assert stored == {**OLD, "client_id": NEW_ID, "client_secret": NEW_SECRET}
        assert deployment_id(ecs) != before
        assert f"updated {SECRET} in ap-northeast-1: client_id, client_secret set" in res.stdout
        assert "kept keys: extra_setting, redirect_url, use_sandbox" in res.stdout
        assert "started a new deployment of markmail-dev-backend in cluster markmail-dev" in res.stdout
        assert_no_secret_in(res.output)

    def test_secret_from_stdin(self, run, backend):
        sm, _ = backend
        res = run(SCRIPT, "dev", NEW_ID, "-", input=NEW_SECRET + "\n")
        assert res.code == 0, res
        assert secret_json(sm, SECRET)["client_secret"] == NEW_SECRET
        assert_no_secret_in(res.output)

    def test_missing_secret_is_a_clear_error(self, run, aws):
        res = run(SCRIPT, "staging", NEW_ID, NEW_SECRET)
        assert res.code == 1
        assert "error: secret markmail-staging-salesforce-secret not found in ap-northeast-1" in res.stderr
        assert_no_secret_in(res.output)

    def test_a_secret_that_is_not_a_json_object_is_left_alone(self, run, backend):
        sm, ecs = backend
        sm.put_secret_value(SecretId=SECRET, SecretString="not json at all")
        before = deployment_id(ecs)
        res = run(SCRIPT, "dev", NEW_ID, NEW_SECRET)
        assert res.code == 1
        assert "refusing to overwrite" in res.stderr
        assert sm.get_secret_value(SecretId=SECRET)["SecretString"] == "not json at all"
        assert deployment_id(ecs) == before
        assert "not json at all" not in res.output

    def test_no_redeploy(self, run, backend):
        sm, ecs = backend
        before = deployment_id(ecs)
        res = run(SCRIPT, "dev", NEW_ID, NEW_SECRET, "--no-redeploy")
        assert res.code == 0, res
        assert secret_json(sm, SECRET)["client_id"] == NEW_ID
        assert deployment_id(ecs) == before
        assert "not redeploying (--no-redeploy)" in res.stdout

    def test_redeploy_failure_says_the_secret_was_updated(self, run, aws):
        sm = aws("secretsmanager")
        sm.create_secret(Name=SECRET, SecretString=json.dumps(OLD))
        res = run(SCRIPT, "dev", NEW_ID, NEW_SECRET)
        assert res.code == 1
        assert "the secret was updated, but the redeploy of markmail-dev-backend failed" in res.stderr
        assert secret_json(sm, SECRET)["client_secret"] == NEW_SECRET
        assert_no_secret_in(res.output)

    def test_profile_is_passed_to_the_cli(self, run, backend, base_env):
        # Only the profile `ops` has credentials: without --profile the CLI finds none.
        Path(base_env["AWS_SHARED_CREDENTIALS_FILE"]).write_text("[ops]\naws_access_key_id = testing\naws_secret_access_key = testing\n")
        without = run(SCRIPT, "dev", NEW_ID, NEW_SECRET)
        assert without.code == 1
        assert "credentials" in without.stderr.lower()
        with_profile = run(SCRIPT, "dev", NEW_ID, NEW_SECRET, "--profile", "ops")
        assert with_profile.code == 0, with_profile
        assert "in ap-northeast-1 (profile ops)" in with_profile.stdout

    def test_region_is_passed_to_the_cli(self, run, aws):
        aws("secretsmanager", region="us-west-2").create_secret(Name=SECRET, SecretString=json.dumps(OLD))
        default_region = run(SCRIPT, "dev", NEW_ID, NEW_SECRET, "--no-redeploy")
        assert default_region.code == 1
        assert "not found in ap-northeast-1" in default_region.stderr
        res = run(SCRIPT, "dev", NEW_ID, NEW_SECRET, "--no-redeploy", "--region", "us-west-2")
        assert res.code == 0, res
        assert secret_json(aws("secretsmanager", region="us-west-2"), SECRET)["client_id"] == NEW_ID

    def test_secrets_never_reach_a_command_line_and_no_file_is_left(self, run, backend, base_env, tmp_path):
        # Record the argv of every AWS CLI call, then call the real CLI.
        log = tmp_path / "argv.log"
        wrapper = tmp_path / "aws-wrapper"
        wrapper.write_text(f'#!/usr/bin/env bash\nprintf "%s\\n" "$*" >> "{log}"\nexec "{BIN / "aws"}" "$@"\n')
        wrapper.chmod(0o755)
        res = run(SCRIPT, "dev", NEW_ID, "-", input=NEW_SECRET, env={"MARKMAIL_AWS": str(wrapper)})
        assert res.code == 0, res
        calls = log.read_text()
        assert "secretsmanager put-secret-value" in calls
        assert "--secret-string file://" in calls
        assert "ecs update-service --cluster markmail-dev --service markmail-dev-backend --force-new-deployment" in calls
        assert NEW_SECRET not in calls
        assert os.listdir(base_env["TMPDIR"]) == []

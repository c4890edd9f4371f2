"""scripts/ecs/rollout.sh against moto: Terraform's task definition revision put into service with
the running image."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import BIN, REPO, SCRIPTS, assert_usage_error

SCRIPT = "ecs/rollout.sh"
CLUSTER = "markmail-dev"
REPO_URL = {svc: f"123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/markmail-dev-{svc}" for svc in ("backend", "frontend")}
SECRET_ARN = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:markmail-dev-jwt-secret-AbCdEf"
# Environment values that must never appear in the script's output.
VALUES = {"RUST_LOG": "info-value-7f3a", "FRONTEND_URL": "https://dev.example.invalid/url-91c2"}
NEW_VAR, NEW_VALUE = "FEATURE_DIGEST", "digest-value-5e8d"
TAGS = [{"key": "Project", "value": "MarkMail"}, {"key": "Environment", "value": "dev"}]


def containers(svc: str, image: str, env: dict[str, str], secrets: dict[str, str]) -> list[dict]:
    """An init container and the app container, shaped like constructs/container-definition.ts renders them."""
    logs = {"logDriver": "awslogs", "options": {"awslogs-group": f"/ecs/markmail-dev-{svc}", "awslogs-region": "ap-northeast-1", "awslogs-stream-prefix": svc}}
    return [
        {
            "name": f"{svc}-scratch-init",
            "image": image,
            "essential": False,
            "user": "0",
            "entryPoint": ["sh", "-c"],
            "command": ["chown 1001:1001 /tmp"],
            "readonlyRootFilesystem": True,
            "mountPoints": [{"sourceVolume": f"{svc}-tmp", "containerPath": "/tmp", "readOnly": False}],
            "logConfiguration": logs,
        },
        {
            "name": svc,
            "image": image,
            "essential": True,
            "portMappings": [{"containerPort": 8080, "protocol": "tcp"}],
            "environment": [{"name": k, "value": v} for k, v in sorted(env.items())],
            "secrets": [{"name": k, "valueFrom": v} for k, v in sorted(secrets.items())],
            "readonlyRootFilesystem": True,
            "user": "1001:1001",
            "mountPoints": [{"sourceVolume": f"{svc}-tmp", "containerPath": "/tmp", "readOnly": False}],
            "dependsOn": [{"containerName": f"{svc}-scratch-init", "condition": "SUCCESS"}],
            "logConfiguration": logs,
        },
    ]


class Family:
    """Registers revisions of markmail-dev-<svc> the way Terraform (tag :bootstrap) and the pipeline (SHA tag) do."""

    def __init__(self, ecs, svc: str):
        self.ecs, self.svc, self.family = ecs, svc, f"markmail-dev-{svc}"

    def register(self, tag: str, env: dict[str, str], memory: str = "1024", tags: bool = True) -> str:
        kwargs = {"tags": TAGS} if tags else {}
        return self.ecs.register_task_definition(
            family=self.family,
            requiresCompatibilities=["FARGATE"],
            networkMode="awsvpc",
            cpu="512",
            memory=memory,
            executionRoleArn="arn:aws:iam::123456789012:role/markmail-dev-execution-role",
            taskRoleArn="arn:aws:iam::123456789012:role/markmail-dev-task-role",
            runtimePlatform={"operatingSystemFamily": "LINUX", "cpuArchitecture": "X86_64"},
            volumes=[{"name": f"{self.svc}-tmp"}],
            containerDefinitions=containers(self.svc, f"{REPO_URL[self.svc]}:{tag}", env, {"JWT_SECRET": f"{SECRET_ARN}:secret::"}),
            **kwargs,
        )["taskDefinition"]["taskDefinitionArn"]

    def service(self, arn: str) -> None:
        self.ecs.create_service(cluster=CLUSTER, serviceName=self.family, taskDefinition=arn, desiredCount=1, launchType="FARGATE")

    def running(self) -> str:
        return self.ecs.describe_services(cluster=CLUSTER, services=[self.family])["services"][0]["taskDefinition"]

    def arns(self) -> list[str]:
        return self.ecs.list_task_definitions(familyPrefix=self.family, status="ACTIVE")["taskDefinitionArns"]

    def describe(self, arn: str) -> tuple[dict, list]:
        res = self.ecs.describe_task_definition(taskDefinition=arn, include=["TAGS"])
        return res["taskDefinition"], res.get("tags", [])


@pytest.fixture
def ecs(aws):
    client = aws("ecs")
    client.create_cluster(clusterName=CLUSTER)
    return client


@pytest.fixture
def backend(ecs):
    """Terraform's first revision (1), the pipeline's deploy of abc123 (2, running), then a
    `cdktf deploy markmail-dev-ecs` that adds an environment variable and memory (3; Terraform
    deregisters its old revision 1)."""
    fam = Family(ecs, "backend")
    first = fam.register("bootstrap", VALUES)
    fam.service(fam.register("abc123", VALUES))
    fam.register("bootstrap", {**VALUES, NEW_VAR: NEW_VALUE}, memory="2048")
    ecs.deregister_task_definition(taskDefinition=first)
    return fam


def app(td: dict, name: str) -> dict:
    return next(c for c in td["containerDefinitions"] if c["name"] == name)


def assert_no_value(text: str) -> None:
    for value in [*VALUES.values(), NEW_VALUE]:
        assert value not in text


def test_help(run):
    res = run(SCRIPT, "--help")
    assert res.code == 0
    assert res.stdout.startswith("usage: rollout.sh <dev|staging|prod> <backend|frontend|all> [--profile P] [--region R] [--dry-run]")
    assert res.stderr == ""


def test_terraform_tag_is_the_stacks_bootstrap_tag():
    stack = (REPO / "stacks" / "ecs-stack.ts").read_text()
    tag = re.search(r'BOOTSTRAP_IMAGE_TAG = "([^"]+)"', stack).group(1)
    assert f'readonly TERRAFORM_IMAGE_TAG="{tag}"' in (SCRIPTS / SCRIPT).read_text()


@pytest.mark.parametrize(
    "args, message",
    [
        ((), "expected <env> and <service>, got 0 arguments"),
        (("dev",), "expected <env> and <service>, got 1 arguments"),
        (("dev", "backend", "frontend"), "got 3 arguments"),
        (("dev", "worker"), 'service "worker" is not valid: expected backend, frontend or all'),
        (("production", "backend"), 'environment "production" is not valid'),
        (("dev", "backend", "--profile"), "--profile needs a value"),
        (("dev", "backend", "--region", "tokyo"), '--region "tokyo" is not valid'),
        (("dev", "backend", "--force"), "unknown option: --force"),
        (("dev", "backend", "--dry-run", "--wait"), "--wait has no effect with --dry-run"),
    ],
)
def test_bad_arguments_exit_2_with_usage(run, args, message):
    assert_usage_error(run(SCRIPT, *args), message)


def test_rolls_out_terraforms_revision_with_the_running_image(run, backend):
    res = run(SCRIPT, "dev", "backend")
    assert res.code == 0, res
    arns = backend.arns()
    assert len(arns) == 3 and arns[-1].endswith(":4")
    assert backend.running() == arns[-1]

    new, tags = backend.describe(arns[-1])
    terraform, _ = backend.describe(arns[-2])
    running_image = f"{REPO_URL['backend']}:abc123"
    assert app(new, "backend")["image"] == running_image
    assert app(new, "backend-scratch-init")["image"] == running_image
    env = {e["name"]: e["value"] for e in app(new, "backend")["environment"]}
    assert env == {**VALUES, NEW_VAR: NEW_VALUE}
    assert new["memory"] == "2048" and new["cpu"] == "512"
    assert [s["name"] for s in app(new, "backend")["secrets"]] == ["JWT_SECRET"]
    assert sorted(tags, key=lambda t: t["key"]) == sorted(TAGS, key=lambda t: t["key"])
    # Apart from the images, the copy is Terraform's revision.
    strip = lambda td: [{**c, "image": "-"} for c in td["containerDefinitions"]]  # noqa: E731
    assert strip(new) == strip(terraform)
    assert new["volumes"] == terraform["volumes"] and new["runtimePlatform"] == terraform["runtimePlatform"]

    out = res.stdout
    assert "markmail-dev-backend: running revision 2 differs from Terraform's revision 3:" in out
    assert "memory: 1024 -> 2048" in out
    assert f"environment: + {NEW_VAR}" in out
    assert "markmail-dev-backend: revision 2 -> 4" in out
    assert f"image kept: {running_image}" in out
    assert_no_value(res.output)

    # The next run finds nothing to do: revision 4 has Terraform's settings.
    again = run(SCRIPT, "dev", "backend")
    assert again.code == 0, again
    assert "markmail-dev-backend: up to date (running revision 4 has the settings of Terraform's revision 3" in again.stdout
    assert len(backend.arns()) == 3


def test_terraforms_revision_is_found_behind_later_pipeline_revisions(run, backend, ecs):
    """The pipeline deployed again (revision 4, built from the running revision 2) before the
    rollout: revision 4 is the latest, but Terraform's change is still in revision 3 only."""
    backend.register("def456", VALUES)
    ecs.update_service(cluster=CLUSTER, service="markmail-dev-backend", taskDefinition=backend.arns()[-1])
    res = run(SCRIPT, "dev", "backend", "--profile", "ops")
    assert res.code == 0, res
    assert "running revision 4 differs from Terraform's revision 3" in res.stdout
    new, _ = backend.describe(backend.running())
    assert new["revision"] == 5
    assert app(new, "backend")["image"].endswith(":def456")
    assert NEW_VAR in {e["name"] for e in app(new, "backend")["environment"]}


def test_up_to_date_when_the_service_runs_terraforms_revision(run, ecs):
    fam = Family(ecs, "frontend")
    fam.service(fam.register("bootstrap", VALUES))
    res = run(SCRIPT, "dev", "frontend")
    assert res.code == 0, res
    assert res.stdout.strip().startswith("markmail-dev-frontend: up to date (it runs Terraform's revision 1, image")
    assert len(fam.arns()) == 1


def test_dry_run_registers_nothing_and_names_no_value(run, backend):
    before = backend.running()
    res = run(SCRIPT, "dev", "backend", "--dry-run")
    assert res.code == 0, res
    assert len(backend.arns()) == 2 and backend.running() == before
    assert "running revision 2 differs from Terraform's revision 3" in res.stdout
    assert f"environment: + {NEW_VAR}" in res.stdout
    assert "memory: 1024 -> 2048" in res.stdout
    assert f"image: {REPO_URL['backend']}:abc123 (kept; Terraform's revision names {REPO_URL['backend']}:bootstrap)" in res.stdout
    assert "dry run: nothing registered" in res.stdout
    assert_no_value(res.output)


def test_changed_values_and_secrets_are_named_not_shown(run, ecs):
    fam = Family(ecs, "backend")
    fam.service(fam.register("abc123", VALUES))
    ecs.register_task_definition(
        **{k: v for k, v in fam.describe(fam.running())[0].items() if k in ("family", "cpu", "memory", "networkMode", "requiresCompatibilities", "volumes")},
        containerDefinitions=containers("backend", f"{REPO_URL['backend']}:bootstrap", {**VALUES, "RUST_LOG": NEW_VALUE}, {"JWT_SECRET": f"{SECRET_ARN}:secret::", "STRIPE_KEY": f"{SECRET_ARN}:key::"}),
    )
    res = run(SCRIPT, "dev", "backend", "--dry-run")
    assert res.code == 0, res
    assert "environment: ~ RUST_LOG" in res.stdout
    assert "secrets: + STRIPE_KEY" in res.stdout
    assert "task settings changed: executionRoleArn, runtimePlatform, taskRoleArn" in res.stdout
    assert_no_value(res.output)


def wrapper(tmp_path, body: str = "") -> tuple[str, Path]:
    """An MARKMAIL_AWS that logs every argv, runs `body` (bash) first, then the real CLI."""
    log = tmp_path / "argv.log"
    path = tmp_path / "aws-wrapper"
    path.write_text(f'#!/usr/bin/env bash\nprintf "%s\\n" "$*" >> "{log}"\n{body}\nexec "{BIN / "aws"}" "$@"\n')
    path.chmod(0o755)
    return str(path), log


def test_all_and_wait_and_no_value_on_a_command_line(run, backend, ecs, base_env, tmp_path):
    fam = Family(ecs, "frontend")
    fam.service(fam.register("bootstrap", VALUES, tags=False))
    # moto never starts Fargate tasks, so a real waiter would wait forever.
    aws, log = wrapper(tmp_path, 'if [[ "$*" == *"ecs wait services-stable"* ]]; then exit 0; fi')
    res = run(SCRIPT, "dev", "all", "--wait", env={"MARKMAIL_AWS": aws})
    assert res.code == 0, res
    assert "markmail-dev-backend: revision 2 -> 4" in res.stdout
    assert "markmail-dev-backend is stable" in res.stdout
    assert "markmail-dev-frontend: up to date" in res.stdout
    assert backend.running().endswith(":4")
    calls = log.read_text()
    assert "ecs register-task-definition --cli-input-json file://" in calls
    assert "ecs update-service --cluster markmail-dev --service markmail-dev-backend --task-definition arn:aws:ecs:" in calls
    assert "ecs wait services-stable --cluster markmail-dev --services markmail-dev-backend" in calls
    assert "force-new-deployment" not in calls
    assert_no_value(calls)
    assert os.listdir(base_env["TMPDIR"]) == []


def test_refuses_while_a_deployment_is_in_progress(run, backend, tmp_path):
    # Add an ACTIVE (old) deployment next to the PRIMARY one, as ECS shows during a rollout.
    add = (
        'if [[ "$*" == *"ecs describe-services"* ]]; then "' + str(BIN / "aws") + '" "$@" | python3 -c '
        "'import json,sys; d=json.load(sys.stdin); d[\"services\"][0][\"deployments\"].append({\"status\": \"ACTIVE\"}); print(json.dumps(d))'"
        "; exit ${PIPESTATUS[0]}; fi"
    )
    aws, _ = wrapper(tmp_path, add)
    res = run(SCRIPT, "dev", "backend", env={"MARKMAIL_AWS": aws})
    assert res.code == 1, res
    assert "error: a deployment of markmail-dev-backend is in progress" in res.stderr
    assert len(backend.arns()) == 2
    dry = run(SCRIPT, "dev", "backend", "--dry-run", env={"MARKMAIL_AWS": aws})
    assert dry.code == 0, dry
    assert "note: a deployment of markmail-dev-backend is in progress" in dry.stdout


def test_missing_service(run, backend):
    res = run(SCRIPT, "dev", "all")
    assert res.code == 1, res
    # The backend is rolled out; the missing frontend fails on its own.
    assert "markmail-dev-backend: revision 2 -> 4" in res.stdout
    assert "error: no service markmail-dev-frontend in cluster markmail-dev in ap-northeast-1: deploy markmail-dev-ecs first" in res.stderr


def test_missing_cluster(run, aws):
    res = run(SCRIPT, "staging", "backend")
    assert res.code == 1
    assert "error: no service markmail-staging-backend in cluster markmail-staging in ap-northeast-1" in res.stderr


def test_no_terraform_revision(run, ecs):
    fam = Family(ecs, "backend")
    fam.service(fam.register("abc123", VALUES))
    res = run(SCRIPT, "dev", "backend")
    assert res.code == 1
    assert "has the image tag :bootstrap of Terraform's revisions; deploy markmail-dev-ecs first" in res.stderr
    assert len(fam.arns()) == 1

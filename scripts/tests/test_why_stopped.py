"""scripts/ecs/why-stopped.sh against moto."""

from __future__ import annotations

import pytest

from conftest import assert_usage_error

SCRIPT = "ecs/why-stopped.sh"


def task_definition(ecs, svc: str) -> str:
    return ecs.register_task_definition(
        family=f"markmail-dev-{svc}",
        # Real tasks are FARGATE/awsvpc; moto 5.2 cannot start awsvpc Fargate tasks, and the
        # script does not look at networking.
        networkMode="bridge",
        containerDefinitions=[{"name": svc, "image": f"{svc}:1", "essential": True, "memory": 512}],
    )["taskDefinition"]["taskDefinitionArn"]


def stopped_task(ecs, svc: str, reason: str) -> str:
    arn = ecs.run_task(
        cluster="markmail-dev",
        taskDefinition=f"markmail-dev-{svc}",
        launchType="FARGATE",
        group=f"service:markmail-dev-{svc}",
        startedBy="ecs-svc/0123456789",
    )["tasks"][0]["taskArn"]
    ecs.stop_task(cluster="markmail-dev", task=arn, reason=reason)
    return arn


@pytest.fixture
def cluster(aws):
    ecs = aws("ecs")
    ecs.create_cluster(clusterName="markmail-dev")
    for svc in ("backend", "frontend"):
        td = task_definition(ecs, svc)
        ecs.create_service(cluster="markmail-dev", serviceName=f"markmail-dev-{svc}", taskDefinition=td, desiredCount=1, launchType="FARGATE")
    return lambda svc, reason: stopped_task(ecs, svc, reason)


def test_help(run):
    res = run(SCRIPT, "--help")
    assert res.code == 0
    assert res.stdout.startswith("usage: why-stopped.sh <dev|staging|prod> [backend|frontend]")


@pytest.mark.parametrize(
    "args, message",
    [
        ((), "expected <env> and optionally <service>, got 0 arguments"),
        (("dev", "worker"), 'service "worker" is not valid: expected backend or frontend'),
        (("dev", "backend", "extra"), "got 3 arguments"),
        (("production",), 'environment "production" is not valid'),
        (("dev", "--profile"), "--profile needs a value"),
    ],
)
def test_bad_arguments_exit_2_with_usage(run, args, message):
    assert_usage_error(run(SCRIPT, *args), message)


def test_reason_of_the_backend_task(run, cluster):
    arn = cluster("backend", "Essential container in task exited")
    cluster("frontend", "Task failed ELB health checks")
    res = run(SCRIPT, "dev")
    assert res.code == 0, res
    assert "last stopped task of markmail-dev-backend:" in res.stdout
    assert f"task:            {arn}" in res.stdout
    assert "stopped reason:  Essential container in task exited" in res.stdout
    assert "backend: last status" in res.stdout and "exit code 0" in res.stdout
    assert "ELB health checks" not in res.stdout
    assert "logs: aws logs tail /ecs/markmail-dev-backend --since 1h" in res.stdout


def test_frontend_and_profile(run, cluster):
    cluster("frontend", "Task failed ELB health checks in (target-group markmail-dev-frontend)")
    res = run(SCRIPT, "dev", "frontend", "--profile", "ops")
    assert res.code == 0, res
    assert "stopped reason:  Task failed ELB health checks" in res.stdout


def test_no_stopped_task(run, cluster):
    res = run(SCRIPT, "dev", "backend")
    assert res.code == 0, res
    assert res.stdout.strip() == "markmail-dev-backend: no stopped task in ap-northeast-1 (ECS keeps stopped tasks for about an hour)"


def test_no_cluster(run, aws):
    res = run(SCRIPT, "staging")
    assert res.code == 1
    assert "error: no service markmail-staging-backend in cluster markmail-staging in ap-northeast-1" in res.stderr

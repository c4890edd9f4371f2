package markmail.tests.ecs

import data.markmail.fixtures as fx
import data.markmail.rules
import rego.v1

# A backend container as the ecs layer should write it.
_backend := {
	"name": "backend",
	"image": "${data.terraform_remote_state.cross-stack-reference-input-markmail-dev-ecs-cluster.outputs.backend-repo-url}:latest",
	"essential": true,
	"readonlyRootFilesystem": true,
	"privileged": false,
	"portMappings": [{"containerPort": 8080, "protocol": "tcp"}],
	"environment": [
		{"name": "RUST_LOG", "value": "info"},
		{"name": "REDIS_URL", "value": "rediss://markmail-dev-redis:6379"},
		{"name": "JWT_SECRET_ARN", "value": "${data.terraform_remote_state.x.outputs.jwt-arn}"},
	],
	"secrets": [
		{"name": "DATABASE_URL", "valueFrom": "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:markmail-dev-db-secret:url::"},
		{"name": "JWT_SECRET", "valueFrom": "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:markmail-dev-jwt-secret"},
	],
	"logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/markmail-dev-backend", "awslogs-region": "ap-northeast-1", "awslogs-stream-prefix": "backend"}},
	"mountPoints": [{"sourceVolume": "tmp", "containerPath": "/tmp"}],
}

_raw_td(containers) := fx.raw("dev", {"aws_ecs_task_definition": {"backend_task_1234": {
	"//": fx.meta("markmail-dev-ecs/backend/task"),
	"family": "markmail-dev-backend",
	"network_mode": "awsvpc",
	"requires_compatibilities": ["FARGATE"],
	"cpu": "512",
	"memory": "1024",
	"execution_role_arn": "${data.terraform_remote_state.x.outputs.execution-role}",
	"task_role_arn": "${data.terraform_remote_state.x.outputs.task-role}",
	"container_definitions": json.marshal(containers),
	"volume": [{"name": "tmp"}],
}}})

_plan_td(containers) := fx.plan([fx.rc_unknown(
	"aws_ecs_task_definition", "backend", fx.tagged("dev", {
		"family": "markmail-dev-backend",
		"network_mode": "awsvpc",
		"requires_compatibilities": ["FARGATE"],
		"cpu": "512",
		"memory": "1024",
		"container_definitions": json.marshal(containers),
	}),
	{"arn": true, "revision": true},
)])

# Shallow update (object.union would merge nested objects such as logConfiguration).
_with(c, changes) := object.union(object.remove(c, object.keys(changes)), changes)

# ---- MM-037 ecs_task_definition_inspectable ----------------------------------------------------------

test_ecs_task_definition_inspectable_raw_pass if {
	count(rules.ecs_task_definition_inspectable.deny) == 0 with input as _raw_td([_backend])
}

test_ecs_task_definition_inspectable_raw_fail if {
	# Fn.jsonencode of a token-bearing object: cdktf writes an expression, not JSON
	bad := json.patch(_raw_td([_backend]), [{"op": "replace", "path": "/resource/aws_ecs_task_definition/backend_task_1234/container_definitions", "value": "${jsonencode([{name = \"backend\"}])}"}])
	fx.fires(rules.ecs_task_definition_inspectable.deny, "MM-037", "aws_ecs_task_definition.backend_task_1234") with input as bad
}

test_ecs_task_definition_inspectable_plan_pass if {
	count(rules.ecs_task_definition_inspectable.deny) == 0 with input as _plan_td([_backend])
}

test_ecs_task_definition_inspectable_plan_fail if {
	unknown := fx.plan([fx.rc_unknown("aws_ecs_task_definition", "backend", fx.tagged("dev", {"family": "markmail-dev-backend"}), {"container_definitions": true, "arn": true})])
	fx.fires(rules.ecs_task_definition_inspectable.deny, "MM-037", "aws_ecs_task_definition.backend") with input as unknown
}

# ---- MM-023 ecs_no_secret_env ---------------------------------------------------------------------

test_ecs_no_secret_env_raw_pass if {
	count(rules.ecs_no_secret_env.deny) == 0 with input as _raw_td([_backend])
}

test_ecs_no_secret_env_raw_fail if {
	leaky := _with(_backend, {"environment": array.concat(_backend.environment, [{"name": "DATABASE_URL", "value": "postgres://app:pw@db/markmail"}])})
	denies := rules.ecs_no_secret_env.deny with input as _raw_td([leaky])
	fx.fires(denies, "MM-023", "aws_ecs_task_definition.backend_task_1234")
	some m in denies
	contains(m, "DATABASE_URL")
}

test_ecs_no_secret_env_plan_pass if {
	count(rules.ecs_no_secret_env.deny) == 0 with input as _plan_td([_backend])
}

test_ecs_no_secret_env_plan_fail if {
	leaky := _with(_backend, {"environment": [{"name": "AWS_SECRET_ACCESS_KEY", "value": "x"}, {"name": "STRIPE_API_KEY", "value": "sk_test"}]})
	denies := rules.ecs_no_secret_env.deny with input as _plan_td([leaky])
	fx.fires(denies, "MM-023", "aws_ecs_task_definition.backend")
	count(denies) == 2
}

# ---- MM-032 ecs_readonly_root ---------------------------------------------------------------------

test_ecs_readonly_root_raw_pass if {
	count(rules.ecs_readonly_root.deny) == 0 with input as _raw_td([_backend])
}

test_ecs_readonly_root_raw_fail if {
	fx.fires(rules.ecs_readonly_root.deny, "MM-032", "aws_ecs_task_definition.backend_task_1234") with input as _raw_td([object.remove(_backend, ["readonlyRootFilesystem"])])
}

test_ecs_readonly_root_plan_pass if {
	count(rules.ecs_readonly_root.deny) == 0 with input as _plan_td([_backend])
}

test_ecs_readonly_root_plan_fail if {
	fx.fires(rules.ecs_readonly_root.deny, "MM-032", "aws_ecs_task_definition.backend") with input as _plan_td([_backend, _with(_backend, {"name": "sidecar", "readonlyRootFilesystem": false})])
}

# ---- MM-033 ecs_not_privileged ----------------------------------------------------------------------

test_ecs_not_privileged_raw_pass if {
	count(rules.ecs_not_privileged.deny) == 0 with input as _raw_td([_backend])
}

test_ecs_not_privileged_raw_fail if {
	fx.fires(rules.ecs_not_privileged.deny, "MM-033", "aws_ecs_task_definition.backend_task_1234") with input as _raw_td([_with(_backend, {"privileged": true})])
}

test_ecs_not_privileged_plan_pass if {
	count(rules.ecs_not_privileged.deny) == 0 with input as _plan_td([_backend])
}

test_ecs_not_privileged_plan_fail if {
	fx.fires(rules.ecs_not_privileged.deny, "MM-033", "aws_ecs_task_definition.backend") with input as _plan_td([_with(_backend, {"privileged": true})])
	host := json.patch(_plan_td([_backend]), [{"op": "add", "path": "/plan/resource_changes/0/change/after/pid_mode", "value": "host"}])
	fx.fires(rules.ecs_not_privileged.deny, "MM-033", "aws_ecs_task_definition.backend") with input as host
}

# ---- MM-038 ecs_log_configuration --------------------------------------------------------------------

test_ecs_log_configuration_raw_pass if {
	count(rules.ecs_log_configuration.deny) == 0 with input as _raw_td([_backend])
}

test_ecs_log_configuration_raw_fail if {
	fx.fires(rules.ecs_log_configuration.deny, "MM-038", "aws_ecs_task_definition.backend_task_1234") with input as _raw_td([object.remove(_backend, ["logConfiguration"])])
}

test_ecs_log_configuration_plan_pass if {
	count(rules.ecs_log_configuration.deny) == 0 with input as _plan_td([_backend])
}

test_ecs_log_configuration_plan_fail if {
	fx.fires(rules.ecs_log_configuration.deny, "MM-038", "aws_ecs_task_definition.backend") with input as _plan_td([_with(_backend, {"logConfiguration": {"options": {}}})])
}

# ---- MM-022 ecs_container_insights --------------------------------------------------------------------

_raw_cluster(setting) := fx.raw("dev", {"aws_ecs_cluster": {"cluster_ABCD": {
	"//": fx.meta("markmail-dev-ecs-cluster/cluster"),
	"name": "markmail-dev-cluster",
	"setting": setting,
}}})

_plan_cluster(setting) := fx.plan([fx.rc_unknown("aws_ecs_cluster", "cluster", fx.tagged("dev", {"name": "markmail-dev-cluster", "setting": setting}), {"arn": true})])

test_ecs_container_insights_raw_pass if {
	count(rules.ecs_container_insights.deny) == 0 with input as _raw_cluster([{"name": "containerInsights", "value": "enhanced"}])
}

test_ecs_container_insights_raw_fail if {
	fx.fires(rules.ecs_container_insights.deny, "MM-022", "aws_ecs_cluster.cluster_ABCD") with input as _raw_cluster([{"name": "containerInsights", "value": "disabled"}])
}

test_ecs_container_insights_plan_pass if {
	count(rules.ecs_container_insights.deny) == 0 with input as _plan_cluster([{"name": "containerInsights", "value": "enabled"}])
}

test_ecs_container_insights_plan_fail if {
	fx.fires(rules.ecs_container_insights.deny, "MM-022", "aws_ecs_cluster.cluster") with input as _plan_cluster([])
}

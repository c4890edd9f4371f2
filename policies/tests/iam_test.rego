package markmail.tests.iam

import data.markmail.fixtures as fx
import data.markmail.rules
import rego.v1

# ---- cdk.tf.json: policies as data.aws_iam_policy_document -------------------------------------------

_key_policy := {"//": fx.meta("markmail-dev-secrets/key/policy"), "statement": [
	{
		"sid": "AccountAdministersKey",
		"effect": "Allow",
		"principals": [{"type": "AWS", "identifiers": ["arn:${data.aws_partition.p.partition}:iam::${data.aws_caller_identity.me.account_id}:root"]}],
		"actions": ["kms:*"],
		"resources": ["*"],
	},
	{
		"sid": "CloudWatchLogsUseKey",
		"effect": "Allow",
		"principals": [{"type": "Service", "identifiers": ["logs.ap-northeast-1.amazonaws.com"]}],
		"actions": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"],
		"resources": ["*"],
		"condition": [{"test": "ArnLike", "variable": "kms:EncryptionContext:aws:logs:arn", "values": ["arn:aws:logs:ap-northeast-1:123456789012:log-group:*"]}],
	},
]}

_task_policy := {"statement": [
	{
		"sid": "ReadAppSecrets",
		"effect": "Allow",
		"actions": ["secretsmanager:GetSecretValue"],
		"resources": ["${data.terraform_remote_state.x.outputs.jwt-arn}", "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:markmail-dev-*"],
	},
	{
		"sid": "EcsExec",
		"effect": "Allow",
		"actions": ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"],
		"resources": ["*"],
	},
	{
		"sid": "PullToken",
		"actions": ["ecr:GetAuthorizationToken"],
		"resources": ["*"],
	},
]}

_trust := {"statement": [{"effect": "Allow", "actions": ["sts:AssumeRole"], "principals": [{"type": "Service", "identifiers": ["ecs-tasks.amazonaws.com"]}]}]}

_raw_resources := {
	"aws_iam_role": {"task_role_1111": {"name": "markmail-dev-task-role", "assume_role_policy": "${data.aws_iam_policy_document.task_trust_2222.json}"}},
	"aws_iam_role_policy": {"task_policy_3333": {"name": "SecretsManagerAccess", "role": "${aws_iam_role.task_role_1111.id}", "policy": "${data.aws_iam_policy_document.task_policy_4444.json}"}},
	"aws_kms_key": {"key_5555": {"description": "markmail-dev-secrets", "enable_key_rotation": true, "policy": "${data.aws_iam_policy_document.key_policy_6666.json}"}},
}

_raw(task_policy) := fx.raw_data("dev", _raw_resources, {"aws_iam_policy_document": {
	"task_trust_2222": _trust,
	"task_policy_4444": task_policy,
	"key_policy_6666": _key_policy,
}})

_raw_task_statement(st) := _raw({"statement": array.concat(_task_policy.statement, [st])})

# ---- plan: rendered JSON strings on the resources ----------------------------------------------------

_plan_task_doc := {"Version": "2012-10-17", "Statement": [
	{"Sid": "ReadAppSecrets", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": ["arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:markmail-dev-jwt-secret-AbCdEf"]},
	{"Sid": "PullToken", "Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
	{"Sid": "Logs", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "arn:aws:logs:ap-northeast-1:123456789012:log-group:/ecs/markmail-dev-backend:*"},
]}

_plan_key_doc := {"Version": "2012-10-17", "Statement": [{"Sid": "AccountAdministersKey", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "kms:*", "Resource": "*"}]}

# The plan knows this account from the data source (prior_state), as a real plan does.
_plan(task_doc) := fx.with_account(_plan_changes(task_doc), "123456789012")

_plan_changes(task_doc) := fx.plan([
	fx.rc_unknown(
		"aws_iam_role", "task", fx.tagged("dev", {
			"name": "markmail-dev-task-role",
			"assume_role_policy": json.marshal({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
			"managed_policy_arns": [],
		}),
		{"arn": true, "id": true},
	),
	fx.rc_unknown("aws_iam_role_policy", "task", {"name": "SecretsManagerAccess", "role": "markmail-dev-task-role", "policy": json.marshal(task_doc)}, {"id": true}),
	fx.rc_unknown("aws_kms_key", "key", fx.tagged("dev", {"description": "markmail-dev-secrets", "enable_key_rotation": true, "policy": json.marshal(_plan_key_doc)}), {"arn": true, "key_id": true}),
])

_plan_task_statement(st) := _plan(fx.put(_plan_task_doc, "Statement", array.concat(_plan_task_doc.Statement, [st])))

# ---- MM-025 iam_no_wildcard_actions ---------------------------------------------------------------------

test_iam_no_wildcard_actions_raw_pass if {
	count(rules.iam_no_wildcard_actions.deny) == 0 with input as _raw(_task_policy)
}

test_iam_no_wildcard_actions_raw_fail if {
	fx.fires(rules.iam_no_wildcard_actions.deny, "MM-025", "data.aws_iam_policy_document.task_policy_4444") with input as _raw_task_statement({"effect": "Allow", "actions": ["s3:*"], "resources": ["arn:aws:s3:::markmail-dev-artifacts/*"]})

	# kms:* is only fine for the account root in a key policy
	fx.fires(rules.iam_no_wildcard_actions.deny, "MM-025", "data.aws_iam_policy_document.task_policy_4444") with input as _raw_task_statement({"actions": ["kms:*"], "resources": ["${data.terraform_remote_state.x.outputs.key-arn}"]})
}

test_iam_no_wildcard_actions_plan_pass if {
	count(rules.iam_no_wildcard_actions.deny) == 0 with input as _plan(_plan_task_doc)
}

test_iam_no_wildcard_actions_plan_fail if {
	fx.fires(rules.iam_no_wildcard_actions.deny, "MM-025", "aws_iam_role_policy.task") with input as _plan_task_statement({"Effect": "Allow", "Action": "*", "Resource": "*"})
	fx.fires(rules.iam_no_wildcard_actions.deny, "MM-025", "aws_iam_role_policy.task") with input as _plan_task_statement({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})
}

# ---- MM-026 iam_no_wildcard_resources -------------------------------------------------------------------

test_iam_no_wildcard_resources_raw_pass if {
	count(rules.iam_no_wildcard_resources.deny) == 0 with input as _raw(_task_policy)
}

test_iam_no_wildcard_resources_raw_fail if {
	denies := rules.iam_no_wildcard_resources.deny with input as _raw_task_statement({"effect": "Allow", "actions": ["iam:PassRole", "ecr:GetAuthorizationToken"], "resources": ["*"]})
	fx.fires(denies, "MM-026", "data.aws_iam_policy_document.task_policy_4444")
	some m in denies
	contains(m, "iam:PassRole")
	not contains(m, "GetAuthorizationToken")
}

test_iam_no_wildcard_resources_plan_pass if {
	count(rules.iam_no_wildcard_resources.deny) == 0 with input as _plan(_plan_task_doc)
}

test_iam_no_wildcard_resources_plan_fail if {
	fx.fires(rules.iam_no_wildcard_resources.deny, "MM-026", "aws_iam_role_policy.task") with input as _plan_task_statement({"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"})
}

# ---- MM-039 iam_no_admin_policy --------------------------------------------------------------------------

test_iam_no_admin_policy_raw_pass if {
	ok := {"aws_iam_role_policy_attachment": {"ssm": {"role": "${aws_iam_role.bastion.name}", "policy_arn": "arn:${data.aws_partition.p.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"}}}
	count(rules.iam_no_admin_policy.deny) == 0 with input as fx.raw("dev", ok)
}

test_iam_no_admin_policy_raw_fail if {
	bad := {"aws_iam_role_policy_attachment": {"admin": {"role": "${aws_iam_role.codebuild.name}", "policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess"}}}
	fx.fires(rules.iam_no_admin_policy.deny, "MM-039", "aws_iam_role_policy_attachment.admin") with input as fx.raw("dev", bad)
}

test_iam_no_admin_policy_plan_pass if {
	count(rules.iam_no_admin_policy.deny) == 0 with input as _plan(_plan_task_doc)
}

test_iam_no_admin_policy_plan_fail if {
	bad := fx.plan([fx.rc("aws_iam_role", "build", fx.tagged("dev", {"name": "markmail-dev-build", "managed_policy_arns": ["arn:aws:iam::aws:policy/PowerUserAccess"]}))])
	fx.fires(rules.iam_no_admin_policy.deny, "MM-039", "aws_iam_role.build") with input as bad
}

# ---- MM-024 required_tags -------------------------------------------------------------------------------

test_required_tags_raw_pass if {
	count(rules.required_tags.deny) == 0 with input as _raw(_task_policy)
}

test_required_tags_raw_fail if {
	untagged := json.patch(_raw(_task_policy), [{"op": "remove", "path": "/provider/aws/0/default_tags/0/tags/Layer"}])
	denies := rules.required_tags.deny with input as untagged
	some m in denies
	startswith(m, "[MM-024] stack:")
	contains(m, "Layer")
	no_provider := object.remove(_raw(_task_policy), ["provider"])
	count(rules.required_tags.deny) == 1 with input as no_provider
}

test_required_tags_plan_pass if {
	count(rules.required_tags.deny) == 0 with input as _plan(_plan_task_doc)
}

test_required_tags_plan_fail if {
	bad := json.patch(_plan(_plan_task_doc), [{"op": "remove", "path": "/plan/resource_changes/2/change/after/tags_all/ManagedBy"}])
	fx.fires(rules.required_tags.deny, "MM-024", "aws_kms_key.key") with input as bad
}

# ---- MM-026: the objects of one named bucket are scoped (plans resolve the bucket ARN) ------------

test_iam_no_wildcard_resources_plan_bucket_objects_pass if {
	ok := {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": ["arn:aws:s3:::markmail-staging-pipeline-artifacts-123456789012/*"]}
	count(rules.iam_no_wildcard_resources.deny) == 0 with input as _plan_task_statement(ok)
}

test_iam_no_wildcard_resources_plan_bucket_wildcards_fail if {
	every res in ["arn:aws:s3:::*", "arn:aws:s3:::*/*", "arn:aws:s3:::m*", "arn:aws:s3:::ab*/*"] {
		st := {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": [res]}
		fx.fires(rules.iam_no_wildcard_resources.deny, "MM-026", "aws_iam_role_policy.task") with input as _plan_task_statement(st)
	}
}

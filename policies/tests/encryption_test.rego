package markmail.tests.encryption

import data.markmail.fixtures as fx
import data.markmail.rules
import rego.v1

# ---- MM-003 sns_topic_encrypted ---------------------------------------------------------------

_raw_topic(extra) := fx.raw("dev", {"aws_sns_topic": {"alarms": object.union(
	{
		"//": fx.meta("markmail-dev-monitoring/alarms/topic"),
		"name": "markmail-dev-alarms",
	},
	extra,
)}})

_plan_topic(after, unknown) := fx.plan_refs(
	[fx.rc_unknown("aws_sns_topic", "alarms", fx.tagged("dev", object.union({"name": "markmail-dev-alarms"}, after)), unknown)],
	[fx.cfg("aws_sns_topic", "alarms", {"kms_master_key_id": ["aws_kms_key.monitoring_key.arn", "aws_kms_key.monitoring_key"]})],
)

test_sns_topic_encrypted_raw_pass if {
	count(rules.sns_topic_encrypted.deny) == 0 with input as _raw_topic({"kms_master_key_id": "${aws_kms_key.monitoring_key.arn}"})
}

test_sns_topic_encrypted_raw_fail if {
	fx.fires(rules.sns_topic_encrypted.deny, "MM-003", "aws_sns_topic.alarms") with input as _raw_topic({})

	# the AWS-managed key is not a customer-managed key
	fx.fires(rules.sns_topic_encrypted.deny, "MM-003", "aws_sns_topic.alarms") with input as _raw_topic({"kms_master_key_id": "alias/aws/sns"})
}

test_sns_topic_encrypted_plan_pass if {
	# key created in the same run: known after apply
	count(rules.sns_topic_encrypted.deny) == 0 with input as _plan_topic({}, {"kms_master_key_id": true, "arn": true})
}

test_sns_topic_encrypted_plan_fail if {
	fx.fires(rules.sns_topic_encrypted.deny, "MM-003", "aws_sns_topic.alarms") with input as _plan_topic({"kms_master_key_id": null}, {"arn": true})
}

# ---- MM-004 log_group_encrypted / MM-021 log_group_retention -------------------------------------

_raw_logs(extra) := fx.raw("dev", {"aws_cloudwatch_log_group": {"backend": object.union(
	{
		"//": fx.meta("markmail-dev-ecs-cluster/logs/backend"),
		"name": "/ecs/markmail-dev-backend",
	},
	extra,
)}})

_plan_logs(after, unknown) := fx.plan_refs(
	[fx.rc_unknown("aws_cloudwatch_log_group", "backend", fx.tagged("dev", object.union({"name": "/ecs/markmail-dev-backend", "skip_destroy": false}, after)), unknown)],
	[fx.cfg("aws_cloudwatch_log_group", "backend", {"kms_key_id": ["data.terraform_remote_state.cluster.outputs.kms_key_arn", "data.terraform_remote_state.cluster.outputs", "data.terraform_remote_state.cluster"]})],
)

test_log_group_encrypted_raw_pass if {
	count(rules.log_group_encrypted.deny) == 0 with input as _raw_logs({"kms_key_id": "${aws_kms_key.cluster_key.arn}", "retention_in_days": 30})
}

test_log_group_encrypted_raw_fail if {
	fx.fires(rules.log_group_encrypted.deny, "MM-004", "aws_cloudwatch_log_group.backend") with input as _raw_logs({"retention_in_days": 30})
}

test_log_group_encrypted_plan_pass if {
	count(rules.log_group_encrypted.deny) == 0 with input as _plan_logs({"kms_key_id": "arn:aws:kms:ap-northeast-1:123456789012:key/abc", "retention_in_days": 30}, {})
}

test_log_group_encrypted_plan_fail if {
	fx.fires(rules.log_group_encrypted.deny, "MM-004", "aws_cloudwatch_log_group.backend") with input as _plan_logs({"kms_key_id": null, "retention_in_days": 30}, {})

	# a literal key ARN without a reference cannot be told apart from an AWS-managed key
	literal := fx.plan([fx.rc("aws_cloudwatch_log_group", "backend", fx.tagged("dev", {"name": "/ecs/x", "kms_key_id": "arn:aws:kms:ap-northeast-1:123456789012:key/abc", "retention_in_days": 30}))])
	fx.fires(rules.log_group_encrypted.deny, "MM-004", "aws_cloudwatch_log_group.backend") with input as literal
}

test_log_group_retention_raw_pass if {
	count(rules.log_group_retention.deny) == 0 with input as _raw_logs({"kms_key_id": "${aws_kms_key.cluster_key.arn}", "retention_in_days": 365})
}

test_log_group_retention_raw_fail if {
	fx.fires(rules.log_group_retention.deny, "MM-021", "aws_cloudwatch_log_group.backend") with input as _raw_logs({"kms_key_id": "${aws_kms_key.cluster_key.arn}"})
}

test_log_group_retention_plan_pass if {
	count(rules.log_group_retention.deny) == 0 with input as _plan_logs({"retention_in_days": 90}, {"kms_key_id": true})
}

test_log_group_retention_plan_fail if {
	# the provider's default of 0 = never expire
	fx.fires(rules.log_group_retention.deny, "MM-021", "aws_cloudwatch_log_group.backend") with input as _plan_logs({"retention_in_days": 0}, {"kms_key_id": true})
}

# ---- MM-005 ecr_encrypted / MM-027 ecr_scan_on_push / MM-028 ecr_immutable_tags ------------------

_raw_repo := {
	"//": fx.meta("markmail-dev-ecs-cluster/backend-repo/repository"),
	"name": "markmail-dev-backend",
	"image_tag_mutability": "IMMUTABLE",
	"image_scanning_configuration": {"scan_on_push": true},
	"encryption_configuration": [{"encryption_type": "KMS", "kms_key": "${aws_kms_key.cluster_key.arn}"}],
	"force_delete": true,
}

_plan_repo := fx.tagged("dev", {
	"name": "markmail-dev-backend",
	"image_tag_mutability": "IMMUTABLE",
	"image_scanning_configuration": [{"scan_on_push": true}],
	"encryption_configuration": [{"encryption_type": "KMS", "kms_key": "arn:aws:kms:ap-northeast-1:123456789012:key/abc"}],
	"force_delete": true,
})

_raw_ecr(body) := fx.raw("dev", {"aws_ecr_repository": {"backend": body}})

_plan_ecr(after) := fx.plan_refs(
	[fx.rc_unknown("aws_ecr_repository", "backend", after, {"repository_url": true, "arn": true})],
	[fx.cfg("aws_ecr_repository", "backend", {"encryption_configuration.kms_key": ["data.terraform_remote_state.secrets.outputs.kms_key_arn", "data.terraform_remote_state.secrets"]})],
)

test_ecr_encrypted_raw_pass if {
	count(rules.ecr_encrypted.deny) == 0 with input as _raw_ecr(_raw_repo)
}

test_ecr_encrypted_raw_fail if {
	fx.fires(rules.ecr_encrypted.deny, "MM-005", "aws_ecr_repository.backend") with input as _raw_ecr(object.remove(_raw_repo, ["encryption_configuration"]))
}

test_ecr_encrypted_plan_pass if {
	count(rules.ecr_encrypted.deny) == 0 with input as _plan_ecr(_plan_repo)
}

test_ecr_encrypted_plan_fail if {
	after := object.union(_plan_repo, {"encryption_configuration": [{"encryption_type": "AES256", "kms_key": ""}]})
	fx.fires(rules.ecr_encrypted.deny, "MM-005", "aws_ecr_repository.backend") with input as _plan_ecr(after)
}

test_ecr_scan_on_push_raw_pass if {
	count(rules.ecr_scan_on_push.deny) == 0 with input as _raw_ecr(_raw_repo)
}

test_ecr_scan_on_push_raw_fail if {
	fx.fires(rules.ecr_scan_on_push.deny, "MM-027", "aws_ecr_repository.backend") with input as _raw_ecr(object.remove(_raw_repo, ["image_scanning_configuration"]))
}

test_ecr_scan_on_push_plan_pass if {
	count(rules.ecr_scan_on_push.deny) == 0 with input as _plan_ecr(_plan_repo)
}

test_ecr_scan_on_push_plan_fail if {
	fx.fires(rules.ecr_scan_on_push.deny, "MM-027", "aws_ecr_repository.backend") with input as _plan_ecr(object.union(_plan_repo, {"image_scanning_configuration": [{"scan_on_push": false}]}))
}

test_ecr_immutable_tags_raw_pass if {
	count(rules.ecr_immutable_tags.deny) == 0 with input as _raw_ecr(_raw_repo)
}

test_ecr_immutable_tags_raw_fail if {
	# missing = provider default MUTABLE
	fx.fires(rules.ecr_immutable_tags.deny, "MM-028", "aws_ecr_repository.backend") with input as _raw_ecr(object.remove(_raw_repo, ["image_tag_mutability"]))
}

test_ecr_immutable_tags_plan_pass if {
	count(rules.ecr_immutable_tags.deny) == 0 with input as _plan_ecr(object.union(_plan_repo, {"image_tag_mutability": "IMMUTABLE_WITH_EXCLUSION"}))
}

test_ecr_immutable_tags_plan_fail if {
	fx.fires(rules.ecr_immutable_tags.deny, "MM-028", "aws_ecr_repository.backend") with input as _plan_ecr(object.union(_plan_repo, {"image_tag_mutability": "MUTABLE"}))
}

# ---- MM-006 secret_encrypted / MM-031 secret_recovery_window -------------------------------------

_raw_secret(extra) := fx.raw("dev", {"aws_secretsmanager_secret": {"jwt": object.union(
	{
		"//": fx.meta("markmail-dev-secrets/jwt/secret"),
		"name": "markmail-dev-jwt-secret",
		"kms_key_id": "${aws_kms_key.secrets_key.arn}",
		"recovery_window_in_days": 7,
	},
	extra,
)}})

_plan_secret(extra) := fx.plan_refs(
	[fx.rc_unknown(
		"aws_secretsmanager_secret", "jwt", fx.tagged("dev", object.union(
			{
				"name": "markmail-dev-jwt-secret",
				"recovery_window_in_days": 7,
				"force_overwrite_replica_secret": false,
			},
			extra,
		)),
		{"kms_key_id": true, "arn": true},
	)],
	[fx.cfg("aws_secretsmanager_secret", "jwt", {"kms_key_id": ["aws_kms_key.secrets_key.arn", "aws_kms_key.secrets_key"]})],
)

test_secret_encrypted_raw_pass if {
	count(rules.secret_encrypted.deny) == 0 with input as _raw_secret({})
}

test_secret_encrypted_raw_fail if {
	fx.fires(rules.secret_encrypted.deny, "MM-006", "aws_secretsmanager_secret.jwt") with input as _raw_secret({"kms_key_id": ""})
}

test_secret_encrypted_plan_pass if {
	count(rules.secret_encrypted.deny) == 0 with input as _plan_secret({})
}

test_secret_encrypted_plan_fail if {
	bad := fx.plan([fx.rc("aws_secretsmanager_secret", "jwt", fx.tagged("dev", {"name": "markmail-dev-jwt-secret", "kms_key_id": null, "recovery_window_in_days": 7}))])
	fx.fires(rules.secret_encrypted.deny, "MM-006", "aws_secretsmanager_secret.jwt") with input as bad
}

test_secret_recovery_window_raw_pass if {
	count(rules.secret_recovery_window.deny) == 0 with input as _raw_secret({"recovery_window_in_days": 30})
}

test_secret_recovery_window_raw_fail if {
	fx.fires(rules.secret_recovery_window.deny, "MM-031", "aws_secretsmanager_secret.jwt") with input as _raw_secret({"recovery_window_in_days": 0})
}

test_secret_recovery_window_plan_pass if {
	count(rules.secret_recovery_window.deny) == 0 with input as _plan_secret({})
}

test_secret_recovery_window_plan_fail if {
	fx.fires(rules.secret_recovery_window.deny, "MM-031", "aws_secretsmanager_secret.jwt") with input as _plan_secret({"recovery_window_in_days": 0})
}

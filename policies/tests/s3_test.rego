package markmail.tests.s3

import data.markmail.fixtures as fx
import data.markmail.rules
import rego.v1

# What constructs/secure-bucket.ts writes, by hand, for an artifacts bucket (KMS) and its
# access-log bucket (SSE-S3, which S3 server access logging requires).

_tls_statement := {
	"sid": "DenyInsecureTransport",
	"effect": "Deny",
	"principals": [{"type": "*", "identifiers": ["*"]}],
	"actions": ["s3:*"],
	"resources": ["arn:${data.aws_partition.p.partition}:s3:::markmail-dev-artifacts", "arn:${data.aws_partition.p.partition}:s3:::markmail-dev-artifacts/*"],
	"condition": [{"test": "Bool", "variable": "aws:SecureTransport", "values": ["false"]}],
}

_raw_resources := {
	"aws_s3_bucket": {
		"artifacts_bucket_1A2B": {"//": fx.meta("markmail-dev-pipeline/artifacts/bucket"), "bucket": "markmail-dev-artifacts", "force_destroy": true},
		"logs_bucket_3C4D": {"//": fx.meta("markmail-dev-pipeline/logs/bucket"), "bucket": "markmail-dev-access-logs", "force_destroy": true},
	},
	"aws_s3_bucket_server_side_encryption_configuration": {
		"artifacts_encryption_5E6F": {
			"bucket": "${aws_s3_bucket.artifacts_bucket_1A2B.id}",
			"rule": [{"apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms", "kms_master_key_id": "${aws_kms_key.pipeline_key.arn}"}, "bucket_key_enabled": true, "blocked_encryption_types": ["SSE-C"]}],
		},
		"logs_encryption_7A8B": {
			"bucket": "${aws_s3_bucket.logs_bucket_3C4D.id}",
			"rule": [{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}],
		},
	},
	"aws_s3_bucket_logging": {"artifacts_logging_9C0D": {
		"bucket": "${aws_s3_bucket.artifacts_bucket_1A2B.id}",
		"target_bucket": "${aws_s3_bucket.logs_bucket_3C4D.id}",
		"target_prefix": "artifacts/",
	}},
	"aws_s3_bucket_public_access_block": {
		"artifacts_public-access_1111": {"bucket": "${aws_s3_bucket.artifacts_bucket_1A2B.id}", "block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true},
		"logs_public-access_2222": {"bucket": "${aws_s3_bucket.logs_bucket_3C4D.id}", "block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true},
	},
	"aws_s3_bucket_policy": {
		"artifacts_policy_3333": {"bucket": "${aws_s3_bucket.artifacts_bucket_1A2B.id}", "policy": "${data.aws_iam_policy_document.artifacts_policy-document_4444.json}", "depends_on": ["aws_s3_bucket_public_access_block.artifacts_public-access_1111"]},
		"logs_policy_5555": {"bucket": "${aws_s3_bucket.logs_bucket_3C4D.id}", "policy": "${data.aws_iam_policy_document.logs_policy-document_6666.json}"},
	},
}

_raw_data := {"aws_iam_policy_document": {
	"artifacts_policy-document_4444": {"//": fx.meta("markmail-dev-pipeline/artifacts/policy-document"), "statement": [_tls_statement]},
	"logs_policy-document_6666": {"statement": [fx.put(_tls_statement, "resources", ["${aws_s3_bucket.logs_bucket_3C4D.arn}", "${aws_s3_bucket.logs_bucket_3C4D.arn}/*"])]},
}}

_raw_good := fx.raw_data("dev", _raw_resources, _raw_data)

# Replace one resource body in the good stack.
# (object.union merges recursively, so replace by remove-then-add.)
_raw_with(type, name, body) := fx.raw_data("dev", fx.put(_raw_resources, type, fx.put(_raw_resources[type], name, body)), _raw_data)

_raw_without(type, name) := fx.raw_data("dev", fx.put(_raw_resources, type, object.remove(_raw_resources[type], [name])), _raw_data)

_tls_json(bucket) := json.marshal({"Version": "2012-10-17", "Statement": [{
	"Sid": "DenyInsecureTransport",
	"Effect": "Deny",
	"Principal": "*",
	"Action": "s3:*",
	"Resource": [sprintf("arn:aws:s3:::%s", [bucket]), sprintf("arn:aws:s3:::%s/*", [bucket])],
	"Condition": {"Bool": {"aws:SecureTransport": "false"}},
}]})

_plan_changes := [
	fx.rc_unknown("aws_s3_bucket", "artifacts", fx.tagged("dev", {"bucket": "markmail-dev-artifacts", "force_destroy": true}), {"id": true, "arn": true}),
	fx.rc("aws_s3_bucket_server_side_encryption_configuration", "artifacts", {"bucket": "markmail-dev-artifacts", "expected_bucket_owner": null, "rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms", "kms_master_key_id": "arn:aws:kms:ap-northeast-1:123456789012:key/abc"}], "bucket_key_enabled": true}]}),
	fx.rc("aws_s3_bucket_public_access_block", "artifacts", {"bucket": "markmail-dev-artifacts", "block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true}),
	fx.rc("aws_s3_bucket_policy", "artifacts", {"bucket": "markmail-dev-artifacts", "policy": _tls_json("markmail-dev-artifacts")}),
]

_plan_with(i, after) := fx.plan(array.concat(array.slice(_plan_changes, 0, i), array.concat([fx.put(_plan_changes[i], "change", fx.put(_plan_changes[i].change, "after", after))], array.slice(_plan_changes, i + 1, count(_plan_changes)))))

_plan_without(i) := fx.plan(array.concat(array.slice(_plan_changes, 0, i), array.slice(_plan_changes, i + 1, count(_plan_changes))))

# ---- MM-002 s3_bucket_encrypted -------------------------------------------------------------------

test_s3_bucket_encrypted_raw_pass if {
	count(rules.s3_bucket_encrypted.deny) == 0 with input as _raw_good
}

test_s3_bucket_encrypted_raw_fail if {
	fx.fires(rules.s3_bucket_encrypted.deny, "MM-002", "aws_s3_bucket.artifacts_bucket_1A2B") with input as _raw_without("aws_s3_bucket_server_side_encryption_configuration", "artifacts_encryption_5E6F")

	# AES256 is only accepted on a log target
	aes := {"bucket": "${aws_s3_bucket.artifacts_bucket_1A2B.id}", "rule": [{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}]}
	fx.fires(rules.s3_bucket_encrypted.deny, "MM-002", "aws_s3_bucket.artifacts_bucket_1A2B") with input as _raw_with("aws_s3_bucket_server_side_encryption_configuration", "artifacts_encryption_5E6F", aes)
}

_plan_sse_config := [fx.cfg("aws_s3_bucket_server_side_encryption_configuration", "artifacts", {"rule.apply_server_side_encryption_by_default.kms_master_key_id": ["aws_kms_key.pipeline.arn", "aws_kms_key.pipeline"]})]

test_s3_bucket_encrypted_plan_pass if {
	count(rules.s3_bucket_encrypted.deny) == 0 with input as fx.plan_refs(_plan_changes, _plan_sse_config)
}

test_s3_bucket_encrypted_plan_fail if {
	fx.fires(rules.s3_bucket_encrypted.deny, "MM-002", "aws_s3_bucket.artifacts") with input as _plan_without(1)
	aes := {"bucket": "markmail-dev-artifacts", "rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "AES256", "kms_master_key_id": ""}], "bucket_key_enabled": false}]}
	fx.fires(rules.s3_bucket_encrypted.deny, "MM-002", "aws_s3_bucket.artifacts") with input as _plan_with(1, aes)
}

# ---- MM-029 s3_public_access_block ----------------------------------------------------------------

test_s3_public_access_block_raw_pass if {
	count(rules.s3_public_access_block.deny) == 0 with input as _raw_good
}

test_s3_public_access_block_raw_fail if {
	fx.fires(rules.s3_public_access_block.deny, "MM-029", "aws_s3_bucket.logs_bucket_3C4D") with input as _raw_without("aws_s3_bucket_public_access_block", "logs_public-access_2222")
	weak := {"bucket": "${aws_s3_bucket.logs_bucket_3C4D.id}", "block_public_acls": true, "block_public_policy": false, "ignore_public_acls": true}
	denies := rules.s3_public_access_block.deny with input as _raw_with("aws_s3_bucket_public_access_block", "logs_public-access_2222", weak)
	fx.fires(denies, "MM-029", "aws_s3_bucket_public_access_block.logs_public-access_2222")
	count(denies) == 2
}

test_s3_public_access_block_plan_pass if {
	count(rules.s3_public_access_block.deny) == 0 with input as fx.plan(_plan_changes)
}

test_s3_public_access_block_plan_fail if {
	fx.fires(rules.s3_public_access_block.deny, "MM-029", "aws_s3_bucket.artifacts") with input as _plan_without(2)
	weak := {"bucket": "markmail-dev-artifacts", "block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": false}
	fx.fires(rules.s3_public_access_block.deny, "MM-029", "aws_s3_bucket_public_access_block.artifacts") with input as _plan_with(2, weak)
}

# ---- MM-030 s3_tls_only ------------------------------------------------------------------------------

test_s3_tls_only_raw_pass if {
	count(rules.s3_tls_only.deny) == 0 with input as _raw_good
}

test_s3_tls_only_raw_fail if {
	fx.fires(rules.s3_tls_only.deny, "MM-030", "aws_s3_bucket.artifacts_bucket_1A2B") with input as _raw_without("aws_s3_bucket_policy", "artifacts_policy_3333")

	# a deny on the objects only leaves bucket-level calls (ListBucket, GetBucketPolicy) open over HTTP
	objects_only := {"aws_iam_policy_document": fx.put(_raw_data.aws_iam_policy_document, "logs_policy-document_6666", {"statement": [fx.put(_tls_statement, "resources", ["${aws_s3_bucket.logs_bucket_3C4D.arn}/*"])]})}
	fx.fires(rules.s3_tls_only.deny, "MM-030", "aws_s3_bucket.logs_bucket_3C4D") with input as fx.raw_data("dev", _raw_resources, objects_only)

	# a policy whose document lacks the deny
	doc := {"aws_iam_policy_document": fx.put(_raw_data.aws_iam_policy_document, "logs_policy-document_6666", {"statement": [{"effect": "Allow", "principals": [{"type": "Service", "identifiers": ["logging.s3.amazonaws.com"]}], "actions": ["s3:PutObject"], "resources": ["arn:aws:s3:::markmail-dev-access-logs/*"]}]})}
	fx.fires(rules.s3_tls_only.deny, "MM-030", "aws_s3_bucket.logs_bucket_3C4D") with input as fx.raw_data("dev", _raw_resources, doc)
}

test_s3_tls_only_plan_pass if {
	count(rules.s3_tls_only.deny) == 0 with input as fx.plan(_plan_changes)
}

test_s3_tls_only_plan_fail if {
	fx.fires(rules.s3_tls_only.deny, "MM-030", "aws_s3_bucket.artifacts") with input as _plan_without(3)
	allow_only := json.marshal({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "delivery.logs.amazonaws.com"}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::markmail-dev-artifacts/*"}]})
	fx.fires(rules.s3_tls_only.deny, "MM-030", "aws_s3_bucket.artifacts") with input as _plan_with(3, {"bucket": "markmail-dev-artifacts", "policy": allow_only})
}

test_s3_bucket_encrypted_raw_pass_alb_log_bucket_on_sse_s3 if {
	# ALB access logs are delivered only to SSE-S3 buckets; the ALB names the bucket literally
	stack := fx.raw("dev", {
		"aws_s3_bucket": {"alb-logs_bucket_77": {"bucket": "markmail-dev-alb-logs"}},
		"aws_s3_bucket_server_side_encryption_configuration": {"alb-logs_encryption_88": {"bucket": "${aws_s3_bucket.alb-logs_bucket_77.id}", "rule": [{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}]}},
		"aws_lb": {"alb": {"name": "markmail-dev-alb", "access_logs": {"bucket": "markmail-dev-alb-logs", "enabled": true, "prefix": "alb"}}},
	})
	count(rules.s3_bucket_encrypted.deny) == 0 with input as stack
	no_alb := json.patch(stack, [{"op": "remove", "path": "/resource/aws_lb"}])
	fx.fires(rules.s3_bucket_encrypted.deny, "MM-002", "aws_s3_bucket.alb-logs_bucket_77") with input as no_alb
}

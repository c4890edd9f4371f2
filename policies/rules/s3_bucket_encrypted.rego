# METADATA
# title: MM-002 S3 buckets have default encryption with a customer-managed key
# description: |
#   Every aws_s3_bucket has default encryption in the same stack (an
#   aws_s3_bucket_server_side_encryption_configuration or the inline block). The algorithm is aws:kms
#   (or aws:kms:dsse) with kms_master_key_id designating a customer-managed key (without it S3 uses
#   the AWS-managed aws/s3 key). SSE-S3 (AES256) is allowed only on a bucket that is nothing but a log
#   target (policies/data/encryption: S3 server access logs and ALB logs are delivered only to SSE-S3
#   buckets): log delivery points at it and nothing else in the stack refers to it except its own
#   configuration resources and bucket policy document. Unknown algorithms fail closed.
# custom:
#   id: MM-002
#   controls: [S3.4, S3.17, CKV_AWS_145, CKV_AWS_19]
#   enforcement_level: mandatory
#   reason: Unencrypted buckets hold state, artifacts and logs; the fix is one resource.
package markmail.rules.s3_bucket_encrypted

import data.markmail.lib
import rego.v1

_enc := lib.policy_data.encryption

_kms := {a | some a in _enc.kms_algorithms}

# {resource holding the default, rule block path} for bucket b.
_defaults(b) := {{"r": c, "d": d} |
	some c in lib.of_type("aws_s3_bucket_server_side_encryption_configuration")
	count(lib.ref_keys(c, "bucket") & lib.self_keys(b)) > 0
	some rule in lib.blocks(c.values, "rule")
	some d in lib.blocks(rule, "apply_server_side_encryption_by_default")
} | {{"r": b, "d": d} |
	some sse in lib.blocks(b.values, "server_side_encryption_configuration")
	some rule in lib.blocks(sse, "rule")
	some d in lib.blocks(rule, "apply_server_side_encryption_by_default")
}

_configured(b) if {
	some c in lib.of_type("aws_s3_bucket_server_side_encryption_configuration")
	count(lib.ref_keys(c, "bucket") & lib.self_keys(b)) > 0
}

_configured(b) if count(_defaults(b)) > 0

# b receives S3 server access logs or load balancer logs.
_log_target(b) if {
	some l in _enc.log_delivery
	some r in lib.of_type(l.type)
	count(lib.ref_keys(r, l.path) & lib.self_keys(b)) > 0
}

# Something other than log delivery and the bucket's own configuration refers to b.
_other_use(b) := {r.address |
	some r in lib.resources
	r.address != b.address
	not r.type in {t | some t in _enc.bucket_companions}
	not _log_delivery_only(r, b)
	not _own_policy_document(r, b)
	some path, _ in r.refs
	count(lib.ref_keys(r, path) & {sprintf("addr:%s", [b.address])}) > 0
}

_log_delivery_only(r, b) if {
	some l in _enc.log_delivery
	r.type == l.type
	every path, _ in r.refs {
		_path_ok(r, path, b, l.path)
	}
}

_path_ok(_, path, _, lpath) if path == lpath

_path_ok(r, path, b, _) if count(lib.ref_keys(r, path) & {sprintf("addr:%s", [b.address])}) == 0

_own_policy_document(r, b) if {
	r.type == "aws_iam_policy_document"
	some p in lib.of_type("aws_s3_bucket_policy")
	count(lib.ref_keys(p, "bucket") & lib.self_keys(b)) > 0
	some e in lib.max_refs(p, "policy")
	lib.ref_address(e) == r.address
}

deny contains lib.msg("MM-002", b, "no default encryption configuration", "Security Hub S3.4 / checkov CKV_AWS_145") if {
	some b in lib.of_type("aws_s3_bucket")
	not _configured(b)
}

deny contains lib.msg("MM-002", b, sprintf("default encryption %v is SSE-S3, allowed only on a bucket that is nothing but a log target%s", [x.d.sse_algorithm, _reason(b)]), "Security Hub S3.17 / checkov CKV_AWS_145") if {
	some b in lib.of_type("aws_s3_bucket")
	some x in _defaults(b)
	not x.d.sse_algorithm in _kms
	not _pure_log_target(b)
}

_pure_log_target(b) if {
	_log_target(b)
	count(_other_use(b)) == 0
}

_reason(b) := sprintf(" (also used by %v)", [sort(_other_use(b))]) if {
	_log_target(b)
	count(_other_use(b)) > 0
} else := " (no log delivery points at it)"

deny contains lib.msg("MM-002", x.r, "aws:kms default encryption without kms_master_key_id uses the AWS-managed aws/s3 key", "Security Hub S3.17 / checkov CKV_AWS_145") if {
	some b in lib.of_type("aws_s3_bucket")
	some x in _defaults(b)
	x.d.sse_algorithm in _kms
	not _non_empty(object.get(x.d, "kms_master_key_id", null))
	not lib.path_unknown(x.r, "rule.apply_server_side_encryption_by_default.kms_master_key_id")
}

deny contains lib.msg("MM-002", x.r, lib.cmk_problem(x.r, "rule.apply_server_side_encryption_by_default.kms_master_key_id"), "Security Hub S3.17 / checkov CKV_AWS_145") if {
	some b in lib.of_type("aws_s3_bucket")
	some x in _defaults(b)
	x.d.sse_algorithm in _kms
	x.r.type == "aws_s3_bucket_server_side_encryption_configuration"
}

deny contains lib.msg("MM-002", x.r, "sse_algorithm is unknown until apply: cannot verify the bucket's encryption", "Security Hub S3.4") if {
	some b in lib.of_type("aws_s3_bucket")
	some x in _defaults(b)
	not is_string(x.d.sse_algorithm)
}

_non_empty(v) if {
	v != null
	v != ""
}

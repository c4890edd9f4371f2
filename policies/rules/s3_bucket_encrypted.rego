# METADATA
# title: MM-002 S3 buckets have default encryption with a KMS key
# description: |
#   Every aws_s3_bucket needs an aws_s3_bucket_server_side_encryption_configuration in the same
#   stack. The algorithm must be aws:kms (or aws:kms:dsse), except for buckets that receive S3
#   server access logs or ALB access logs, which AWS only delivers to SSE-S3 (AES256) buckets.
# custom:
#   id: MM-002
#   controls: [S3.4, CKV_AWS_145]
#   enforcement_level: mandatory
#   reason: Unencrypted buckets hold state, artifacts and logs; the fix is one resource.
package markmail.rules.s3_bucket_encrypted

import data.markmail.lib
import rego.v1

_kms := {"aws:kms", "aws:kms:dsse"}

# The default-encryption algorithms configured for bucket b.
_algorithms(b) := {alg |
	some c in lib.of_type("aws_s3_bucket_server_side_encryption_configuration")
	lib.refers_to(c, "bucket", b)
	some rule in lib.blocks(c.values, "rule")
	some d in lib.blocks(rule, "apply_server_side_encryption_by_default")
	alg := d.sse_algorithm
} | {alg |
	some sse in lib.blocks(b.values, "server_side_encryption_configuration")
	some rule in lib.blocks(sse, "rule")
	some d in lib.blocks(rule, "apply_server_side_encryption_by_default")
	alg := d.sse_algorithm
}

# b receives S3 server access logs or ALB access logs (SSE-S3 only).
_log_target(b) if {
	some l in lib.of_type("aws_s3_bucket_logging")
	lib.refers_to(l, "target_bucket", b)
}

_log_target(b) if {
	some lb in lib.of_type("aws_lb")
	lib.refers_to(lb, "access_logs.bucket", b)
}

deny contains lib.msg("MM-002", b, "no default encryption configuration", "Security Hub S3.4 / checkov CKV_AWS_145") if {
	some b in lib.of_type("aws_s3_bucket")
	count(_algorithms(b)) == 0
}

deny contains lib.msg("MM-002", b, sprintf("default encryption is %v, expected aws:kms with a customer-managed key", [algs]), "checkov CKV_AWS_145") if {
	some b in lib.of_type("aws_s3_bucket")
	algs := _algorithms(b)
	count(algs) > 0
	count(algs & _kms) == 0
	not _log_target(b)
}

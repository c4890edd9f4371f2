# METADATA
# title: MM-029 Every S3 bucket blocks public access
# description: An aws_s3_bucket_public_access_block for the bucket, in the same stack, with all four flags true.
# custom:
#   id: MM-029
#   controls: [S3.8, CKV2_AWS_6, CKV_AWS_53, CKV_AWS_54, CKV_AWS_55, CKV_AWS_56]
#   enforcement_level: mandatory
#   reason: State, artifact and log buckets must never become public through a later ACL or policy.
package markmail.rules.s3_public_access_block

import data.markmail.lib
import rego.v1

_flags := ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]

_blocks(b) := {p |
	some p in lib.of_type("aws_s3_bucket_public_access_block")
	lib.refers_to(p, "bucket", b)
}

deny contains lib.msg("MM-029", b, "no aws_s3_bucket_public_access_block for this bucket", "Security Hub S3.8 / checkov CKV2_AWS_6") if {
	some b in lib.of_type("aws_s3_bucket")
	count(_blocks(b)) == 0
}

deny contains lib.msg("MM-029", p, sprintf("%s must be true", [flag]), "Security Hub S3.8 / checkov CKV_AWS_53-56") if {
	some p in lib.of_type("aws_s3_bucket_public_access_block")
	some flag in _flags
	not lib.is_true(p.values, flag)
}

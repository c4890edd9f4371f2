# METADATA
# title: MM-056 Data buckets log their access to a log bucket
# description: |
#   Every aws_s3_bucket that is not itself a log target (policies/data/encryption `log_delivery`: it
#   receives S3 server access logs or load balancer logs, and such a bucket cannot log to itself)
#   has an aws_s3_bucket_logging in the same stack whose `bucket` designates it and whose
#   target_bucket is set. This is what the CKV_AWS_18 skip in .checkov.yaml relies on.
# custom:
#   id: MM-056
#   controls: [S3.9, CKV_AWS_18]
#   enforcement_level: advisory
#   reason: Server access logs are the audit trail of who read or changed artifacts; their absence exposes nothing by itself.
package markmail.rules.s3_access_logging

import data.markmail.lib
import rego.v1

_log_target(b) if {
	some l in lib.policy_data.encryption.log_delivery
	some r in lib.of_type(l.type)
	count(lib.ref_keys(r, l.path) & lib.self_keys(b)) > 0
}

_logged(b) if {
	some l in lib.of_type("aws_s3_bucket_logging")
	count(lib.ref_keys(l, "bucket") & lib.self_keys(b)) > 0
	lib.present(l, "target_bucket")
}

deny contains lib.msg("MM-056", b, "no aws_s3_bucket_logging for this bucket (server access logs to a log bucket)", "Security Hub S3.9 / checkov CKV_AWS_18") if {
	some b in lib.of_type("aws_s3_bucket")
	not _log_target(b)
	not _logged(b)
}

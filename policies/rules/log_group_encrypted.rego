# METADATA
# title: MM-004 CloudWatch log groups are encrypted with a customer-managed key
# custom:
#   id: MM-004
#   controls: [CKV_AWS_158]
#   enforcement_level: mandatory
#   reason: Application logs can contain personal data of mail recipients.
package markmail.rules.log_group_encrypted

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-004", r, "kms_key_id must be set", "checkov CKV_AWS_158") if {
	some r in lib.of_type("aws_cloudwatch_log_group")
	not lib.present(r, "kms_key_id")
}

deny contains lib.msg("MM-004", r, lib.cmk_problem(r, "kms_key_id"), "checkov CKV_AWS_158") if {
	some r in lib.of_type("aws_cloudwatch_log_group")
	lib.present(r, "kms_key_id")
}

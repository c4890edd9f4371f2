# METADATA
# title: MM-003 SNS topics are encrypted with a customer-managed key
# description: kms_master_key_id is set and designates a customer-managed key (alias/aws/sns is AWS-managed and cannot be used by CloudWatch alarms or SES anyway).
# custom:
#   id: MM-003
#   controls: [SNS.1, CKV_AWS_26]
#   enforcement_level: mandatory
#   reason: Alarm and approval messages carry resource names and ARNs; encryption is free to add.
package markmail.rules.sns_topic_encrypted

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-003", r, "kms_master_key_id must be set", "Security Hub SNS.1 / checkov CKV_AWS_26") if {
	some r in lib.of_type("aws_sns_topic")
	not lib.present(r, "kms_master_key_id")
}

deny contains lib.msg("MM-003", r, lib.cmk_problem(r, "kms_master_key_id"), "Security Hub SNS.1 / checkov CKV_AWS_26") if {
	some r in lib.of_type("aws_sns_topic")
	lib.present(r, "kms_master_key_id")
}

# METADATA
# title: MM-006 Secrets Manager secrets use a customer-managed key
# custom:
#   id: MM-006
#   controls: [CKV_AWS_149]
#   enforcement_level: mandatory
#   reason: The CMK's policy is the second gate on who can read a secret; the AWS-managed key has none.
package markmail.rules.secret_encrypted

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-006", r, "kms_key_id must name a customer-managed KMS key", "checkov CKV_AWS_149") if {
	some r in lib.of_type("aws_secretsmanager_secret")
	not lib.present(r, "kms_key_id")
}

deny contains lib.msg("MM-006", r, lib.cmk_problem(r, "kms_key_id"), "checkov CKV_AWS_149") if {
	some r in lib.of_type("aws_secretsmanager_secret")
	lib.present(r, "kms_key_id")
}

# METADATA
# title: MM-005 ECR repositories are encrypted with a customer-managed key
# description: encryption_configuration.encryption_type KMS (or KMS_DSSE) with kms_key designating a customer-managed key; KMS without kms_key uses the AWS-managed aws/ecr key.
# custom:
#   id: MM-005
#   controls: [CKV_AWS_136]
#   enforcement_level: mandatory
#   reason: Encryption type is immutable on a repository; it must be right at creation.
package markmail.rules.ecr_encrypted

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-005", r, "encryption_configuration.encryption_type must be KMS", "checkov CKV_AWS_136") if {
	some r in lib.of_type("aws_ecr_repository")
	not _kms(r)
}

deny contains lib.msg("MM-005", r, "encryption_configuration.kms_key must name a customer-managed key (without it ECR uses the AWS-managed aws/ecr key)", "checkov CKV_AWS_136") if {
	some r in lib.of_type("aws_ecr_repository")
	_kms(r)
	not lib.present_path(r, "encryption_configuration.kms_key")
}

deny contains lib.msg("MM-005", r, lib.cmk_problem(r, "encryption_configuration.kms_key"), "checkov CKV_AWS_136") if {
	some r in lib.of_type("aws_ecr_repository")
	lib.present_path(r, "encryption_configuration.kms_key")
}

_kms(r) if {
	some e in lib.blocks(r.values, "encryption_configuration")
	e.encryption_type in {"KMS", "KMS_DSSE"}
}

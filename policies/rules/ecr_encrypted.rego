# METADATA
# title: MM-005 ECR repositories are encrypted with KMS
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

_kms(r) if {
	some e in lib.blocks(r.values, "encryption_configuration")
	e.encryption_type in {"KMS", "KMS_DSSE"}
}

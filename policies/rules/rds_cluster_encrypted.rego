# METADATA
# title: MM-001 Aurora storage is encrypted with a customer-managed key
# description: aws_rds_cluster / aws_db_instance need storage_encrypted = true and a kms_key_id.
# custom:
#   id: MM-001
#   controls: [RDS.27, CKV_AWS_96, CKV_AWS_327]
#   enforcement_level: mandatory
#   reason: Encryption at rest cannot be added to an existing cluster without a snapshot restore.
package markmail.rules.rds_cluster_encrypted

import data.markmail.lib
import rego.v1

_types := {"aws_rds_cluster", "aws_db_instance"}

deny contains lib.msg("MM-001", r, "storage_encrypted must be true", "Security Hub RDS.27 / checkov CKV_AWS_96") if {
	some t in _types
	some r in lib.of_type(t)
	not lib.is_true(r.values, "storage_encrypted")
}

deny contains lib.msg("MM-001", r, "kms_key_id must name a customer-managed KMS key", "checkov CKV_AWS_327") if {
	some t in _types
	some r in lib.of_type(t)
	not lib.present(r, "kms_key_id")
}

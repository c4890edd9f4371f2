# METADATA
# title: MM-001 Aurora storage is encrypted with a customer-managed key
# description: |
#   aws_rds_cluster / aws_db_instance / aws_rds_global_cluster: storage_encrypted is true and
#   kms_key_id designates a customer-managed key (lib.cmk_problem: alias/aws/rds is AWS-managed, a
#   literal key id cannot be verified). With Performance Insights on, its key is customer-managed too.
# custom:
#   id: MM-001
#   controls: [RDS.27, RDS.3, CKV_AWS_96, CKV_AWS_327, CKV_AWS_354]
#   enforcement_level: mandatory
#   reason: Encryption at rest cannot be added to an existing cluster without a snapshot restore.
package markmail.rules.rds_cluster_encrypted

import data.markmail.lib
import rego.v1

_types := {"aws_rds_cluster", "aws_db_instance", "aws_rds_global_cluster"}

deny contains lib.msg("MM-001", r, "storage_encrypted must be true", "Security Hub RDS.27 / checkov CKV_AWS_96") if {
	some t in _types
	some r in lib.of_type(t)
	not lib.truthy(r.values, "storage_encrypted")
}

deny contains lib.msg("MM-001", r, "kms_key_id must name a customer-managed KMS key", "checkov CKV_AWS_327") if {
	some t in {"aws_rds_cluster", "aws_db_instance"}
	some r in lib.of_type(t)
	not lib.present(r, "kms_key_id")
}

deny contains lib.msg("MM-001", r, lib.cmk_problem(r, k), "checkov CKV_AWS_327 / CKV_AWS_354") if {
	some t in {"aws_rds_cluster", "aws_db_instance", "aws_rds_cluster_instance"}
	some r in lib.of_type(t)
	some k in ["kms_key_id", "performance_insights_kms_key_id"]

	# Judged where the configuration sets it: a value AWS computes (an instance's storage key is
	# the cluster's, judged on the cluster) is unknown in a plan but nobody chose it.
	lib.configured(r, k)
}

deny contains lib.msg("MM-001", r, "Performance Insights is on without performance_insights_kms_key_id (the AWS-managed aws/rds key would be used)", "checkov CKV_AWS_354") if {
	some t in {"aws_rds_cluster", "aws_db_instance", "aws_rds_cluster_instance"}
	some r in lib.of_type(t)
	lib.truthy(r.values, "performance_insights_enabled")
	not lib.present(r, "performance_insights_kms_key_id")
}

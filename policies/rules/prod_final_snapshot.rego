# METADATA
# title: MM-019 Production databases take a final snapshot
# description: In prod, aws_rds_cluster / aws_db_instance must not skip the final snapshot and must name it.
# custom:
#   id: MM-019
#   controls: [RDS.7 (context), AwsSolutions-RDS10 (context)]
#   enforcement_level: mandatory
#   reason: The final snapshot is the last copy of customer data after a deliberate destroy.
package markmail.rules.prod_final_snapshot

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-019", r, "prod database with skip_final_snapshot = true", "Security Hub RDS.7 context") if {
	some t in {"aws_rds_cluster", "aws_db_instance"}
	some r in lib.of_type(t)
	lib.is_prod(r)
	lib.truthy(r.values, "skip_final_snapshot")
}

deny contains lib.msg("MM-019", r, "prod database without final_snapshot_identifier", "Security Hub RDS.7 context") if {
	some t in {"aws_rds_cluster", "aws_db_instance"}
	some r in lib.of_type(t)
	lib.is_prod(r)
	not lib.present(r, "final_snapshot_identifier")
}

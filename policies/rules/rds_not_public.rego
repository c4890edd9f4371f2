# METADATA
# title: MM-009 Databases are not publicly accessible
# custom:
#   id: MM-009
#   controls: [RDS.2, CKV_AWS_17]
#   enforcement_level: mandatory
#   reason: A public endpoint exposes the database to the internet's password guessing.
package markmail.rules.rds_not_public

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-009", r, "publicly_accessible must not be true", "Security Hub RDS.2 / checkov CKV_AWS_17") if {
	some t in {"aws_rds_cluster_instance", "aws_db_instance"}
	some r in lib.of_type(t)
	lib.truthy(r.values, "publicly_accessible")
}

deny contains lib.msg("MM-009", r, "publicly_accessible is unknown until apply: cannot verify the database is private", "Security Hub RDS.2") if {
	some t in {"aws_rds_cluster_instance", "aws_db_instance"}
	some r in lib.of_type(t)
	lib.unknown(r, "publicly_accessible")
}

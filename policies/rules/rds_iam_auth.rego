# METADATA
# title: MM-034 Aurora has IAM database authentication enabled
# custom:
#   id: MM-034
#   controls: [RDS.12, CKV_AWS_128, CKV_AWS_162]
#   enforcement_level: advisory
#   reason: Defence in depth for operators (the app still uses the managed password); not a direct exposure.
package markmail.rules.rds_iam_auth

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-034", r, "iam_database_authentication_enabled must be true", "Security Hub RDS.12 / checkov CKV_AWS_128, CKV_AWS_162") if {
	some t in {"aws_rds_cluster", "aws_db_instance"}
	some r in lib.of_type(t)
	not lib.is_true(r.values, "iam_database_authentication_enabled")
}

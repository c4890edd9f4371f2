# METADATA
# title: MM-018 Production databases and load balancers have deletion protection
# description: In prod (Environment tag), aws_rds_cluster / aws_db_instance deletion_protection and aws_lb enable_deletion_protection are true.
# custom:
#   id: MM-018
#   controls: [RDS.7, ELB.6, CKV_AWS_139, CKV_AWS_150]
#   enforcement_level: mandatory
#   reason: A stray destroy in prod must fail at the API, not rely on a reviewer reading the plan.
package markmail.rules.prod_deletion_protection

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-018", r, "prod database without deletion_protection = true", "Security Hub RDS.7 / checkov CKV_AWS_139") if {
	some t in {"aws_rds_cluster", "aws_db_instance"}
	some r in lib.of_type(t)
	lib.is_prod(r)
	not lib.is_true(r.values, "deletion_protection")
}

deny contains lib.msg("MM-018", r, "prod load balancer without enable_deletion_protection = true", "Security Hub ELB.6 / checkov CKV_AWS_150") if {
	some t in {"aws_lb", "aws_alb"}
	some r in lib.of_type(t)
	lib.is_prod(r)
	not lib.is_true(r.values, "enable_deletion_protection")
}

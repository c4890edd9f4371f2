# METADATA
# title: MM-018 Databases and load balancers have deletion protection
# description: |
#   aws_rds_cluster / aws_db_instance deletion_protection and aws_lb enable_deletion_protection are
#   true in every environment; the environments that are torn down by design are per-environment
#   exceptions with a reason in policies/lib/exceptions.rego (never prod: the environment is the
#   strictest signal of the input).
# custom:
#   id: MM-018
#   controls: [RDS.7, ELB.6, CKV_AWS_139, CKV_AWS_150]
#   enforcement_level: mandatory
#   reason: A stray destroy in prod must fail at the API, not rely on a reviewer reading the plan.
package markmail.rules.prod_deletion_protection

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-018", r, "database without deletion_protection = true", "Security Hub RDS.7 / checkov CKV_AWS_139") if {
	some t in {"aws_rds_cluster", "aws_db_instance"}
	some r in lib.of_type(t)
	not lib.truthy(r.values, "deletion_protection")
}

deny contains lib.msg("MM-018", r, "load balancer without enable_deletion_protection = true", "Security Hub ELB.6 / checkov CKV_AWS_150") if {
	some t in {"aws_lb", "aws_alb"}
	some r in lib.of_type(t)
	not lib.truthy(r.values, "enable_deletion_protection")
}

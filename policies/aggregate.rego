# METADATA
# title: Two-policy form of the set (HCP Terraform Free edition allows 5 policies per set)
# description: |
#   `mandatory` and `advisory` collect the rule packages by their METADATA enforcement level, so a
#   policies.hcl with two blocks (query data.markmail.aggregate.mandatory / .advisory) enforces the
#   same rules at the same levels. scripts/policy/check-fixtures.sh keeps `advisory_rules` equal to
#   the rules whose METADATA says advisory.
package markmail.aggregate

import rego.v1

advisory_rules := {
	"ecr_scan_on_push",
	"ecs_container_insights",
	"ecs_log_configuration",
	"elasticache_backups",
	"elasticache_failover",
	"log_group_retention",
	"nacl_admin_ports",
	"rds_iam_auth",
	"rds_multi_az",
	"required_tags",
	"s3_access_logging",
	"vpc_ec2_endpoint",
}

mandatory contains m if {
	some name, rule in data.markmail.rules
	not name in advisory_rules
	some m in rule.deny
}

advisory contains m if {
	some name in advisory_rules
	some m in data.markmail.rules[name].deny
}

# Reasoned, per-resource exceptions (same package as resources.rego).
#
# The OPA counterpart of the skips in .checkov.yaml, but narrower: one rule id and a glob on the
# resource address (the same in cdk.tf.json and in plans: the stacks have readable addresses, so the
# glob matches both). lib.msg() yields nothing for an excepted resource, so every rule that
# reports through lib.msg honours the list, in HCP Terraform, conftest and CI alike. Every entry
# needs a reason; the lead owns the decision. Keep the list short.
package markmail.lib

import rego.v1

exceptions := [{
	"rule": "MM-008",
	"address": "aws_elasticache_replication_group.redis",
	"reason": "No Redis AUTH token: auth_token is not write-only, so it would sit in the Terraform state (the briefing forbids secret values there). The boundary is the cache security group (ECS tasks only) plus required TLS; ElastiCache IAM authentication is the upgrade path once the backend's client supports it.",
}]

excepted(rule_id, r) if {
	some e in exceptions
	e.rule == rule_id
	glob.match(e.address, [], r.address)
}

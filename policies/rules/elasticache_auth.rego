# METADATA
# title: MM-008 Redis requires authentication, never with a literal token
# description: |
#   aws_elasticache_replication_group needs auth_token (a reference to a generated secret, never
#   a literal in the configuration) or RBAC user_group_ids.
# custom:
#   id: MM-008
#   controls: [ElastiCache.6, CKV_AWS_31]
#   enforcement_level: mandatory
#   reason: Without AUTH any task in the VPC can read or flush the cache.
package markmail.rules.elasticache_auth

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-008", r, "neither auth_token nor user_group_ids: Redis accepts unauthenticated clients", "Security Hub ElastiCache.6 / checkov CKV_AWS_31") if {
	some r in lib.of_type("aws_elasticache_replication_group")
	not lib.present(r, "auth_token")
	not lib.present(r, "user_group_ids")
}

deny contains lib.msg("MM-008", r, "auth_token is a literal in the configuration: generate it and pass a reference", "checkov CKV_AWS_31 / CKV_SECRET") if {
	some r in lib.of_type("aws_elasticache_replication_group")
	r.shape == "raw"
	t := r.values.auth_token
	is_string(t)
	t != ""
	not lib.is_expression(t)
}

# METADATA
# title: MM-052 Redis fails over automatically
# description: aws_elasticache_replication_group automatic_failover_enabled is true (needs two or more nodes).
# custom:
#   id: MM-052
#   controls: [ElastiCache.3, CKV2_AWS_50]
#   enforcement_level: advisory
#   reason: Availability, not exposure; environments that run one node say so in exceptions.rego.
package markmail.rules.elasticache_failover

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-052", r, "automatic_failover_enabled is not true", "Security Hub ElastiCache.3 / checkov CKV2_AWS_50") if {
	some r in lib.of_type("aws_elasticache_replication_group")
	not lib.truthy(r.values, "automatic_failover_enabled")
}

# METADATA
# title: MM-051 Redis keeps automatic backups
# description: aws_elasticache_replication_group snapshot_retention_limit is at least 1 (missing or 0 = no backups).
# custom:
#   id: MM-051
#   controls: [ElastiCache.1, CKV_AWS_134]
#   enforcement_level: advisory
#   reason: The cache holds no system of record; backups shorten recovery but their absence exposes nothing.
package markmail.rules.elasticache_backups

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-051", r, sprintf("snapshot_retention_limit is %v: no automatic backups", [object.get(r.values, "snapshot_retention_limit", "(unset)")]), "Security Hub ElastiCache.1") if {
	some r in lib.of_type("aws_elasticache_replication_group")
	not lib.num(object.get(r.values, "snapshot_retention_limit", 0)) >= 1
}

# METADATA
# title: MM-007 ElastiCache (Redis/Valkey) is encrypted at rest and in transit
# description: |
#   aws_elasticache_replication_group: at_rest_encryption_enabled, transit_encryption_enabled,
#   transit_encryption_mode not "preferred", and a customer-managed kms_key_id.
#   aws_elasticache_serverless_cache: always encrypted; needs kms_key_id.
#   A stand-alone aws_elasticache_cluster running redis/valkey cannot be encrypted at rest.
# custom:
#   id: MM-007
#   controls: [ElastiCache.4, ElastiCache.5, CKV_AWS_29, CKV_AWS_30, CKV_AWS_191]
#   enforcement_level: mandatory
#   reason: Sessions and rate-limit counters live in Redis; encryption cannot be turned on in place.
package markmail.rules.elasticache_encrypted

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-007", r, "at_rest_encryption_enabled must be true", "Security Hub ElastiCache.4 / checkov CKV_AWS_29") if {
	some r in lib.of_type("aws_elasticache_replication_group")
	not lib.truthy(r.values, "at_rest_encryption_enabled")
}

deny contains lib.msg("MM-007", r, "transit_encryption_enabled must be true", "Security Hub ElastiCache.5 / checkov CKV_AWS_30") if {
	some r in lib.of_type("aws_elasticache_replication_group")
	not lib.truthy(r.values, "transit_encryption_enabled")
}

deny contains lib.msg("MM-007", r, "transit_encryption_mode \"preferred\" still accepts plain-text clients; use \"required\"", "Security Hub ElastiCache.5") if {
	some r in lib.of_type("aws_elasticache_replication_group")
	r.values.transit_encryption_mode == "preferred"
}

deny contains lib.msg("MM-007", r, "kms_key_id must name a customer-managed KMS key", "checkov CKV_AWS_191") if {
	some t in {"aws_elasticache_replication_group", "aws_elasticache_serverless_cache"}
	some r in lib.of_type(t)
	not lib.present(r, "kms_key_id")
}

deny contains lib.msg("MM-007", r, "a stand-alone redis/valkey cache cluster cannot be encrypted at rest; use aws_elasticache_replication_group", "Security Hub ElastiCache.4") if {
	some r in lib.of_type("aws_elasticache_cluster")
	r.values.engine in {"redis", "valkey"}
	not lib.present(r, "replication_group_id")
}

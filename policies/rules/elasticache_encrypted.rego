# METADATA
# title: MM-007 ElastiCache (Redis/Valkey) is encrypted at rest and in transit
# description: |
#   aws_elasticache_replication_group: at_rest_encryption_enabled, transit_encryption_enabled,
#   transit_encryption_mode "required" (missing = required on new groups), and kms_key_id
#   designating a customer-managed key (alias/aws/elasticache is AWS-managed); values unknown at
#   plan time fail closed.
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

deny contains lib.msg("MM-007", r, sprintf("transit_encryption_mode %v still accepts plain-text clients; use \"required\"", [object.get(r.values, "transit_encryption_mode", "(unset)")]), "Security Hub ElastiCache.5") if {
	some r in lib.of_type("aws_elasticache_replication_group")
	lib.truthy(r.values, "transit_encryption_enabled")
	not lower(object.get(r.values, "transit_encryption_mode", "required")) == "required"
}

deny contains lib.msg("MM-007", r, "kms_key_id must name a customer-managed KMS key", "checkov CKV_AWS_191") if {
	some t in {"aws_elasticache_replication_group", "aws_elasticache_serverless_cache"}
	some r in lib.of_type(t)
	not lib.present(r, "kms_key_id")
}

deny contains lib.msg("MM-007", r, lib.cmk_problem(r, "kms_key_id"), "checkov CKV_AWS_191") if {
	some t in {"aws_elasticache_replication_group", "aws_elasticache_serverless_cache"}
	some r in lib.of_type(t)
	lib.present(r, "kms_key_id")
}

deny contains lib.msg("MM-007", r, "transit_encryption_enabled is unknown until apply: cannot verify encryption in transit", "Security Hub ElastiCache.5") if {
	some r in lib.of_type("aws_elasticache_replication_group")
	some k in ["transit_encryption_enabled", "at_rest_encryption_enabled", "transit_encryption_mode"]
	lib.unknown(r, k)
}

deny contains lib.msg("MM-007", r, "a stand-alone redis/valkey cache cluster cannot be encrypted at rest; use aws_elasticache_replication_group", "Security Hub ElastiCache.4") if {
	some r in lib.of_type("aws_elasticache_cluster")
	lower(object.get(r.values, "engine", "redis")) in {"redis", "valkey"}
	not lib.configured(r, "replication_group_id")
}

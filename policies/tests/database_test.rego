package markmail.tests.database

import data.markmail.fixtures as fx
import data.markmail.rules
import rego.v1

# ---- shared bodies --------------------------------------------------------------------------

_raw_cluster := {
	"//": fx.meta("markmail-prod-database/aurora/cluster"),
	"cluster_identifier": "markmail-prod-aurora",
	"engine": "aurora-postgresql",
	"engine_version": "16.6",
	"storage_encrypted": true,
	"kms_key_id": "${aws_kms_key.database_key_ABC.arn}",
	"iam_database_authentication_enabled": true,
	"backup_retention_period": 30,
	"deletion_protection": true,
	"skip_final_snapshot": false,
	"final_snapshot_identifier": "markmail-prod-aurora-final",
	"db_subnet_group_name": "${data.terraform_remote_state.cross-stack-reference-input-markmail-prod-network.outputs.cross-stack-output-db-subnet-group}",
}

_plan_cluster := fx.tagged("prod", {
	"cluster_identifier": "markmail-prod-aurora",
	"engine": "aurora-postgresql",
	"storage_encrypted": true,
	"iam_database_authentication_enabled": true,
	"backup_retention_period": 30,
	"deletion_protection": true,
	"skip_final_snapshot": false,
	"final_snapshot_identifier": "markmail-prod-aurora-final",
	"db_subnet_group_name": "markmail-prod-db",
})

# kms_key_id refers to a key created in the same plan: unknown until apply.
_plan_unknown := {"kms_key_id": true, "arn": true, "endpoint": true}

_raw(cluster) := fx.raw("prod", {"aws_rds_cluster": {"cluster": cluster}})

_plan(after) := fx.plan_refs(
	[fx.rc_unknown("aws_rds_cluster", "cluster", after, _plan_unknown)],
	[fx.cfg("aws_rds_cluster", "cluster", {"kms_key_id": ["aws_kms_key.database_key.arn", "aws_kms_key.database_key"]})],
)

# ---- MM-001 rds_cluster_encrypted ------------------------------------------------------------

test_rds_cluster_encrypted_raw_pass if {
	count(rules.rds_cluster_encrypted.deny) == 0 with input as _raw(_raw_cluster)
}

test_rds_cluster_encrypted_raw_fail if {
	denies := rules.rds_cluster_encrypted.deny with input as _raw(object.remove(_raw_cluster, ["storage_encrypted", "kms_key_id"]))
	fx.fires(denies, "MM-001", "aws_rds_cluster.cluster")
	count(denies) == 2
}

test_rds_cluster_encrypted_plan_pass if {
	count(rules.rds_cluster_encrypted.deny) == 0 with input as _plan(_plan_cluster)
}

test_rds_cluster_encrypted_plan_fail if {
	after := object.union(_plan_cluster, {"storage_encrypted": false})
	denies := rules.rds_cluster_encrypted.deny with input as fx.plan([fx.rc("aws_rds_cluster", "cluster", after)])
	fx.fires(denies, "MM-001", "aws_rds_cluster.cluster")
	count(denies) == 2 # not encrypted, and no key (neither known nor unknown)
}

# ---- MM-009 rds_not_public --------------------------------------------------------------------

_raw_instance(public) := fx.raw("prod", {"aws_rds_cluster_instance": {"writer": {
	"//": fx.meta("markmail-prod-database/aurora/writer"),
	"identifier": "markmail-prod",
	"cluster_identifier": "${aws_rds_cluster.cluster.id}",
	"instance_class": "db.r7g.large",
	"engine": "aurora-postgresql",
	"publicly_accessible": public,
}}})

_plan_instance(public) := fx.plan([fx.rc("aws_rds_cluster_instance", "writer", fx.tagged("prod", {
	"identifier": "markmail-prod",
	"cluster_identifier": "markmail-prod-aurora",
	"instance_class": "db.r7g.large",
	"publicly_accessible": public,
}))])

test_rds_not_public_raw_pass if {
	count(rules.rds_not_public.deny) == 0 with input as _raw_instance(false)
}

test_rds_not_public_raw_fail if {
	fx.fires(rules.rds_not_public.deny, "MM-009", "aws_rds_cluster_instance.writer") with input as _raw_instance(true)
}

test_rds_not_public_plan_pass if {
	count(rules.rds_not_public.deny) == 0 with input as _plan_instance(false)
}

test_rds_not_public_plan_fail if {
	fx.fires(rules.rds_not_public.deny, "MM-009", "aws_rds_cluster_instance.writer") with input as _plan_instance(true)
}

# ---- MM-018 prod_deletion_protection ------------------------------------------------------------

_raw_alb(env, protect) := fx.raw(env, {"aws_lb": {"alb": {
	"//": fx.meta("alb/alb"),
	"name": sprintf("markmail-%s-alb", [env]),
	"internal": false,
	"load_balancer_type": "application",
	"drop_invalid_header_fields": true,
	"enable_deletion_protection": protect,
}}})

test_prod_deletion_protection_raw_pass if {
	count(rules.prod_deletion_protection.deny) == 0 with input as _raw(_raw_cluster)
	count(rules.prod_deletion_protection.deny) == 0 with input as _raw_alb("prod", true)

	# dev may be destroyed freely
	count(rules.prod_deletion_protection.deny) == 0 with input as _raw_alb("dev", false)
}

test_prod_deletion_protection_raw_fail if {
	fx.fires(rules.prod_deletion_protection.deny, "MM-018", "aws_rds_cluster.cluster") with input as _raw(object.union(_raw_cluster, {"deletion_protection": false}))
	fx.fires(rules.prod_deletion_protection.deny, "MM-018", "aws_lb.alb") with input as _raw_alb("prod", false)
}

test_prod_deletion_protection_plan_pass if {
	count(rules.prod_deletion_protection.deny) == 0 with input as _plan(_plan_cluster)

	# dev's cluster is a per-environment exception (RDS.7)
	dev := object.union(_plan_cluster, {"deletion_protection": false, "tags_all": fx.tags("dev")})
	count(rules.prod_deletion_protection.deny) == 0 with input as fx.plan([fx.rc("aws_rds_cluster", "aurora", dev)])

	# ... and only there
	fx.fires(rules.prod_deletion_protection.deny, "MM-018", "aws_rds_cluster.cluster") with input as _plan(dev)
}

test_prod_deletion_protection_plan_fail if {
	after := object.remove(_plan_cluster, ["deletion_protection"])
	fx.fires(rules.prod_deletion_protection.deny, "MM-018", "aws_rds_cluster.cluster") with input as _plan(after)
	lb := fx.tagged("prod", {"name": "markmail-prod-alb", "load_balancer_type": "application", "enable_deletion_protection": false})
	fx.fires(rules.prod_deletion_protection.deny, "MM-018", "aws_lb.alb") with input as fx.plan([fx.rc("aws_lb", "alb", lb)])
}

# ---- MM-019 prod_final_snapshot ---------------------------------------------------------------

test_prod_final_snapshot_raw_pass if {
	count(rules.prod_final_snapshot.deny) == 0 with input as _raw(_raw_cluster)
}

test_prod_final_snapshot_raw_fail if {
	bad := object.union(object.remove(_raw_cluster, ["final_snapshot_identifier"]), {"skip_final_snapshot": true})
	denies := rules.prod_final_snapshot.deny with input as _raw(bad)
	fx.fires(denies, "MM-019", "aws_rds_cluster.cluster")
	count(denies) == 2
}

test_prod_final_snapshot_plan_pass if {
	count(rules.prod_final_snapshot.deny) == 0 with input as _plan(_plan_cluster)

	# dev skips the snapshot on purpose
	dev := object.union(_plan_cluster, {"skip_final_snapshot": true, "final_snapshot_identifier": null, "tags_all": fx.tags("dev")})
	count(rules.prod_final_snapshot.deny) == 0 with input as _plan(dev)
}

test_prod_final_snapshot_plan_fail if {
	after := object.union(_plan_cluster, {"skip_final_snapshot": true})
	fx.fires(rules.prod_final_snapshot.deny, "MM-019", "aws_rds_cluster.cluster") with input as _plan(after)
}

# ---- MM-020 rds_backup_retention --------------------------------------------------------------

test_rds_backup_retention_raw_pass if {
	count(rules.rds_backup_retention.deny) == 0 with input as _raw(_raw_cluster)
	dev := fx.raw("dev", {"aws_rds_cluster": {"cluster": object.union(_raw_cluster, {"backup_retention_period": 7})}})
	count(rules.rds_backup_retention.deny) == 0 with input as dev
}

test_rds_backup_retention_raw_fail if {
	# prod needs 14
	fx.fires(rules.rds_backup_retention.deny, "MM-020", "aws_rds_cluster.cluster") with input as _raw(object.union(_raw_cluster, {"backup_retention_period": 7}))

	# missing = provider default of 1 day
	dev := fx.raw("dev", {"aws_rds_cluster": {"cluster": object.remove(_raw_cluster, ["backup_retention_period"])}})
	fx.fires(rules.rds_backup_retention.deny, "MM-020", "aws_rds_cluster.cluster") with input as dev
}

test_rds_backup_retention_plan_pass if {
	count(rules.rds_backup_retention.deny) == 0 with input as _plan(_plan_cluster)
}

test_rds_backup_retention_plan_fail if {
	fx.fires(rules.rds_backup_retention.deny, "MM-020", "aws_rds_cluster.cluster") with input as _plan(object.union(_plan_cluster, {"backup_retention_period": 10}))
}

# ---- MM-034 rds_iam_auth ----------------------------------------------------------------------

test_rds_iam_auth_raw_pass if {
	count(rules.rds_iam_auth.deny) == 0 with input as _raw(_raw_cluster)
}

test_rds_iam_auth_raw_fail if {
	fx.fires(rules.rds_iam_auth.deny, "MM-034", "aws_rds_cluster.cluster") with input as _raw(object.remove(_raw_cluster, ["iam_database_authentication_enabled"]))
}

test_rds_iam_auth_plan_pass if {
	count(rules.rds_iam_auth.deny) == 0 with input as _plan(_plan_cluster)
}

test_rds_iam_auth_plan_fail if {
	fx.fires(rules.rds_iam_auth.deny, "MM-034", "aws_rds_cluster.cluster") with input as _plan(object.union(_plan_cluster, {"iam_database_authentication_enabled": false}))
}

# ---- MM-007 / MM-008 elasticache ----------------------------------------------------------------

_raw_redis := {
	"//": fx.meta("markmail-prod-database/redis/group"),
	"replication_group_id": "markmail-prod-redis",
	"description": "MarkMail prod Redis",
	"engine": "redis",
	"node_type": "cache.r7g.large",
	"at_rest_encryption_enabled": "true",
	"transit_encryption_enabled": true,
	"transit_encryption_mode": "required",
	"kms_key_id": "${aws_kms_key.database_key_ABC.arn}",
	"auth_token": "${random_password.redis_auth.result}",
}

_plan_redis := fx.tagged("prod", {
	"replication_group_id": "markmail-prod-redis",
	"engine": "redis",
	"at_rest_encryption_enabled": "true",
	"transit_encryption_enabled": true,
	"transit_encryption_mode": "required",
	"kms_key_id": "arn:aws:kms:ap-northeast-1:123456789012:key/1111",
	"user_group_ids": ["markmail-prod-redis-users"],
	"auth_token": null,
})

_raw_rg(body) := fx.raw("prod", {"aws_elasticache_replication_group": {"sessions": body}})

_plan_rg(after) := fx.plan_refs(
	[fx.rc_unknown("aws_elasticache_replication_group", "sessions", after, {"primary_endpoint_address": true})],
	[fx.cfg("aws_elasticache_replication_group", "sessions", {"kms_key_id": ["data.terraform_remote_state.database.outputs.kms_key_arn", "data.terraform_remote_state.database"]})],
)

test_elasticache_encrypted_raw_pass if {
	count(rules.elasticache_encrypted.deny) == 0 with input as _raw_rg(_raw_redis)
}

test_elasticache_encrypted_raw_fail if {
	bad := object.union(object.remove(_raw_redis, ["at_rest_encryption_enabled", "kms_key_id"]), {"transit_encryption_mode": "preferred"})
	denies := rules.elasticache_encrypted.deny with input as _raw_rg(bad)
	fx.fires(denies, "MM-007", "aws_elasticache_replication_group.sessions")
	count(denies) == 3
	single := fx.raw("dev", {"aws_elasticache_cluster": {"redis": {"cluster_id": "markmail-dev-redis", "engine": "redis", "node_type": "cache.t4g.micro", "num_cache_nodes": 1}}})
	fx.fires(rules.elasticache_encrypted.deny, "MM-007", "aws_elasticache_cluster.redis") with input as single
}

test_elasticache_encrypted_plan_pass if {
	count(rules.elasticache_encrypted.deny) == 0 with input as _plan_rg(_plan_redis)
}

test_elasticache_encrypted_plan_fail if {
	denies := rules.elasticache_encrypted.deny with input as _plan_rg(object.union(_plan_redis, {"transit_encryption_enabled": false}))
	fx.fires(denies, "MM-007", "aws_elasticache_replication_group.sessions")
}

test_elasticache_auth_raw_pass if {
	count(rules.elasticache_auth.deny) == 0 with input as _raw_rg(_raw_redis)
}

test_elasticache_auth_raw_fail if {
	fx.fires(rules.elasticache_auth.deny, "MM-008", "aws_elasticache_replication_group.sessions") with input as _raw_rg(object.remove(_raw_redis, ["auth_token"]))

	# a literal token is a secret in the repository
	fx.fires(rules.elasticache_auth.deny, "MM-008", "aws_elasticache_replication_group.sessions") with input as _raw_rg(object.union(_raw_redis, {"auth_token": "hunter2hunter2hunter2"}))
}

test_elasticache_auth_plan_pass if {
	count(rules.elasticache_auth.deny) == 0 with input as _plan_rg(_plan_redis)

	# auth_token from a generated password is sensitive/unknown in the plan
	token := fx.plan([fx.rc_unknown("aws_elasticache_replication_group", "sessions", object.remove(_plan_redis, ["user_group_ids", "auth_token"]), {"auth_token": true})])
	count(rules.elasticache_auth.deny) == 0 with input as token
}

test_elasticache_auth_plan_fail if {
	fx.fires(rules.elasticache_auth.deny, "MM-008", "aws_elasticache_replication_group.sessions") with input as _plan_rg(object.union(_plan_redis, {"user_group_ids": []}))
}

# ---- MM-001: a key AWS computes (not configured) is not judged; a configured one still is ------

test_rds_cluster_encrypted_plan_computed_instance_key_pass if {
	instance := {"identifier": "markmail-prod", "cluster_identifier": "markmail-prod-aurora", "performance_insights_enabled": true, "performance_insights_kms_key_id": "arn:aws:kms:ap-northeast-1:123456789012:key/k"}
	doc := fx.plan_refs(
		[fx.rc_unknown("aws_rds_cluster_instance", "writer", instance, {"kms_key_id": true})],
		[fx.cfg("aws_rds_cluster_instance", "writer", {"performance_insights_kms_key_id": ["aws_kms_key.database_key.arn", "aws_kms_key.database_key"]})],
	)
	count(rules.rds_cluster_encrypted.deny) == 0 with input as doc
}

test_rds_cluster_encrypted_plan_configured_unknown_key_fail if {
	instance := {"identifier": "markmail-prod", "cluster_identifier": "markmail-prod-aurora", "performance_insights_enabled": true}
	doc := fx.plan_refs(
		[fx.rc_unknown("aws_rds_cluster_instance", "writer", instance, {"performance_insights_kms_key_id": true})],
		[fx.cfg("aws_rds_cluster_instance", "writer", {"performance_insights_kms_key_id": ["data.aws_kms_key.somewhere.arn", "data.aws_kms_key.somewhere"]})],
	)
	fx.fires(rules.rds_cluster_encrypted.deny, "MM-001", "aws_rds_cluster_instance.writer") with input as doc
}

package markmail.tests.data_protection

import data.markmail.fixtures as fx
import data.markmail.rules
import rego.v1

# Rotation of the db secret (MM-071), backup vault encryption and lock (MM-072, MM-073), AWS
# Backup and restore tests of the prod database (MM-074), as the database layer synthesizes them
# (cdk.tf.json) and as `terraform show -json` plans them (resolved names, unknown ARNs, the
# configuration's references).

# ---- MM-071 db_secret_rotation ------------------------------------------------------------------

_raw_secret(env) := {
	"//": fx.meta(sprintf("markmail-%s-database/db-secret/secret", [env])),
	"name": sprintf("markmail-%s-db-secret", [env]),
	"kms_key_id": "${aws_kms_key.main.arn}",
	"recovery_window_in_days": 30,
}

_raw_rotation(rules_block) := {
	"//": fx.meta("markmail-prod-database/db-rotation/schedule"),
	"secret_id": "${aws_secretsmanager_secret.db.arn}",
	"rotation_lambda_arn": "${aws_lambda_function.db_rotation.arn}",
	"rotation_rules": rules_block,
	"rotate_immediately": false,
	"depends_on": ["aws_lambda_permission.db_rotation_invoke"],
}

_raw_rotated(env, rotation) := fx.raw(env, {
	"aws_secretsmanager_secret": {"db": _raw_secret(env)},
	"aws_secretsmanager_secret_rotation": {"db_rotation_schedule": rotation},
})

test_db_secret_rotation_raw_pass if {
	count(rules.db_secret_rotation.deny) == 0 with input as _raw_rotated("prod", _raw_rotation({"schedule_expression": "rate(30 days)", "duration": "4h"}))
	count(rules.db_secret_rotation.deny) == 0 with input as _raw_rotated("prod", _raw_rotation({"automatically_after_days": 7}))

	# dev may rotate rarely; only prod has the 30-day bound
	count(rules.db_secret_rotation.deny) == 0 with input as _raw_rotated("dev", _raw_rotation({"schedule_expression": "rate(90 days)"}))

	# other secrets (operator-owned keys) are not the database secret
	other := fx.raw("prod", {"aws_secretsmanager_secret": {"stripe": object.union(_raw_secret("prod"), {"name": "markmail-prod-stripe-secret"})}})
	count(rules.db_secret_rotation.deny) == 0 with input as other
}

test_db_secret_rotation_raw_fail if {
	none := fx.raw("prod", {"aws_secretsmanager_secret": {"db": _raw_secret("prod")}})
	fx.fires(rules.db_secret_rotation.deny, "MM-071", "aws_secretsmanager_secret.db") with input as none
	fx.fires(rules.db_secret_rotation.deny, "MM-071", "aws_secretsmanager_secret.db") with input as fx.raw("dev", {"aws_secretsmanager_secret": {"db": _raw_secret("dev")}})

	# a rotation of another secret does not count
	elsewhere := object.union(_raw_rotation({"schedule_expression": "rate(7 days)"}), {"secret_id": "${aws_secretsmanager_secret.jwt.arn}"})
	fx.fires(rules.db_secret_rotation.deny, "MM-071", "aws_secretsmanager_secret.db") with input as _raw_rotated("prod", elsewhere)

	slow := _raw_rotated("prod", _raw_rotation({"schedule_expression": "rate(60 days)"}))
	fx.fires(rules.db_secret_rotation.deny, "MM-071", "aws_secretsmanager_secret_rotation.db_rotation_schedule") with input as slow
	cron := _raw_rotated("prod", _raw_rotation({"schedule_expression": "cron(0 1 1 */3 ? *)"}))
	fx.fires(rules.db_secret_rotation.deny, "MM-071", "aws_secretsmanager_secret_rotation.db_rotation_schedule") with input as cron
	nofn := _raw_rotated("dev", object.remove(_raw_rotation({"schedule_expression": "rate(7 days)"}), ["rotation_lambda_arn"]))
	fx.fires(rules.db_secret_rotation.deny, "MM-071", "aws_secretsmanager_secret_rotation.db_rotation_schedule") with input as nofn
	norules := _raw_rotated("dev", object.remove(_raw_rotation({}), ["rotation_rules"]))
	fx.fires(rules.db_secret_rotation.deny, "MM-071", "aws_secretsmanager_secret_rotation.db_rotation_schedule") with input as norules
}

_plan_rotation_input(env, rules_block) := fx.plan_refs(
	[
		fx.rc_unknown("aws_secretsmanager_secret", "db", fx.tagged(env, {"name": sprintf("markmail-%s-db-secret", [env]), "recovery_window_in_days": 30}), {"arn": true, "id": true, "kms_key_id": true}),
		fx.rc_unknown("aws_secretsmanager_secret_rotation", "db_rotation_schedule", {"rotate_immediately": false, "rotation_rules": [rules_block]}, {"secret_id": true, "rotation_lambda_arn": true}),
	],
	[fx.cfg("aws_secretsmanager_secret_rotation", "db_rotation_schedule", {
		"secret_id": ["aws_secretsmanager_secret.db.arn", "aws_secretsmanager_secret.db"],
		"rotation_lambda_arn": ["aws_lambda_function.db_rotation.arn", "aws_lambda_function.db_rotation"],
	})],
)

test_db_secret_rotation_plan_pass if {
	count(rules.db_secret_rotation.deny) == 0 with input as _plan_rotation_input("prod", {"schedule_expression": "rate(30 days)", "duration": "4h", "automatically_after_days": 0})

	# an existing secret: secret_id is known and equals its ARN
	arn := "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:markmail-prod-db-secret-AbCdEf"
	known := fx.plan([
		fx.rc("aws_secretsmanager_secret", "db", fx.tagged("prod", {"name": "markmail-prod-db-secret", "arn": arn})),
		fx.rc("aws_secretsmanager_secret_rotation", "db_rotation_schedule", {"secret_id": arn, "rotation_lambda_arn": "arn:aws:lambda:ap-northeast-1:123456789012:function:markmail-prod-db-rotation", "rotation_rules": [{"automatically_after_days": 30, "schedule_expression": ""}]}),
	])
	count(rules.db_secret_rotation.deny) == 0 with input as known
}

test_db_secret_rotation_plan_fail if {
	denies := rules.db_secret_rotation.deny with input as _plan_rotation_input("prod", {"schedule_expression": "rate(45 days)"})
	fx.fires(denies, "MM-071", "aws_secretsmanager_secret_rotation.db_rotation_schedule")

	alone := fx.plan([fx.rc("aws_secretsmanager_secret", "db", fx.tagged("staging", {"name": "markmail-staging-db-secret"}))])
	fx.fires(rules.db_secret_rotation.deny, "MM-071", "aws_secretsmanager_secret.db") with input as alone
}

# ---- MM-072 backup_vault_encrypted --------------------------------------------------------------

_raw_vault(env, extra) := object.union(
	{
		"//": fx.meta(sprintf("markmail-%s-database/backup/vault", [env])),
		"name": sprintf("markmail-%s-backup", [env]),
		"kms_key_arn": "${aws_kms_key.backup.arn}",
	},
	extra,
)

test_backup_vault_encrypted_raw_pass if {
	count(rules.backup_vault_encrypted.deny) == 0 with input as fx.raw("dev", {"aws_backup_vault": {"main": _raw_vault("dev", {})}})
	literal := _raw_vault("dev", {"kms_key_arn": "arn:aws:kms:ap-northeast-3:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"})
	count(rules.backup_vault_encrypted.deny) == 0 with input as fx.raw("dev", {"aws_backup_vault": {"main": literal}})
}

test_backup_vault_encrypted_raw_fail if {
	missing := fx.raw("dev", {"aws_backup_vault": {"main": object.remove(_raw_vault("dev", {}), ["kms_key_arn"])}})
	fx.fires(rules.backup_vault_encrypted.deny, "MM-072", "aws_backup_vault.main") with input as missing
	managed := fx.raw("dev", {"aws_backup_vault": {"main": _raw_vault("dev", {"kms_key_arn": "alias/aws/backup"})}})
	fx.fires(rules.backup_vault_encrypted.deny, "MM-072", "aws_backup_vault.main") with input as managed
	data_alias := fx.raw("dev", {"aws_backup_vault": {"main": _raw_vault("dev", {"kms_key_arn": "${data.aws_kms_alias.backup.target_key_arn}"})}})
	fx.fires(rules.backup_vault_encrypted.deny, "MM-072", "aws_backup_vault.main") with input as data_alias
}

_plan_vault(env, after, unknown, refs) := fx.plan_refs(
	[fx.rc_unknown("aws_backup_vault", "main", fx.tagged(env, object.union({"name": sprintf("markmail-%s-backup", [env]), "force_destroy": false}, after)), unknown)],
	[fx.cfg("aws_backup_vault", "main", refs)],
)

test_backup_vault_encrypted_plan_pass if {
	# the key is created in the same run: unknown, referenced in the configuration
	count(rules.backup_vault_encrypted.deny) == 0 with input as _plan_vault("prod", {}, {"kms_key_arn": true, "arn": true}, {"kms_key_arn": ["aws_kms_key.backup.arn", "aws_kms_key.backup"]})

	# an existing key: its ARN
	count(rules.backup_vault_encrypted.deny) == 0 with input as _plan_vault("prod", {"kms_key_arn": "arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, {}, {})
}

test_backup_vault_encrypted_plan_fail if {
	fx.fires(rules.backup_vault_encrypted.deny, "MM-072", "aws_backup_vault.main") with input as _plan_vault("prod", {"kms_key_arn": null}, {}, {})
	aws_managed := {"kms_key_arn": "arn:aws:kms:ap-northeast-1:123456789012:alias/aws/backup"}
	fx.fires(rules.backup_vault_encrypted.deny, "MM-072", "aws_backup_vault.main") with input as _plan_vault("prod", aws_managed, {}, {})

	# unknown and not from a key of the configuration (e.g. a data source): cannot be verified
	from_data := {"kms_key_arn": ["data.aws_kms_alias.backup.target_key_arn", "data.aws_kms_alias.backup"]}
	fx.fires(rules.backup_vault_encrypted.deny, "MM-072", "aws_backup_vault.main") with input as _plan_vault("prod", {}, {"kms_key_arn": true}, from_data)
}

# ---- MM-073 prod_backup_vault_locked ------------------------------------------------------------

_raw_lock(vault, days) := {
	"//": fx.meta("markmail-prod-database/backup/vault-lock"),
	"backup_vault_name": sprintf("${aws_backup_vault.%s.name}", [vault]),
	"min_retention_days": days,
	"changeable_for_days": 7,
}

test_prod_backup_vault_locked_raw_pass if {
	locked := fx.raw("prod", {
		"aws_backup_vault": {"main": _raw_vault("prod", {}), "backup_copy": _raw_vault("prod", {"region": "ap-northeast-3", "kms_key_arn": "${aws_kms_key.backup_copy.arn}"})},
		"aws_backup_vault_lock_configuration": {"backup_vault_lock": _raw_lock("main", 35), "backup_copy_vault_lock": object.union(_raw_lock("backup_copy", 35), {"region": "ap-northeast-3"})},
	})
	count(rules.prod_backup_vault_locked.deny) == 0 with input as locked

	# dev and staging may leave their vaults unlocked (they are torn down and rebuilt)
	count(rules.prod_backup_vault_locked.deny) == 0 with input as fx.raw("dev", {"aws_backup_vault": {"main": _raw_vault("dev", {})}})
}

test_prod_backup_vault_locked_raw_fail if {
	unlocked := fx.raw("prod", {"aws_backup_vault": {"main": _raw_vault("prod", {})}})
	fx.fires(rules.prod_backup_vault_locked.deny, "MM-073", "aws_backup_vault.main") with input as unlocked

	# a lock on the primary vault only leaves the copy deletable
	one_locked := fx.raw("prod", {
		"aws_backup_vault": {"main": _raw_vault("prod", {}), "backup_copy": _raw_vault("prod", {"region": "ap-northeast-3"})},
		"aws_backup_vault_lock_configuration": {"backup_vault_lock": _raw_lock("main", 35)},
	})
	denies := rules.prod_backup_vault_locked.deny with input as one_locked
	fx.fires(denies, "MM-073", "aws_backup_vault.backup_copy")
	count(denies) == 1

	zero := fx.raw("prod", {"aws_backup_vault": {"main": _raw_vault("prod", {})}, "aws_backup_vault_lock_configuration": {"backup_vault_lock": _raw_lock("main", 0)}})
	fx.fires(rules.prod_backup_vault_locked.deny, "MM-073", "aws_backup_vault_lock_configuration.backup_vault_lock") with input as zero
}

_plan_locked(lock) := fx.plan_refs(
	array.concat(
		[fx.rc_unknown("aws_backup_vault", "main", fx.tagged("prod", {"name": "markmail-prod-backup"}), {"arn": true, "kms_key_arn": true})],
		lock,
	),
	[fx.cfg("aws_backup_vault_lock_configuration", "backup_vault_lock", {"backup_vault_name": ["aws_backup_vault.main.name", "aws_backup_vault.main"]})],
)

test_prod_backup_vault_locked_plan_pass if {
	# backup_vault_name is the vault's literal name, known at plan time
	lock := fx.rc("aws_backup_vault_lock_configuration", "backup_vault_lock", {"backup_vault_name": "markmail-prod-backup", "min_retention_days": 35, "changeable_for_days": 7})
	count(rules.prod_backup_vault_locked.deny) == 0 with input as _plan_locked([lock])
}

# Both vaults are named markmail-prod-backup; only the region tells the copy from the primary.
_plan_two_vaults(locks) := fx.plan(array.concat(
	[
		fx.rc("aws_backup_vault", "main", fx.tagged("prod", {"name": "markmail-prod-backup", "region": "ap-northeast-1"})),
		fx.rc("aws_backup_vault", "backup_copy", fx.tagged("prod", {"name": "markmail-prod-backup", "region": "ap-northeast-3"})),
	],
	[fx.rc("aws_backup_vault_lock_configuration", sprintf("lock_%s", [r]), {"backup_vault_name": "markmail-prod-backup", "min_retention_days": 35, "changeable_for_days": 7, "region": r}) | some r in locks],
))

test_prod_backup_vault_locked_plan_pass_two_regions if {
	count(rules.prod_backup_vault_locked.deny) == 0 with input as _plan_two_vaults(["ap-northeast-1", "ap-northeast-3"])
}

test_prod_backup_vault_locked_plan_fail if {
	denies := rules.prod_backup_vault_locked.deny with input as _plan_two_vaults(["ap-northeast-1"])
	fx.fires(denies, "MM-073", "aws_backup_vault.backup_copy")
	count(denies) == 1

	fx.fires(rules.prod_backup_vault_locked.deny, "MM-073", "aws_backup_vault.main") with input as _plan_locked([])
	other := fx.rc("aws_backup_vault_lock_configuration", "backup_vault_lock", {"backup_vault_name": "markmail-staging-backup", "min_retention_days": 35})
	only_other := fx.plan([fx.rc("aws_backup_vault", "main", fx.tagged("prod", {"name": "markmail-prod-backup"})), other])
	fx.fires(rules.prod_backup_vault_locked.deny, "MM-073", "aws_backup_vault.main") with input as only_other
}

# ---- MM-074 prod_restore_testing ----------------------------------------------------------------

_raw_cluster(env) := {
	"//": fx.meta(sprintf("markmail-%s-database/aurora/cluster", [env])),
	"cluster_identifier": sprintf("markmail-%s-cluster", [env]),
	"engine": "aurora-postgresql",
	"storage_encrypted": true,
	"kms_key_id": "${aws_kms_key.main.arn}",
}

_raw_selection := {"name": "markmail-prod-aurora", "plan_id": "${aws_backup_plan.main.id}", "iam_role_arn": "${aws_iam_role.backup.arn}", "resources": ["${aws_rds_cluster.aurora.arn}"]}

_raw_rt_plan := {"name": "markmail_prod_restore_test", "schedule_expression": "cron(0 1 ? * MON *)", "start_window_hours": 1}

_raw_rt_selection := {
	"name": "aurora",
	"restore_testing_plan_name": "${aws_backup_restore_testing_plan.main.name}",
	"protected_resource_type": "Aurora",
	"protected_resource_arns": ["${aws_rds_cluster.aurora.arn}"],
	"iam_role_arn": "${aws_iam_role.backup.arn}",
	"validation_window_hours": 1,
}

_raw_protected(env, parts) := fx.raw(env, object.union({"aws_rds_cluster": {"aurora": _raw_cluster(env)}}, parts))

_all_parts := {
	"aws_backup_selection": {"backup_selection": _raw_selection},
	"aws_backup_restore_testing_plan": {"main": _raw_rt_plan},
	"aws_backup_restore_testing_selection": {"backup_restore_testing_selection": _raw_rt_selection},
}

test_prod_restore_testing_raw_pass if {
	count(rules.prod_restore_testing.deny) == 0 with input as _raw_protected("prod", _all_parts)

	# a wildcard selection covers the cluster too
	wild := object.union(_all_parts, {"aws_backup_restore_testing_selection": {"backup_restore_testing_selection": object.union(_raw_rt_selection, {"protected_resource_arns": ["*"]})}})
	count(rules.prod_restore_testing.deny) == 0 with input as _raw_protected("prod", wild)

	# dev restores are manual (its backups still exist)
	count(rules.prod_restore_testing.deny) == 0 with input as _raw_protected("dev", {"aws_backup_selection": {"backup_selection": _raw_selection}})
}

test_prod_restore_testing_raw_fail if {
	fx.fires(rules.prod_restore_testing.deny, "MM-074", "aws_rds_cluster.aurora") with input as _raw_protected("prod", {})
	no_backup := object.remove(_all_parts, ["aws_backup_selection"])
	fx.fires(rules.prod_restore_testing.deny, "MM-074", "aws_rds_cluster.aurora") with input as _raw_protected("prod", no_backup)
	no_plan := object.remove(_all_parts, ["aws_backup_restore_testing_plan"])
	fx.fires(rules.prod_restore_testing.deny, "MM-074", "aws_rds_cluster.aurora") with input as _raw_protected("prod", no_plan)
	wrong_type := object.union(_all_parts, {"aws_backup_restore_testing_selection": {"backup_restore_testing_selection": object.union(_raw_rt_selection, {"protected_resource_type": "RDS"})}})
	fx.fires(rules.prod_restore_testing.deny, "MM-074", "aws_rds_cluster.aurora") with input as _raw_protected("prod", wrong_type)
	other_cluster := object.union(_all_parts, {"aws_backup_restore_testing_selection": {"backup_restore_testing_selection": object.union(_raw_rt_selection, {"protected_resource_arns": ["${aws_rds_cluster.other.arn}"]})}})
	fx.fires(rules.prod_restore_testing.deny, "MM-074", "aws_rds_cluster.aurora") with input as _raw_protected("prod", other_cluster)
}

_plan_protected(changes) := fx.plan_refs(
	array.concat([fx.rc_unknown("aws_rds_cluster", "aurora", fx.tagged("prod", {"cluster_identifier": "markmail-prod-cluster", "engine": "aurora-postgresql"}), {"arn": true})], changes),
	[
		fx.cfg("aws_backup_selection", "backup_selection", {"resources": ["aws_rds_cluster.aurora.arn", "aws_rds_cluster.aurora"]}),
		fx.cfg("aws_backup_restore_testing_selection", "backup_restore_testing_selection", {
			"protected_resource_arns": ["aws_rds_cluster.aurora.arn", "aws_rds_cluster.aurora"],
			"restore_testing_plan_name": ["aws_backup_restore_testing_plan.main.name", "aws_backup_restore_testing_plan.main"],
		}),
	],
)

_plan_parts := [
	fx.rc_unknown("aws_backup_selection", "backup_selection", {"name": "markmail-prod-aurora"}, {"resources": true, "plan_id": true}),
	fx.rc("aws_backup_restore_testing_plan", "main", fx.tagged("prod", {"name": "markmail_prod_restore_test", "schedule_expression": "cron(0 1 ? * MON *)"})),
	fx.rc_unknown("aws_backup_restore_testing_selection", "backup_restore_testing_selection", {"name": "aurora", "protected_resource_type": "Aurora", "restore_testing_plan_name": "markmail_prod_restore_test"}, {"protected_resource_arns": true}),
]

test_prod_restore_testing_plan_pass if {
	count(rules.prod_restore_testing.deny) == 0 with input as _plan_protected(_plan_parts)
}

test_prod_restore_testing_plan_fail if {
	fx.fires(rules.prod_restore_testing.deny, "MM-074", "aws_rds_cluster.aurora") with input as _plan_protected([])
	fx.fires(rules.prod_restore_testing.deny, "MM-074", "aws_rds_cluster.aurora") with input as _plan_protected([_plan_parts[0], _plan_parts[2]])
}

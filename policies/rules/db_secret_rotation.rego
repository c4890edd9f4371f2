# METADATA
# title: MM-071 The database secret rotates on a schedule
# description: |
#   Every aws_secretsmanager_secret named *-db-secret has an aws_secretsmanager_secret_rotation
#   that refers to it, with a rotation function and rotation_rules. In prod the schedule rotates at
#   least every 30 days: rate(N days) or automatically_after_days; a schedule this rule cannot
#   read (cron(), unknown) fails in prod rather than pass unverified.
# custom:
#   id: MM-071
#   controls: [SecretsManager.1, SecretsManager.4, CKV2_AWS_57]
#   enforcement_level: mandatory
#   reason: The backend logs in with this secret; a password that never changes outlives every person and every leak that knew it.
package markmail.rules.db_secret_rotation

import data.markmail.lib
import rego.v1

_control := "Security Hub SecretsManager.1, SecretsManager.4 / checkov CKV2_AWS_57"

_db_secrets := {s |
	some s in lib.of_type("aws_secretsmanager_secret")
	is_string(s.values.name)
	endswith(s.values.name, "-db-secret")
}

_rotations(secret) := {rot |
	some rot in lib.of_type("aws_secretsmanager_secret_rotation")
	lib.refers_to(rot, "secret_id", secret)
}

# Days between rotations, when the schedule says it plainly.
_days(rot) := to_number(m[0][1]) if {
	expr := lib.block(rot.values, "rotation_rules").schedule_expression
	is_string(expr)
	m := regex.find_all_string_submatch_n(`^rate\(([0-9]+) days?\)$`, expr, 1)
	count(m) == 1
}

_days(rot) := n if {
	rules := lib.block(rot.values, "rotation_rules")
	not _has_expression(rules)
	n := lib.num(rules.automatically_after_days)
	n > 0
}

_has_expression(rules) if {
	is_string(rules.schedule_expression)
	rules.schedule_expression != ""
}

deny contains lib.msg("MM-071", s, "the database secret has no aws_secretsmanager_secret_rotation", _control) if {
	some s in _db_secrets
	count(_rotations(s)) == 0
}

deny contains lib.msg("MM-071", rot, "rotation without rotation_lambda_arn: nothing rotates the secret", _control) if {
	some s in _db_secrets
	some rot in _rotations(s)
	not lib.present(rot, "rotation_lambda_arn")
}

deny contains lib.msg("MM-071", rot, "rotation without rotation_rules: no schedule", _control) if {
	some s in _db_secrets
	some rot in _rotations(s)
	count(lib.blocks(rot.values, "rotation_rules")) == 0
}

deny contains lib.msg("MM-071", rot, sprintf("prod rotates the database secret every %v days; at most 30", [_days(rot)]), _control) if {
	some s in _db_secrets
	lib.is_prod(s)
	some rot in _rotations(s)
	_days(rot) > 30
}

deny contains lib.msg("MM-071", rot, "prod rotation schedule cannot be verified (expected rate(N days) or automatically_after_days)", _control) if {
	some s in _db_secrets
	lib.is_prod(s)
	some rot in _rotations(s)
	count(lib.blocks(rot.values, "rotation_rules")) > 0
	not _days(rot)
}

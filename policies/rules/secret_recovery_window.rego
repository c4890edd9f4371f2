# METADATA
# title: MM-031 Deleted secrets stay recoverable
# description: recovery_window_in_days must not be 0 (0 deletes a secret immediately, no undo).
# custom:
#   id: MM-031
#   controls: [AwsSolutions-SMG4 (context), SecretsManager.3]
#   enforcement_level: mandatory
#   reason: A force-deleted JWT or database secret breaks every running task with no way back.
package markmail.rules.secret_recovery_window

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-031", r, "recovery_window_in_days is 0: a deleted secret could not be restored", "Security Hub SecretsManager.3 context") if {
	some r in lib.of_type("aws_secretsmanager_secret")
	lib.num(r.values.recovery_window_in_days) == 0
}

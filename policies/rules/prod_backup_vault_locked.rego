# METADATA
# title: MM-073 Production backup vaults are locked
# description: |
#   Every prod aws_backup_vault has an aws_backup_vault_lock_configuration that refers to it with
#   min_retention_days of at least 1 (governance, or compliance with changeable_for_days).
# custom:
#   id: MM-073
#   controls: [Backup.3 (context), AWS Backup Vault Lock]
#   enforcement_level: mandatory
#   reason: Without a lock, whoever can delete recovery points (a mistake, a compromised role) can delete every backup before anyone notices.
package markmail.rules.prod_backup_vault_locked

import data.markmail.lib
import rego.v1

_locks(vault) := {l |
	some l in lib.of_type("aws_backup_vault_lock_configuration")
	lib.refers_to(l, "backup_vault_name", vault)
}

deny contains lib.msg("MM-073", v, "prod backup vault without aws_backup_vault_lock_configuration: recovery points can be deleted early", "AWS Backup Vault Lock") if {
	some v in lib.of_type("aws_backup_vault")
	lib.is_prod(v)
	count(_locks(v)) == 0
}

deny contains lib.msg("MM-073", l, "vault lock without min_retention_days >= 1", "AWS Backup Vault Lock") if {
	some v in lib.of_type("aws_backup_vault")
	lib.is_prod(v)
	some l in _locks(v)
	not lib.num(l.values.min_retention_days) >= 1
}

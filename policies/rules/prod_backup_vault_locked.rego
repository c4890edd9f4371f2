# METADATA
# title: MM-073 Production backup vaults are locked
# description: |
#   Every prod aws_backup_vault has an aws_backup_vault_lock_configuration that refers to it, in
#   the same region (a copy vault has the primary's name in another region), with
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
	_same_region(l, vault)
}

# Regions are known in a plan (provider 6 sets `region` on every resource); in cdk.tf.json only
# resources placed elsewhere carry it, the others are in the provider's region.
_same_region(a, b) if object.get(a.values, "region", null) == object.get(b.values, "region", null)

_same_region(a, b) if {
	lib.is_raw
	object.get(a.values, "region", null) == null
	object.get(b.values, "region", null) == _provider_region
}

_same_region(a, b) if {
	lib.is_raw
	object.get(b.values, "region", null) == null
	object.get(a.values, "region", null) == _provider_region
}

_provider_region := r if {
	some p in lib.as_list(object.get(object.get(input, "provider", {}), "aws", []))
	r := p.region
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

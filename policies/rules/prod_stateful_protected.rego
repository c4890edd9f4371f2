# METADATA
# title: MM-047 Prod stateful resources cannot be destroyed by a run
# description: |
#   In prod, every stateful resource and every KMS key (policies/data/protection `stateful_types`):
#   cdk.tf.json: lifecycle.prevent_destroy is true, so Terraform stops the run before anything is
#   deleted; plan: no resource change deletes or replaces one (a destroy run, a replacement, a
#   removed block). API-level deletion protection (MM-018) stops only the cluster, and only after
#   its instances, the cache, the secrets and the logs are gone.
# custom:
#   id: MM-047
#   controls: [RDS.7 (context), ELB.6 (context), AwsSolutions-RDS10 (context)]
#   enforcement_level: mandatory
#   reason: Customer data and the keys that decrypt it and its backups must survive a mistaken destroy.
package markmail.rules.prod_stateful_protected

import data.markmail.lib
import rego.v1

_types := {t.type | some t in lib.policy_data.protection.stateful_types}

deny contains lib.msg("MM-047", r, "prod stateful resource without lifecycle.prevent_destroy = true", "Security Hub RDS.7 context") if {
	lib.is_raw
	some r in lib.resources
	r.mode == "managed"
	r.type in _types
	lib.is_prod(r)
	not lib.block(r.values, "lifecycle").prevent_destroy == true
}

deny contains sprintf("[MM-047] %s: the plan %s a prod stateful resource (Security Hub RDS.7 context)", [d.address, concat("/", d.actions)]) if {
	some d in lib.deletions
	d.type in _types
	lib.environment == "prod"
	not lib.excepted("MM-047", d)
}

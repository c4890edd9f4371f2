# METADATA
# title: MM-055 The policy data is loaded
# description: |
#   The rules read policies/data/<set>/data.json (as data.data.<set>, or data.policies.data.<set>
#   when the bundle is rooted at the repository). Evaluated without it (conftest without
#   `--data policies`, a policy set that drops the JSON files), rules that read it could pass what
#   they cannot judge; this rule makes a missing data set a deny of every input.
# custom:
#   id: MM-055
#   controls: [precondition of every rule]
#   enforcement_level: mandatory
#   reason: A gate that silently lost its allow-lists and patterns must stop the run, not pass it.
package markmail.rules.policy_data_loaded

import data.markmail.lib
import rego.v1

_sets := {"encryption", "environment", "iam", "network", "protection", "secrets", "tls"}

deny contains lib.msg_stack("MM-055", sprintf("policy data sets %v are not loaded (policies/data/<set>/data.json; conftest needs --data policies)", [sort(missing)]), "precondition of every rule") if {
	missing := {s | some s in _sets; not _loaded(s)}
	count(missing) > 0
}

_loaded(s) if is_object(lib.policy_data[s])

# CI only (scripts/policy/check.sh): splits the denies of one synthesized stack into failing ones
# and the pending ones of scripts/policy/pending-denies.json (loaded as data.pending_denies).
# Not part of the policy set: HCP Terraform and conftest never load this file.
package markmail.ci

import rego.v1

# The stack id: cdk.tf.json carries it; for a plan, scripts/engine/verify.sh passes {"ci_stack": "<id>"} as data.
stack := input["//"].metadata.stackName if {
	input["//"].metadata.stackName
} else := data.ci_stack

_hit(p, m) if {
	startswith(m, sprintf("[%s]", [p.rule]))
	contains(m, p.match)
	glob.match(p.stacks, [], stack)
}

failing := {m |
	some m in data.markmail.main.deny
	not _pending(m)
}

pending := {m |
	some m in data.markmail.main.deny
	_pending(m)
}

_pending(m) if {
	some p in data.pending_denies
	_hit(p, m)
}

# Indexes of the pending entries that matched something in this stack.
matched := {i |
	some i, p in data.pending_denies
	some m in data.markmail.main.deny
	_hit(p, m)
}

report := {"resources": count(data.markmail.lib.resources), "failing": sort(failing), "pending": sort(pending), "matched": sort(matched)}

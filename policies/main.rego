# METADATA
# title: MarkMail policy set entry point
# description: |
#   `deny` collects the messages of every rule package under data.markmail.rules, for CI,
#   conftest (`conftest test --namespace markmail.main`) and `opa eval`. HCP Terraform queries
#   each rule package separately (policies.hcl) so each rule has its own enforcement level.
package markmail.main

import rego.v1

deny contains m if {
	some _, rule in data.markmail.rules
	some m in rule.deny
}

# Rule package name → number of denies, for per-stack summaries.
summary[name] := count(rule.deny) if {
	some name, rule in data.markmail.rules
}

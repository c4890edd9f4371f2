# METADATA
# title: MM-026 No wildcard resources for actions that can be scoped, none at all on sensitive services
# description: |
#   In identity policies (role, user, group and managed policies, and documents they use), an
#   Allow with Resource "*" may only list actions without resource-level permissions
#   (policies/data/iam `unscopable_actions`, each with a reason). Actions of the sensitive services
#   (iam incl. iam:PassRole, sts incl. sts:AssumeRole, secretsmanager, kms, s3, ssm) must not use a
#   wildcard ARN either: role/*, secret:*, key/*, arn:aws:s3:::*, arn:aws:secretsmanager:*:*:...,
#   a resource built on a variable. NotResource is denied. A resource a plan knows only after apply
#   must come from a reference in `configuration`, or the statement fails closed.
#   Resource policies (key, bucket, topic policies) are exempt from the "*" part: there "*" means the
#   resource the policy is attached to.
# custom:
#   id: MM-026
#   controls: [IAM.21, KMS.1, KMS.2, CKV_AWS_355, CKV_AWS_356, CKV_AWS_290, CKV_AWS_111]
#   enforcement_level: mandatory
#   reason: Resource "*" turns a task role into an account-wide role; scoping is cheap at write time.
package markmail.rules.iam_no_wildcard_resources

import data.markmail.lib
import rego.v1

_ctl := "checkov CKV_AWS_355, CKV_AWS_356 / Security Hub IAM.21, KMS.1"

deny contains sprintf("[MM-026] %s (%s): Resource \"*\" for %v, which support resource-level permissions (%s)", [s.address, s.attribute, scoped, _ctl]) if {
	some s in lib.identity_statements
	"*" in s.resources
	scoped := sort([a | some a in s.actions; not lib.needs_resource_wildcard(a)])
	count(scoped) > 0
	not lib.excepted_address("MM-026", s.address)
}

deny contains sprintf("[MM-026] %s (%s): %v on sensitive services with wildcard resources %v (%s)", [s.address, s.attribute, sensitive, wild, _ctl]) if {
	some s in lib.identity_statements
	sensitive := sort([a | some a in s.actions; lib.sensitive_action(a); not lib.needs_resource_wildcard(a)])
	count(sensitive) > 0
	wild := sort([res | some res in s.resources; res != "*"; lib.wildcard_arn(res)])
	count(wild) > 0
	not _scoped_by_condition(s)
	not lib.excepted_address("MM-026", s.address)
}

# policies/data/iam `scoping_conditions`: a condition that names the resources as tightly as an ARN.
_scoped_by_condition(s) if {
	some c in s.conditions
	lower(c.variable) in {lower(k.key) | some k in lib.policy_data.iam.scoping_conditions}
	lower(c.test) in {"stringequals", "forallvalues:stringequals", "foranyvalue:stringequals"}
	count(c.values) > 0
	every v in c.values {
		not regex.match(`[*?]|\$\{`, v)
	}
}

deny contains sprintf("[MM-026] %s (%s): resources of %v are unknown until apply and come from no reference the gate can see: cannot verify their scope (%s)", [s.address, s.attribute, s.actions, _ctl]) if {
	some s in lib.identity_statements
	s.unknown_resources
	not _refs_known(s)
	not lib.excepted_address("MM-026", s.address)
}

_refs_known(s) if {
	d := lib.by_address[s.address]
	count(lib.max_refs(d, "statement.resources")) > 0
}

deny contains sprintf("[MM-026] %s (%s): Allow with NotResource %v (%s)", [s.address, s.attribute, s.not_resources, _ctl]) if {
	some s in lib.identity_statements
	count(s.not_resources) > 0
	not lib.excepted_address("MM-026", s.address)
}

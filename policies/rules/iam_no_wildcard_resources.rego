# METADATA
# title: MM-026 No "*" resources for actions that support resource scoping
# description: |
#   In identity policies (statements without principals), an Allow with Resource "*" (or
#   NotResource) may only list actions that have no resource-level permissions; the list with
#   a reason per action is lib.resource_wildcard_actions. Resource policies (key, bucket, topic
#   policies) are exempt: there "*" means the resource the policy is attached to.
# custom:
#   id: MM-026
#   controls: [IAM.21, KMS.1, KMS.2, CKV_AWS_355, CKV_AWS_356, CKV_AWS_290]
#   enforcement_level: mandatory
#   reason: Resource "*" turns a task role into an account-wide role; scoping is cheap at write time.
package markmail.rules.iam_no_wildcard_resources

import data.markmail.lib
import rego.v1

deny contains sprintf("[MM-026] %s (%s): Resource \"*\" for %v, which support resource-level permissions (checkov CKV_AWS_355, CKV_AWS_356 / Security Hub IAM.21, KMS.1)", [s.address, s.attribute, scoped]) if {
	some s in lib.identity_statements
	"*" in s.resources
	scoped := sort([a | some a in s.actions; not lib.needs_resource_wildcard(a)])
	count(scoped) > 0
}

deny contains sprintf("[MM-026] %s (%s): Allow with NotResource %v (checkov CKV_AWS_355)", [s.address, s.attribute, s.not_resources]) if {
	some s in lib.identity_statements
	count(s.not_resources) > 0
}

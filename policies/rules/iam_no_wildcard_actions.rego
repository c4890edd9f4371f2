# METADATA
# title: MM-025 No wildcard IAM actions
# description: |
#   Allow statements list explicit actions: no "*", no whole-service "svc:*", no NotAction.
#   Exception: "kms:*" in a key policy statement whose only principal is the account root (the
#   documented default key policy that delegates key use to IAM).
# custom:
#   id: MM-025
#   controls: [IAM.1, IAM.21, KMS.1, CKV_AWS_1, CKV_AWS_49, CKV_AWS_62, CKV_AWS_63, CKV_AWS_286-290]
#   enforcement_level: mandatory
#   reason: Wildcard actions grant tomorrow's API calls too; least privilege is a hard requirement.
package markmail.rules.iam_no_wildcard_actions

import data.markmail.lib
import rego.v1

_root_key_admin(s, a) if {
	lower(a) == "kms:*"
	s.resource_based
	lib.is_account_root_principal(s)
}

deny contains sprintf("[MM-025] %s (%s): Allow statement with wildcard action %q (Security Hub IAM.1 / IAM.21 / checkov CKV_AWS_1, CKV_AWS_49, CKV_AWS_63)", [s.address, s.attribute, a]) if {
	some s in lib.allow_statements
	some a in s.actions
	lib.is_wildcard_action(a)
	not _root_key_admin(s, a)
}

deny contains sprintf("[MM-025] %s (%s): Allow statement with NotAction %v (Security Hub IAM.21 / checkov CKV_AWS_49)", [s.address, s.attribute, s.not_actions]) if {
	some s in lib.allow_statements
	count(s.not_actions) > 0
}

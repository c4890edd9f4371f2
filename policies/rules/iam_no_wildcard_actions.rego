# METADATA
# title: MM-025 No wildcard IAM actions
# description: |
#   Allow statements list explicit actions: no wildcard anywhere in an action ("*", "s3:*",
#   "iam:Pass*", "kms:GenerateDataKey*", "s3:Get?bject"), no NotAction. Statements are read from
#   every policy shape lib/iam.rego knows (documents incl. source/override documents, literal JSON,
#   jsonencode, rendered plan JSON). Exceptions: "kms:*" in a key policy statement whose only
#   principal is this account's root (the documented default key policy that delegates key use to
#   IAM), and VPC endpoint policies (they bound what passes a private endpoint, MM-046; the caller's
#   own IAM policy still lists its actions).
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
	s.kind in {"resource", "document"}
	lib.is_account_root_principal(s)
}

_judged contains s if {
	some s in lib.allow_statements
	s.kind != "endpoint"
}

deny contains sprintf("[MM-025] %s (%s): Allow statement with wildcard action %q (Security Hub IAM.1 / IAM.21 / checkov CKV_AWS_1, CKV_AWS_49, CKV_AWS_63)", [s.address, s.attribute, a]) if {
	some s in _judged
	some a in s.actions
	lib.is_wildcard_action(a)
	not _root_key_admin(s, a)
	not lib.excepted_address("MM-025", s.address)
}

deny contains sprintf("[MM-025] %s (%s): Allow statement with NotAction %v (Security Hub IAM.21 / checkov CKV_AWS_49)", [s.address, s.attribute, s.not_actions]) if {
	some s in _judged
	count(s.not_actions) > 0
	not lib.excepted_address("MM-025", s.address)
}

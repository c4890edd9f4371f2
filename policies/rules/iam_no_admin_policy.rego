# METADATA
# title: MM-039 No administrator managed policies on roles
# description: No attachment of AdministratorAccess, PowerUserAccess or IAMFullAccess (aws_iam_role_policy_attachment, aws_iam_policy_attachment, managed_policy_arns).
# custom:
#   id: MM-039
#   controls: [IAM.1, CKV_AWS_274]
#   enforcement_level: mandatory
#   reason: A CodeBuild or task role with admin rights turns a build-script or app compromise into an account takeover.
package markmail.rules.iam_no_admin_policy

import data.markmail.lib
import rego.v1

_admin := `:policy/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$`

_arns(r) := [a | some a in lib.as_list(object.get(r.values, "policy_arn", null))] if r.type in {"aws_iam_role_policy_attachment", "aws_iam_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment"}

_arns(r) := [a | some a in lib.as_list(object.get(r.values, "managed_policy_arns", []))] if r.type == "aws_iam_role"

deny contains lib.msg("MM-039", r, sprintf("attaches %s", [a]), "Security Hub IAM.1 / checkov CKV_AWS_274") if {
	some r in lib.resources
	r.mode == "managed"
	some a in _arns(r)
	is_string(a)
	regex.match(_admin, a)
}

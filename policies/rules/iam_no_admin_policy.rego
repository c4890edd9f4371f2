# METADATA
# title: MM-039 Only allow-listed AWS-managed policies are attached
# description: |
#   Managed-policy attachments (aws_iam_role_policy_attachment, aws_iam_policy_attachment,
#   aws_iam_user/group_policy_attachment, managed_policy_arns of aws_iam_role,
#   aws_iam_role_policy_attachments_exclusive) may name an AWS-managed policy only when it is in
#   policies/data/iam `managed_policies` (each with a reason), or a customer-managed aws_iam_policy of
#   the same input (whose document MM-025/MM-026/MM-044 read). Anything else, including an ARN the
#   gate cannot resolve, is denied.
# custom:
#   id: MM-039
#   controls: [IAM.1, CKV_AWS_274]
#   enforcement_level: mandatory
#   reason: A CodeBuild or task role with admin rights turns a build-script or app compromise into an account takeover.
package markmail.rules.iam_no_admin_policy

import data.markmail.lib
import rego.v1

_attachment_types := {"aws_iam_role_policy_attachment", "aws_iam_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment"}

_allowed := {p.arn | some p in lib.policy_data.iam.managed_policies}

# {r, path} of every attachment attribute
_attachments contains {"r": r, "path": "policy_arn"} if {
	some t in _attachment_types
	some r in lib.of_type(t)
}

_attachments contains {"r": r, "path": "managed_policy_arns"} if some r in lib.of_type("aws_iam_role")

_attachments contains {"r": r, "path": "policy_arns"} if some r in lib.of_type("aws_iam_role_policy_attachments_exclusive")

# "arn:${data.aws_partition.p.partition}:iam::aws:policy/X" and "arn:aws-cn:..." → "arn:aws:iam::aws:policy/X"
_normalised(v) := regex.replace(v, `^arn:(\$\{[^}]*\}|aws[a-z-]*):`, "arn:aws:")

_customer_policy(_, v) if {
	some p in lib.of_type("aws_iam_policy")
	some k in lib.self_keys(p)
	k == sprintf("val:%s", [v])
}

_customer_policy(a, _) if {
	some e in lib.max_refs(a.r, a.path)
	startswith(lib.ref_address(e), "aws_iam_policy.")
	lib.by_address[lib.ref_address(e)]
}

_ok(_, v) if _normalised(v) in _allowed

_ok(a, v) if _customer_policy(a, v)

deny contains lib.msg("MM-039", a.r, sprintf("attaches %s, which is not an allow-listed AWS-managed policy (policies/data/iam managed_policies) or a customer-managed policy of this stack", [v]), "Security Hub IAM.1 / checkov CKV_AWS_274") if {
	some a in _attachments
	some v in lib.as_list(object.get(a.r.values, a.path, []))
	is_string(v)
	not _ok(a, v)
}

deny contains lib.msg("MM-039", a.r, sprintf("%s is unknown until apply and refers to no aws_iam_policy of this stack: cannot verify the attached policy", [a.path]), "Security Hub IAM.1") if {
	some a in _attachments
	lib.path_unknown(a.r, a.path)
	lib.configured(a.r, a.path)
	not _customer_policy(a, "")
}

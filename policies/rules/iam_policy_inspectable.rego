# METADATA
# title: MM-044 IAM policies are inspectable
# description: |
#   Every policy attribute (policies/data/iam `policy_attributes`) and every policy document must be
#   readable by the IAM rules: a literal JSON document, a reference to a data.aws_iam_policy_document,
#   a cdktf jsonencode(...) of literals, or (plan) rendered JSON or an unknown value whose
#   configuration refers to exactly one policy document. Anything else (a function call, a variable,
#   a remote-state value, a document including documents more than one level deep, statements
#   unknown until apply) fails closed: MM-025, MM-026, MM-043 and MM-030 cannot judge what they
#   cannot read.
# custom:
#   id: MM-044
#   controls: [IAM.1 (precondition), IAM.21 (precondition), KMS.1 (precondition), S3.5 (precondition)]
#   enforcement_level: mandatory
#   reason: An IAM rule that cannot see the policy must not report a pass.
package markmail.rules.iam_policy_inspectable

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-044", u.r, sprintf("%s is %s: the IAM rules cannot verify it", [u.attribute, u.why]), "precondition of Security Hub IAM.1 / IAM.21 / KMS.1") if {
	some u in lib.uninspectable
}

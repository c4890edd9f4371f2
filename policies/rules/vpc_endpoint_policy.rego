# METADATA
# title: MM-046 VPC endpoints carry a policy limited to this account and the AWS-owned resources agents need
# description: |
#   Every aws_vpc_endpoint has a policy (without one, the endpoint passes any request to any
#   account, e.g. an upload to a foreign bucket). Each Allow statement is bounded: a condition
#   aws:ResourceAccount / aws:PrincipalAccount / aws:SourceAccount (StringEquals, this account's
#   values), or resources that are all this account's (built from data.aws_caller_identity,
#   references to this input or upstream layers, or the caller identity's account in a plan) or
#   AWS-owned resources listed in policies/data/iam `aws_owned_resources` (ECR layer bucket, SSM
#   agent buckets). A policy the gate cannot read fails closed (MM-044).
# custom:
#   id: MM-046
#   controls: [EC2.10 (context), AwsSolutions-VPC (context)]
#   enforcement_level: mandatory
#   reason: An endpoint without a policy is an exfiltration path from the private subnets to any account.
package markmail.rules.vpc_endpoint_policy

import data.markmail.lib
import rego.v1

_ctl := "endpoint policies; Security Hub EC2.10 context"

deny contains lib.msg("MM-046", r, "no endpoint policy: the endpoint passes any request to any account", _ctl) if {
	some r in lib.of_type("aws_vpc_endpoint")
	not lib.configured(r, "policy")
	not _separate_policy(r)
}

_separate_policy(r) if {
	some p in lib.of_type("aws_vpc_endpoint_policy")
	count(lib.ref_keys(p, "vpc_endpoint_id") & lib.self_keys(r)) > 0
}

_bounded(s) if {
	some c in s.conditions
	lower(c.variable) in {"aws:resourceaccount", "aws:principalaccount", "aws:sourceaccount"}
	lower(c.test) in {"stringequals", "stringequalsignorecase"}
	count(c.values) > 0
	every v in c.values {
		lib.own_account_value(v)
	}
}

_bounded(s) if {
	count(s.resources) > 0
	not s.unknown_resources
	every res in s.resources {
		_own_or_aws_owned(res)
	}
}

_own_or_aws_owned(res) if {
	res != "*"
	lib.own_account_value(res)
	not lib.wildcard_arn(res)
}

_own_or_aws_owned(res) if {
	some o in lib.policy_data.iam.aws_owned_resources
	glob.match(o.pattern, [], regex.replace(res, `^arn:(\$\{[^}]*\}|aws[a-z-]*):`, "arn:aws:"))
}

deny contains sprintf("[MM-046] %s (%s): Allow statement not bounded to this account's resources or principals (resources %v) (%s)", [s.address, s.attribute, s.resources, _ctl]) if {
	some s in lib.allow_statements
	s.kind == "endpoint"
	not _bounded(s)
	not lib.excepted_address("MM-046", s.address)
}

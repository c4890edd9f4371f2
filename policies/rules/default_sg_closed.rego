# METADATA
# title: MM-036 The VPC's default security group allows no traffic
# description: Every aws_vpc has an aws_default_security_group in the stack with no ingress and no egress.
# custom:
#   id: MM-036
#   controls: [EC2.2, CKV2_AWS_12]
#   enforcement_level: mandatory
#   reason: Resources launched without a group land in the default one; it must not pass traffic.
package markmail.rules.default_sg_closed

import data.markmail.lib
import rego.v1

_managed(v) := {d |
	some d in lib.of_type("aws_default_security_group")
	lib.refers_to(d, "vpc_id", v)
}

deny contains lib.msg("MM-036", v, "the default security group is not managed (aws_default_security_group without rules)", "Security Hub EC2.2 / checkov CKV2_AWS_12") if {
	some v in lib.of_type("aws_vpc")
	count(_managed(v)) == 0
}

deny contains lib.msg("MM-036", d, "the default security group has rules", "Security Hub EC2.2 / checkov CKV2_AWS_12") if {
	some d in lib.of_type("aws_default_security_group")
	count(lib.blocks(d.values, "ingress")) + count(lib.blocks(d.values, "egress")) > 0
}

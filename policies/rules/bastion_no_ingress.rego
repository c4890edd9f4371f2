# METADATA
# title: MM-017 The bastion has no inbound rules (Session Manager only)
# description: |
#   The security group of an aws_instance in the stack, or a group named for the bastion, has no
#   ingress: no inline `ingress` blocks and no aws_security_group_rule (ingress) /
#   aws_vpc_security_group_ingress_rule targeting it (same stack or via a cross-stack reference
#   whose output name says "bastion").
# custom:
#   id: MM-017
#   controls: [EC2.13, SSM.1, CKV_AWS_24]
#   enforcement_level: mandatory
#   reason: Access goes through SSM Session Manager, which needs no open port; any ingress is a bypass.
package markmail.rules.bastion_no_ingress

import data.markmail.lib
import rego.v1

bastion_sg(sg) if {
	some i in lib.of_type("aws_instance")
	lib.refers_to(i, "vpc_security_group_ids", sg)
}

bastion_sg(sg) if {
	some l in lib.labels(sg)
	contains(l, "bastion")
}

deny contains lib.msg("MM-017", sg, "the bastion security group has inline ingress; use Session Manager (no inbound rules)", "Security Hub EC2.13 / SSM.1 / checkov CKV_AWS_24") if {
	some sg in lib.of_type("aws_security_group")
	bastion_sg(sg)
	count(lib.blocks(sg.values, "ingress")) > 0
}

_ingress_rules contains r if {
	some r in lib.of_type("aws_vpc_security_group_ingress_rule")
}

_ingress_rules contains r if {
	some r in lib.of_type("aws_security_group_rule")
	r.values.type == "ingress"
}

deny contains lib.msg("MM-017", r, "ingress rule on the bastion security group; use Session Manager (no inbound rules)", "Security Hub EC2.13 / SSM.1 / checkov CKV_AWS_24") if {
	some r in _ingress_rules
	_on_bastion(r)
}

_on_bastion(r) if {
	some sg in lib.of_type("aws_security_group")
	lib.refers_to(r, "security_group_id", sg)
	bastion_sg(sg)
}

_on_bastion(r) if {
	some e in lib.refs_of(r, "security_group_id")
	startswith(e, "data.terraform_remote_state.")
	contains(lower(e), "bastion")
}

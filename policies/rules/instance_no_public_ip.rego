# METADATA
# title: MM-016 EC2 instances (the bastion) get no public IP
# description: |
#   aws_instance: associate_public_ip_address must be false explicitly unless its subnet is a
#   subnet of this input with map_public_ip_on_launch false (a subnet the gate cannot see, e.g. from
#   another stack, might assign one). Launch templates' network interfaces must not associate a
#   public address. No aws_eip / aws_eip_association may attach an Elastic IP to an instance or a
#   network interface (NAT gateway addresses are allocated, not associated). Unknown values fail closed.
# custom:
#   id: MM-016
#   controls: [EC2.9, CKV_AWS_88]
#   enforcement_level: mandatory
#   reason: The bastion is reached through Session Manager; a public address only adds exposure.
package markmail.rules.instance_no_public_ip

import data.markmail.lib
import rego.v1

_ctl := "Security Hub EC2.9 / checkov CKV_AWS_88"

deny contains lib.msg("MM-016", r, "associate_public_ip_address must not be true", _ctl) if {
	some r in lib.of_type("aws_instance")
	lib.truthy(r.values, "associate_public_ip_address")
}

_private_subnet(r) if {
	subnets := {s | some s in lib.of_type("aws_subnet"); count(lib.ref_keys(r, "subnet_id") & lib.self_keys(s)) > 0}
	count(subnets) > 0
	every s in subnets {
		not lib.truthy(s.values, "map_public_ip_on_launch")
		not lib.unknown(s, "map_public_ip_on_launch")
	}
}

deny contains lib.msg("MM-016", r, "associate_public_ip_address is not false and the subnet is not shown to be private (map_public_ip_on_launch false) in this stack", _ctl) if {
	some r in lib.of_type("aws_instance")
	not r.values.associate_public_ip_address == false
	not lib.truthy(r.values, "associate_public_ip_address")
	not _private_subnet(r)
}

deny contains lib.msg("MM-016", r, "a launch template network interface associates a public IP", _ctl) if {
	some r in lib.of_type("aws_launch_template")
	some n in lib.blocks(r.values, "network_interfaces")
	lib.truthy(n, "associate_public_ip_address")
}

deny contains lib.msg("MM-016", r, "an Elastic IP is attached to an instance or network interface", _ctl) if {
	some t in {"aws_eip", "aws_eip_association"}
	some r in lib.of_type(t)
	some k in ["instance", "instance_id", "network_interface", "network_interface_id"]
	lib.configured(r, k)
}

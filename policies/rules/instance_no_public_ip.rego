# METADATA
# title: MM-016 EC2 instances (the bastion) get no public IP
# description: |
#   associate_public_ip_address must not be true, and an instance placed in a public subnet (by
#   its reference) must set it to false explicitly, since the subnet would otherwise assign one.
# custom:
#   id: MM-016
#   controls: [EC2.9, CKV_AWS_88]
#   enforcement_level: mandatory
#   reason: The bastion is reached through Session Manager; a public address only adds exposure.
package markmail.rules.instance_no_public_ip

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-016", r, "associate_public_ip_address must not be true", "Security Hub EC2.9 / checkov CKV_AWS_88") if {
	some r in lib.of_type("aws_instance")
	lib.truthy(r.values, "associate_public_ip_address")
}

deny contains lib.msg("MM-016", r, "instance in a public subnet without associate_public_ip_address = false", "Security Hub EC2.9 / checkov CKV_AWS_88") if {
	some r in lib.of_type("aws_instance")
	not r.values.associate_public_ip_address == false
	some e in lib.refs_of(r, "subnet_id")
	contains(lower(e), "public")
}

# METADATA
# title: MM-040 EC2 volumes (the bastion's) are encrypted
# description: aws_instance root_block_device and ebs_block_device blocks, and aws_ebs_volume, have encrypted = true; the root block must be declared.
# custom:
#   id: MM-040
#   controls: [EC2.3, EC2.7, CKV_AWS_8, CKV_AWS_3]
#   enforcement_level: mandatory
#   reason: The bastion carries database client history and credentials in memory swap and home directories.
package markmail.rules.instance_ebs_encrypted

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-040", r, "root_block_device must be declared with encrypted = true", "Security Hub EC2.3 / checkov CKV_AWS_8") if {
	some r in lib.of_type("aws_instance")
	not _root_encrypted(r)
}

deny contains lib.msg("MM-040", r, "an ebs_block_device is not encrypted", "Security Hub EC2.3 / checkov CKV_AWS_8") if {
	some r in lib.of_type("aws_instance")
	some d in lib.blocks(r.values, "ebs_block_device")
	not lib.is_true(d, "encrypted")
}

deny contains lib.msg("MM-040", r, "encrypted must be true", "Security Hub EC2.3 / checkov CKV_AWS_3") if {
	some r in lib.of_type("aws_ebs_volume")
	not lib.is_true(r.values, "encrypted")
}

_root_encrypted(r) if {
	roots := lib.blocks(r.values, "root_block_device")
	count(roots) > 0
	every d in roots {
		lib.is_true(d, "encrypted")
	}
}

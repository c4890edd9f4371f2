# METADATA
# title: MM-015 EC2 instances (the bastion) require IMDSv2
# custom:
#   id: MM-015
#   controls: [EC2.8, CKV_AWS_79]
#   enforcement_level: mandatory
#   reason: IMDSv1 lets any SSRF on the host read the instance role's credentials.
package markmail.rules.instance_imdsv2

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-015", r, "metadata_options.http_tokens must be \"required\" (IMDSv2)", "Security Hub EC2.8 / checkov CKV_AWS_79") if {
	some t in {"aws_instance", "aws_launch_template"}
	some r in lib.of_type(t)
	not _imdsv2(r)
}

_imdsv2(r) if {
	some m in lib.blocks(r.values, "metadata_options")
	m.http_tokens == "required"
}

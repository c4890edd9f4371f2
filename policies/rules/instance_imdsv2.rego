# METADATA
# title: MM-015 EC2 instances (the bastion) require IMDSv2
# description: |
#   aws_instance and aws_launch_template: metadata_options.http_tokens "required" (or the endpoint
#   disabled); a missing block, a missing value, "optional" or an unknown value fail. An instance
#   launched from a launch template of the input is judged by the template. Hop limit at most 1.
# custom:
#   id: MM-015
#   controls: [EC2.8, CKV_AWS_79]
#   enforcement_level: mandatory
#   reason: IMDSv1 lets any SSRF on the host read the instance role's credentials.
package markmail.rules.instance_imdsv2

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-015", r, sprintf("metadata_options.http_tokens is %v, must be \"required\" (IMDSv2)", [_tokens(r)]), "Security Hub EC2.8 / checkov CKV_AWS_79") if {
	some t in {"aws_instance", "aws_launch_template"}
	some r in lib.of_type(t)
	not _imdsv2(r)
	not _from_template(r)
}

deny contains lib.msg("MM-015", r, sprintf("metadata_options.http_put_response_hop_limit %v lets containers on the host reach the instance role's credentials; use 1", [m.http_put_response_hop_limit]), "Security Hub EC2.8 context") if {
	some t in {"aws_instance", "aws_launch_template"}
	some r in lib.of_type(t)
	some m in lib.blocks(r.values, "metadata_options")
	lib.num(m.http_put_response_hop_limit) > 1
}

# An instance launched from a template of this input is judged by the template.
_from_template(r) if {
	r.type == "aws_instance"
	not lib.present(r, "metadata_options")
	some lt in lib.of_type("aws_launch_template")
	count(lib.ref_keys(r, "launch_template.id") & lib.self_keys(lt)) + count(lib.ref_keys(r, "launch_template.name") & lib.self_keys(lt)) > 0
}

_imdsv2(r) if {
	some m in lib.blocks(r.values, "metadata_options")
	m.http_tokens == "required"
}

# IMDS switched off entirely is stricter than IMDSv2.
_imdsv2(r) if {
	some m in lib.blocks(r.values, "metadata_options")
	m.http_endpoint == "disabled"
}

_tokens(r) := v if {
	some m in lib.blocks(r.values, "metadata_options")
	v := object.get(m, "http_tokens", "(unset: optional)")
} else := "(no metadata_options: optional)"

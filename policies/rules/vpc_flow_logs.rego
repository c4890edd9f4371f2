# METADATA
# title: MM-035 Every VPC has a flow log in the same stack
# custom:
#   id: MM-035
#   controls: [EC2.6, CKV2_AWS_11, AwsSolutions-VPC7]
#   enforcement_level: mandatory
#   reason: Flow logs are the only network audit trail for incident response.
package markmail.rules.vpc_flow_logs

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-035", v, "no aws_flow_log for this VPC in the stack", "Security Hub EC2.6 / checkov CKV2_AWS_11") if {
	some v in lib.of_type("aws_vpc")
	not _logged(v)
}

_logged(v) if {
	some f in lib.of_type("aws_flow_log")
	lib.refers_to(f, "vpc_id", v)
}

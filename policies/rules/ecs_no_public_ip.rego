# METADATA
# title: MM-010 ECS services do not assign public IPs
# custom:
#   id: MM-010
#   controls: [ECS.2, ECS.16, CKV_AWS_333]
#   enforcement_level: mandatory
#   reason: Tasks sit in private subnets behind the ALB; a public IP bypasses it.
package markmail.rules.ecs_no_public_ip

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-010", r, "network_configuration.assign_public_ip must not be true", "Security Hub ECS.2 / checkov CKV_AWS_333") if {
	some t in {"aws_ecs_service", "aws_ecs_task_set"}
	some r in lib.of_type(t)
	some n in lib.blocks(r.values, "network_configuration")
	lib.truthy(n, "assign_public_ip")
}

deny contains lib.msg("MM-010", r, "network_configuration.assign_public_ip is unknown until apply: cannot verify", "Security Hub ECS.2") if {
	some t in {"aws_ecs_service", "aws_ecs_task_set"}
	some r in lib.of_type(t)
	lib.path_unknown(r, "network_configuration.assign_public_ip")
}

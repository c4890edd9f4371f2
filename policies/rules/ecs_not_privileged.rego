# METADATA
# title: MM-033 Containers are not privileged and do not share the host
# description: privileged must not be true; pidMode / ipcMode must not be "host"; network_mode must not be "host".
# custom:
#   id: MM-033
#   controls: [ECS.4, ECS.3, ECS.17, CKV_AWS_334, CKV_AWS_335]
#   enforcement_level: mandatory
#   reason: Privileged or host-namespace containers escape to the host.
package markmail.rules.ecs_not_privileged

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-033", r, sprintf("container %s runs privileged", [lib.container_name(c)]), "Security Hub ECS.4 / checkov CKV_AWS_334") if {
	some r in lib.of_type("aws_ecs_task_definition")
	some c in lib.containers(r)
	c.privileged == true
}

deny contains lib.msg("MM-033", r, "task definition shares the host namespace (pid_mode/ipc_mode/network_mode host)", "Security Hub ECS.3 / ECS.17 / checkov CKV_AWS_335") if {
	some r in lib.of_type("aws_ecs_task_definition")
	some k in ["pid_mode", "ipc_mode", "network_mode"]
	r.values[k] == "host"
}

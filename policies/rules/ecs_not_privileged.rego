# METADATA
# title: MM-033 Containers are not privileged and do not share the host
# description: |
#   privileged must not be true (also "true"); no Linux capabilities added (linuxParameters.capabilities.add,
#   Fargate allows only SYS_PTRACE, which ECS Exec does not need); no host devices; pid_mode / ipc_mode /
#   network_mode must not be "host" (any case); no host-path volumes; values unknown until apply fail closed.
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
	lib.truthy(c, "privileged")
}

deny contains lib.msg("MM-033", r, sprintf("container %s adds Linux capabilities %v", [lib.container_name(c), c.linuxParameters.capabilities.add]), "Security Hub ECS.4 / checkov CKV_AWS_334") if {
	some r in lib.of_type("aws_ecs_task_definition")
	some c in lib.containers(r)
	count(lib.as_list(object.get(object.get(object.get(c, "linuxParameters", {}), "capabilities", {}), "add", []))) > 0
}

deny contains lib.msg("MM-033", r, sprintf("container %s maps host devices", [lib.container_name(c)]), "Security Hub ECS.4") if {
	some r in lib.of_type("aws_ecs_task_definition")
	some c in lib.containers(r)
	count(lib.as_list(object.get(object.get(c, "linuxParameters", {}), "devices", []))) > 0
}

deny contains lib.msg("MM-033", r, sprintf("volume %v mounts a host path", [object.get(v, "name", "(unnamed)")]), "Security Hub ECS.3 context") if {
	some r in lib.of_type("aws_ecs_task_definition")
	some v in lib.blocks(r.values, "volume")
	_non_empty(object.get(v, "host_path", null))
}

deny contains lib.msg("MM-033", r, sprintf("%s is unknown until apply: cannot verify host namespaces", [k]), "Security Hub ECS.3 / ECS.17") if {
	some r in lib.of_type("aws_ecs_task_definition")
	some k in ["pid_mode", "ipc_mode", "network_mode"]
	lib.unknown(r, k)
}

_non_empty(v) if {
	v != null
	v != ""
}

deny contains lib.msg("MM-033", r, "task definition shares the host namespace (pid_mode/ipc_mode/network_mode host)", "Security Hub ECS.3 / ECS.17 / checkov CKV_AWS_335") if {
	some r in lib.of_type("aws_ecs_task_definition")
	some k in ["pid_mode", "ipc_mode", "network_mode"]
	lower(sprintf("%v", [object.get(r.values, k, "")])) == "host"
}

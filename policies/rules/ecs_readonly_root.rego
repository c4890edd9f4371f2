# METADATA
# title: MM-032 Containers have a read-only root filesystem
# custom:
#   id: MM-032
#   controls: [ECS.5, CKV_AWS_336]
#   enforcement_level: mandatory
#   reason: A writable root lets an attacker persist tools in the container; scratch space goes to a volume.
package markmail.rules.ecs_readonly_root

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-032", r, sprintf("container %s: readonlyRootFilesystem must be true", [lib.container_name(c)]), "Security Hub ECS.5 / checkov CKV_AWS_336") if {
	some r in lib.of_type("aws_ecs_task_definition")
	some c in lib.containers(r)
	not c.readonlyRootFilesystem == true
}

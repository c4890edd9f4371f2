# METADATA
# title: MM-038 Every container ships its logs
# custom:
#   id: MM-038
#   controls: [ECS.9, AwsSolutions-ECS7]
#   enforcement_level: advisory
#   reason: Missing logs hurt operations and audits but expose nothing; warn in HCP Terraform.
package markmail.rules.ecs_log_configuration

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-038", r, sprintf("container %s has no logConfiguration.logDriver", [lib.container_name(c)]), "Security Hub ECS.9 / AwsSolutions-ECS7") if {
	some r in lib.of_type("aws_ecs_task_definition")
	some c in lib.containers(r)
	not c.logConfiguration.logDriver
}

# METADATA
# title: MM-037 Task definitions are inspectable
# description: |
#   container_definitions must be literal JSON (cdk.tf.json) or known at plan time, so MM-023,
#   MM-032, MM-033 and MM-038 can check it. checkov passes unparseable strings silently; this
#   rule makes "cannot check" a failure.
# custom:
#   id: MM-037
#   controls: [ECS.4, ECS.5, ECS.8 (precondition), CKV_AWS_334, CKV_AWS_336 (precondition)]
#   enforcement_level: mandatory
#   reason: A container rule that cannot see the containers must not report a pass.
package markmail.rules.ecs_task_definition_inspectable

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-037", r, "container_definitions is unknown until apply: the container rules cannot check it", "precondition of Security Hub ECS.4 / ECS.5 / ECS.8") if {
	some r in lib.of_type("aws_ecs_task_definition")
	lib.unknown(r, "container_definitions")
}

deny contains lib.msg("MM-037", r, "container_definitions is not a JSON array of containers: the container rules cannot check it", "precondition of Security Hub ECS.4 / ECS.5 / ECS.8") if {
	some r in lib.of_type("aws_ecs_task_definition")
	not lib.unknown(r, "container_definitions")
	not lib.inspectable(r)
}

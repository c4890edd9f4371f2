# METADATA
# title: MM-022 ECS clusters have Container Insights on
# custom:
#   id: MM-022
#   controls: [ECS.12, CKV_AWS_65]
#   enforcement_level: advisory
#   reason: Observability, not exposure; a missing setting should be visible but not block a release.
package markmail.rules.ecs_container_insights

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-022", r, "setting containerInsights must be enabled or enhanced", "Security Hub ECS.12 / checkov CKV_AWS_65") if {
	some r in lib.of_type("aws_ecs_cluster")
	not _insights(r)
}

_insights(r) if {
	some s in lib.blocks(r.values, "setting")
	s.name == "containerInsights"
	s.value in {"enabled", "enhanced"}
}

# METADATA
# title: MM-024 Resources carry Project, Environment, Layer and ManagedBy tags
# description: |
#   cdk.tf.json: every aws provider block has default_tags with the four keys (the provider then
#   tags every taggable resource). Plan: every resource with tags_all has the four keys there.
# custom:
#   id: MM-024
#   controls: [AWS tagging best practice, Config required-tags, CKV_AWS (n/a)]
#   enforcement_level: advisory
#   reason: Cost allocation and ownership; missing tags never expose data, so warn only in HCP Terraform.
package markmail.rules.required_tags

import data.markmail.lib
import rego.v1

required := {"Project", "Environment", "Layer", "ManagedBy"}

_managed_count := count({r | some r in lib.resources; r.mode == "managed"})

_provider_tags(p) := {k |
	some dt in lib.blocks(p, "default_tags")
	some k, v in object.get(dt, "tags", {})
	is_string(v)
	v != ""
}

deny contains lib.msg_stack("MM-024", sprintf("aws provider %v default_tags lack %v", [object.get(p, "alias", "(default)"), missing]), "tagging policy: Project, Environment, Layer, ManagedBy") if {
	lib.is_raw
	_managed_count > 0
	some p in lib.as_list(object.get(object.get(input, "provider", {}), "aws", []))
	missing := required - _provider_tags(p)
	count(missing) > 0
}

deny contains lib.msg_stack("MM-024", "resources but no aws provider block with default_tags", "tagging policy: Project, Environment, Layer, ManagedBy") if {
	lib.is_raw
	_managed_count > 0
	count(lib.as_list(object.get(object.get(input, "provider", {}), "aws", []))) == 0
}

deny contains lib.msg_stack("MM-024", sprintf("environment signals disagree: %v (stack id, provider default tags, backend key, resource tags); the strictest, %s, applies", [sort(lib.env_signals), lib.environment]), "tagging policy: Environment") if {
	count(lib.env_signals) > 1
}

deny contains lib.msg("MM-024", r, sprintf("tags_all lacks %v", [missing]), "tagging policy: Project, Environment, Layer, ManagedBy") if {
	lib.is_plan
	some r in lib.resources
	r.mode == "managed"
	tags := r.values.tags_all
	is_object(tags)
	missing := required - {k | some k, v in tags; is_string(v); v != ""}
	count(missing) > 0
}

# ECS container definitions (same package as resources.rego).
#
# container_definitions is a JSON string in cdk.tf.json and in a plan (Terraform keeps the
# provider-normalised string), an array only in hand-written inputs. Strings that are not JSON
# (a whole-value `${jsonencode(...)}` expression) or unknown at plan time are "not inspectable":
# MM-037 denies those explicitly instead of letting the container rules pass silently.
package markmail.lib

import rego.v1

container_definitions(r) := v if {
	v := r.values.container_definitions
	is_array(v)
} else := defs if {
	v := r.values.container_definitions
	is_string(v)
	json.is_valid(v)
	defs := json.unmarshal(v)
	is_array(defs)
}

inspectable(r) if container_definitions(r)

# The container objects of a task definition ([] when not inspectable).
containers(r) := [c | some c in container_definitions(r); is_object(c)] if inspectable(r)

containers(r) := [] if not inspectable(r)

container_name(c) := object.get(c, "name", "(unnamed)")

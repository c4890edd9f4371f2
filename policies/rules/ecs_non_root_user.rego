# METADATA
# title: MM-048 Containers run as a non-root user
# description: |
#   Every container of a Linux task definition sets `user` to a non-root user: not missing (the
#   image's USER, often root), not "root", not uid 0 (with or without a group, e.g. "0", "0:0",
#   "root:1001"). A container that must run as root is named, with the reason, in
#   policies/lib/exceptions.rego (that container only, and only while it is not essential).
# custom:
#   id: MM-048
#   controls: [ECS.20, CKV_AWS_336 (context)]
#   enforcement_level: mandatory
#   reason: A root process in a container is one kernel bug away from the host and owns every file of the task.
package markmail.rules.ecs_non_root_user

import data.markmail.lib
import rego.v1

_root(u) if not is_string(u)

_root(u) if u == ""

_root(u) if lower(split(u, ":")[0]) in {"root", "0"}

deny contains lib.msg("MM-048", r, sprintf("container %s runs as %v: set a non-root user", [lib.container_name(c), object.get(c, "user", "the image's default user")]), "Security Hub ECS.20") if {
	some r in lib.of_type("aws_ecs_task_definition")
	some c in lib.containers(r)
	_root(object.get(c, "user", null))
	not lib.excepted_container("MM-048", r, c)
}

# METADATA
# title: MM-023 No secrets in container environment variables
# description: |
#   Container `environment` entries must not look like credentials, by name or by value
#   (policies/data/secrets): names such as *PASSWORD*, *_PASS, *_PWD, *SECRET*, *TOKEN*, *_KEY,
#   *_SK, API_KEY, DATABASE_URL, CLIENT_ID (a name ending in _ARN/_NAME/_FILE/_PATH only points at a
#   secret); values with provider key prefixes (sk_live_, AKIA, ghp_, xoxb-, sk-ant-, ...), URLs with
#   user:password@ (also when the password is an interpolation), PEM private keys, JWTs, or long runs
#   mixing lower case, upper case and digits. Secrets go through `secrets` (valueFrom Secrets
#   Manager), which keeps them out of the task definition and the state. `environmentFiles` must come
#   from S3 objects, which this design does not use: any is denied.
# custom:
#   id: MM-023
#   controls: [ECS.8, AwsSolutions-ECS2, CKV_AWS_46 (context)]
#   enforcement_level: mandatory
#   reason: Environment values are readable by anyone with ecs:DescribeTaskDefinition and live in the state.
package markmail.rules.ecs_no_secret_env

import data.markmail.lib
import rego.v1

_entries(c) := [e | some e in lib.as_list(object.get(c, "environment", [])); is_object(e)]

deny contains lib.msg("MM-023", r, sprintf("container %s has environment variable %s: pass secrets through `secrets` (Secrets Manager valueFrom)", [lib.container_name(c), e.name]), "Security Hub ECS.8 / AwsSolutions-ECS2") if {
	some r in lib.of_type("aws_ecs_task_definition")
	some c in lib.containers(r)
	some e in _entries(c)
	lib.secret_name(e.name)
}

deny contains lib.msg("MM-023", r, sprintf("container %s: the value of %v looks like a credential (%s): pass it through `secrets`", [lib.container_name(c), object.get(e, "name", "(unnamed)"), why]), "Security Hub ECS.8 / AwsSolutions-ECS2") if {
	some r in lib.of_type("aws_ecs_task_definition")
	some c in lib.containers(r)
	some e in _entries(c)
	why := lib.secret_value(object.get(e, "value", ""))
}

deny contains lib.msg("MM-023", r, sprintf("container %s has environmentFiles: this design passes configuration as environment and secrets only", [lib.container_name(c)]), "Security Hub ECS.8") if {
	some r in lib.of_type("aws_ecs_task_definition")
	some c in lib.containers(r)
	count(lib.as_list(object.get(c, "environmentFiles", []))) > 0
}

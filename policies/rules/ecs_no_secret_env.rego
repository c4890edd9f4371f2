# METADATA
# title: MM-023 No secrets in container environment variables
# description: |
#   Container `environment` entries must not have secret-looking names (PASSWORD, SECRET, TOKEN,
#   API_KEY, DATABASE_URL, PRIVATE_KEY, ACCESS_KEY, CREDENTIAL; names ending in _ARN, _NAME,
#   _FILE or _PATH only point at a secret and are allowed). Secrets go through `secrets`
#   (valueFrom Secrets Manager), which keeps them out of the task definition and the state.
# custom:
#   id: MM-023
#   controls: [ECS.8, AwsSolutions-ECS2, CKV_AWS_46 (context)]
#   enforcement_level: mandatory
#   reason: Environment values are readable by anyone with ecs:DescribeTaskDefinition and live in the state.
package markmail.rules.ecs_no_secret_env

import data.markmail.lib
import rego.v1

_secretish := `(?i)(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|DATABASE_URL|PRIVATE_KEY|ACCESS_KEY|CREDENTIAL|ENGINE_AUTH_DATA)`

_pointer := `(?i)_(ARN|NAME|FILE|PATH)$`

secret_like(name) if {
	regex.match(_secretish, name)
	not regex.match(_pointer, name)
}

deny contains lib.msg("MM-023", r, sprintf("container %s has environment variable %s: pass secrets through `secrets` (Secrets Manager valueFrom)", [lib.container_name(c), e.name]), "Security Hub ECS.8 / AwsSolutions-ECS2") if {
	some r in lib.of_type("aws_ecs_task_definition")
	some c in lib.containers(r)
	some e in object.get(c, "environment", [])
	secret_like(e.name)
}

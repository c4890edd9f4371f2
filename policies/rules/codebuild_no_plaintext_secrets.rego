# METADATA
# title: MM-045 No credentials in plaintext CodeBuild variables
# description: |
#   aws_codebuild_project environment variables of type PLAINTEXT (the default) must not look like
#   credentials by name or value (policies/data/secrets, the same patterns as MM-023). Credentials
#   use type SECRETS_MANAGER or PARAMETER_STORE, or the buildspec's env.secrets-manager.
# custom:
#   id: MM-045
#   controls: [CodeBuild.2, CKV_AWS_316 (context)]
#   enforcement_level: mandatory
#   reason: Plaintext project variables are readable by anyone who can read the project and sit in the state.
package markmail.rules.codebuild_no_plaintext_secrets

import data.markmail.lib
import rego.v1

_plain(r) := [v |
	some env in lib.blocks(r.values, "environment")
	some v in lib.blocks(env, "environment_variable")
	upper(object.get(v, "type", "PLAINTEXT")) == "PLAINTEXT"
]

deny contains lib.msg("MM-045", r, sprintf("plaintext environment variable %s looks like a credential: use type SECRETS_MANAGER", [v.name]), "Security Hub CodeBuild.2") if {
	some r in lib.of_type("aws_codebuild_project")
	some v in _plain(r)
	lib.secret_name(v.name)
}

deny contains lib.msg("MM-045", r, sprintf("the value of plaintext environment variable %s looks like a credential (%s): use type SECRETS_MANAGER", [v.name, why]), "Security Hub CodeBuild.2") if {
	some r in lib.of_type("aws_codebuild_project")
	some v in _plain(r)
	why := lib.secret_value(object.get(v, "value", ""))
}

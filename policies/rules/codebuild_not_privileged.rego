# METADATA
# title: MM-049 CodeBuild projects do not run privileged
# description: environment.privileged_mode must not be true (a privileged build can reach the build host's Docker daemon); the two image-build projects are excepted with a reason in policies/lib/exceptions.rego.
# custom:
#   id: MM-049
#   controls: [CodeBuild.5, CKV_AWS_316]
#   enforcement_level: mandatory
#   reason: A privileged build turns a malicious dependency into control of the build host.
package markmail.rules.codebuild_not_privileged

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-049", r, "environment.privileged_mode is true", "Security Hub CodeBuild.5 / checkov CKV_AWS_316") if {
	some r in lib.of_type("aws_codebuild_project")
	some e in lib.blocks(r.values, "environment")
	lib.truthy(e, "privileged_mode")
}

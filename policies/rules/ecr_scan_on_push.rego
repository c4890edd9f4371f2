# METADATA
# title: MM-027 ECR scans images on push
# description: image_scanning_configuration.scan_on_push, or a registry scanning configuration in the stack.
# custom:
#   id: MM-027
#   controls: [ECR.1, CKV_AWS_163]
#   enforcement_level: advisory
#   reason: Findings inform, they do not block deploys; the pipeline decides on severities.
package markmail.rules.ecr_scan_on_push

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-027", r, "image_scanning_configuration.scan_on_push must be true", "Security Hub ECR.1 / checkov CKV_AWS_163") if {
	some r in lib.of_type("aws_ecr_repository")
	not _scans(r)
	count(lib.of_type("aws_ecr_registry_scanning_configuration")) == 0
}

_scans(r) if {
	some c in lib.blocks(r.values, "image_scanning_configuration")
	c.scan_on_push == true
}

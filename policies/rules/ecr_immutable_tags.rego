# METADATA
# title: MM-028 ECR image tags are immutable
# description: image_tag_mutability IMMUTABLE (or IMMUTABLE_WITH_EXCLUSION for a moving tag such as latest); the provider default is MUTABLE.
# custom:
#   id: MM-028
#   controls: [ECR.2, CKV_AWS_51]
#   enforcement_level: mandatory
#   reason: Deploys pin image tags; a mutable tag lets a push change what runs without a deploy.
package markmail.rules.ecr_immutable_tags

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-028", r, sprintf("image_tag_mutability is %v, expected IMMUTABLE", [object.get(r.values, "image_tag_mutability", "MUTABLE (default)")]), "Security Hub ECR.2 / checkov CKV_AWS_51") if {
	some r in lib.of_type("aws_ecr_repository")
	not object.get(r.values, "image_tag_mutability", "MUTABLE") in {"IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION"}
}

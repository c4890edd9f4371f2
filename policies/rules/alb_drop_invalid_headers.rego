# METADATA
# title: MM-014 Application load balancers drop invalid HTTP headers
# custom:
#   id: MM-014
#   controls: [ELB.4, CKV_AWS_131]
#   enforcement_level: mandatory
#   reason: Invalid header fields are a request-smuggling vector towards the Rust backend.
package markmail.rules.alb_drop_invalid_headers

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-014", r, "drop_invalid_header_fields must be true", "Security Hub ELB.4 / checkov CKV_AWS_131") if {
	some t in {"aws_lb", "aws_alb"}
	some r in lib.of_type(t)
	object.get(r.values, "load_balancer_type", "application") == "application"
	not lib.is_true(r.values, "drop_invalid_header_fields")
}

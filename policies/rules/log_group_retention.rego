# METADATA
# title: MM-021 CloudWatch log groups have a retention period
# description: retention_in_days must be set and not 0 (0 / missing = keep forever, unbounded cost).
# custom:
#   id: MM-021
#   controls: [CKV_AWS_66, CloudWatch.16]
#   enforcement_level: advisory
#   reason: A cost and data-minimisation concern, not an exposure; the run should warn, not stop.
package markmail.rules.log_group_retention

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-021", r, "retention_in_days must be set (CloudWatch value, not 0)", "checkov CKV_AWS_66") if {
	some r in lib.of_type("aws_cloudwatch_log_group")
	not _retained(r)
}

_retained(r) if lib.num(r.values.retention_in_days) > 0

# A reference (raw) or a value known only after apply (plan) cannot be judged: it is the job of
# the construct's own validation; the rule accepts it (advisory rule).
_retained(r) if lib.is_expression(r.values.retention_in_days)

_retained(r) if lib.unknown(r, "retention_in_days")

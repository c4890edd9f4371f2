# METADATA
# title: MM-030 S3 bucket policies deny requests without TLS
# description: |
#   Every aws_s3_bucket has an aws_s3_bucket_policy in the stack whose document has a Deny
#   statement conditioned on aws:SecureTransport = false. cdk.tf.json: the policy refers to a
#   data.aws_iam_policy_document; plan: the rendered JSON on the policy resource.
# custom:
#   id: MM-030
#   controls: [S3.5, AwsSolutions-S10]
#   enforcement_level: mandatory
#   reason: Without it, SDKs configured for HTTP send state and artifacts in clear text.
package markmail.rules.s3_tls_only

import data.markmail.lib
import rego.v1

_policies(b) := {p |
	some p in lib.of_type("aws_s3_bucket_policy")
	lib.refers_to(p, "bucket", b)
}

# Statements of a bucket policy: rendered on the resource (plan) or in the referenced document.
_statements(p) := {s |
	some s in lib.statements
	s.address == p.address
} | {s |
	some e in lib.refs_of(p, "policy")
	some s in lib.statements
	startswith(e, concat("", [s.address, "."]))
}

_denies_plain_http(s) if {
	s.effect == "Deny"
	some c in s.conditions
	c.test == "Bool"
	c.variable == "aws:SecureTransport"
	some v in c.values
	lower(v) == "false"
}

deny contains lib.msg("MM-030", b, "no bucket policy denying aws:SecureTransport = false", "Security Hub S3.5 / AwsSolutions-S10") if {
	some b in lib.of_type("aws_s3_bucket")
	not _tls_only(b)
}

_tls_only(b) if {
	some p in _policies(b)
	some s in _statements(p)
	_denies_plain_http(s)
}

# METADATA
# title: MM-030 S3 bucket policies deny every request without TLS
# description: |
#   Every aws_s3_bucket has a bucket policy in the stack (aws_s3_bucket_policy or the inline policy)
#   with a Deny statement that covers every S3 action ("s3:*" or "*", no NotAction) for every
#   principal ("*") on the bucket and on its objects (the bucket ARN and <bucket ARN>/*, or a pattern
#   covering both), conditioned only on aws:SecureTransport = false (Bool / BoolIfExists; any further
#   condition would narrow the deny). The statements are read in every shape lib/iam.rego knows,
#   with override documents replacing statements of the same sid. A plan that knows the resources
#   only after apply must show both of them coming from references to this bucket.
# custom:
#   id: MM-030
#   controls: [S3.5, AwsSolutions-S10]
#   enforcement_level: mandatory
#   reason: Without it, SDKs configured for HTTP send state and artifacts in clear text.
package markmail.rules.s3_tls_only

import data.markmail.lib
import rego.v1

_enc := lib.policy_data.encryption

_policy_holders(b) := {p |
	some p in lib.of_type("aws_s3_bucket_policy")
	count(lib.ref_keys(p, "bucket") & lib.self_keys(b)) > 0
} | {b | lib.present(b, "policy")}

_statements(b) := {s |
	some p in _policy_holders(b)
	some s in lib.statements
	s.via == p.address
}

_everyone(s) if {
	some p in s.principals
	p.type == "*"
}

_everyone(s) if {
	some p in s.principals
	p.type == "AWS"
	"*" in p.identifiers
}

_all_actions(s) if {
	count(s.not_actions) == 0
	some a in s.actions
	lower(a) in {x | some x in _enc.tls_deny_actions}
}

_only_secure_transport(s) if {
	count(s.conditions) > 0
	every c in s.conditions {
		lower(c.test) in {"bool", "boolifexists"}
		lower(c.variable) == "aws:securetransport"
		count(c.values) > 0
		every v in c.values {
			lower(v) == "false"
		}
	}
}

# ARN strings comparable with glob: interpolations become <expr>, glob brackets are neutralised.
_norm(v) := regex.replace(regex.replace(regex.replace(v, `^arn:(\$\{[^}]*\}|aws[a-z-]*):`, "arn:aws:"), `\$\{([^}]*)\}`, "<$1>"), `[\[\]{}]`, "_")

_bucket_name(b) := _norm(b.values.bucket) if is_string(b.values.bucket)

_bucket_arn(b) := concat("", ["arn:aws:s3:::", _bucket_name(b)])

# A resource string of the statement, with references to this bucket's arn/id/bucket substituted.
_resource(res, b) := concat("", [_bucket_arn(b), trim_prefix(res, sprintf("${%s.arn}", [b.address]))]) if {
	startswith(res, sprintf("${%s.arn}", [b.address]))
} else := _norm(res)

_covers(s, _, _) if {
	some res in s.resources
	res == "*"
}

_covers(s, b, target) if {
	some res in s.resources
	glob.match(_resource(res, b), [], target)
}

_covers_bucket_and_objects(s, b) if {
	_covers(s, b, _bucket_arn(b))
	_covers(s, b, concat("", [_bucket_arn(b), "/any/object/key"]))
}

# plan: the resources render at apply; accept two or more that the document takes from this bucket.
_covers_bucket_and_objects(s, b) if {
	s.unknown_resources
	d := lib.by_address[s.address]
	refs := {lib.ref_address(e) | some e in lib.max_refs(d, "statement.resources")}
	b.address in refs
	count(s.resources) + 1 >= 2
}

_tls_deny(s, b) if {
	s.effect == "Deny"
	_everyone(s)
	_all_actions(s)
	_only_secure_transport(s)
	_covers_bucket_and_objects(s, b)
}

deny contains lib.msg("MM-030", b, "no bucket policy statement denying every S3 action on the bucket and its objects for aws:SecureTransport = false", "Security Hub S3.5 / AwsSolutions-S10") if {
	some b in lib.of_type("aws_s3_bucket")
	not _tls_only(b)
}

_tls_only(b) if {
	some s in _statements(b)
	_tls_deny(s, b)
}

# Customer-managed keys (same package as resources.rego).
#
# cmk_problem(r, path) says why the key attribute at `path` of r does not designate a
# customer-managed KMS key, and is undefined when it does (policies/data/encryption `cmk_sources`):
#   - alias/aws/<service> (or an ARN of it) is the service's AWS-managed key;
#   - a reference to an aws_kms_key of this input, to an aws_kms_alias of one, or to an upstream
#     layer's output (data.terraform_remote_state) is customer-managed;
#   - anything else (a literal key id or ARN, a data source lookup, a variable, a value unknown at
#     plan time without such a reference) cannot be verified and fails closed.
# Rules check presence themselves (their own "must be set" message); a missing value is not a problem here.
package markmail.lib

import rego.v1

_enc := policy_data.encryption

aws_managed_key(v) if {
	is_string(v)
	some p in _enc.aws_managed_key_patterns
	regex.match(p, v)
}

cmk_problem(r, path) := sprintf("%s is %s, an AWS-managed key, not a customer-managed key", [path, v]) if {
	some v in _values_at(r.values, path)
	aws_managed_key(v)
} else := sprintf("%s refers to %v, which is not a customer-managed key of this stack or an upstream layer", [path, sort(bad)]) if {
	refs := max_refs(r, path)
	bad := {e | some e in refs; not _key_ref_ok(e)}
	count(bad) > 0
} else := sprintf("%s is the literal %v: a key id or ARN cannot be told apart from an AWS-managed key; refer to an aws_kms_key", [path, v]) if {
	count({e | some e in max_refs(r, path); _designates_key(e)}) == 0
	some v in _values_at(r.values, path)
	is_string(v)
	v != ""
} else := sprintf("%s is unknown until apply and refers to no aws_kms_key: cannot verify a customer-managed key", [path]) if {
	count({e | some e in max_refs(r, path); _designates_key(e)}) == 0
	_path_unknown(r, path)
}

# (A reference to a managed resource is only valid Terraform when the resource is in the configuration.)
_key_ref_ok(e) if startswith(ref_address(e), "aws_kms_key.")

_key_ref_ok(e) if {
	a := ref_address(e)
	startswith(a, "aws_kms_alias.")
	alias := by_address[a]
	some t in max_refs(alias, "target_key_id")
	startswith(ref_address(t), "aws_kms_key.")
	by_address[ref_address(t)]
}

_key_ref_ok(e) if startswith(e, "data.terraform_remote_state.")

# A reference that designates a key (not one that only fills in the partition or account).
_designates_key(e) if {
	_key_ref_ok(e)
	not _arn_helper(e)
}

_arn_helper(e) if startswith(e, "data.aws_partition.")

_arn_helper(e) if startswith(e, "data.aws_caller_identity.")

_arn_helper(e) if startswith(e, "data.aws_region.")

# data sources that only build ARNs around a key reference
_key_ref_ok(e) if startswith(e, "data.aws_partition.")

_key_ref_ok(e) if startswith(e, "data.aws_caller_identity.")

_key_ref_ok(e) if startswith(e, "data.aws_region.")

# METADATA
# title: MM-043 Trust and resource policies trust only this account and conditioned services
# description: |
#   Allow statements of trust policies (assume_role_policy) and resource policies (key, bucket,
#   topic, log, endpoint policies):
#     - no Principal "*" (or AWS "*"), unless a condition binds the caller to this account
#       (aws:PrincipalAccount / aws:SourceAccount / aws:PrincipalArn with this account's values);
#       VPC endpoint policies are the exception (MM-046 bounds them); never in a trust policy;
#     - no AWS principal of another account: principals are this account's (built from
#       data.aws_caller_identity, a reference to a role of this input or an upstream layer, or a
#       plan's literal of the caller identity's account), or listed in policies/data/iam
#       `foreign_principals` for that policy attribute and those actions;
#     - service principals are listed in policies/data/iam `service_principals` and carry the
#       aws:SourceAccount and aws:SourceArn conditions the service sets (values in this account,
#       no ...IfExists); services that set neither are named with a reason;
#     - no NotPrincipal, no Federated or CanonicalUser principal; principals or conditions a plan
#       knows only after apply fail closed.
# custom:
#   id: MM-043
#   controls: [IAM.21 (context), KMS.1 (context), S3.6, SNS.2 (context), CKV_AWS_70, CKV_AWS_283]
#   enforcement_level: mandatory
#   reason: A role or key that trusts "*", another account or an unconditioned service is usable by principals outside this account (confused deputy).
package markmail.rules.iam_principals

import data.markmail.lib
import rego.v1

_iam := lib.policy_data.iam

_ctl := "Security Hub IAM.21 / S3.6 / checkov CKV_AWS_70, CKV_AWS_283; confused-deputy prevention"

_judged contains s if {
	some s in lib.allow_statements
	lib.resource_based(s)
}

_star(p) if p.type == "*"

_star(p) if {
	p.type == "AWS"
	"*" in p.identifiers
}

_bound_to_account(s) if {
	some c in s.conditions
	lower(c.variable) in {lower(v) | some v in _iam.star_principal_account_conditions}
	not endswith(lower(c.test), "ifexists")
	not startswith(lower(c.test), "stringnot")
	not startswith(lower(c.test), "arnnot")
	count(c.values) > 0
	every v in c.values {
		lib.own_account_value(v)
	}
}

_star_allowed(s) if s.kind == "endpoint"

deny contains sprintf("[MM-043] %s (%s): Allow for Principal \"*\" without a condition binding the caller to this account (%s)", [s.address, s.attribute, _ctl]) if {
	some s in _judged
	some p in s.principals
	_star(p)
	not _star_allowed(s)
	not _bound_to_account(s)
}

deny contains sprintf("[MM-043] %s (%s): a trust policy must not trust Principal \"*\" (%s)", [s.address, s.attribute, _ctl]) if {
	some s in _judged
	s.kind == "trust"
	some p in s.principals
	_star(p)
}

# ---- AWS principals ---------------------------------------------------------------------------

_normalised(v) := regex.replace(v, `^arn:(\$\{[^}]*\}|aws[a-z-]*):`, "arn:aws:")

_foreign_ok(s, id) if {
	some f in _iam.foreign_principals
	_normalised(id) == f.principal
	s.attribute == split(f.where, ".")[1]
	_via_type(s) == split(f.where, ".")[0]
	every a in s.actions {
		lower(a) in {lower(x) | some x in f.actions}
	}
}

_via_type(s) := lib.by_address[s.via].type

deny contains sprintf("[MM-043] %s (%s): AWS principal %s is not this account's (or cannot be verified as such) and is not in policies/data/iam foreign_principals for these actions (%s)", [s.address, s.attribute, id, _ctl]) if {
	some s in _judged
	some p in s.principals
	p.type == "AWS"
	some id in p.identifiers
	id != "*"
	not lib.own_account_value(id)
	not _foreign_ok(s, id)
}

deny contains sprintf("[MM-043] %s (%s): %s principals are not used by this design (%s)", [s.address, s.attribute, p.type, _ctl]) if {
	some s in _judged
	some p in s.principals
	p.type in {"Federated", "CanonicalUser"}
}

deny contains sprintf("[MM-043] %s (%s): Allow with NotPrincipal trusts everyone else (%s)", [s.address, s.attribute, _ctl]) if {
	some s in _judged
	count(s.not_principals) > 0
}

deny contains sprintf("[MM-043] %s (%s): principals or conditions are unknown until apply: cannot verify whom the policy trusts (%s)", [s.address, s.attribute, _ctl]) if {
	some s in _judged
	some flag in [s.unknown_principals, s.unknown_conditions]
	flag == true
}

# ---- service principals -----------------------------------------------------------------------

_service_entry(id) := e if {
	some e in _iam.service_principals
	glob.match(replace(e.principal, "{region}", "*"), ["."], id)
}

_has_condition(s, variable) if {
	some c in s.conditions
	lower(c.variable) == lower(variable)
	not endswith(lower(c.test), "ifexists")
	not contains(lower(c.test), "not")
	count(c.values) > 0
	every v in c.values {
		_in_account(s, c, v)
	}
}

_in_account(_, _, v) if lib.own_account_value(v)

# An S3 ARN names no account: the statement's aws:SourceAccount binds it.
_in_account(s, c, v) if {
	lower(c.variable) == "aws:sourcearn"
	regex.match(`^arn:[^:]*:s3:::`, v)
	_source_account_bound(s)
}

_source_account_bound(s) if {
	some c in s.conditions
	lower(c.variable) == "aws:sourceaccount"
	not endswith(lower(c.test), "ifexists")
	not contains(lower(c.test), "not")
	count(c.values) > 0
	every v in c.values {
		lib.own_account_value(v)
	}
}

_requirements(e) := {v |
	some k, v in {"source_account": "aws:SourceAccount", "source_arn": "aws:SourceArn"}
	object.get(e, k, false) == true
}

deny contains sprintf("[MM-043] %s (%s): service principal %s is not in policies/data/iam service_principals (add it with the conditions the service sets) (%s)", [s.address, s.attribute, id, _ctl]) if {
	some s in _judged
	some p in s.principals
	p.type == "Service"
	some id in p.identifiers
	not _service_entry(id)
}

deny contains sprintf("[MM-043] %s (%s): service principal %s without the %s condition (values in this account) the service sets (%s)", [s.address, s.attribute, id, v, _ctl]) if {
	some s in _judged
	some p in s.principals
	p.type == "Service"
	some id in p.identifiers
	e := _service_entry(id)
	count(object.get(e, "alternative_conditions", [])) == 0
	some v in _requirements(e)
	not _has_condition(s, v)
}

deny contains sprintf("[MM-043] %s (%s): service principal %s without any of the conditions %v (values in this account) (%s)", [s.address, s.attribute, id, e.alternative_conditions, _ctl]) if {
	some s in _judged
	some p in s.principals
	p.type == "Service"
	some id in p.identifiers
	e := _service_entry(id)
	count(object.get(e, "alternative_conditions", [])) > 0
	not _any_condition(s, e.alternative_conditions)
}

_any_condition(s, vars) if {
	some v in vars
	_has_condition(s, v)
}

# IAM statement normalisation (same package as resources.rego).
#
# Every IAM statement the input can express, as
#   {address, attribute, kind, sid, effect, actions, not_actions, resources, not_resources,
#    principals: [{type, identifiers}], not_principals, conditions: [{test, variable, values}],
#    unknown_resources, unknown_principals, unknown_conditions}
# `kind` is where the statement takes effect: "trust" (assume_role_policy), "resource" (a key,
# bucket, topic, endpoint ... policy), "identity" (a role/user/group/managed policy), or "document"
# for a data.aws_iam_policy_document no policy attribute of this input uses (judged by its principals).
# Sources, in every shape:
#   - data "aws_iam_policy_document": its statement blocks, source_policy_documents /
#     override_policy_documents (literal JSON or other documents' .json, one level deep) with the
#     provider's override-by-sid semantics;
#   - every policy attribute listed in policies/data/iam (`policy_attributes`): a literal JSON string,
#     a reference to a policy document, a cdktf `${jsonencode({...})}` of literals (raw), or the
#     rendered JSON a plan knows; a plan's unknown value is followed through `configuration` to the
#     document it renders.
# What cannot be read this way is listed in `uninspectable` (MM-044 fails closed on it).
package markmail.lib

import rego.v1

_iam := policy_data.iam

# ---------------------------------------------------------------------------------------------
# Policy documents (data.aws_iam_policy_document)

_docs := data_of_type("aws_iam_policy_document")

# Statements written in document d itself, normalised, with their sid.
_doc_own(d) := [_doc_statement(st) | some st in blocks(d.values, "statement")]

_doc_statement(st) := {
	"sid": object.get(st, "sid", null),
	"effect": _effect(object.get(st, "effect", "Allow")),
	"actions": _str_list(object.get(st, "actions", [])),
	"not_actions": _str_list(object.get(st, "not_actions", [])),
	"resources": _str_list(object.get(st, "resources", [])),
	"not_resources": _str_list(object.get(st, "not_resources", [])),
	"principals": [{"type": p.type, "identifiers": _str_list(p.identifiers)} | some p in blocks(st, "principals")],
	"not_principals": [{"type": p.type, "identifiers": _str_list(p.identifiers)} | some p in blocks(st, "not_principals")],
	"conditions": [{"test": c.test, "variable": c.variable, "values": _str_list(c.values)} | some c in blocks(st, "condition")],
	"unknown_resources": _has_null(object.get(st, "resources", [])),
	"unknown_principals": _has_null_ids(blocks(st, "principals")),
	"unknown_conditions": _has_null_cond(blocks(st, "condition")),
}

_effect(e) := e if is_string(e)

_effect(e) := "Allow" if not is_string(e) # unknown effect: judge it as the dangerous one

_has_null(x) if {
	some v in as_list(x)
	v == null
} else := false

_has_null_ids(ps) if {
	some p in ps
	_has_null(object.get(p, "identifiers", []))
} else := false

_has_null_cond(cs) if {
	some c in cs
	_has_null(object.get(c, "values", []))
} else := false

# The documents a document includes (source_policy_documents / override_policy_documents and the
# legacy source_json / override_json): "json" → parsed statements, "doc" → another document's address,
# "opaque" → something the gate cannot read.
_includes(d, kind) := [_include(d, v, i, kind) | some i, v in _doc_include_values(d, kind)]

_doc_include_values(d, "source") := array.concat(as_list(object.get(d.values, "source_policy_documents", [])), as_list(object.get(d.values, "source_json", [])))

_doc_include_values(d, "override") := array.concat(as_list(object.get(d.values, "override_policy_documents", [])), as_list(object.get(d.values, "override_json", [])))

_include(_, v, _, _) := {"json": _json_doc_statements(doc)} if doc := _parse(v)

_include(_, v, _, _) := {"doc": a} if {
	a := _doc_ref(v)
	by_address[a]
}

# plan: unknown include (the referenced document renders at apply): follow configuration.
_include(d, v, _, kind) := {"doc": a} if {
	v == null
	some e in max_refs(d, _include_attr(kind))
	a := ref_address(e)
	startswith(a, "data.aws_iam_policy_document.")
	by_address[a]
}

_include(d, v, _, kind) := {"opaque": v} if {
	not _parse(v)
	not _doc_ref_known(v)
	not _unknown_include_followed(d, v, kind)
}

_include_attr("source") := "source_policy_documents"

_include_attr("override") := "override_policy_documents"

_doc_ref_known(v) if by_address[_doc_ref(v)]

_unknown_include_followed(d, v, kind) if {
	v == null
	some e in max_refs(d, _include_attr(kind))
	startswith(ref_address(e), "data.aws_iam_policy_document.")
	by_address[ref_address(e)]
}

# "${data.aws_iam_policy_document.x.json}" → "data.aws_iam_policy_document.x"
_doc_ref(v) := a if {
	is_string(v)
	m := regex.find_all_string_submatch_n(`^\$\{(data\.aws_iam_policy_document\.[A-Za-z0-9_-]+)\.(json|minified_json)\}$`, v, 1)
	count(m) == 1
	a := m[0][1]
}

# Statements of a document before following includes of included documents (one level).
_doc_level0(d) := _merge(
	[s | some inc in _includes(d, "source"); some s in object.get(inc, "json", [])],
	_doc_own(d),
	[s | some inc in _includes(d, "override"); some s in object.get(inc, "json", [])],
)

# The effective statements of document d: included documents' statements merged with the
# provider's semantics (statement replaces source by sid, override replaces both by sid).
doc_statements(d) := _merge(
	array.concat(
		[s | some inc in _includes(d, "source"); some s in object.get(inc, "json", [])],
		[s | some inc in _includes(d, "source"); a := inc.doc; some s in _doc_level0(by_address[a])],
	),
	_doc_own(d),
	array.concat(
		[s | some inc in _includes(d, "override"); some s in object.get(inc, "json", [])],
		[s | some inc in _includes(d, "override"); a := inc.doc; some s in _doc_level0(by_address[a])],
	),
)

_merge(source, own, override) := array.concat(
	array.concat(
		[s | some s in source; not _sid_in(s, own); not _sid_in(s, override)],
		[s | some s in own; not _sid_in(s, override)],
	),
	override,
)

_sid_in(s, list) if {
	is_string(s.sid)
	s.sid != ""
	some o in list
	o.sid == s.sid
}

# Reasons a document cannot be fully read.
_doc_problems contains {"d": d, "why": sprintf("includes %v, which the gate cannot read", [inc.opaque])} if {
	some d in _docs
	some kind in ["source", "override"]
	some inc in _includes(d, kind)
	inc.opaque
}

_doc_problems contains {"d": d, "why": sprintf("includes %s, which itself includes further documents (only one level is followed)", [inc.doc])} if {
	some d in _docs
	some kind in ["source", "override"]
	some inc in _includes(d, kind)
	inner := by_address[inc.doc]
	some k2 in ["source", "override"]
	some inc2 in _includes(inner, k2)
	inc2.doc
}

_doc_problems contains {"d": d, "why": "its statements are unknown until apply"} if {
	some d in _docs
	unknown(d, "statement")
}

# ---------------------------------------------------------------------------------------------
# Policy attributes on resources

# {resource, attribute (dotted), kind, value} for every policy attribute in the input.
policy_values contains {"r": r, "attribute": attr, "kind": _attr_kind(r.type, attr), "value": v, "index": i} if {
	some r in resources
	r.mode == "managed"
	some attr in object.get(_iam.policy_attributes, r.type, [])
	not contains(attr, ".")
	v := object.get(r.values, attr, null)
	i := -1
}

policy_values contains {"r": r, "attribute": attr, "kind": _attr_kind(r.type, attr), "value": v, "index": i} if {
	some r in resources
	r.mode == "managed"
	some attr in object.get(_iam.policy_attributes, r.type, [])
	contains(attr, ".")
	parts := split(attr, ".")
	some i, b in blocks(r.values, parts[0])
	v := object.get(b, parts[1], null)
}

_attr_kind(type, attr) := "trust" if concat(".", [type, attr]) in {x | some x in _iam.trust_attributes}

_attr_kind(type, attr) := "identity" if {
	not concat(".", [type, attr]) in {x | some x in _iam.trust_attributes}
	type in {"aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_role"}
}

_attr_kind(type, attr) := "endpoint" if concat(".", [type, attr]) in {x.attribute | some x in _iam.principal_star_allowed}

_attr_kind(type, attr) := "resource" if {
	not concat(".", [type, attr]) in {x | some x in _iam.trust_attributes}
	not type in {"aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_role"}
	not concat(".", [type, attr]) in {x.attribute | some x in _iam.principal_star_allowed}
}

# How the value of a policy attribute is read: {"json": statements} | {"doc": address} | {"none"} | {"opaque": why}.
policy_source(pv) := {"none": true} if {
	pv.value in {null, ""}
	not _pv_unknown(pv)
}

policy_source(pv) := {"json": _json_doc_statements(doc)} if {
	doc := _parse(pv.value)
	not _plan_doc_ref(pv)
}

# plan: the rendered JSON of a policy document; judge (and report) the document itself.
policy_source(pv) := {"doc": a} if {
	_parse(pv.value)
	a := _plan_doc_ref(pv)
}

_plan_doc_ref(pv) := a if {
	pv.r.shape == "plan"
	pv.index < 0
	docs := {ref_address(e) | some e in max_refs(pv.r, pv.attribute); startswith(ref_address(e), "data.aws_iam_policy_document.")}
	count(docs) == 1
	some a in docs
	by_address[a]

	# only when the value is that document's rendering: an expression around it (replace(), a
	# merge) is judged as the JSON it renders
	_renders(by_address[a], pv.value)
}

_renders(d, v) if d.values.json == v

_renders(d, v) if d.values.minified_json == v

_renders(d, v) if json.unmarshal(d.values.json) == json.unmarshal(v)

policy_source(pv) := {"doc": a} if {
	a := _doc_ref(pv.value)
	by_address[a]
}

policy_source(pv) := {"json": _json_doc_statements(doc)} if {
	pv.r.shape == "raw"
	doc := _parse_jsonencode(pv.value)
}

# plan: the value renders at apply; configuration says which document it is.
policy_source(pv) := {"doc": a} if {
	_pv_unknown(pv)
	refs := {ref_address(e) | some e in max_refs(pv.r, pv.attribute)}
	docs := {a | some a in refs; startswith(a, "data.aws_iam_policy_document.")}
	count(docs) == 1
	some a in docs
	by_address[a]
	every x in refs {
		_harmless_ref(x, a)
	}
}

policy_source(pv) := {"opaque": _opaque_reason(pv)} if {
	not pv.value in {null, ""}
	not _parse(pv.value)
	not _doc_ref_known(pv.value)
	not _jsonencode_ok(pv)
	not _pv_unknown(pv)
}

policy_source(pv) := {"opaque": "unknown until apply and not a single aws_iam_policy_document"} if {
	_pv_unknown(pv)
	not _unknown_followed(pv)
}

_jsonencode_ok(pv) if {
	pv.r.shape == "raw"
	_parse_jsonencode(pv.value)
}

_unknown_followed(pv) if {
	refs := {ref_address(e) | some e in max_refs(pv.r, pv.attribute)}
	docs := {a | some a in refs; startswith(a, "data.aws_iam_policy_document.")}
	count(docs) == 1
	some a in docs
	by_address[a]
	every x in refs {
		_harmless_ref(x, a)
	}
}

_harmless_ref(x, a) if x == a

_harmless_ref(x, _) if startswith(x, "data.aws_caller_identity.")

_harmless_ref(x, _) if startswith(x, "data.aws_partition.")

_harmless_ref(x, _) if startswith(x, "data.aws_region.")

_pv_unknown(pv) if {
	pv.index < 0
	unknown(pv.r, pv.attribute)
	configured(pv.r, pv.attribute)
}

_pv_unknown(pv) if {
	pv.index >= 0
	parts := split(pv.attribute, ".")
	u := pv.r.unknown[parts[0]]
	_unknown_at(u, pv.index, parts[1])
}

_unknown_at(u, _, _) if u == true

_unknown_at(u, i, k) if u[i][k] == true

_opaque_reason(pv) := "a cdktf jsonencode(...) with expressions the gate cannot evaluate" if {
	startswith(pv.value, "${jsonencode(")
} else := "an expression the gate cannot read" if {
	is_expression(pv.value)
} else := "not a JSON policy document"

# ---------------------------------------------------------------------------------------------
# cdktf `${jsonencode({...})}` of literals → JSON: HCL `"k" = v` becomes `"k": v` and bare
# traversals (aws_iam_role.r.arn) become "${aws_iam_role.r.arn}" strings. Anything else (function
# calls, conditionals, for expressions) leaves invalid JSON, so the value stays opaque.
_parse_jsonencode(v) := doc if {
	is_string(v)
	startswith(v, "${jsonencode(")
	endswith(v, ")}")
	body := substring(v, count("${jsonencode("), (count(v) - count("${jsonencode(")) - 2)
	step1 := regex.replace(body, `"\s*=\s*`, "\": ")
	trav := `((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_]+|\[[0-9]+\])*)`
	step2 := regex.replace(step1, concat("", [`([\[,:]\s*)`, trav, `(\s*[,\]}])`]), `$1"$${$2}"$3`)
	step3 := regex.replace(step2, concat("", [`([\[,:]\s*)`, trav, `(\s*[,\]}])`]), `$1"$${$2}"$3`)
	json.is_valid(step3)
	doc := json.unmarshal(step3)
	is_object(doc)
}

# ---------------------------------------------------------------------------------------------
# JSON documents

_parse(v) := doc if {
	is_string(v)
	not is_expression(v)
	json.is_valid(v)
	doc := json.unmarshal(v)
	is_object(doc)
}

_json_doc_statements(doc) := [_json_statement(st) | some st in as_list(object.get(doc, "Statement", [])); is_object(st)]

_json_statement(st) := {
	"sid": object.get(st, "Sid", null),
	"effect": _effect(object.get(st, "Effect", "Allow")),
	"actions": _str_list(object.get(st, "Action", [])),
	"not_actions": _str_list(object.get(st, "NotAction", [])),
	"resources": _str_list(object.get(st, "Resource", [])),
	"not_resources": _str_list(object.get(st, "NotResource", [])),
	"principals": _json_principals(object.get(st, "Principal", null)),
	"not_principals": _json_principals(object.get(st, "NotPrincipal", null)),
	"conditions": _json_conditions(object.get(st, "Condition", {})),
	"unknown_resources": false,
	"unknown_principals": false,
	"unknown_conditions": false,
}

_str_list(x) := [v | some v in as_list(x); is_string(v)]

_json_principals(null) := []

_json_principals(p) := [{"type": "*", "identifiers": ["*"]}] if p == "*"

_json_principals(p) := [{"type": t, "identifiers": _str_list(ids)} | some t, ids in p] if is_object(p)

_json_conditions(c) := [{"test": test, "variable": variable, "values": _str_list(vals)} |
	some test, byvar in c
	is_object(byvar)
	some variable, vals in byvar
] if is_object(c)

_json_conditions(c) := [] if not is_object(c)

# ---------------------------------------------------------------------------------------------
# All statements

# Statements by where they take effect.
statements contains object.union(s, {"address": pv.r.address, "attribute": pv.attribute, "kind": pv.kind, "via": pv.r.address}) if {
	some pv in policy_values
	src := policy_source(pv)
	some s in src.json
}

statements contains object.union(s, {"address": a, "attribute": pv.attribute, "kind": pv.kind, "via": pv.r.address}) if {
	some pv in policy_values
	src := policy_source(pv)
	a := src.doc
	some s in doc_statements(by_address[a])
}

# Documents no policy attribute of this input uses (e.g. handed to another stack): judged by
# their principals, as before.
statements contains object.union(s, {"address": d.address, "attribute": "statement", "kind": "document", "via": d.address}) if {
	some d in _docs
	not _used_doc(d.address)
	some s in doc_statements(d)
}

_used_docs contains a if {
	some pv in policy_values
	a := policy_source(pv).doc
}

_used_docs contains inc.doc if {
	some d in _docs
	some kind in ["source", "override"]
	some inc in _includes(d, kind)
	inc.doc
}

_used_doc(a) if a in _used_docs

# Policy attributes and documents the IAM rules cannot read: {r, attribute, why}.
uninspectable contains {"r": pv.r, "attribute": pv.attribute, "why": why} if {
	some pv in policy_values
	why := policy_source(pv).opaque
}

uninspectable contains {"r": p.d, "attribute": "statement", "why": p.why} if {
	some p in _doc_problems
}

allow_statements := {s | some s in statements; s.effect == "Allow"}

# Resource-based: the statement belongs to a resource policy (or a trust policy) and names principals.
resource_based(s) if s.kind in {"resource", "trust", "endpoint"}

resource_based(s) if {
	s.kind == "document"
	count(s.principals) + count(s.not_principals) > 0
}

# Statements of a policy attached to an identity (no principals): the ones wildcard resources matter for.
identity_statements := {s | some s in allow_statements; not resource_based(s)}

# ---------------------------------------------------------------------------------------------
# Accounts and ARNs

# This account's id as a plan knows it (data.aws_caller_identity), when it does.
own_account_ids := {a |
	some d in data_of_type("aws_caller_identity")
	a := d.values.account_id
	is_string(a)
	regex.match(`^[0-9]{12}$`, a)
}

# A principal / ARN / account string belongs to this account: it is built from
# data.aws_caller_identity (raw), is a reference to an object of this input or to an upstream
# layer's output, or (plan) carries the caller identity's account id.
own_account_value(v) if {
	is_string(v)
	contains(v, "${data.aws_caller_identity.")
	not _foreign_literal_account(v)
}

own_account_value(v) if {
	is_string(v)
	regex.match(`^\$\{(aws_[a-z0-9_]+\.[A-Za-z0-9_-]+|data\.terraform_remote_state\.[A-Za-z0-9_-]+\.outputs\.[A-Za-z0-9_.-]+)[^}]*\}$`, v)
}

own_account_value(v) if {
	is_string(v)
	not is_expression(v)
	some a in own_account_ids
	_literal_account(v) == a
}

# The account a literal ARN or account id names.
_literal_account(v) := v if regex.match(`^[0-9]{12}$`, v)

_literal_account(v) := parts[4] if {
	startswith(v, "arn:")
	parts := split(v, ":")
	count(parts) >= 6
	regex.match(`^[0-9]{12}$`, parts[4])
}

_foreign_literal_account(v) if {
	some m in regex.find_n(`[^0-9][0-9]{12}[^0-9]`, concat("", [" ", v, " "]), -1)
	acct := substring(m, 1, 12)
	not acct in own_account_ids
}

# Account root principal of a key policy's administration statement (arn:...:iam::<acct>:root).
is_account_root_principal(s) if {
	count(s.principals) > 0
	every p in s.principals {
		p.type == "AWS"
		every id in p.identifiers {
			regex.match(`^[0-9]{12}$|:root$`, id)
			own_account_value(id)
		}
	}
}

# ---------------------------------------------------------------------------------------------
# Actions

_unscopable := {lower(a.action) | some a in _iam.unscopable_actions}

needs_resource_wildcard(action) if lower(action) in _unscopable

# Any wildcard anywhere: "*", "s3:*", "iam:Pass*", "s3:Get?bject".
is_wildcard_action(a) if regex.match(`[*?]`, a)

# The service of an action ("iam" of "iam:PassRole"; "*" for "*").
action_service(a) := lower(split(a, ":")[0]) if contains(a, ":")

action_service(a) := "*" if not contains(a, ":")

sensitive_services := {s.service | some s in _iam.sensitive_services}

# An action on a sensitive service (or a wildcard that covers one).
sensitive_action(a) if action_service(a) in sensitive_services

sensitive_action(a) if action_service(a) == "*"

sensitive_action(a) if {
	regex.match(`[*?]`, action_service(a))
	some svc in sensitive_services
	glob.match(lower(action_service(a)), [], svc)
}

# ---------------------------------------------------------------------------------------------
# Wildcard ARNs (see policies/data/iam `wildcard_arn`)

wildcard_arn(res) if res == "*"

wildcard_arn(res) if {
	startswith(res, "arn:")
	parts := split(res, ":")
	count(parts) >= 6
	some i in [1, 2, 3, 4]
	regex.match(`[*?]`, parts[i])
}

wildcard_arn(res) if {
	startswith(res, "arn:")
	parts := split(res, ":")
	count(parts) >= 6
	rest := concat(":", array.slice(parts, 5, count(parts)))
	regex.match(`[*?]`, rest)
	count(_literal_prefix(_named_part(parts[2], rest))) < _iam.wildcard_arn.min_literal_prefix
}

# The part of an ARN's resource that names the object: S3 ARNs start with the bucket name itself
# (arn:aws:s3:::bucket/key), every other service with a resource type (role/, secret:, key/).
_named_part("s3", rest) := rest

_named_part(service, rest) := _strip_resource_type(rest) if service != "s3"

# A resource string built on a variable or local could be anything.
wildcard_arn(res) if regex.match(`\$\{(var|local)\.`, res)

# "role/x*" → "x*", "secret:x*" → "x*", "key/*" → "*"; S3 ARNs carry the bucket name directly.
_strip_resource_type(rest) := substring(rest, count(m[0]), -1) if {
	m := regex.find_n(`^[a-z][a-z0-9-]*[/:]`, rest, 1)
	count(m) == 1
} else := rest

# The characters before the first wildcard (interpolations count as literal: they name an object).
_literal_prefix(s) := substring(s, 0, idx) if {
	idx := _first_wild(s)
	idx >= 0
} else := s

_first_wild(s) := min({i | some w in ["*", "?"]; i := indexof(s, w); i >= 0}) if {
	count({i | some w in ["*", "?"]; i := indexof(s, w); i >= 0}) > 0
} else := -1

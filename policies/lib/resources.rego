# METADATA
# title: Input normalisation for every MarkMail policy
# description: |
#   Turns the three inputs the policy set is evaluated on into one set of resources
#   {address, type, name, mode, values, unknown, refs, shape}:
#     (a) HCP Terraform / TFE OPA policy evaluation: the JSON plan under `input.plan`
#     (b) conftest / `opa eval` on `terraform show -json` output: the plan at the input root
#     (c) raw cdktf output (`cdktf.out/stacks/*/cdk.tf.json`): `input.resource.<type>.<name>`
#   Rules read only this module, never the raw input, so one rule body serves all three.
#   Shape differences the helpers absorb:
#     - nested single blocks are objects in cdk.tf.json and arrays in a plan: use `blocks(obj, key)`
#     - cdktf writes `//` metadata keys at every level: dropped here
#     - references are `${...}` strings in cdk.tf.json and resolved (or unknown) values in a plan:
#       `refs` holds the referenced expressions for both (plan: from `configuration`)
#     - computed values are missing in cdk.tf.json and listed in `after_unknown` in a plan:
#       `present(r, key)` is true for a literal, a reference or a known-after-apply value
package markmail.lib

import rego.v1

# ---------------------------------------------------------------------------------------------
# Shape detection

# The JSON plan, wherever it sits (HCP Terraform wraps it in `input.plan`).
plan := input.plan if {
	is_object(input.plan)
} else := input if {
	is_array(input.resource_changes)
} else := input if {
	is_object(input.planned_values)
}

is_plan if plan

# A cdk.tf.json document: top-level `resource` / `data` / `provider` maps, no plan keys.
is_raw if {
	not is_plan
	_raw_keys := {"resource", "data", "provider", "terraform"}
	some k in object.keys(input)
	k in _raw_keys
}

shape := "plan" if is_plan

shape := "raw" if is_raw

# ---------------------------------------------------------------------------------------------
# Resources

# Every resource (managed) and data source in the input, normalised.
resources contains r if {
	is_plan
	some rc in plan.resource_changes
	after := rc.change.after
	is_object(after) # null after = the resource is being deleted
	r := {
		"address": rc.address,
		"type": rc.type,
		"name": rc.name,
		"mode": _mode(rc),
		"values": after,
		"unknown": _object_or_empty(object.get(rc.change, "after_unknown", {})),
		"refs": object.get(_plan_refs, _config_address(rc), {}),
		"shape": "plan",
	}
}

# planned_values only (some exporters omit resource_changes): walk every module.
resources contains r if {
	is_plan
	not plan.resource_changes
	walk(plan.planned_values, [_, node])
	is_object(node)
	is_string(node.address)
	is_string(node.type)
	is_object(node.values)
	r := {
		"address": node.address,
		"type": node.type,
		"name": node.name,
		"mode": object.get(node, "mode", "managed"),
		"values": node.values,
		"unknown": {},
		"refs": object.get(_plan_refs, node.address, {}),
		"shape": "plan",
	}
}

# Data sources already read at plan time (e.g. aws_iam_policy_document) live in prior_state.
resources contains r if {
	is_plan
	walk(object.get(plan, "prior_state", {}), [_, node])
	is_object(node)
	node.mode == "data"
	is_object(node.values)
	not _changed_addresses[node.address]
	r := {
		"address": node.address,
		"type": node.type,
		"name": node.name,
		"mode": "data",
		"values": node.values,
		"unknown": {},
		"refs": object.get(_plan_refs, node.address, {}),
		"shape": "plan",
	}
}

resources contains r if {
	is_raw
	some type, byname in object.get(input, "resource", {})
	type != "//"
	is_object(byname)
	some name, body in byname
	name != "//"
	r := _raw_resource("managed", sprintf("%s.%s", [type, name]), type, name, body)
}

resources contains r if {
	is_raw
	some type, byname in object.get(input, "data", {})
	type != "//"
	is_object(byname)
	some name, body in byname
	name != "//"
	r := _raw_resource("data", sprintf("data.%s.%s", [type, name]), type, name, body)
}

_raw_resource(mode, address, type, name, body) := {
	"address": address,
	"type": type,
	"name": name,
	"mode": mode,
	"values": strip_meta(body),
	"unknown": {},
	"refs": _raw_refs(body),
	"shape": "raw",
}

_changed_addresses[a] := true if {
	some rc in plan.resource_changes
	a := rc.address
}

_object_or_empty(x) := x if is_object(x)

_object_or_empty(x) := {} if not is_object(x)

# Managed resources of one type.
of_type(t) := {r | some r in resources; r.type == t; r.mode == "managed"}

# Data sources of one type.
data_of_type(t) := {r | some r in resources; r.type == t; r.mode == "data"}

# The resource or data source with this address (e.g. "aws_s3_bucket.x", "data.aws_iam_policy_document.y").
by_address[a] := r if {
	some r in resources
	a := r.address
}

# Drops cdktf `//` metadata keys (top level and one level down: blocks carry them too).
strip_meta(body) := {k: _strip_inner(v) | some k, v in body; k != "//"} if is_object(body)

strip_meta(body) := body if not is_object(body)

_strip_inner(v) := {k: x | some k, x in v; k != "//"} if is_object(v)

_strip_inner(v) := [_strip_inner_one(x) | some x in v] if is_array(v)

_strip_inner(v) := v if {
	not is_object(v)
	not is_array(v)
}

_strip_inner_one(x) := {k: y | some k, y in x; k != "//"} if is_object(x)

_strip_inner_one(x) := x if not is_object(x)

# ---------------------------------------------------------------------------------------------
# Value helpers (shape-independent)

# A nested block as a list: arrays stay, a single object (cdk.tf.json) becomes [object], else [].
blocks(obj, key) := v if {
	v := obj[key]
	is_array(v)
}

blocks(obj, key) := [v] if {
	v := obj[key]
	is_object(v)
}

blocks(obj, key) := [] if {
	v := object.get(obj, key, null)
	not is_array(v)
	not is_object(v)
}

# The first (usually only) element of a nested block, or {}.
block(obj, key) := b if {
	bs := blocks(obj, key)
	count(bs) > 0
	b := bs[0]
} else := {}

# A scalar or a list of scalars as a list.
as_list(x) := x if is_array(x)

as_list(x) := [x] if {
	not is_array(x)
	x != null
}

as_list(null) := []

# The value is set: a literal, a `${...}` reference, or known after apply (plan).
present(r, key) if _non_empty(object.get(r.values, key, null))

present(r, key) if r.unknown[key] == true

_non_empty(v) if {
	v != null
	v != ""
	v != []
	v != {}
}

# Known after apply in a plan (so its value cannot be judged yet).
unknown(r, key) if r.unknown[key] == true

# An unresolved expression string (cdk.tf.json).
is_expression(v) if {
	is_string(v)
	contains(v, "${")
}

# Integer-ish value from a number or a numeric string, for ports and day counts.
num(v) := v if is_number(v)

num(v) := to_number(v) if {
	is_string(v)
	regex.match(`^-?[0-9]+$`, v)
}

# ---------------------------------------------------------------------------------------------
# References

# The expressions a resource attribute refers to, by attribute path (block indexes dropped):
# e.g. refs["network_configuration.security_groups"] = ["aws_security_group.ecs.id", ...].
# cdk.tf.json: every `${...}` in the value; plan: `configuration` expressions' references.
_raw_refs(body) := {path: exprs |
	some path in _raw_ref_paths(body)
	exprs := {e |
		walk(body, [p, v])
		_path_key(p) == path
		is_string(v)
		some m in regex.find_all_string_submatch_n(`\$\{([^}]*)\}`, v, -1)
		some e in _ref_tokens(m[1])
	}
}

_raw_ref_paths(body) := {_path_key(p) |
	walk(body, [p, v])
	is_string(v)
	contains(v, "${")
}

# Traversals inside one interpolation, e.g. "aws_lb.alb.arn" from "${aws_lb.alb.arn}".
_ref_tokens(expr) := {t |
	some t in regex.find_n(`(data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+(\.[A-Za-z0-9_.-]+)?`, expr, -1)
}

_path_key(p) := concat(".", [s | some s in p; is_string(s); s != "//"])

_plan_refs[address] := refs if {
	some mod in _config_modules
	some c in object.get(mod.module, "resources", [])
	address := _qualify(mod.prefix, c.address)
	exprs := object.get(c, "expressions", {})
	paths := {_path_key(p) | walk(exprs, [p, node]); is_object(node); is_array(node.references)}
	refs := {path: found |
		some path in paths
		found := {e |
			walk(exprs, [q, n2])
			_path_key(q) == path
			is_object(n2)
			some e in object.get(n2, "references", [])
		}
	}
}

_config_modules contains {"prefix": "", "module": plan.configuration.root_module}

_config_modules contains {"prefix": sprintf("module.%s.", [name]), "module": call.module} if {
	some name, call in object.get(plan.configuration.root_module, "module_calls", {})
}

_qualify(prefix, address) := concat("", [prefix, address])

# A resource change's address without instance keys (count/for_each), as in `configuration`.
_config_address(rc) := concat("", [_module_prefix(rc), rc.type, ".", rc.name]) if _mode(rc) != "data"

_config_address(rc) := concat("", [_module_prefix(rc), "data.", rc.type, ".", rc.name]) if _mode(rc) == "data"

_mode(rc) := object.get(rc, "mode", "managed")

_module_prefix(rc) := concat("", [rc.module_address, "."]) if rc.module_address

_module_prefix(rc) := "" if not rc.module_address

# Every expression the attribute (path) of r refers to.
refs_of(r, path) := object.get(r.refs, path, set())

# r's attribute `path` refers to resource `target` (by address: "aws_vpc.main").
refers_to(r, path, target) if {
	some e in refs_of(r, path)
	_ref_hits(e, target.address)
}

# Or its value equals one of target's identifying attributes (a plan's resolved values; in
# cdk.tf.json a literal physical name such as a bucket name passed instead of a reference).
refers_to(r, path, target) if {
	some v in _values_at(r.values, path)
	is_string(v)
	v != ""
	not is_expression(v)
	some k in ["id", "arn", "name", "bucket"]
	target.values[k] == v
}

_ref_hits(e, address) if e == address

_ref_hits(e, address) if startswith(e, concat("", [address, "."]))

_ref_hits(e, address) if startswith(e, concat("", [address, "["]))

# Values at a dotted path, through nested blocks and lists.
_values_at(values, path) := {v |
	walk(values, [p, v])
	_path_key(p) == path
	not is_array(v)
	not is_object(v)
}

# ---------------------------------------------------------------------------------------------
# Shared data (policies/data/<set>/data.json)

# `opa test policies/`, `opa eval -d policies`, `opa eval -b policies` and `conftest --data policies`
# root the files at data.data.<set>; a bundle rooted at the repository (an HCP Terraform policy set
# without a policies path) roots them at data.policies.data.<set>. HCP Terraform evaluates with
# `-b`, which loads only files named data.json: hence one directory per set.
policy_data := data.data if {
	is_object(data.data.iam)
} else := data.policies.data

# ---------------------------------------------------------------------------------------------
# Environment: the strictest signal wins

_environments := policy_data.environment.environments

_rank[e.name] := e.rank if some e in _environments

# Environment names a string carries as a token ("markmail-prod-alb", "markmail/prod/alb.tfstate", "prod").
env_tokens(s) := {e.name |
	is_string(s)
	some e in _environments
	some a in e.aliases
	regex.match(replace(policy_data.environment.token_pattern, "{alias}", a), lower(s))
}

# Every environment signal of the input (see policies/data/environment/data.json).
env_signals contains e if {
	some s in _env_strings
	some e in env_tokens(s)
}

_env_strings contains s if {
	is_raw
	s := input["//"].metadata.stackName
}

_env_strings contains s if {
	is_raw
	some p in as_list(object.get(object.get(input, "provider", {}), "aws", []))
	some dt in blocks(p, "default_tags")
	s := dt.tags.Environment
}

_env_strings contains s if {
	is_raw
	some _, b in object.get(object.get(input, "terraform", {}), "backend", {})
	s := b.key
}

_env_strings contains s if {
	some r in resources
	r.type == "terraform_remote_state"
	s := object.get(object.get(r.values, "config", {}), "key", "")
}

_env_strings contains s if {
	is_plan
	s := input.run.workspace.name
}

_env_strings contains s if {
	is_plan
	some dt in blocks(plan.configuration.provider_config.aws.expressions, "default_tags")
	s := dt.tags.constant_value.Environment
}

_env_strings contains s if {
	is_plan
	some c in object.get(plan.configuration.root_module, "resources", [])
	c.type == "terraform_remote_state"
	s := c.expressions.config.constant_value.key
}

_env_strings contains s if {
	some r in resources
	some k in ["tags", "tags_all"]
	s := object.get(_object_or_empty(object.get(r.values, k, {})), "Environment", "")
}

# The environment of the whole input: the highest-ranked signal; with none at all, prod (fail closed).
environment := e if {
	ranks := [_rank[x] | some x in env_signals]
	count(ranks) > 0
	some e in env_signals
	_rank[e] == max(ranks)
} else := "prod"

# A resource is judged by the input's environment: its own tags can only make it stricter, and they
# are already signals of the input.
env_of(_) := environment

is_prod(r) if env_of(r) == "prod"

# ---------------------------------------------------------------------------------------------
# Messages

# "[MM-NNN] <address>: <text> (<control>)" — one format for every rule. Undefined (so the
# deny set gets no element) for a resource listed in exceptions.rego under that rule.
msg(rule_id, r, text, control) := sprintf("[%s] %s: %s (%s)", [rule_id, r.address, text, control]) if not excepted(rule_id, r)

msg_stack(rule_id, text, control) := sprintf("[%s] stack: %s (%s)", [rule_id, text, control])

# ---------------------------------------------------------------------------------------------
# Small predicates shared by rules

# Literal true (a `${...}` expression or a missing value is not "true").
is_true(obj, key) if obj[key] == true

# Tag value of a resource: tags_all (plan) first, then its own tags.
tag(r, key) := v if {
	v := r.values.tags_all[key]
} else := v if {
	v := r.values.tags[key]
}

# The strings that name a resource: name, name_prefix, tags.Name and its address name. Not the
# description: "from the ALB only" or "from the bastion" describe a group's peers, not the group.
labels(r) := {lower(v) |
	some v in [
		object.get(r.values, "name", ""),
		object.get(r.values, "name_prefix", ""),
		object.get(_object_or_empty(object.get(r.values, "tags", {})), "Name", ""),
		r.name,
	]
	is_string(v)
	v != ""
}

world_cidrs := {"0.0.0.0/0", "::/0"}

# true or "true" (some provider 6.x booleans are typed as strings, e.g. at_rest_encryption_enabled).
truthy(obj, key) if obj[key] == true

truthy(obj, key) if obj[key] == "true"

# ---------------------------------------------------------------------------------------------
# Reference identity: what an attribute points at, comparable across resources and shapes

# The maximal expressions an attribute refers to (a plan lists every prefix of a traversal too:
# data.terraform_remote_state.n, data.terraform_remote_state.n.outputs, ...; keep the longest).
max_refs(r, path) := {e |
	all := refs_of(r, path)
	some e in all
	not _has_longer(e, all)
}

_has_longer(e, all) if {
	some o in all
	o != e
	_extends(o, e)
}

_extends(o, e) if startswith(o, concat("", [e, "."]))

_extends(o, e) if startswith(o, concat("", [e, "["]))

# The address of the resource or data source an expression starts with ("aws_sg.x.id" → "aws_sg.x").
ref_address(e) := concat(".", array.slice(parts, 0, 3)) if {
	parts := split(e, ".")
	parts[0] == "data"
	count(parts) >= 3
} else := concat(".", array.slice(parts, 0, 2)) if {
	parts := split(e, ".")
	parts[0] != "data"
	not parts[0] in {"var", "local", "module", "each", "count", "path", "terraform", "self"}
	count(parts) >= 2
}

# Identity keys of what attribute `path` of r designates: "addr:<address>" for a resource or data
# source of this input, "expr:<expression>" for a cross-stack (terraform_remote_state) value,
# "val:<literal>" for a literal or a value a plan already knows. Two attributes designate the same
# object when their keys intersect.
ref_keys(r, path) := ({sprintf("addr:%s", [a]) |
	some e in max_refs(r, path)
	a := ref_address(e)
	by_address[a]
	not startswith(a, "data.terraform_remote_state.")
} | {sprintf("expr:%s", [e]) |
	some e in max_refs(r, path)
	startswith(e, "data.terraform_remote_state.")
}) | {sprintf("val:%s", [v]) |
	some v in _values_at(r.values, path)
	is_string(v)
	v != ""
	not is_expression(v)
}

# The identity keys of a resource itself: its address, and its id/arn/name once a plan knows them.
self_keys(r) := {sprintf("addr:%s", [r.address])} | {sprintf("val:%s", [v]) |
	some k in ["id", "arn", "name", "bucket"]
	v := r.values[k]
	is_string(v)
	v != ""
	not is_expression(v)
}

# Literal strings at a path (through blocks and lists), with `${<address>.<attr>}` expressions and
# (plan) unknown values resolved through the graph where the referenced attribute is a literal.
# `unresolved` is true when some value at the path could not be resolved.
resolved_strings(r, path) := ({v |
	some v in _values_at(r.values, path)
	is_string(v)
	not is_expression(v)
} | {x |
	some v in _values_at(r.values, path)
	is_string(v)
	m := regex.find_all_string_submatch_n(`^\$\{([a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)\.([a-z_]+)\}$`, v, 1)
	count(m) == 1
	x := by_address[m[0][1]].values[m[0][2]]
	is_string(x)
	not is_expression(x)
}) | {v |
	_path_unknown(r, path)
	some e in max_refs(r, path)
	a := ref_address(e)
	attr := trim_prefix(e, concat("", [a, "."]))
	v := by_address[a].values[attr]
	is_string(v)
	not is_expression(v)
}

# Some value at the path is an expression or unknown that resolved_strings could not resolve.
unresolved(r, path) if {
	some v in _values_at(r.values, path)
	is_string(v)
	is_expression(v)
	not _resolvable_expression(v)
}

unresolved(r, path) if {
	_path_unknown(r, path)
	not _unknown_resolvable(r, path)
}

_resolvable_expression(v) if {
	m := regex.find_all_string_submatch_n(`^\$\{([a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)\.([a-z_]+)\}$`, v, 1)
	count(m) == 1
	x := by_address[m[0][1]].values[m[0][2]]
	is_string(x)
	not is_expression(x)
}

_unknown_resolvable(r, path) if {
	refs := max_refs(r, path)
	count(refs) > 0
	every e in refs {
		a := ref_address(e)
		attr := trim_prefix(e, concat("", [a, "."]))
		x := by_address[a].values[attr]
		is_string(x)
		not is_expression(x)
	}
}

# A plan marks the value at path (or an element or the block holding it) as known after apply.
_path_unknown(r, path) if {
	walk(r.unknown, [p, v])
	v == true
	_path_key(p) == path
}

_path_unknown(r, path) if {
	walk(r.unknown, [p, v])
	v == true
	k := _path_key(p)
	k != ""
	startswith(path, concat("", [k, "."]))
}

# Values at a path that are known to be unknown or null in a plan (for "cannot verify" messages).
path_unknown(r, path) if _path_unknown(r, path)

# A dotted path (through nested blocks) holds a non-empty value or is unknown until apply.
present_path(r, path) if {
	some v in _values_at(r.values, path)
	_non_empty(v)
}

present_path(r, path) if _path_unknown(r, path)

# Resource changes of a plan that delete an object (a destroy, a replacement, a removed block).
deletions contains {"address": rc.address, "type": rc.type, "name": rc.name, "actions": rc.change.actions, "values": _object_or_empty(rc.change.before)} if {
	is_plan
	some rc in plan.resource_changes
	_mode(rc) == "managed"
	"delete" in rc.change.actions
}

# The configuration sets attribute `key` of r (raw: the key is present; plan: `configuration`
# has an expression for it, or the plan knows a non-empty value). Computed attributes a plan
# reports as unknown without an expression are not configured.
configured(r, key) if {
	r.shape == "raw"
	object.get(r.values, key, null) != null
}

configured(r, key) if {
	r.shape == "plan"
	some mod in _config_modules
	some c in object.get(mod.module, "resources", [])
	_qualify(mod.prefix, c.address) == _strip_index(r.address)
	object.get(object.get(c, "expressions", {}), key, null) != null
}

configured(r, key) if {
	r.shape == "plan"
	_non_empty(object.get(r.values, key, null))
}

# "aws_x.y[0]" / "aws_x.y[\"k\"]" → "aws_x.y"
_strip_index(a) := regex.replace(a, `\[[^\]]*\]$`, "")

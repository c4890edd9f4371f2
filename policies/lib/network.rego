# Security groups: ingress sources and group roles (same package as resources.rego).
#
# ingress_sources: every ingress source of every rule shape, as {r, group (identity keys of the
# group it opens), protocol, from, to, source, internal, resolved}:
#   - inline `ingress` blocks of aws_security_group (cidr_blocks, ipv6_cidr_blocks, prefix_list_ids)
#   - aws_security_group_rule of type ingress (cidr_blocks, ipv6_cidr_blocks, prefix_list_ids)
#   - aws_vpc_security_group_ingress_rule (cidr_ipv4, cidr_ipv6, prefix_list_id)
# A source is internal only when it resolves to CIDRs entirely inside policies/data/network
# `private_ranges`; everything else (any public range, however it is split or written, an invalid
# value, a reference the gate cannot resolve, a prefix list it cannot read) is internet.
# Security-group-to-security-group sources (referenced_security_group_id, source_security_group_id,
# security_groups, self) are internal.
package markmail.lib

import rego.v1

_net := policy_data.network

private_cidr(c) if {
	is_string(c)
	net.cidr_is_valid(c)
	some p in _net.private_ranges
	net.cidr_contains(p.cidr, c)
}

# ---------------------------------------------------------------------------------------------
# Sources

_sg_rule_protocol(r) := object.get(r.values, "protocol", "(unset)") if r.type != "aws_vpc_security_group_ingress_rule"

_sg_rule_protocol(r) := object.get(r.values, "ip_protocol", "(unset)") if r.type == "aws_vpc_security_group_ingress_rule"

# Inline ingress blocks.
ingress_sources contains s if {
	some sg in of_type("aws_security_group")
	some i, b in blocks(sg.values, "ingress")
	some attr in ["cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids"]
	some v in as_list(object.get(b, attr, []))
	s := _source(sg, self_keys(sg), object.get(b, "protocol", "(unset)"), object.get(b, "from_port", -1), object.get(b, "to_port", -1), attr, v, sprintf("ingress.%s", [attr]))
}

ingress_sources contains s if {
	some sg in of_type("aws_security_group")
	unknown(sg, "ingress")
	configured(sg, "ingress")
	s := {"r": sg, "group": self_keys(sg), "protocol": "(unknown)", "from": -1, "to": -1, "source": "(unknown until apply)", "internal": false, "resolved": false}
}

_ingress_rules contains r if {
	some r in of_type("aws_security_group_rule")
	r.values.type == "ingress"
}

_ingress_rules contains r if {
	some r in of_type("aws_security_group_rule")
	not is_string(r.values.type) # unknown or missing type: judged as ingress (fail closed)
}

ingress_sources contains s if {
	some r in _ingress_rules
	some attr in ["cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids"]
	some v in _attr_values(r, attr)
	s := _source(r, ref_keys(r, "security_group_id"), _sg_rule_protocol(r), object.get(r.values, "from_port", -1), object.get(r.values, "to_port", -1), attr, v, attr)
}

ingress_sources contains s if {
	some r in of_type("aws_vpc_security_group_ingress_rule")
	some attr in ["cidr_ipv4", "cidr_ipv6", "prefix_list_id"]
	some v in _attr_values(r, attr)
	s := _source(r, ref_keys(r, "security_group_id"), _sg_rule_protocol(r), object.get(r.values, "from_port", -1), object.get(r.values, "to_port", -1), attr, v, attr)
}

# A vpc_security_group_ingress_rule without any source attribute the plan knows: fail closed.
ingress_sources contains s if {
	some r in of_type("aws_vpc_security_group_ingress_rule")
	every attr in ["cidr_ipv4", "cidr_ipv6", "prefix_list_id", "referenced_security_group_id"] {
		not _non_empty(object.get(r.values, attr, null))
		not unknown(r, attr)
	}
	s := {"r": r, "group": ref_keys(r, "security_group_id"), "protocol": _sg_rule_protocol(r), "from": object.get(r.values, "from_port", -1), "to": object.get(r.values, "to_port", -1), "source": "(no source)", "internal": false, "resolved": false}
}

# Values of a source attribute: the literal(s), plus a marker for each unknown element.
_attr_values(r, attr) := {v | some v in as_list(object.get(r.values, attr, [])); v != null} | {"(unknown until apply)" | _path_unknown(r, attr)}

_source(r, group, protocol, from, to, attr, v, path) := {
	"r": r, "group": group, "protocol": protocol, "from": from, "to": to,
	"source": v, "internal": _is_internal(r, attr, v, path), "resolved": _is_resolved(r, attr, v, path),
}

_is_internal(r, attr, v, path) if _internal(r, attr, v, path)

else := false

_is_resolved(r, attr, v, path) if _resolved(r, attr, v, path)

else := false

# A literal CIDR inside the private ranges.
_internal(_, attr, v, _) if {
	attr != "prefix_list_ids"
	attr != "prefix_list_id"
	private_cidr(v)
}

# A reference (raw) or an unknown value (plan) that resolves to private CIDRs only.
_internal(r, attr, v, path) if {
	attr != "prefix_list_ids"
	attr != "prefix_list_id"
	_needs_resolution(v)
	not unresolved(r, path)
	vals := resolved_strings(r, path)
	count(vals) > 0
	every c in vals {
		private_cidr(c)
	}
}

# A prefix list of this input whose entries are all private.
_internal(r, attr, _, path) if {
	attr in {"prefix_list_ids", "prefix_list_id"}
	lists := {pl | some pl in of_type("aws_ec2_managed_prefix_list"); _designates(r, path, pl)}
	count(lists) > 0
	every pl in lists {
		entries := blocks(pl.values, "entry")
		count(entries) > 0
		every e in entries {
			private_cidr(e.cidr)
		}
	}
}

_designates(r, path, target) if {
	count(ref_keys(r, path) & self_keys(target)) > 0
}

_needs_resolution(v) if is_expression(v)

_needs_resolution(v) if v == "(unknown until apply)"

_resolved(_, _, v, _) if {
	not _needs_resolution(v)
	net.cidr_is_valid(v)
}

_resolved(r, _, v, path) if {
	_needs_resolution(v)
	not unresolved(r, path)
}

_resolved(_, attr, _, _) if attr in {"prefix_list_ids", "prefix_list_id"}

# ---------------------------------------------------------------------------------------------
# Group roles from the resource graph

_lb_group_keys := {k |
	some t in _net.load_balancer_types
	some lb in of_type(t)
	some k in ref_keys(lb, "security_groups")
}

_other_attachment_keys := {k |
	some a in _net.attachments
	a.role != "load_balancer"
	some r in of_type(a.type)
	some k in ref_keys(r, a.path)
}

# The group (identity keys) is attached to a load balancer of this input and to nothing else here.
load_balancer_group(keys) if {
	count(keys & _lb_group_keys) > 0
	count(keys & _other_attachment_keys) == 0
}

# The group is attached to a load balancer and also to something else (e.g. the ECS tasks).
shared_load_balancer_group(keys) if {
	count(keys & _lb_group_keys) > 0
	count(keys & _other_attachment_keys) > 0
}

web_port(s) if {
	lower(sprintf("%v", [s.protocol])) in {"tcp", "6"}
	num(s.from) == num(s.to)
	num(s.from) in {p | some p in _net.web_ports}
}

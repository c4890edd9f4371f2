# METADATA
# title: MM-011 Only the ALB security group is open to the world, and only on 80/443
# description: |
#   Any ingress from 0.0.0.0/0 or ::/0 — inline `ingress` blocks of aws_security_group,
#   aws_security_group_rule (type ingress) and aws_vpc_security_group_ingress_rule — must be TCP
#   to exactly port 80 or 443 on the ALB's security group. The ALB security group is the one an
#   aws_lb in the stack uses, or one whose name says "alb" / "load balancer", or (for
#   a rule in another stack) a cross-stack reference whose output name says "alb".
# custom:
#   id: MM-011
#   controls: [EC2.18, EC2.19, EC2.13, CKV_AWS_24, CKV_AWS_25, CKV_AWS_260, CKV_AWS_277]
#   enforcement_level: mandatory
#   reason: Everything behind the ALB is reachable only SG-to-SG; one open rule undoes that.
package markmail.rules.sg_world_ingress

import data.markmail.lib
import rego.v1

# {resource, target (how to find the SG), protocol, from, to, cidr} for every world-open ingress.
# (object.get: a missing field must not make the entry, and with it the finding, disappear.)
_open contains {"r": sg, "self": true, "protocol": object.get(i, "protocol", "(unset)"), "from": object.get(i, "from_port", -1), "to": object.get(i, "to_port", -1), "cidr": c} if {
	some sg in lib.of_type("aws_security_group")
	some i in lib.blocks(sg.values, "ingress")
	some c in array.concat(lib.as_list(object.get(i, "cidr_blocks", [])), lib.as_list(object.get(i, "ipv6_cidr_blocks", [])))
	c in lib.world_cidrs
}

_open contains {"r": r, "self": false, "protocol": object.get(r.values, "protocol", "(unset)"), "from": object.get(r.values, "from_port", -1), "to": object.get(r.values, "to_port", -1), "cidr": c} if {
	some r in lib.of_type("aws_security_group_rule")
	r.values.type == "ingress"
	some c in array.concat(lib.as_list(object.get(r.values, "cidr_blocks", [])), lib.as_list(object.get(r.values, "ipv6_cidr_blocks", [])))
	c in lib.world_cidrs
}

_open contains {"r": r, "self": false, "protocol": object.get(r.values, "ip_protocol", "(unset)"), "from": object.get(r.values, "from_port", -1), "to": object.get(r.values, "to_port", -1), "cidr": c} if {
	some r in lib.of_type("aws_vpc_security_group_ingress_rule")
	some c in [object.get(r.values, "cidr_ipv4", ""), object.get(r.values, "cidr_ipv6", "")]
	c in lib.world_cidrs
}

# The ALB security group: used by an aws_lb here, or named for the load balancer (name, tags.Name
# or address; not the description, which names a group's peers).
alb_sg(sg) if {
	some lb in lib.of_type("aws_lb")
	lib.refers_to(lb, "security_groups", sg)
}

alb_sg(sg) if {
	some l in lib.labels(sg)
	regex.match(`(^|[^a-z])alb([^a-z]|$)|load.?balancer`, l)
}

_targets_alb(o) if {
	o.self
	alb_sg(o.r)
}

_targets_alb(o) if {
	not o.self
	some sg in lib.of_type("aws_security_group")
	lib.refers_to(o.r, "security_group_id", sg)
	alb_sg(sg)
}

# Rule in another stack than its group: the cross-stack output name (cdktf derives it from the
# construct path, e.g. `cross-stack-output-aws_security_groupalb-sg...id`) says which group.
_targets_alb(o) if {
	not o.self
	some e in lib.refs_of(o.r, "security_group_id")
	startswith(e, "data.terraform_remote_state.")
	parts := split(e, ".outputs.")
	count(parts) == 2
	regex.match(`(?i)alb|load.?balancer`, parts[1])
}

_web_port(o) if {
	lower(sprintf("%v", [o.protocol])) in {"tcp", "6"}
	lib.num(o.from) == lib.num(o.to)
	lib.num(o.from) in {80, 443}
}

deny contains lib.msg("MM-011", o.r, sprintf("ingress from %s on %v %v-%v: world-open ingress is allowed only on the ALB security group, TCP 80/443", [o.cidr, o.protocol, o.from, o.to]), "Security Hub EC2.18 / EC2.19 / checkov CKV_AWS_24, CKV_AWS_25, CKV_AWS_260, CKV_AWS_277") if {
	some o in _open
	not _allowed(o)
}

_allowed(o) if {
	_targets_alb(o)
	_web_port(o)
}

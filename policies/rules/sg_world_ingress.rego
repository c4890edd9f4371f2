# METADATA
# title: MM-011 Internet ingress only on the load balancer's own security group, and only TCP 80/443
# description: |
#   Every ingress source in every rule shape (inline `ingress`, aws_security_group_rule incl.
#   ipv6_cidr_blocks and prefix lists, aws_vpc_security_group_ingress_rule) that is not entirely
#   inside the private ranges of policies/data/network counts as internet ingress: 0.0.0.0/0,
#   ::/0, 0::/0, 0.0.0.0/1 + 128.0.0.0/1, 2000::/3, a single public /32 alike. An unresolvable or
#   invalid source (a variable, an unknown value, an unreadable prefix list) counts as internet
#   (fail closed). Internet ingress is allowed only as TCP to exactly port 80 or 443 on a group that
#   an aws_lb of the same input attaches and nothing else in the input attaches (the group's role
#   from the resource graph: same resource, same cross-stack expression or same planned value).
#   A group's name never decides.
# custom:
#   id: MM-011
#   controls: [EC2.18, EC2.19, EC2.13, EC2.14, CKV_AWS_24, CKV_AWS_25, CKV_AWS_260, CKV_AWS_277]
#   enforcement_level: mandatory
#   reason: Everything behind the ALB is reachable only SG-to-SG; one open rule undoes that.
package markmail.rules.sg_world_ingress

import data.markmail.lib
import rego.v1

_internet contains s if {
	some s in lib.ingress_sources
	not s.internal
}

_allowed(s) if {
	s.resolved
	lib.load_balancer_group(s.group)
	lib.web_port(s)
}

_why(s) := "the source cannot be resolved at this point (fail closed)" if {
	not s.resolved
} else := "the group is attached to a load balancer and to other resources of this stack" if {
	lib.shared_load_balancer_group(s.group)
} else := "internet ingress is allowed only on TCP 80/443" if {
	lib.load_balancer_group(s.group)
} else := "the group is not attached to a load balancer of this stack"

deny contains lib.msg("MM-011", s.r, sprintf("internet ingress from %v on %v %v-%v: %s", [s.source, s.protocol, s.from, s.to, _why(s)]), "Security Hub EC2.18 / EC2.19 / checkov CKV_AWS_24, CKV_AWS_25, CKV_AWS_260, CKV_AWS_277") if {
	some s in _internet
	not _allowed(s)
}

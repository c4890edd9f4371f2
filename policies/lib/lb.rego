# Load balancer listeners (same package as resources.rego), from policies/data/tls.
#
# A listener is TLS when its protocol is HTTPS or TLS. Anything else is plain: HTTP, TCP, a missing
# protocol (HTTP is the default on an ALB), a value unknown until apply (fail closed).
# An action forwards unless it is a redirect to HTTPS or a fixed response; a redirect that keeps
# the protocol (#{protocol}, the default) on a plain listener stays plain.
package markmail.lib

import rego.v1

_tls := policy_data.tls

listeners := of_type("aws_lb_listener") | of_type("aws_alb_listener")

listener_rules := of_type("aws_lb_listener_rule") | of_type("aws_alb_listener_rule")

tls_listener(l) if {
	is_string(l.values.protocol)
	upper(l.values.protocol) in {p | some p in _tls.tls_protocols}
}

plain_listener(l) if {
	some l2 in listeners
	l2.address == l.address
	not tls_listener(l)
}

# An action that sends traffic to a target (or may: authenticate-* forwards after login, an unknown type).
forwarding_action(a) if not _non_forwarding(a)

_non_forwarding(a) if {
	a.type == "fixed-response"
}

_non_forwarding(a) if {
	a.type == "redirect"
	some rd in blocks(a, "redirect")
	upper(object.get(rd, "protocol", "#{protocol}")) == "HTTPS"
}

forwarding_default(l) if {
	some a in blocks(l.values, "default_action")
	forwarding_action(a)
}

# A listener without default_action known at plan time: cannot verify.
forwarding_default(l) if unknown(l, "default_action")

# The listeners of this input a listener rule is attached to.
rule_listeners(rule) := {l |
	some l in listeners
	count(ref_keys(rule, "listener_arn") & self_keys(l)) > 0
}

forwarding_rule(rule) if {
	some a in blocks(rule.values, "action")
	forwarding_action(a)
}

forwarding_rule(rule) if unknown(rule, "action")

# A forwarding rule on a plain listener, or on a listener the gate cannot identify (another stack,
# unknown): plain unless proven TLS.
plain_forwarding_rule(rule) if {
	forwarding_rule(rule)
	some l in rule_listeners(rule)
	not tls_listener(l)
}

plain_forwarding_rule(rule) if {
	forwarding_rule(rule)
	count(rule_listeners(rule)) == 0
}

allowed_ssl_policy(p) if p in {x.policy | some x in _tls.ssl_policies}

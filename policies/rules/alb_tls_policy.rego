# METADATA
# title: MM-013 HTTPS listeners use a modern TLS policy
# description: ssl_policy of HTTPS/TLS listeners starts with ELBSecurityPolicy-TLS13- or ELBSecurityPolicy-TLS-1-2-.
# custom:
#   id: MM-013
#   controls: [ELB.17, CKV_AWS_103, CKV2_AWS_74]
#   enforcement_level: mandatory
#   reason: The provider default (ELBSecurityPolicy-2016-08) still negotiates TLS 1.0.
package markmail.rules.alb_tls_policy

import data.markmail.lib
import rego.v1

_listeners := lib.of_type("aws_lb_listener") | lib.of_type("aws_alb_listener")

_modern(p) if startswith(p, "ELBSecurityPolicy-TLS13-")

_modern(p) if startswith(p, "ELBSecurityPolicy-TLS-1-2-")

deny contains lib.msg("MM-013", l, sprintf("ssl_policy %v is not a TLS 1.2+ policy (ELBSecurityPolicy-TLS13-* or ELBSecurityPolicy-TLS-1-2-*)", [object.get(l.values, "ssl_policy", "(provider default 2016-08)")]), "Security Hub ELB.17 / checkov CKV_AWS_103, CKV2_AWS_74") if {
	some l in _listeners
	upper(object.get(l.values, "protocol", "")) in {"HTTPS", "TLS"}
	not _modern(object.get(l.values, "ssl_policy", ""))
}

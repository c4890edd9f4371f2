# METADATA
# title: MM-041 Prod serves application traffic only over TLS
# description: |
#   In prod (the strictest environment signal, lib.environment) no listener without TLS forwards:
#   neither its default actions nor any listener rule on it (or on a listener the gate cannot
#   identify) send traffic to a target. Without a certificate, prod's HTTP listener may only answer
#   a fixed response or redirect to HTTPS. Also a prod listener whose protocol is unknown at plan
#   time counts as plain.
# custom:
#   id: MM-041
#   controls: [ELB.1, CKV2_AWS_20, CKV_AWS_2]
#   enforcement_level: mandatory
#   reason: Prod carries customer logins and mail data; plain HTTP exposes them on every network hop.
package markmail.rules.prod_tls_only

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-041", l, sprintf("prod listener without TLS (protocol %v, port %v) forwards application traffic", [object.get(l.values, "protocol", "(default HTTP)"), object.get(l.values, "port", "(unset)")]), "Security Hub ELB.1") if {
	some l in lib.listeners
	lib.is_prod(l)
	lib.plain_listener(l)
	lib.forwarding_default(l)
}

deny contains lib.msg("MM-041", r, "prod listener rule forwards on a listener without TLS (or one this stack cannot show to be TLS)", "Security Hub ELB.1") if {
	some r in lib.listener_rules
	lib.is_prod(r)
	lib.plain_forwarding_rule(r)
}

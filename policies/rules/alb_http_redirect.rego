# METADATA
# title: MM-012 Plain listeners redirect to HTTPS once the stack has a certificate
# description: |
#   When the stack has a TLS listener or an ACM certificate, no listener without TLS forwards: on any
#   port, with protocol HTTP, TCP or none (HTTP is the default), its default actions are redirects to
#   HTTPS or fixed responses, and no listener rule on it (or on a listener the gate cannot identify)
#   forwards. Stacks without a certificate (dev/staging without a domain) serve plain HTTP by design;
#   prod never does (MM-041).
# custom:
#   id: MM-012
#   controls: [ELB.1, CKV2_AWS_20, CKV_AWS_2]
#   enforcement_level: mandatory
#   reason: With a certificate in place, a forwarding HTTP listener leaks logins and cookies in clear text.
package markmail.rules.alb_http_redirect

import data.markmail.lib
import rego.v1

_has_tls if {
	some l in lib.listeners
	lib.tls_listener(l)
}

_has_tls if count(lib.of_type("aws_acm_certificate")) > 0

deny contains lib.msg("MM-012", l, sprintf("listener without TLS (protocol %v, port %v) forwards although the stack has a certificate: redirect to HTTPS", [object.get(l.values, "protocol", "(default HTTP)"), object.get(l.values, "port", "(unset)")]), "Security Hub ELB.1 / checkov CKV2_AWS_20, CKV_AWS_2") if {
	_has_tls
	some l in lib.listeners
	lib.plain_listener(l)
	lib.forwarding_default(l)
}

deny contains lib.msg("MM-012", r, "listener rule forwards on a listener without TLS (or one this stack cannot show to be TLS) although the stack has a certificate", "Security Hub ELB.1 / checkov CKV2_AWS_20") if {
	_has_tls
	some r in lib.listener_rules
	lib.plain_forwarding_rule(r)
}

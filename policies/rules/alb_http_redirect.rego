# METADATA
# title: MM-012 HTTP redirects to HTTPS once the stack has a certificate
# description: |
#   When the stack has an HTTPS listener or an ACM certificate, every HTTP listener's default
#   action is a redirect to HTTPS, and no listener rule on an HTTP listener forwards traffic.
#   Stacks without a certificate (environments without a domain) serve plain HTTP by design.
# custom:
#   id: MM-012
#   controls: [ELB.1, CKV2_AWS_20, CKV_AWS_2]
#   enforcement_level: mandatory
#   reason: With a certificate in place, a forwarding HTTP listener leaks logins and cookies in clear text.
package markmail.rules.alb_http_redirect

import data.markmail.lib
import rego.v1

_listeners := lib.of_type("aws_lb_listener") | lib.of_type("aws_alb_listener")

https_listener(l) if upper(l.values.protocol) in {"HTTPS", "TLS"}

https_listener(l) if lib.present(l, "certificate_arn")

http_listener(l) if upper(l.values.protocol) == "HTTP"

http_listener(l) if {
	not lib.present(l, "protocol")
	not lib.present(l, "certificate_arn")
	lib.num(l.values.port) == 80
}

_has_tls if {
	some l in _listeners
	https_listener(l)
}

_has_tls if count(lib.of_type("aws_acm_certificate")) > 0

_redirects_to_https(l) if {
	actions := lib.blocks(l.values, "default_action")
	count(actions) > 0
	every a in actions {
		a.type == "redirect"
		some rd in lib.blocks(a, "redirect")
		upper(rd.protocol) == "HTTPS"
	}
}

deny contains lib.msg("MM-012", l, "HTTP listener does not redirect to HTTPS although the stack has a certificate", "Security Hub ELB.1 / checkov CKV2_AWS_20, CKV_AWS_2") if {
	_has_tls
	some l in _listeners
	http_listener(l)
	not _redirects_to_https(l)
}

deny contains lib.msg("MM-012", r, "listener rule forwards plain HTTP although the stack has a certificate", "Security Hub ELB.1 / checkov CKV2_AWS_20") if {
	_has_tls
	some r in lib.of_type("aws_lb_listener_rule")
	some l in _listeners
	http_listener(l)
	lib.refers_to(r, "listener_arn", l)
	some a in lib.blocks(r.values, "action")
	a.type != "redirect"
}

# METADATA
# title: MM-013 TLS listeners use a TLS 1.2+ policy
# description: |
#   ssl_policy of HTTPS/TLS listeners is one of policies/data/tls `ssl_policies` (an explicit list:
#   ELBSecurityPolicy-TLS13-1-0-2021-06 starts with TLS13 and still accepts TLS 1.0). A missing
#   ssl_policy is the provider default ELBSecurityPolicy-2016-08; an unknown one cannot be verified.
# custom:
#   id: MM-013
#   controls: [ELB.17, CKV_AWS_103, CKV2_AWS_74]
#   enforcement_level: mandatory
#   reason: The provider default (ELBSecurityPolicy-2016-08) still negotiates TLS 1.0.
package markmail.rules.alb_tls_policy

import data.markmail.lib
import rego.v1

deny contains lib.msg("MM-013", l, sprintf("ssl_policy %v is not a TLS 1.2+ policy of policies/data/tls", [object.get(l.values, "ssl_policy", "(provider default ELBSecurityPolicy-2016-08)")]), "Security Hub ELB.17 / checkov CKV_AWS_103, CKV2_AWS_74") if {
	some l in lib.listeners
	lib.tls_listener(l)
	not lib.unknown(l, "ssl_policy")
	not lib.allowed_ssl_policy(object.get(l.values, "ssl_policy", ""))
}

deny contains lib.msg("MM-013", l, "ssl_policy is unknown until apply: cannot verify the TLS policy", "Security Hub ELB.17") if {
	some l in lib.listeners
	lib.tls_listener(l)
	lib.unknown(l, "ssl_policy")
}

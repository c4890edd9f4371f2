# METADATA
# title: MM-054 Network ACLs do not admit the internet to SSH or RDP
# description: |
#   No allow entry of an aws_network_acl, aws_default_network_acl (inline ingress) or
#   aws_network_acl_rule (ingress) admits a source outside the private ranges to TCP 22 or 3389
#   (protocol all / -1 / tcp, a port range covering 22 or 3389). The default NACL's rule 100
#   "allow all from 0.0.0.0/0" does.
# custom:
#   id: MM-054
#   controls: [EC2.21, CKV_AWS_229, CKV_AWS_230, CKV_AWS_232]
#   enforcement_level: advisory
#   reason: Security groups are the boundary (MM-011, MM-017); the NACL is defence in depth.
package markmail.rules.nacl_admin_ports

import data.markmail.lib
import rego.v1

_entries contains {"r": r, "e": e} if {
	some t in {"aws_network_acl", "aws_default_network_acl"}
	some r in lib.of_type(t)
	some e in lib.blocks(r.values, "ingress")
}

_entries contains {"r": r, "e": r.values} if {
	some r in lib.of_type("aws_network_acl_rule")
	not r.values.egress == true
}

_admin_port(e) if {
	p := lower(sprintf("%v", [object.get(e, "protocol", "-1")]))
	p in {"-1", "all"}
}

_admin_port(e) if {
	p := lower(sprintf("%v", [object.get(e, "protocol", "-1")]))
	p in {"tcp", "6"}
	some port in [22, 3389]
	lib.num(object.get(e, "from_port", 0)) <= port
	lib.num(object.get(e, "to_port", 65535)) >= port
}

_allow(e) if lower(object.get(e, "action", object.get(e, "rule_action", ""))) == "allow"

_internet(e) if {
	some c in [object.get(e, "cidr_block", null), object.get(e, "ipv6_cidr_block", null)]
	is_string(c)
	c != ""
	not lib.private_cidr(c)
}

deny contains lib.msg("MM-054", x.r, sprintf("NACL rule %v allows %v to SSH/RDP", [object.get(x.e, "rule_no", object.get(x.e, "rule_number", "?")), object.get(x.e, "cidr_block", object.get(x.e, "ipv6_cidr_block", "?"))]), "Security Hub EC2.21") if {
	some x in _entries
	_allow(x.e)
	_admin_port(x.e)
	_internet(x.e)
}

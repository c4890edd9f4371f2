# METADATA
# title: MM-042 Prod load balancers are protected by WAF
# description: |
#   In prod every internet-facing application load balancer has an aws_wafv2_web_acl_association
#   in the same stack whose resource_arn designates it (by reference or planned value) and whose
#   web_acl_arn designates a REGIONAL aws_wafv2_web_acl of the stack (or an upstream layer's output),
#   and that web ACL has at least one rule (an empty ACL with default allow filters nothing).
# custom:
#   id: MM-042
#   controls: [ELB.16, WAF.10, CKV2_AWS_28]
#   enforcement_level: mandatory
#   reason: The prod ALB is the internet edge of customer data; the managed rule groups are its only request filter.
package markmail.rules.prod_waf

import data.markmail.lib
import rego.v1

_albs contains lb if {
	some t in lib.policy_data.network.load_balancer_types
	some lb in lib.of_type(t)
	lower(object.get(lb.values, "load_balancer_type", "application")) == "application"
	not lb.values.internal == true
}

_associations(lb) := {a |
	some a in lib.of_type("aws_wafv2_web_acl_association")
	count(lib.ref_keys(a, "resource_arn") & lib.self_keys(lb)) > 0
}

_acl_ok(a) if {
	some acl in lib.of_type("aws_wafv2_web_acl")
	count(lib.ref_keys(a, "web_acl_arn") & lib.self_keys(acl)) > 0
	upper(object.get(acl.values, "scope", "")) == "REGIONAL"
	count(lib.blocks(acl.values, "rule")) > 0
}

_acl_ok(a) if {
	some e in lib.max_refs(a, "web_acl_arn")
	startswith(e, "data.terraform_remote_state.")
}

deny contains lib.msg("MM-042", lb, "prod load balancer without a WAF web ACL association in this stack", "Security Hub ELB.16 / checkov CKV2_AWS_28") if {
	some lb in _albs
	lib.is_prod(lb)
	count(_associations(lb)) == 0
}

deny contains lib.msg("MM-042", a, "the prod load balancer's web ACL is not a REGIONAL web ACL with rules in this stack", "Security Hub ELB.16 / WAF.10") if {
	some lb in _albs
	lib.is_prod(lb)
	some a in _associations(lb)
	not _acl_ok(a)
}

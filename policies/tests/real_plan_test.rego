package markmail.tests.real_plan

import data.markmail.fixtures as fx
import data.markmail.lib
import data.markmail.main
import rego.v1

# What a real `terraform show -json` of markmail-dev-network (tests/fixtures/real_plan_network_dev.json,
# JSON data loaded as data.tests.fixtures) proves about the normalisation: HCP's input.plan and
# conftest's bare plan give the same verdicts. The fixture was planned with Terraform 1.11.4 and
# the provider from scripts/engine against moto, trimmed to the keys the policy set reads; the
# evasion suite (tests/evasion/) holds fresher real plans of every prod stack.

real_network_dev := data.tests.fixtures.real_plan_network_dev

_ecs_sg := "aws_security_group.sg_ecs_F2D31EE6"

_flow_log := "aws_flow_log.flow-log_40A245C3"

# The real plan with three mistakes a reviewer might miss: SSH from anywhere on the ECS group,
# no flow log, and an open default security group. The new rule's group id is unknown at plan
# time, exactly as Terraform reports it; the link to the group exists only in `configuration`.
_bad := json.patch(real_network_dev, [
	{"op": "add", "path": "/resource_changes/-", "value": fx.rc_unknown(
		"aws_vpc_security_group_ingress_rule", "ssh_world",
		fx.tagged("dev", {"cidr_ipv4": "0.0.0.0/0", "ip_protocol": "tcp", "from_port": 22, "to_port": 22, "description": "bad"}),
		{"security_group_id": true, "id": true, "arn": true},
	)},
	{"op": "add", "path": "/configuration/root_module/resources/-", "value": fx.cfg(
		"aws_vpc_security_group_ingress_rule", "ssh_world",
		{"security_group_id": [sprintf("%s.id", [_ecs_sg]), _ecs_sg]},
	)},
])

_without_flow_log(plan) := json.patch(plan, [{"op": "replace", "path": "/resource_changes", "value": [rc |
	some rc in plan.resource_changes
	rc.address != _flow_log
]}])

_default_sg_open(plan) := json.patch(plan, [{"op": "replace", "path": "/resource_changes", "value": [_open_default(rc) | some rc in plan.resource_changes]}])

_open_default(rc) := fx.put(rc, "change", fx.put(rc.change, "after", fx.put(rc.change.after, "egress", [{"cidr_blocks": ["0.0.0.0/0"], "from_port": 0, "to_port": 0, "protocol": "-1"}]))) if rc.type == "aws_default_security_group"

_open_default(rc) := rc if rc.type != "aws_default_security_group"

test_real_plan_is_read_in_both_plan_shapes if {
	lib.shape == "plan" with input as real_network_dev
	lib.environment == "dev" with input as {"plan": real_network_dev}
	count(lib.resources) == 57 with input as {"plan": real_network_dev}
	count(lib.resources) == 57 with input as real_network_dev

	# the flow log's vpc_id is unknown in the plan; the link comes from configuration references
	some r in lib.resources with input as real_network_dev
	r.address == _flow_log
	lib.unknown(r, "vpc_id")
	"aws_vpc.vpc_6776A399" in lib.refs_of(r, "vpc_id")
}

# The denies of today's network layer are the construct gaps the gate was tightened for (see
# scripts/policy/pending-denies.json); HCP's input.plan and conftest's bare plan agree on them.
_ids(denies) := {substring(m, 1, 6) | some m in denies}

test_real_plan_hcp_and_conftest_agree if {
	hcp := main.deny with input as {"plan": real_network_dev, "run": {"is_destroy": false}}
	bare := main.deny with input as real_network_dev
	hcp == bare
	_ids(hcp) == {"MM-011", "MM-025", "MM-043", "MM-046", "MM-053", "MM-054"}
}

test_real_plan_mistakes_are_found if {
	base := main.deny with input as {"plan": real_network_dev}
	bad := _default_sg_open(_without_flow_log(_bad))
	denies := main.deny with input as {"plan": bad}
	new := denies - base
	fx.fires(new, "MM-011", "aws_vpc_security_group_ingress_rule.ssh_world")
	fx.fires(new, "MM-035", "aws_vpc.vpc_6776A399")
	fx.fires(new, "MM-036", "aws_default_security_group.vpc_default-sg_883082C2")
	count(new) == 3
}

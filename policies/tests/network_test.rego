package markmail.tests.network

import data.markmail.fixtures as fx
import data.markmail.rules
import rego.v1

# ---- MM-011 sg_world_ingress -------------------------------------------------------------------

_raw_sgs := {
	"aws_security_group": {
		"alb_sg_AAAA": {"//": fx.meta("markmail-dev-network/alb-sg"), "name": "markmail-dev-alb-sg", "description": "MarkMail dev ALB: HTTP/HTTPS from the internet", "vpc_id": "${aws_vpc.vpc.id}"},
		"ecs_sg_BBBB": {"name": "markmail-dev-ecs-sg", "description": "MarkMail dev ECS tasks: from the ALB only", "vpc_id": "${aws_vpc.vpc.id}"},
	},
	"aws_vpc_security_group_ingress_rule": {
		"alb_http_CCCC": {"security_group_id": "${aws_security_group.alb_sg_AAAA.id}", "description": "HTTP from the internet", "cidr_ipv4": "0.0.0.0/0", "ip_protocol": "tcp", "from_port": 80, "to_port": 80},
		"alb_https_DDDD": {"security_group_id": "${aws_security_group.alb_sg_AAAA.id}", "description": "HTTPS from the internet (IPv6)", "cidr_ipv6": "::/0", "ip_protocol": "tcp", "from_port": 443, "to_port": 443},
		"ecs_from_alb_EEEE": {"security_group_id": "${aws_security_group.ecs_sg_BBBB.id}", "description": "backend from the ALB", "referenced_security_group_id": "${aws_security_group.alb_sg_AAAA.id}", "ip_protocol": "tcp", "from_port": 8080, "to_port": 8080},
	},
	# the group's role comes from the graph: the load balancer attaches it
	"aws_lb": {"alb": {"name": "markmail-dev-alb", "internal": false, "load_balancer_type": "application", "security_groups": ["${aws_security_group.alb_sg_AAAA.id}"]}},
}

_raw_sg_input(extra) := fx.raw("dev", object.union(_raw_sgs, extra))

_plan_sg_changes := [
	fx.rc_unknown("aws_security_group", "alb", fx.tagged("dev", {"name": "markmail-dev-alb-sg", "description": "MarkMail dev ALB: HTTP/HTTPS from the internet", "vpc_id": "vpc-0abc", "revoke_rules_on_delete": false}), {"id": true, "ingress": true, "egress": true}),
	fx.rc_unknown("aws_security_group", "ecs", fx.tagged("dev", {"name": "markmail-dev-ecs-sg", "description": "MarkMail dev ECS tasks", "vpc_id": "vpc-0abc"}), {"id": true}),
	fx.rc_unknown("aws_vpc_security_group_ingress_rule", "alb_https", fx.tagged("dev", {"cidr_ipv4": "0.0.0.0/0", "ip_protocol": "tcp", "from_port": 443, "to_port": 443, "description": "HTTPS", "cidr_ipv6": null, "referenced_security_group_id": null}), {"security_group_id": true}),
]

_plan_lb := fx.rc_unknown("aws_lb", "alb", fx.tagged("dev", {"name": "markmail-dev-alb", "internal": false, "load_balancer_type": "application"}), {"security_groups": true, "arn": true})

_plan_sg_config := [
	fx.cfg("aws_lb", "alb", {"security_groups": ["aws_security_group.alb.id", "aws_security_group.alb"]}),
	fx.cfg("aws_vpc_security_group_ingress_rule", "alb_https", {"security_group_id": ["aws_security_group.alb.id", "aws_security_group.alb"]}),
	fx.cfg("aws_vpc_security_group_ingress_rule", "ecs_ssh", {"security_group_id": ["aws_security_group.ecs.id", "aws_security_group.ecs"]}),
]

test_sg_world_ingress_raw_pass if {
	count(rules.sg_world_ingress.deny) == 0 with input as _raw_sg_input({})

	# a rule in the alb stack on the network stack's group that this stack's load balancer attaches
	# through the same cross-stack expression
	remote := {
		"aws_vpc_security_group_ingress_rule": {"https": {
			"security_group_id": "${data.terraform_remote_state.network.outputs.lb_group}",
			"cidr_ipv4": "0.0.0.0/0", "ip_protocol": "tcp", "from_port": 443, "to_port": 443, "description": "HTTPS",
		}},
		"aws_lb": {"alb": {"name": "markmail-dev-alb", "security_groups": ["${data.terraform_remote_state.network.outputs.lb_group}"]}},
	}
	count(rules.sg_world_ingress.deny) == 0 with input as fx.raw("dev", remote)
}

test_sg_world_ingress_raw_fail_name_is_not_a_role if {
	# a group named and described as the ALB's, but no load balancer of this stack attaches it
	sgs := {"aws_security_group": {"alb": {"name": "markmail-dev-alb", "description": "ALB: HTTP/HTTPS from the internet"}}}
	open := {"aws_vpc_security_group_ingress_rule": {"https": {"security_group_id": "${aws_security_group.alb.id}", "cidr_ipv4": "0.0.0.0/0", "ip_protocol": "tcp", "from_port": 443, "to_port": 443}}}
	fx.fires(rules.sg_world_ingress.deny, "MM-011", "aws_vpc_security_group_ingress_rule.https") with input as fx.raw("dev", object.union(sgs, open))

	# the load balancer's group attached to the ECS service too is not a load-balancer group any more
	shared := {"aws_ecs_service": {"svc": {"name": "x", "network_configuration": {"security_groups": ["${aws_security_group.alb_sg_AAAA.id}"], "subnets": ["subnet-1"]}}}}
	fx.fires(rules.sg_world_ingress.deny, "MM-011", "aws_vpc_security_group_ingress_rule.alb_http_CCCC") with input as _raw_sg_input(shared)

	# split halves and non-canonical forms are the internet too
	halves := {"aws_vpc_security_group_ingress_rule": {"h1": {"security_group_id": "${aws_security_group.ecs_sg_BBBB.id}", "cidr_ipv4": "0.0.0.0/1", "ip_protocol": "tcp", "from_port": 8080, "to_port": 8080}, "h2": {"security_group_id": "${aws_security_group.ecs_sg_BBBB.id}", "cidr_ipv6": "0::/0", "ip_protocol": "tcp", "from_port": 8080, "to_port": 8080}}}
	denies := rules.sg_world_ingress.deny with input as _raw_sg_input(halves)
	fx.fires(denies, "MM-011", "aws_vpc_security_group_ingress_rule.h1")
	fx.fires(denies, "MM-011", "aws_vpc_security_group_ingress_rule.h2")

	# an unresolvable source fails closed
	v := {"aws_security_group_rule": {"v": {"type": "ingress", "security_group_id": "${aws_security_group.ecs_sg_BBBB.id}", "cidr_blocks": ["${var.office}"], "protocol": "tcp", "from_port": 5432, "to_port": 5432}}}
	fx.fires(rules.sg_world_ingress.deny, "MM-011", "aws_security_group_rule.v") with input as _raw_sg_input(v)
}

test_sg_world_ingress_raw_fail_description_names_alb_as_peer if {
	# "from the ALB only" in a description does not make the ECS group the ALB group
	sgs := {"aws_security_group": {"ecs": {"name": "markmail-dev-ecs", "description": "ECS tasks: container port from the ALB only"}}}
	open := {"aws_vpc_security_group_ingress_rule": {"ecs_https": {"security_group_id": "${aws_security_group.ecs.id}", "cidr_ipv4": "0.0.0.0/0", "ip_protocol": "tcp", "from_port": 443, "to_port": 443}}}
	fx.fires(rules.sg_world_ingress.deny, "MM-011", "aws_vpc_security_group_ingress_rule.ecs_https") with input as fx.raw("dev", object.union(sgs, open))
}

test_sg_world_ingress_raw_fail if {
	# SSH from anywhere on the ECS group
	ssh := {"aws_security_group_rule": {"ssh_FFFF": {"type": "ingress", "security_group_id": "${aws_security_group.ecs_sg_BBBB.id}", "cidr_blocks": ["0.0.0.0/0"], "protocol": "tcp", "from_port": 22, "to_port": 22, "description": "ssh"}}}
	fx.fires(rules.sg_world_ingress.deny, "MM-011", "aws_security_group_rule.ssh_FFFF") with input as _raw_sg_input(ssh)

	# all ports on the ALB group
	all := {"aws_vpc_security_group_ingress_rule": {"alb_all_GGGG": {"security_group_id": "${aws_security_group.alb_sg_AAAA.id}", "cidr_ipv4": "0.0.0.0/0", "ip_protocol": "-1", "description": "all"}}}
	fx.fires(rules.sg_world_ingress.deny, "MM-011", "aws_vpc_security_group_ingress_rule.alb_all_GGGG") with input as _raw_sg_input(all)

	# inline ingress block on a non-ALB group
	inline := {"aws_security_group": {"db_sg_HHHH": {"name": "markmail-dev-db-sg", "description": "db", "ingress": [{"cidr_blocks": ["0.0.0.0/0"], "from_port": 5432, "to_port": 5432, "protocol": "tcp", "description": "db"}]}}}
	fx.fires(rules.sg_world_ingress.deny, "MM-011", "aws_security_group.db_sg_HHHH") with input as _raw_sg_input(inline)
}

test_sg_world_ingress_plan_pass if {
	count(rules.sg_world_ingress.deny) == 0 with input as fx.plan_refs(array.concat(_plan_sg_changes, [_plan_lb]), _plan_sg_config)
}

test_sg_world_ingress_plan_fail if {
	ssh := fx.rc_unknown("aws_vpc_security_group_ingress_rule", "ecs_ssh", fx.tagged("dev", {"cidr_ipv4": "0.0.0.0/0", "ip_protocol": "tcp", "from_port": 22, "to_port": 22}), {"security_group_id": true})
	fx.fires(rules.sg_world_ingress.deny, "MM-011", "aws_vpc_security_group_ingress_rule.ecs_ssh") with input as fx.plan_refs(array.concat(_plan_sg_changes, [ssh]), _plan_sg_config)

	# inline rules (known in the plan) on the ALB group, wrong port
	inline := fx.rc("aws_security_group", "alb", fx.tagged("dev", {"name": "markmail-dev-alb-sg", "ingress": [{"cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": [], "from_port": 8080, "to_port": 8080, "protocol": "tcp", "description": "", "prefix_list_ids": [], "security_groups": [], "self": false}]}))
	fx.fires(rules.sg_world_ingress.deny, "MM-011", "aws_security_group.alb") with input as fx.plan([inline])
}

# ---- MM-017 bastion_no_ingress -----------------------------------------------------------------

_raw_bastion_sg := {"aws_security_group": {"bastion_sg_1111": {"name": "markmail-dev-bastion-sg", "description": "MarkMail dev bastion: Session Manager only, no inbound", "vpc_id": "${aws_vpc.vpc.id}"}}}

test_bastion_no_ingress_raw_pass if {
	count(rules.bastion_no_ingress.deny) == 0 with input as fx.raw("dev", _raw_bastion_sg)

	# the database allowing the bastion in is fine: the rule targets the database group
	db := {"aws_vpc_security_group_ingress_rule": {"db_from_bastion": {"security_group_id": "${aws_security_group.db_sg.id}", "referenced_security_group_id": "${aws_security_group.bastion_sg_1111.id}", "ip_protocol": "tcp", "from_port": 5432, "to_port": 5432}}}
	count(rules.bastion_no_ingress.deny) == 0 with input as fx.raw("dev", object.union(_raw_bastion_sg, db))
}

test_bastion_no_ingress_raw_pass_peer_described_in_description if {
	# the database group's description mentions the bastion as a peer; it is not the bastion group
	db := {
		"aws_security_group": {"sg_database_17893BAA": {"name": "markmail-dev-database", "description": "Aurora PostgreSQL: from ECS tasks and the bastion only"}},
		"aws_vpc_security_group_ingress_rule": {"db_in": {"security_group_id": "${aws_security_group.sg_database_17893BAA.id}", "referenced_security_group_id": "${aws_security_group.bastion_sg_1111.id}", "ip_protocol": "tcp", "from_port": 5432, "to_port": 5432}},
	}
	count(rules.bastion_no_ingress.deny) == 0 with input as fx.raw("dev", object.union(_raw_bastion_sg, db))
}

test_bastion_no_ingress_raw_fail if {
	ssh := {"aws_vpc_security_group_ingress_rule": {"bastion_ssh": {"security_group_id": "${aws_security_group.bastion_sg_1111.id}", "cidr_ipv4": "10.10.0.0/16", "ip_protocol": "tcp", "from_port": 22, "to_port": 22}}}
	fx.fires(rules.bastion_no_ingress.deny, "MM-017", "aws_vpc_security_group_ingress_rule.bastion_ssh") with input as fx.raw("dev", object.union(_raw_bastion_sg, ssh))

	# a rule in the bastion stack on the network stack's group
	remote := {"aws_security_group_rule": {"ssh": {"type": "ingress", "security_group_id": "${data.terraform_remote_state.cross-stack-reference-input-markmail-dev-network.outputs.cross-stack-output-aws_security_groupbastion-sgid}", "cidr_blocks": ["10.0.0.0/8"], "protocol": "tcp", "from_port": 22, "to_port": 22}}}
	fx.fires(rules.bastion_no_ingress.deny, "MM-017", "aws_security_group_rule.ssh") with input as fx.raw("dev", remote)
}

_plan_instance(sg_after) := fx.plan_refs(
	[
		fx.rc_unknown("aws_instance", "bastion", fx.tagged("dev", {"instance_type": "t3.micro", "associate_public_ip_address": false, "metadata_options": [{"http_tokens": "required", "http_endpoint": "enabled"}]}), {"id": true, "vpc_security_group_ids": true}),
		fx.rc_unknown("aws_security_group", "host", fx.tagged("dev", sg_after), {"id": true}),
	],
	[fx.cfg("aws_instance", "bastion", {"vpc_security_group_ids": ["aws_security_group.host.id", "aws_security_group.host"]})],
)

test_bastion_no_ingress_plan_pass if {
	count(rules.bastion_no_ingress.deny) == 0 with input as _plan_instance({"name": "markmail-dev-host", "ingress": [], "egress": [{"cidr_blocks": ["0.0.0.0/0"], "from_port": 443, "to_port": 443, "protocol": "tcp"}]})
}

test_bastion_no_ingress_plan_fail if {
	# the group the instance uses (found through the configuration's references) has ingress
	sg := {"name": "markmail-dev-host", "ingress": [{"cidr_blocks": ["10.10.0.0/16"], "from_port": 22, "to_port": 22, "protocol": "tcp"}]}
	fx.fires(rules.bastion_no_ingress.deny, "MM-017", "aws_security_group.host") with input as _plan_instance(sg)
}

# ---- MM-012 alb_http_redirect / MM-013 alb_tls_policy / MM-014 alb_drop_invalid_headers ----------

_raw_redirect := {
	"type": "redirect",
	"redirect": {"protocol": "HTTPS", "port": "443", "status_code": "HTTP_301"},
}

_raw_forward := {"type": "forward", "target_group_arn": "${aws_lb_target_group.frontend.arn}"}

_raw_alb_stack(http_action, https_policy) := fx.raw("dev", {
	"aws_lb": {"alb": {"name": "markmail-dev-alb", "load_balancer_type": "application", "internal": false, "drop_invalid_header_fields": true, "security_groups": ["${data.terraform_remote_state.cross-stack-reference-input-markmail-dev-network.outputs.alb-sg}"]}},
	"aws_acm_certificate": {"cert": {"domain_name": "dev.markmail.example.com", "validation_method": "DNS"}},
	"aws_lb_listener": {
		"http": {"load_balancer_arn": "${aws_lb.alb.arn}", "port": 80, "protocol": "HTTP", "default_action": [http_action]},
		"https": {"load_balancer_arn": "${aws_lb.alb.arn}", "port": 443, "protocol": "HTTPS", "ssl_policy": https_policy, "certificate_arn": "${aws_acm_certificate_validation.cert.certificate_arn}", "default_action": [_raw_forward]},
	},
})

_plan_alb_stack(http_actions, https_policy) := fx.plan([
	fx.rc_unknown("aws_lb", "alb", fx.tagged("dev", {"name": "markmail-dev-alb", "load_balancer_type": "application", "internal": false, "drop_invalid_header_fields": true, "enable_deletion_protection": false}), {"arn": true, "dns_name": true}),
	fx.rc_unknown("aws_lb_listener", "http", fx.tagged("dev", {"port": 80, "protocol": "HTTP", "default_action": http_actions}), {"load_balancer_arn": true}),
	fx.rc_unknown("aws_lb_listener", "https", fx.tagged("dev", {"port": 443, "protocol": "HTTPS", "ssl_policy": https_policy, "default_action": [{"type": "forward", "redirect": [], "fixed_response": []}]}), {"load_balancer_arn": true, "certificate_arn": true}),
])

_plan_redirect := [{"type": "redirect", "redirect": [{"protocol": "HTTPS", "port": "443", "status_code": "HTTP_301", "host": "#{host}", "path": "/#{path}", "query": "#{query}"}], "fixed_response": [], "forward": [], "target_group_arn": null}]

test_alb_http_redirect_raw_pass if {
	count(rules.alb_http_redirect.deny) == 0 with input as _raw_alb_stack(_raw_redirect, "ELBSecurityPolicy-TLS13-1-2-2021-06")

	# no certificate (environment without a domain): plain HTTP forwarding is the design
	http_only := fx.raw("dev", {"aws_lb_listener": {"http": {"port": 80, "protocol": "HTTP", "default_action": [_raw_forward]}}})
	count(rules.alb_http_redirect.deny) == 0 with input as http_only
}

test_alb_http_redirect_raw_fail if {
	fx.fires(rules.alb_http_redirect.deny, "MM-012", "aws_lb_listener.http") with input as _raw_alb_stack(_raw_forward, "ELBSecurityPolicy-TLS13-1-2-2021-06")
}

test_alb_http_redirect_plan_pass if {
	count(rules.alb_http_redirect.deny) == 0 with input as _plan_alb_stack(_plan_redirect, "ELBSecurityPolicy-TLS13-1-2-2021-06")
}

test_alb_http_redirect_plan_fail if {
	forward := [{"type": "forward", "redirect": [], "target_group_arn": "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/markmail-dev-frontend/abc"}]
	fx.fires(rules.alb_http_redirect.deny, "MM-012", "aws_lb_listener.http") with input as _plan_alb_stack(forward, "ELBSecurityPolicy-TLS13-1-2-2021-06")
}

test_alb_tls_policy_raw_pass if {
	count(rules.alb_tls_policy.deny) == 0 with input as _raw_alb_stack(_raw_redirect, "ELBSecurityPolicy-TLS13-1-2-Res-2021-06")
	count(rules.alb_tls_policy.deny) == 0 with input as _raw_alb_stack(_raw_redirect, "ELBSecurityPolicy-TLS-1-2-Ext-2018-06")
}

test_alb_tls_policy_raw_fail if {
	fx.fires(rules.alb_tls_policy.deny, "MM-013", "aws_lb_listener.https") with input as _raw_alb_stack(_raw_redirect, "ELBSecurityPolicy-2016-08")

	# missing = the provider's default policy
	no_policy := json.patch(_raw_alb_stack(_raw_redirect, "x"), [{"op": "remove", "path": "/resource/aws_lb_listener/https/ssl_policy"}])
	fx.fires(rules.alb_tls_policy.deny, "MM-013", "aws_lb_listener.https") with input as no_policy
}

test_alb_tls_policy_plan_pass if {
	count(rules.alb_tls_policy.deny) == 0 with input as _plan_alb_stack(_plan_redirect, "ELBSecurityPolicy-TLS13-1-2-2021-06")
}

test_alb_tls_policy_plan_fail if {
	fx.fires(rules.alb_tls_policy.deny, "MM-013", "aws_lb_listener.https") with input as _plan_alb_stack(_plan_redirect, "ELBSecurityPolicy-TLS-1-1-2017-01")
}

test_alb_drop_invalid_headers_raw_pass if {
	count(rules.alb_drop_invalid_headers.deny) == 0 with input as _raw_alb_stack(_raw_redirect, "ELBSecurityPolicy-TLS13-1-2-2021-06")
}

test_alb_drop_invalid_headers_raw_fail if {
	bad := json.patch(_raw_alb_stack(_raw_redirect, "ELBSecurityPolicy-TLS13-1-2-2021-06"), [{"op": "remove", "path": "/resource/aws_lb/alb/drop_invalid_header_fields"}])
	fx.fires(rules.alb_drop_invalid_headers.deny, "MM-014", "aws_lb.alb") with input as bad
}

test_alb_drop_invalid_headers_plan_pass if {
	count(rules.alb_drop_invalid_headers.deny) == 0 with input as _plan_alb_stack(_plan_redirect, "ELBSecurityPolicy-TLS13-1-2-2021-06")
}

test_alb_drop_invalid_headers_plan_fail if {
	bad := json.patch(_plan_alb_stack(_plan_redirect, "ELBSecurityPolicy-TLS13-1-2-2021-06"), [{"op": "replace", "path": "/plan/resource_changes/0/change/after/drop_invalid_header_fields", "value": false}])
	fx.fires(rules.alb_drop_invalid_headers.deny, "MM-014", "aws_lb.alb") with input as bad
}

# ---- MM-015 instance_imdsv2 / MM-016 instance_no_public_ip --------------------------------------

_raw_bastion(extra) := fx.raw("dev", {"aws_instance": {"bastion_host_9999": object.union(
	{
		"//": fx.meta("markmail-dev-bastion/host/instance"),
		"ami": "${data.aws_ssm_parameter.al2023.value}",
		"instance_type": "t3.micro",
		"subnet_id": "${element(data.terraform_remote_state.cross-stack-reference-input-markmail-dev-network.outputs.cross-stack-output-private-subnet-ids, 0)}",
		"iam_instance_profile": "${aws_iam_instance_profile.bastion.name}",
		"metadata_options": {"http_tokens": "required", "http_endpoint": "enabled", "http_put_response_hop_limit": 1},
		"root_block_device": {"encrypted": true, "kms_key_id": "${aws_kms_key.key.arn}", "volume_type": "gp3"},
		"associate_public_ip_address": false,
	},
	extra,
)}})

_plan_bastion(extra, unknown) := fx.plan([fx.rc_unknown(
	"aws_instance", "bastion", fx.tagged("dev", object.union(
		{
			"instance_type": "t3.micro",
			"subnet_id": "subnet-0private",
			"metadata_options": [{"http_tokens": "required", "http_endpoint": "enabled", "http_put_response_hop_limit": 1, "instance_metadata_tags": "disabled"}],
			"root_block_device": [{"encrypted": true, "volume_type": "gp3", "delete_on_termination": true}],
			"ebs_block_device": [],
			"associate_public_ip_address": false,
		},
		extra,
	)),
	unknown,
)])

test_instance_imdsv2_raw_pass if {
	count(rules.instance_imdsv2.deny) == 0 with input as _raw_bastion({})
}

test_instance_imdsv2_raw_fail if {
	fx.fires(rules.instance_imdsv2.deny, "MM-015", "aws_instance.bastion_host_9999") with input as _raw_bastion({"metadata_options": {"http_tokens": "optional"}})
}

test_instance_imdsv2_plan_pass if {
	count(rules.instance_imdsv2.deny) == 0 with input as _plan_bastion({}, {})
}

test_instance_imdsv2_plan_fail if {
	bad := json.patch(_plan_bastion({}, {}), [{"op": "remove", "path": "/plan/resource_changes/0/change/after/metadata_options"}])
	fx.fires(rules.instance_imdsv2.deny, "MM-015", "aws_instance.bastion") with input as bad
}

test_instance_no_public_ip_raw_pass if {
	count(rules.instance_no_public_ip.deny) == 0 with input as _raw_bastion({})
}

test_instance_no_public_ip_raw_fail if {
	fx.fires(rules.instance_no_public_ip.deny, "MM-016", "aws_instance.bastion_host_9999") with input as _raw_bastion({"associate_public_ip_address": true})

	# public subnet, nothing said: the subnet would assign an address
	public := json.patch(_raw_bastion({"subnet_id": "${aws_subnet.public_a.id}"}), [{"op": "remove", "path": "/resource/aws_instance/bastion_host_9999/associate_public_ip_address"}])
	fx.fires(rules.instance_no_public_ip.deny, "MM-016", "aws_instance.bastion_host_9999") with input as public
}

test_instance_no_public_ip_plan_pass if {
	count(rules.instance_no_public_ip.deny) == 0 with input as _plan_bastion({}, {})
}

test_instance_no_public_ip_plan_fail if {
	fx.fires(rules.instance_no_public_ip.deny, "MM-016", "aws_instance.bastion") with input as _plan_bastion({"associate_public_ip_address": true}, {})
}

test_instance_ebs_encrypted_raw_pass if {
	count(rules.instance_ebs_encrypted.deny) == 0 with input as _raw_bastion({})
}

test_instance_ebs_encrypted_raw_fail if {
	fx.fires(rules.instance_ebs_encrypted.deny, "MM-040", "aws_instance.bastion_host_9999") with input as _raw_bastion({"root_block_device": {"encrypted": false}})

	# nothing declared = the AMI's (unencrypted) default
	undeclared := json.patch(_raw_bastion({}), [{"op": "remove", "path": "/resource/aws_instance/bastion_host_9999/root_block_device"}])
	fx.fires(rules.instance_ebs_encrypted.deny, "MM-040", "aws_instance.bastion_host_9999") with input as undeclared
}

test_instance_ebs_encrypted_plan_pass if {
	count(rules.instance_ebs_encrypted.deny) == 0 with input as _plan_bastion({}, {})
}

test_instance_ebs_encrypted_plan_fail if {
	fx.fires(rules.instance_ebs_encrypted.deny, "MM-040", "aws_instance.bastion") with input as _plan_bastion({"ebs_block_device": [{"device_name": "/dev/xvdb", "encrypted": false}]}, {})
}

# ---- MM-035 vpc_flow_logs / MM-036 default_sg_closed ---------------------------------------------

_raw_vpc := {
	"aws_vpc": {"vpc_main_0000": {"//": fx.meta("markmail-dev-network/vpc/vpc"), "cidr_block": "10.10.0.0/16", "enable_dns_hostnames": true, "enable_dns_support": true}},
	"aws_flow_log": {"vpc_flow-log_1234": {"vpc_id": "${aws_vpc.vpc_main_0000.id}", "traffic_type": "ALL", "log_destination_type": "cloud-watch-logs", "log_destination": "${aws_cloudwatch_log_group.vpc_flow-logs_5678.arn}", "iam_role_arn": "${aws_iam_role.vpc_flow-log-role_9abc.arn}"}},
	"aws_default_security_group": {"vpc_default-sg_def0": {"vpc_id": "${aws_vpc.vpc_main_0000.id}"}},
}

_plan_vpc_changes := [
	fx.rc_unknown("aws_vpc", "main", fx.tagged("dev", {"cidr_block": "10.10.0.0/16", "enable_dns_hostnames": true}), {"id": true, "arn": true, "default_security_group_id": true}),
	fx.rc_unknown("aws_flow_log", "vpc", fx.tagged("dev", {"traffic_type": "ALL", "log_destination_type": "cloud-watch-logs", "vpc_id": null}), {"id": true, "vpc_id": true, "log_destination": true}),
	fx.rc_unknown("aws_default_security_group", "default", fx.tagged("dev", {"ingress": [], "egress": [], "revoke_rules_on_delete": false}), {"id": true, "vpc_id": true}),
]

_plan_vpc_config := [
	fx.cfg("aws_flow_log", "vpc", {"vpc_id": ["aws_vpc.main.id", "aws_vpc.main"]}),
	fx.cfg("aws_default_security_group", "default", {"vpc_id": ["aws_vpc.main.id", "aws_vpc.main"]}),
]

test_vpc_flow_logs_raw_pass if {
	count(rules.vpc_flow_logs.deny) == 0 with input as fx.raw("dev", _raw_vpc)
}

test_vpc_flow_logs_raw_fail if {
	fx.fires(rules.vpc_flow_logs.deny, "MM-035", "aws_vpc.vpc_main_0000") with input as fx.raw("dev", object.remove(_raw_vpc, ["aws_flow_log"]))
}

test_vpc_flow_logs_plan_pass if {
	count(rules.vpc_flow_logs.deny) == 0 with input as fx.plan_refs(_plan_vpc_changes, _plan_vpc_config)
}

test_vpc_flow_logs_plan_fail if {
	# a flow log for some other VPC (subnet-level) does not count
	config := [fx.cfg("aws_flow_log", "vpc", {"subnet_id": ["aws_subnet.a.id", "aws_subnet.a"]}), _plan_vpc_config[1]]
	fx.fires(rules.vpc_flow_logs.deny, "MM-035", "aws_vpc.main") with input as fx.plan_refs(_plan_vpc_changes, config)
}

test_default_sg_closed_raw_pass if {
	count(rules.default_sg_closed.deny) == 0 with input as fx.raw("dev", _raw_vpc)
}

test_default_sg_closed_raw_fail if {
	fx.fires(rules.default_sg_closed.deny, "MM-036", "aws_vpc.vpc_main_0000") with input as fx.raw("dev", object.remove(_raw_vpc, ["aws_default_security_group"]))
	open := fx.put(_raw_vpc, "aws_default_security_group", {"vpc_default-sg_def0": {"vpc_id": "${aws_vpc.vpc_main_0000.id}", "egress": [{"cidr_blocks": ["0.0.0.0/0"], "from_port": 0, "to_port": 0, "protocol": "-1"}]}})
	fx.fires(rules.default_sg_closed.deny, "MM-036", "aws_default_security_group.vpc_default-sg_def0") with input as fx.raw("dev", open)
}

test_default_sg_closed_plan_pass if {
	count(rules.default_sg_closed.deny) == 0 with input as fx.plan_refs(_plan_vpc_changes, _plan_vpc_config)
}

test_default_sg_closed_plan_fail if {
	fx.fires(rules.default_sg_closed.deny, "MM-036", "aws_vpc.main") with input as fx.plan_refs(_plan_vpc_changes, [_plan_vpc_config[0]])
}

# ---- MM-010 ecs_no_public_ip ---------------------------------------------------------------------

_raw_service(public) := fx.raw("dev", {"aws_ecs_service": {"backend_service_AAAA": {
	"//": fx.meta("markmail-dev-ecs/backend/service"),
	"name": "markmail-dev-backend",
	"cluster": "${data.terraform_remote_state.cross-stack-reference-input-markmail-dev-ecs-cluster.outputs.cluster-arn}",
	"launch_type": "FARGATE",
	"network_configuration": {"assign_public_ip": public, "subnets": ["${data.terraform_remote_state.x.outputs.private-subnets}"], "security_groups": ["${data.terraform_remote_state.x.outputs.ecs-sg}"]},
}}})

_plan_service(public) := fx.plan([fx.rc_unknown(
	"aws_ecs_service", "backend", fx.tagged("dev", {
		"name": "markmail-dev-backend",
		"launch_type": "FARGATE",
		"network_configuration": [{"assign_public_ip": public, "subnets": ["subnet-0a", "subnet-0c"], "security_groups": ["sg-0ecs"]}],
	}),
	{"id": true},
)])

test_ecs_no_public_ip_raw_pass if {
	count(rules.ecs_no_public_ip.deny) == 0 with input as _raw_service(false)
}

test_ecs_no_public_ip_raw_fail if {
	fx.fires(rules.ecs_no_public_ip.deny, "MM-010", "aws_ecs_service.backend_service_AAAA") with input as _raw_service(true)
}

test_ecs_no_public_ip_plan_pass if {
	count(rules.ecs_no_public_ip.deny) == 0 with input as _plan_service(false)
}

test_ecs_no_public_ip_plan_fail if {
	fx.fires(rules.ecs_no_public_ip.deny, "MM-010", "aws_ecs_service.backend") with input as _plan_service(true)
}

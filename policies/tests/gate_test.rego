package markmail.tests.gate

import data.markmail.fixtures as fx
import data.markmail.lib
import data.markmail.rules
import rego.v1

# Pass/fail fixtures in both shapes for MM-041..MM-054 (the rules added for issue 13). The evasion
# suite (tests/evasion_test.rego) runs the same rules on edits of the real synthesized stacks.

# ---- MM-041 prod_tls_only ---------------------------------------------------------------------

_fwd := {"type": "forward", "target_group_arn": "${aws_lb_target_group.tg.arn}"}

_fixed := {"type": "fixed-response", "fixed_response": {"content_type": "text/plain", "message_body": "Service Unavailable", "status_code": "503"}}

_raw_listeners(env, http_default, rule_listener) := fx.raw(env, {
	"aws_lb_listener": {
		"http": {"load_balancer_arn": "${aws_lb.alb.arn}", "port": 80, "protocol": "HTTP", "default_action": [http_default]},
		"https": {"load_balancer_arn": "${aws_lb.alb.arn}", "port": 443, "protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06", "certificate_arn": "${aws_acm_certificate.c.arn}", "default_action": [_fixed]},
	},
	"aws_lb_listener_rule": {"api": {"listener_arn": sprintf("${aws_lb_listener.%s.arn}", [rule_listener]), "priority": 1, "action": [_fwd], "condition": [{"path_pattern": {"values": ["/api/*"]}}]}},
})

test_prod_tls_only_raw_pass if {
	count(rules.prod_tls_only.deny) == 0 with input as _raw_listeners("prod", _fixed, "https")

	# without TLS in dev, plain forwarding is the design (MM-012 takes over once there is a certificate)
	count(rules.prod_tls_only.deny) == 0 with input as _raw_listeners("dev", _fwd, "http")
}

test_prod_tls_only_raw_fail if {
	fx.fires(rules.prod_tls_only.deny, "MM-041", "aws_lb_listener_rule.api") with input as _raw_listeners("prod", _fixed, "http")
	fx.fires(rules.prod_tls_only.deny, "MM-041", "aws_lb_listener.http") with input as _raw_listeners("prod", _fwd, "https")

	# a listener without protocol is HTTP; a prod stack whose tags say dev is still prod
	no_proto := json.patch(_raw_listeners("prod", _fwd, "https"), [
		{"op": "remove", "path": "/resource/aws_lb_listener/http/protocol"},
		{"op": "replace", "path": "/provider/aws/0/default_tags/0/tags/Environment", "value": "dev"},
	])
	fx.fires(rules.prod_tls_only.deny, "MM-041", "aws_lb_listener.http") with input as no_proto
}

_plan_listeners(http_default) := fx.plan_refs(
	[
		fx.rc_unknown("aws_lb_listener", "http", fx.tagged("prod", {"port": 80, "protocol": "HTTP", "default_action": [http_default]}), {"arn": true, "load_balancer_arn": true}),
		fx.rc_unknown("aws_lb_listener_rule", "api", fx.tagged("prod", {"priority": 1, "action": [{"type": "forward", "target_group_arn": null}]}), {"listener_arn": true}),
	],
	[fx.cfg("aws_lb_listener_rule", "api", {"listener_arn": ["aws_lb_listener.https.arn", "aws_lb_listener.https"]})],
)

_plan_with_https(doc) := json.patch(doc, [{"op": "add", "path": "/plan/resource_changes/-", "value": fx.rc_unknown("aws_lb_listener", "https", fx.tagged("prod", {"port": 443, "protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06", "default_action": [_fixed]}), {"arn": true})}])

test_prod_tls_only_plan_pass if {
	count(rules.prod_tls_only.deny) == 0 with input as _plan_with_https(_plan_listeners(_fixed))
}

test_prod_tls_only_plan_fail if {
	# the rule's listener is not in the plan: it cannot be shown to be TLS
	fx.fires(rules.prod_tls_only.deny, "MM-041", "aws_lb_listener_rule.api") with input as _plan_listeners(_fixed)
	fx.fires(rules.prod_tls_only.deny, "MM-041", "aws_lb_listener.http") with input as _plan_with_https(_plan_listeners(_fwd))
}

# ---- MM-042 prod_waf ------------------------------------------------------------------------------

_raw_waf(env, extra) := fx.raw(env, object.union(
	{
		"aws_lb": {"alb": {"name": "markmail-x-alb", "internal": false, "load_balancer_type": "application"}},
		"aws_wafv2_web_acl": {"acl": {"name": "x", "scope": "REGIONAL", "default_action": {"allow": {}}, "rule": [{"name": "common", "priority": 1}]}},
	},
	extra,
))

_assoc := {"aws_wafv2_web_acl_association": {"a": {"resource_arn": "${aws_lb.alb.arn}", "web_acl_arn": "${aws_wafv2_web_acl.acl.arn}"}}}

test_prod_waf_raw_pass if {
	count(rules.prod_waf.deny) == 0 with input as _raw_waf("prod", _assoc)
	count(rules.prod_waf.deny) == 0 with input as _raw_waf("dev", {})
}

test_prod_waf_raw_fail if {
	fx.fires(rules.prod_waf.deny, "MM-042", "aws_lb.alb") with input as _raw_waf("prod", {})

	# an association pointing at another load balancer does not protect this one
	other := {"aws_wafv2_web_acl_association": {"a": {"resource_arn": "${aws_lb.other.arn}", "web_acl_arn": "${aws_wafv2_web_acl.acl.arn}"}}}
	fx.fires(rules.prod_waf.deny, "MM-042", "aws_lb.alb") with input as _raw_waf("prod", other)
}

_plan_waf(changes) := fx.plan_refs(
	array.concat([fx.rc_unknown("aws_lb", "alb", fx.tagged("prod", {"name": "markmail-prod-alb", "internal": false, "load_balancer_type": "application"}), {"arn": true})], changes),
	[fx.cfg("aws_wafv2_web_acl_association", "a", {"resource_arn": ["aws_lb.alb.arn", "aws_lb.alb"], "web_acl_arn": ["aws_wafv2_web_acl.acl.arn", "aws_wafv2_web_acl.acl"]})],
)

_plan_acl(rules_) := fx.rc_unknown("aws_wafv2_web_acl", "acl", fx.tagged("prod", {"name": "markmail-prod", "scope": "REGIONAL", "rule": rules_}), {"arn": true})

test_prod_waf_plan_pass if {
	count(rules.prod_waf.deny) == 0 with input as _plan_waf([_plan_acl([{"name": "common"}]), fx.rc_unknown("aws_wafv2_web_acl_association", "a", {}, {"resource_arn": true, "web_acl_arn": true})])
}

test_prod_waf_plan_fail if {
	fx.fires(rules.prod_waf.deny, "MM-042", "aws_lb.alb") with input as _plan_waf([_plan_acl([{"name": "common"}])])

	# an empty web ACL filters nothing
	fx.fires(rules.prod_waf.deny, "MM-042", "aws_wafv2_web_acl_association.a") with input as _plan_waf([_plan_acl([]), fx.rc_unknown("aws_wafv2_web_acl_association", "a", {}, {"resource_arn": true, "web_acl_arn": true})])
}

# ---- MM-043 iam_principals ------------------------------------------------------------------------

_trust(conditions) := {"statement": [{"effect": "Allow", "actions": ["sts:AssumeRole"], "principals": [{"type": "Service", "identifiers": ["ecs-tasks.amazonaws.com"]}], "condition": conditions}]}

_acct := "${data.aws_caller_identity.me.account_id}"

_good_conditions := [
	{"test": "StringEquals", "variable": "aws:SourceAccount", "values": [_acct]},
	{"test": "ArnLike", "variable": "aws:SourceArn", "values": [sprintf("arn:aws:ecs:ap-northeast-1:%s:*", [_acct])]},
]

_raw_role(doc) := fx.raw_data("dev", {"aws_iam_role": {"task": {"name": "t", "assume_role_policy": "${data.aws_iam_policy_document.trust.json}"}}}, {"aws_iam_policy_document": {"trust": doc}})

test_iam_principals_raw_pass if {
	count(rules.iam_principals.deny) == 0 with input as _raw_role(_trust(_good_conditions))
}

test_iam_principals_raw_fail if {
	fx.fires(rules.iam_principals.deny, "MM-043", "data.aws_iam_policy_document.trust") with input as _raw_role(_trust([_good_conditions[0]]))
	star := {"statement": [{"effect": "Allow", "actions": ["sts:AssumeRole"], "principals": [{"type": "AWS", "identifiers": ["*"]}]}]}
	fx.fires(rules.iam_principals.deny, "MM-043", "data.aws_iam_policy_document.trust") with input as _raw_role(star)
	foreign := {"statement": [{"effect": "Allow", "actions": ["sts:AssumeRole"], "principals": [{"type": "AWS", "identifiers": ["arn:aws:iam::999988887777:root"]}]}]}
	fx.fires(rules.iam_principals.deny, "MM-043", "data.aws_iam_policy_document.trust") with input as _raw_role(foreign)
}

_plan_role(trust) := fx.with_account(fx.plan([fx.rc_unknown("aws_iam_role", "task", fx.tagged("dev", {"name": "t", "assume_role_policy": json.marshal(trust)}), {"arn": true})]), "123456789012")

test_iam_principals_plan_pass if {
	good := {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}, "ArnLike": {"aws:SourceArn": "arn:aws:ecs:ap-northeast-1:123456789012:*"}}}]}
	count(rules.iam_principals.deny) == 0 with input as _plan_role(good)
}

test_iam_principals_plan_fail if {
	# the conditions name another account
	bad := {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Condition": {"StringEquals": {"aws:SourceAccount": "999988887777"}, "ArnLike": {"aws:SourceArn": "arn:aws:ecs:ap-northeast-1:999988887777:*"}}}]}
	fx.fires(rules.iam_principals.deny, "MM-043", "aws_iam_role.task") with input as _plan_role(bad)
}

# ---- MM-044 iam_policy_inspectable ------------------------------------------------------------------

test_iam_policy_inspectable_raw_pass if {
	count(rules.iam_policy_inspectable.deny) == 0 with input as _raw_role(_trust(_good_conditions))

	# cdktf's jsonencode of literals is read
	enc := fx.raw("dev", {"aws_iam_role_policy": {"p": {"role": "r", "policy": "${jsonencode({\"Version\" = \"2012-10-17\", \"Statement\" = [{\"Effect\" = \"Allow\", \"Action\" = [\"s3:GetObject\"], \"Resource\" = [\"${aws_s3_bucket.b.arn}/*\"]}]})}"}}})
	count(rules.iam_policy_inspectable.deny) == 0 with input as enc
	some s in lib.statements with input as enc
	s.actions == ["s3:GetObject"]
}

test_iam_policy_inspectable_raw_fail if {
	opaque := fx.raw("dev", {"aws_iam_role_policy": {"p": {"role": "r", "policy": "${file(\"policy.json\")}"}}})
	fx.fires(rules.iam_policy_inspectable.deny, "MM-044", "aws_iam_role_policy.p") with input as opaque
	remote := fx.raw("dev", {"aws_iam_role_policy": {"p": {"role": "r", "policy": "${data.terraform_remote_state.x.outputs.policy}"}}})
	fx.fires(rules.iam_policy_inspectable.deny, "MM-044", "aws_iam_role_policy.p") with input as remote
}

test_iam_policy_inspectable_plan_pass if {
	count(rules.iam_policy_inspectable.deny) == 0 with input as _plan_role({"Version": "2012-10-17", "Statement": []})
}

test_iam_policy_inspectable_plan_fail if {
	# known only after apply, and configuration names no policy document
	unknown := fx.plan_refs(
		[fx.rc_unknown("aws_iam_role_policy", "p", {"role": "r"}, {"policy": true})],
		[fx.cfg("aws_iam_role_policy", "p", {"policy": ["aws_s3_bucket.b.arn", "aws_s3_bucket.b"]})],
	)
	fx.fires(rules.iam_policy_inspectable.deny, "MM-044", "aws_iam_role_policy.p") with input as unknown
}

# ---- MM-045 codebuild_no_plaintext_secrets ---------------------------------------------------------

_raw_build(vars) := fx.raw("dev", {"aws_codebuild_project": {"build": {"name": "b", "environment": {"compute_type": "BUILD_GENERAL1_SMALL", "image": "aws/codebuild/standard:7.0", "type": "LINUX_CONTAINER", "environment_variable": vars}}}})

test_codebuild_no_plaintext_secrets_raw_pass if {
	count(rules.codebuild_no_plaintext_secrets.deny) == 0 with input as _raw_build([{"name": "IMAGE_REPO_NAME", "type": "PLAINTEXT", "value": "markmail-dev-backend"}, {"name": "DOCKERHUB_TOKEN", "type": "SECRETS_MANAGER", "value": "markmail-dev-dockerhub:token"}])
}

test_codebuild_no_plaintext_secrets_raw_fail if {
	fx.fires(rules.codebuild_no_plaintext_secrets.deny, "MM-045", "aws_codebuild_project.build") with input as _raw_build([{"name": "NPM_TOKEN", "value": "x"}])
	fx.fires(rules.codebuild_no_plaintext_secrets.deny, "MM-045", "aws_codebuild_project.build") with input as _raw_build([{"name": "SETTING", "type": "PLAINTEXT", "value": "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB"}])
}

_plan_build(vars) := fx.plan([fx.rc("aws_codebuild_project", "build", fx.tagged("dev", {"name": "b", "environment": [{"environment_variable": vars}]}))])

test_codebuild_no_plaintext_secrets_plan_pass if {
	count(rules.codebuild_no_plaintext_secrets.deny) == 0 with input as _plan_build([{"name": "CONTAINER_NAME", "type": "PLAINTEXT", "value": "backend"}])
}

test_codebuild_no_plaintext_secrets_plan_fail if {
	fx.fires(rules.codebuild_no_plaintext_secrets.deny, "MM-045", "aws_codebuild_project.build") with input as _plan_build([{"name": "AWS_SECRET_ACCESS_KEY", "type": "PLAINTEXT", "value": "x"}])
}

# ---- MM-046 vpc_endpoint_policy ---------------------------------------------------------------------

_endpoint_doc := {"statement": [{
	"effect": "Allow", "principals": [{"type": "*", "identifiers": ["*"]}], "actions": ["secretsmanager:GetSecretValue"], "resources": ["*"],
	"condition": [{"test": "StringEquals", "variable": "aws:ResourceAccount", "values": [_acct]}],
}]}

_raw_endpoint(policy, doc) := fx.raw_data("dev", {"aws_vpc_endpoint": {"sm": object.union({"service_name": "com.amazonaws.ap-northeast-1.secretsmanager", "vpc_endpoint_type": "Interface", "vpc_id": "${aws_vpc.v.id}"}, policy)}}, {"aws_iam_policy_document": {"ep": doc}})

test_vpc_endpoint_policy_raw_pass if {
	count(rules.vpc_endpoint_policy.deny) == 0 with input as _raw_endpoint({"policy": "${data.aws_iam_policy_document.ep.json}"}, _endpoint_doc)

	# the S3 gateway endpoint may also reach the AWS-owned ECR layer bucket
	ecr := {"statement": [{"effect": "Allow", "principals": [{"type": "*", "identifiers": ["*"]}], "actions": ["s3:GetObject"], "resources": ["arn:${data.aws_partition.p.partition}:s3:::prod-ap-northeast-1-starport-layer-bucket/*"]}]}
	count(rules.vpc_endpoint_policy.deny) == 0 with input as _raw_endpoint({"policy": "${data.aws_iam_policy_document.ep.json}"}, ecr)
}

test_vpc_endpoint_policy_raw_fail if {
	fx.fires(rules.vpc_endpoint_policy.deny, "MM-046", "aws_vpc_endpoint.sm") with input as _raw_endpoint({}, _endpoint_doc)
	open := {"statement": [{"effect": "Allow", "principals": [{"type": "*", "identifiers": ["*"]}], "actions": ["s3:PutObject"], "resources": ["arn:aws:s3:::*/*"]}]}
	fx.fires(rules.vpc_endpoint_policy.deny, "MM-046", "data.aws_iam_policy_document.ep") with input as _raw_endpoint({"policy": "${data.aws_iam_policy_document.ep.json}"}, open)
}

_plan_endpoint(after) := fx.with_account(fx.plan([fx.rc_unknown("aws_vpc_endpoint", "sm", fx.tagged("dev", object.union({"service_name": "com.amazonaws.ap-northeast-1.secretsmanager", "vpc_endpoint_type": "Interface"}, after)), {"id": true})]), "123456789012")

test_vpc_endpoint_policy_plan_pass if {
	doc := {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "secretsmanager:GetSecretValue", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalAccount": "123456789012"}}}]}
	count(rules.vpc_endpoint_policy.deny) == 0 with input as _plan_endpoint({"policy": json.marshal(doc)})
}

test_vpc_endpoint_policy_plan_fail if {
	fx.fires(rules.vpc_endpoint_policy.deny, "MM-046", "aws_vpc_endpoint.sm") with input as fx.plan([fx.rc("aws_vpc_endpoint", "sm", fx.tagged("dev", {"service_name": "com.amazonaws.ap-northeast-1.secretsmanager", "policy": null}))])
	doc := {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "secretsmanager:GetSecretValue", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalAccount": "999988887777"}}}]}
	fx.fires(rules.vpc_endpoint_policy.deny, "MM-046", "aws_vpc_endpoint.sm") with input as _plan_endpoint({"policy": json.marshal(doc)})
}

# ---- MM-047 prod_stateful_protected -------------------------------------------------------------------

test_prod_stateful_protected_raw_pass if {
	count(rules.prod_stateful_protected.deny) == 0 with input as fx.raw("prod", {"aws_kms_key": {"k": {"description": "x", "lifecycle": {"prevent_destroy": true}}}})
	count(rules.prod_stateful_protected.deny) == 0 with input as fx.raw("dev", {"aws_kms_key": {"k": {"description": "x"}}})
}

test_prod_stateful_protected_raw_fail if {
	fx.fires(rules.prod_stateful_protected.deny, "MM-047", "aws_kms_key.k") with input as fx.raw("prod", {"aws_kms_key": {"k": {"description": "x", "lifecycle": {"prevent_destroy": false}}}})
}

_gone(type, name) := fx.put(fx.rc(type, name, null), "change", {"actions": ["delete"], "before": {"identifier": name}, "after": null})

test_prod_stateful_protected_plan_pass if {
	count(rules.prod_stateful_protected.deny) == 0 with input as fx.plan([fx.rc("aws_rds_cluster", "aurora", fx.tagged("prod", {"deletion_protection": true}))])
}

test_prod_stateful_protected_plan_fail if {
	destroy := fx.plan([fx.rc("aws_kms_key", "db", fx.tagged("prod", {})), _gone("aws_rds_cluster_instance", "writer")])
	fx.fires(rules.prod_stateful_protected.deny, "MM-047", "aws_rds_cluster_instance.writer") with input as destroy
}

# ---- MM-048 ecs_non_root_user -------------------------------------------------------------------------

_td(user) := json.marshal([object.union({"name": "app", "image": "x", "readonlyRootFilesystem": true}, user)])

test_ecs_non_root_user_raw_pass if {
	count(rules.ecs_non_root_user.deny) == 0 with input as fx.raw("dev", {"aws_ecs_task_definition": {"t": {"family": "f", "container_definitions": _td({"user": "1001:1001"})}}})
}

test_ecs_non_root_user_raw_fail if {
	fx.fires(rules.ecs_non_root_user.deny, "MM-048", "aws_ecs_task_definition.t") with input as fx.raw("dev", {"aws_ecs_task_definition": {"t": {"family": "f", "container_definitions": _td({})}}})
	fx.fires(rules.ecs_non_root_user.deny, "MM-048", "aws_ecs_task_definition.t") with input as fx.raw("dev", {"aws_ecs_task_definition": {"t": {"family": "f", "container_definitions": _td({"user": "0:1001"})}}})
}

_td_at(addr, defs) := fx.raw("prod", {"aws_ecs_task_definition": {addr: {"family": "f", "container_definitions": json.marshal(defs)}}})

# The scratch-init exception covers that one non-essential container of that task definition only.
test_ecs_non_root_user_exception_is_per_container if {
	init := {"name": "backend-scratch-init", "image": "x", "user": "0", "essential": false}
	app := {"name": "backend", "image": "x", "user": "1001:1001"}
	count(rules.ecs_non_root_user.deny) == 0 with input as _td_at("backend", [init, app])

	# another root container of the same task definition is still denied
	fx.fires(rules.ecs_non_root_user.deny, "MM-048", "aws_ecs_task_definition.backend") with input as _td_at("backend", [init, object.union(app, {"user": "0"})])
	fx.fires(rules.ecs_non_root_user.deny, "MM-048", "aws_ecs_task_definition.backend") with input as _td_at("backend", [init, object.union(init, {"name": "sidecar"})])

	# the name alone is not enough: an essential container of that name, or in another task definition
	fx.fires(rules.ecs_non_root_user.deny, "MM-048", "aws_ecs_task_definition.backend") with input as _td_at("backend", [object.union(init, {"essential": true})])
	fx.fires(rules.ecs_non_root_user.deny, "MM-048", "aws_ecs_task_definition.backend") with input as _td_at("backend", [object.remove(init, ["essential"])])
	fx.fires(rules.ecs_non_root_user.deny, "MM-048", "aws_ecs_task_definition.frontend") with input as _td_at("frontend", [init])

	# a container exception never excepts the whole resource
	not lib.excepted("MM-048", {"address": "aws_ecs_task_definition.backend"})
	not lib.excepted_address("MM-048", "aws_ecs_task_definition.backend")
}

test_ecs_non_root_user_plan_pass if {
	count(rules.ecs_non_root_user.deny) == 0 with input as fx.plan([fx.rc("aws_ecs_task_definition", "t", fx.tagged("dev", {"family": "f", "container_definitions": _td({"user": "101"})}))])
}

test_ecs_non_root_user_plan_fail if {
	fx.fires(rules.ecs_non_root_user.deny, "MM-048", "aws_ecs_task_definition.t") with input as fx.plan([fx.rc("aws_ecs_task_definition", "t", fx.tagged("dev", {"family": "f", "container_definitions": _td({"user": "root"})}))])
}

# ---- MM-049 codebuild_not_privileged --------------------------------------------------------------

test_codebuild_not_privileged_raw_pass if {
	count(rules.codebuild_not_privileged.deny) == 0 with input as fx.raw("dev", {"aws_codebuild_project": {"tests": {"environment": {"privileged_mode": false}}}})

	# the image builds are excepted with a reason
	count(rules.codebuild_not_privileged.deny) == 0 with input as fx.raw("dev", {"aws_codebuild_project": {"backend_build": {"environment": {"privileged_mode": true}}}})
}

test_codebuild_not_privileged_raw_fail if {
	fx.fires(rules.codebuild_not_privileged.deny, "MM-049", "aws_codebuild_project.tests") with input as fx.raw("dev", {"aws_codebuild_project": {"tests": {"environment": {"privileged_mode": true}}}})
}

test_codebuild_not_privileged_plan_pass if {
	count(rules.codebuild_not_privileged.deny) == 0 with input as fx.plan([fx.rc("aws_codebuild_project", "tests", fx.tagged("dev", {"environment": [{"privileged_mode": false}]}))])
}

test_codebuild_not_privileged_plan_fail if {
	fx.fires(rules.codebuild_not_privileged.deny, "MM-049", "aws_codebuild_project.tests") with input as fx.plan([fx.rc("aws_codebuild_project", "tests", fx.tagged("dev", {"environment": [{"privileged_mode": true}]}))])
}

# ---- MM-050 rds_multi_az / MM-051 elasticache_backups / MM-052 elasticache_failover ----------------

_raw_db(env, zones) := fx.raw(env, {
	"aws_rds_cluster": {"aurora": {"cluster_identifier": "x"}},
	"aws_rds_cluster_instance": {sprintf("i%d", [i]): {"cluster_identifier": "${aws_rds_cluster.aurora.id}", "availability_zone": z} | some i, z in zones},
})

test_rds_multi_az_raw_pass if {
	count(rules.rds_multi_az.deny) == 0 with input as _raw_db("prod", ["ap-northeast-1a", "ap-northeast-1c"])

	# dev's single instance is a per-environment exception
	count(rules.rds_multi_az.deny) == 0 with input as _raw_db("dev", ["ap-northeast-1a"])
}

test_rds_multi_az_raw_fail if {
	fx.fires(rules.rds_multi_az.deny, "MM-050", "aws_rds_cluster.aurora") with input as _raw_db("prod", ["ap-northeast-1a", "ap-northeast-1a"])
}

_plan_db(zones) := fx.plan_refs(
	array.concat([fx.rc_unknown("aws_rds_cluster", "aurora", fx.tagged("prod", {"cluster_identifier": "markmail-prod-cluster"}), {"id": true})], [fx.rc_unknown("aws_rds_cluster_instance", sprintf("i%d", [i]), fx.tagged("prod", {"availability_zone": z}), {"cluster_identifier": true}) | some i, z in zones]),
	[fx.cfg("aws_rds_cluster_instance", sprintf("i%d", [i]), {"cluster_identifier": ["aws_rds_cluster.c.id", "aws_rds_cluster.aurora"]}) | some i, _ in zones],
)

test_rds_multi_az_plan_pass if {
	count(rules.rds_multi_az.deny) == 0 with input as _plan_db(["ap-northeast-1a", "ap-northeast-1c"])
}

test_rds_multi_az_plan_fail if {
	fx.fires(rules.rds_multi_az.deny, "MM-050", "aws_rds_cluster.aurora") with input as _plan_db(["ap-northeast-1a"])
}

_raw_rg(env, body) := fx.raw(env, {"aws_elasticache_replication_group": {"redis": body}})

_plan_rg(body) := fx.plan([fx.rc("aws_elasticache_replication_group", "redis", fx.tagged("prod", body))])

test_elasticache_backups_raw_pass if {
	count(rules.elasticache_backups.deny) == 0 with input as _raw_rg("prod", {"snapshot_retention_limit": 7})
	count(rules.elasticache_backups.deny) == 0 with input as _raw_rg("staging", {"snapshot_retention_limit": 0})
}

test_elasticache_backups_raw_fail if {
	fx.fires(rules.elasticache_backups.deny, "MM-051", "aws_elasticache_replication_group.redis") with input as _raw_rg("prod", {})
}

test_elasticache_backups_plan_pass if {
	count(rules.elasticache_backups.deny) == 0 with input as _plan_rg({"snapshot_retention_limit": 7})
}

test_elasticache_backups_plan_fail if {
	fx.fires(rules.elasticache_backups.deny, "MM-051", "aws_elasticache_replication_group.redis") with input as _plan_rg({"snapshot_retention_limit": 0})
}

test_elasticache_failover_raw_pass if {
	count(rules.elasticache_failover.deny) == 0 with input as _raw_rg("prod", {"automatic_failover_enabled": true})
	count(rules.elasticache_failover.deny) == 0 with input as _raw_rg("dev", {"automatic_failover_enabled": false})
}

test_elasticache_failover_raw_fail if {
	fx.fires(rules.elasticache_failover.deny, "MM-052", "aws_elasticache_replication_group.redis") with input as _raw_rg("prod", {"automatic_failover_enabled": false})
}

test_elasticache_failover_plan_pass if {
	count(rules.elasticache_failover.deny) == 0 with input as _plan_rg({"automatic_failover_enabled": true})
}

test_elasticache_failover_plan_fail if {
	fx.fires(rules.elasticache_failover.deny, "MM-052", "aws_elasticache_replication_group.redis") with input as _plan_rg({})
}

# ---- MM-053 vpc_ec2_endpoint / MM-054 nacl_admin_ports ----------------------------------------------

_raw_vpc(endpoints, nacl) := fx.raw("dev", object.union({"aws_vpc": {"v": {"cidr_block": "10.10.0.0/16"}}, "aws_default_network_acl": {"n": {"default_network_acl_id": "${aws_vpc.v.default_network_acl_id}", "ingress": nacl}}}, endpoints))

_ec2 := {"aws_vpc_endpoint": {"ec2": {"vpc_id": "${aws_vpc.v.id}", "service_name": "com.amazonaws.ap-northeast-1.ec2", "vpc_endpoint_type": "Interface"}}}

_allow_all := [{"action": "allow", "cidr_block": "0.0.0.0/0", "from_port": 0, "protocol": "-1", "rule_no": 100, "to_port": 0}]

_no_admin := [
	{"action": "deny", "cidr_block": "0.0.0.0/0", "from_port": 22, "protocol": "tcp", "rule_no": 50, "to_port": 22},
	{"action": "allow", "cidr_block": "0.0.0.0/0", "from_port": 443, "protocol": "tcp", "rule_no": 100, "to_port": 443},
	{"action": "allow", "cidr_block": "10.10.0.0/16", "from_port": 0, "protocol": "-1", "rule_no": 110, "to_port": 0},
]

test_vpc_ec2_endpoint_raw_pass if {
	count(rules.vpc_ec2_endpoint.deny) == 0 with input as _raw_vpc(_ec2, _no_admin)
}

test_vpc_ec2_endpoint_raw_fail if {
	# the SSM agent's ec2messages endpoint is not the EC2 API
	msgs := {"aws_vpc_endpoint": {"m": {"vpc_id": "${aws_vpc.v.id}", "service_name": "com.amazonaws.ap-northeast-1.ec2messages", "vpc_endpoint_type": "Interface"}}}
	fx.fires(rules.vpc_ec2_endpoint.deny, "MM-053", "aws_vpc.v") with input as _raw_vpc(msgs, _no_admin)
}

_plan_vpc(service) := fx.plan_refs(
	[
		fx.rc_unknown("aws_vpc", "v", fx.tagged("dev", {"cidr_block": "10.10.0.0/16"}), {"id": true}),
		fx.rc_unknown("aws_vpc_endpoint", "e", fx.tagged("dev", {"service_name": service, "vpc_endpoint_type": "Interface"}), {"vpc_id": true}),
	],
	[fx.cfg("aws_vpc_endpoint", "e", {"vpc_id": ["aws_vpc.v.id", "aws_vpc.v"]})],
)

test_vpc_ec2_endpoint_plan_pass if {
	count(rules.vpc_ec2_endpoint.deny) == 0 with input as _plan_vpc("com.amazonaws.ap-northeast-1.ec2")
}

test_vpc_ec2_endpoint_plan_fail if {
	fx.fires(rules.vpc_ec2_endpoint.deny, "MM-053", "aws_vpc.v") with input as _plan_vpc("com.amazonaws.ap-northeast-1.ec2messages")
}

test_nacl_admin_ports_raw_pass if {
	count(rules.nacl_admin_ports.deny) == 0 with input as _raw_vpc(_ec2, [_no_admin[1], _no_admin[2]])
}

test_nacl_admin_ports_raw_fail if {
	fx.fires(rules.nacl_admin_ports.deny, "MM-054", "aws_default_network_acl.n") with input as _raw_vpc(_ec2, _allow_all)
}

test_nacl_admin_ports_plan_pass if {
	count(rules.nacl_admin_ports.deny) == 0 with input as fx.plan([fx.rc("aws_network_acl_rule", "r", {"egress": false, "rule_action": "allow", "cidr_block": "10.0.0.0/8", "protocol": "tcp", "from_port": 22, "to_port": 22, "rule_number": 10})])
}

test_nacl_admin_ports_plan_fail if {
	fx.fires(rules.nacl_admin_ports.deny, "MM-054", "aws_network_acl_rule.r") with input as fx.plan([fx.rc("aws_network_acl_rule", "r", {"egress": false, "rule_action": "allow", "cidr_block": "0.0.0.0/0", "protocol": "tcp", "from_port": 0, "to_port": 1024, "rule_number": 10})])
}

# ---- MM-055 policy_data_loaded ----------------------------------------------------------------------

test_policy_data_loaded_raw_pass if {
	count(rules.policy_data_loaded.deny) == 0 with input as fx.raw("dev", {})
}

test_policy_data_loaded_raw_fail if {
	denies := rules.policy_data_loaded.deny with input as fx.raw("dev", {}) with data.data.tls as null
	some m in denies
	startswith(m, "[MM-055] stack:")
	fx.fires(denies, "MM-055", "stack")
	contains(m, "tls")
}

test_policy_data_loaded_plan_pass if {
	count(rules.policy_data_loaded.deny) == 0 with input as fx.plan([])
}

test_policy_data_loaded_plan_fail if {
	denies := rules.policy_data_loaded.deny with input as fx.plan([]) with data.data.secrets as "gone"
	some m in denies
	contains(m, "secrets")
}

# ---- MM-056 s3_access_logging -------------------------------------------------------------------------

_raw_buckets(logging) := fx.raw("dev", object.union(
	{
		"aws_s3_bucket": {"data": {"bucket": "markmail-dev-data"}, "logs": {"bucket": "markmail-dev-logs"}},
		"aws_lb": {"alb": {"name": "x", "access_logs": {"bucket": "${aws_s3_bucket.logs.id}", "enabled": true}}},
	},
	logging,
))

_logging := {"aws_s3_bucket_logging": {"data": {"bucket": "${aws_s3_bucket.data.id}", "target_bucket": "${aws_s3_bucket.logs.id}", "target_prefix": "data/"}}}

test_s3_access_logging_raw_pass if {
	count(rules.s3_access_logging.deny) == 0 with input as _raw_buckets(_logging)
}

test_s3_access_logging_raw_fail if {
	denies := rules.s3_access_logging.deny with input as _raw_buckets({})
	fx.fires(denies, "MM-056", "aws_s3_bucket.data")
	count(denies) == 1 # the log target itself is not asked to log
}

_plan_buckets(changes) := fx.plan_refs(
	array.concat([fx.rc_unknown("aws_s3_bucket", "data", fx.tagged("dev", {"bucket": "markmail-dev-data"}), {"id": true, "arn": true})], changes),
	[fx.cfg("aws_s3_bucket_logging", "data", {"bucket": ["aws_s3_bucket.data.id", "aws_s3_bucket.data"]})],
)

test_s3_access_logging_plan_pass if {
	count(rules.s3_access_logging.deny) == 0 with input as _plan_buckets([fx.rc_unknown("aws_s3_bucket_logging", "data", {"target_bucket": "markmail-dev-logs", "target_prefix": "data/"}, {"bucket": true})])
}

test_s3_access_logging_plan_fail if {
	fx.fires(rules.s3_access_logging.deny, "MM-056", "aws_s3_bucket.data") with input as _plan_buckets([])
}

# ---- MM-026: a scoping condition of policies/data/iam bounds key/* ----------------------------------

_state_key(values) := fx.raw_data("dev", {"aws_iam_role_policy": {"deploy": {"role": "r", "policy": "${data.aws_iam_policy_document.deploy.json}"}}}, {"aws_iam_policy_document": {"deploy": {"statement": [{
	"effect": "Allow", "actions": ["kms:Decrypt"], "resources": ["arn:aws:kms:ap-northeast-1:${data.aws_caller_identity.me.account_id}:key/*"],
	"condition": [{"test": "ForAnyValue:StringEquals", "variable": "kms:ResourceAliases", "values": values}],
}]}}})

test_iam_no_wildcard_resources_raw_pass_scoping_condition if {
	count(rules.iam_no_wildcard_resources.deny) == 0 with input as _state_key(["alias/markmail-terraform-state"])
}

test_iam_no_wildcard_resources_raw_fail_scoping_condition_wildcard if {
	# an alias pattern scopes nothing
	fx.fires(rules.iam_no_wildcard_resources.deny, "MM-026", "data.aws_iam_policy_document.deploy") with input as _state_key(["alias/*"])
}

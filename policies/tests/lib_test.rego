package markmail.tests.lib

import data.markmail.fixtures as fx
import data.markmail.lib
import data.markmail.main
import rego.v1

_raw := fx.raw_data(
	"prod", {"aws_vpc": {
		"//": {"ignored": true},
		"vpc_1": {"//": fx.meta("net/vpc"), "cidr_block": "10.30.0.0/16", "tags": {"Name": "markmail-prod-vpc"}},
	}},
	{"aws_iam_policy_document": {"doc": {"statement": [{"actions": ["s3:GetObject"], "resources": ["${aws_s3_bucket.b.arn}/*"]}]}}},
)

_changes := [fx.rc_unknown("aws_flow_log", "f", fx.tagged("staging", {"traffic_type": "ALL"}), {"vpc_id": true})]

_config := [fx.cfg("aws_flow_log", "f", {"vpc_id": ["aws_vpc.main.id", "aws_vpc.main"]})]

test_raw_shape_drops_cdktf_metadata if {
	lib.shape == "raw" with input as _raw
	addresses := {r.address | some r in lib.resources} with input as _raw
	addresses == {"aws_vpc.vpc_1", "data.aws_iam_policy_document.doc"}
	some r in lib.resources with input as _raw
	r.address == "aws_vpc.vpc_1"
	not r.values["//"]
	r.values.cidr_block == "10.30.0.0/16"
}

test_raw_environment_from_provider_default_tags if {
	lib.environment == "prod" with input as _raw
}

test_raw_refs_from_interpolations if {
	some r in lib.resources with input as _raw
	r.address == "data.aws_iam_policy_document.doc"
	r.refs["statement.resources"] == {"aws_s3_bucket.b.arn"}
}

test_hcp_plan_shape if {
	input_doc := fx.plan_refs(_changes, _config)
	lib.shape == "plan" with input as input_doc
	lib.environment == "staging" with input as input_doc
	some r in lib.resources with input as input_doc
	r.address == "aws_flow_log.f"
	r.refs.vpc_id == {"aws_vpc.main.id", "aws_vpc.main"}
	lib.present(r, "vpc_id") # unknown counts as present
	lib.unknown(r, "vpc_id")
}

test_conftest_plan_shape if {
	input_doc := fx.conftest(_changes, _config)
	lib.shape == "plan" with input as input_doc
	count(lib.resources) == 1 with input as input_doc
}

test_planned_values_fallback_walks_modules if {
	doc := {"planned_values": {"root_module": {
		"resources": [{"address": "aws_vpc.a", "mode": "managed", "type": "aws_vpc", "name": "a", "values": {"cidr_block": "10.0.0.0/16"}}],
		"child_modules": [{"address": "module.m", "resources": [{"address": "module.m.aws_vpc.b", "mode": "managed", "type": "aws_vpc", "name": "b", "values": {}}]}],
	}}}
	{r.address | some r in lib.resources} == {"aws_vpc.a", "module.m.aws_vpc.b"} with input as doc
}

test_plan_data_sources_from_prior_state if {
	doc := fx.put(fx.conftest([], []), "prior_state", {"values": {"root_module": {"resources": [{
		"address": "data.aws_iam_policy_document.p", "mode": "data", "type": "aws_iam_policy_document", "name": "p",
		"values": {"statement": [{"effect": "Allow", "actions": ["*"], "resources": ["*"], "principals": [], "not_principals": [], "condition": []}]},
	}]}}})
	some s in lib.statements with input as doc
	s.address == "data.aws_iam_policy_document.p"
	not lib.resource_based(s)
	some m in main.deny with input as doc
	startswith(m, "[MM-025] data.aws_iam_policy_document.p")
}

test_deleted_resources_are_ignored if {
	gone := fx.put(fx.rc("aws_rds_cluster", "old", null), "change", {"actions": ["delete"], "before": {"storage_encrypted": false}, "after": null})
	count(lib.resources) == 0 with input as fx.plan([gone])
}

test_blocks_normalises_objects_and_arrays if {
	lib.blocks({"m": {"a": 1}}, "m") == [{"a": 1}]
	lib.blocks({"m": [{"a": 1}]}, "m") == [{"a": 1}]
	lib.blocks({"m": null}, "m") == []
	lib.blocks({}, "m") == []
}

test_container_definitions_parsed_from_string if {
	r := {"values": {"container_definitions": "[{\"name\":\"a\",\"image\":\"${aws_ecr_repository.r.repository_url}:latest\"}]"}, "unknown": {}}
	lib.containers(r) == [{"name": "a", "image": "${aws_ecr_repository.r.repository_url}:latest"}]
	not lib.inspectable({"values": {"container_definitions": "${jsonencode([])}"}, "unknown": {}})
}

test_main_collects_every_rule if {
	count(main.summary) >= 25

	# a stack breaking two rules reports both through the entry point
	bad := fx.raw("dev", {"aws_sns_topic": {"t": {"name": "x"}}, "aws_ecr_repository": {"r": {"name": "y"}}})
	denies := main.deny with input as bad
	fx.fires(denies, "MM-003", "aws_sns_topic.t")
	fx.fires(denies, "MM-028", "aws_ecr_repository.r")
}

test_empty_stack_passes if {
	count(main.deny) == 0 with input as fx.raw("dev", {})
	count(main.deny) == 0 with input as fx.plan([])
}

test_refers_to_by_reference_or_literal_name if {
	bucket := {"address": "aws_s3_bucket.logs", "values": {"bucket": "markmail-dev-alb-logs"}}
	by_ref := {"shape": "raw", "values": {"access_logs": {"bucket": "${aws_s3_bucket.logs.id}"}}, "refs": {"access_logs.bucket": {"aws_s3_bucket.logs.id"}}}
	by_name := {"shape": "raw", "values": {"access_logs": {"bucket": "markmail-dev-alb-logs"}}, "refs": {}}
	other := {"shape": "raw", "values": {"access_logs": {"bucket": "someone-elses-bucket"}}, "refs": {}}
	lib.refers_to(by_ref, "access_logs.bucket", bucket)
	lib.refers_to(by_name, "access_logs.bucket", bucket)
	not lib.refers_to(other, "access_logs.bucket", bucket)
}

test_exceptions_are_narrow_and_reasoned if {
	every e in lib.exceptions {
		regex.match(`^MM-[0-9]{3}$`, e.rule)
		count(e.reason) > 40
	}

	# the Redis exception covers the database layer's group (one address in both shapes), and nothing else
	group := {"address": "aws_elasticache_replication_group.redis"}
	lib.excepted("MM-008", group)
	not lib.excepted("MM-007", group)
	not lib.excepted("MM-008", {"address": "aws_elasticache_replication_group.cache"})
	not lib.excepted("MM-008", {"address": "aws_elasticache_replication_group.redis_copy"})

	# per-environment exceptions hold only in their environments (lib.environment of the input)
	dev_cluster := {"address": "aws_rds_cluster.aurora"}
	lib.excepted("MM-018", dev_cluster) with input as fx.raw("dev", {})
	not lib.excepted("MM-018", dev_cluster) with input as fx.raw("staging", {})
	not lib.excepted("MM-018", dev_cluster) with input as fx.raw("prod", {})

	not lib.msg("MM-008", group, "x", "y")
	lib.msg("MM-007", group, "x", "y") == "[MM-007] aws_elasticache_replication_group.redis: x (y)"
}

test_aggregate_splits_by_enforcement_level if {
	bad := fx.raw("dev", {"aws_sns_topic": {"t": {"name": "x"}}, "aws_cloudwatch_log_group": {"l": {"name": "y", "kms_key_id": "${aws_kms_key.k.arn}"}}})
	mandatory := data.markmail.aggregate.mandatory with input as bad
	advisory := data.markmail.aggregate.advisory with input as bad
	fx.fires(mandatory, "MM-003", "aws_sns_topic.t")
	fx.fires(advisory, "MM-021", "aws_cloudwatch_log_group.l")
	count(mandatory) == 1
	count(advisory) == 1
	count(main.deny) == 2 with input as bad
}

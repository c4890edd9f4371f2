# Builders for test inputs in the three shapes the policy set reads. Only the envelopes are
# generated; every resource body in the tests is written by hand in the shape it has there
# (cdk.tf.json: object blocks, `${...}` references, `//` metadata; plan: array blocks, resolved
# values, tags_all, after_unknown).
package markmail.fixtures

import rego.v1

tags(env) := {"Project": "MarkMail", "Environment": env, "Layer": "test", "ManagedBy": "cdktf"}

# ---- cdk.tf.json -------------------------------------------------------------------------------

raw(env, resources) := {
	"//": {"metadata": {"backend": "s3", "stackName": sprintf("markmail-%s-test", [env]), "version": "0.21.0"}, "outputs": {}},
	"provider": {"aws": [{"default_tags": [{"tags": tags(env)}], "region": "ap-northeast-1"}]},
	"resource": resources,
	"terraform": {
		"backend": {"s3": {"bucket": "markmail-terraform-state", "key": sprintf("markmail/%s/test.tfstate", [env]), "region": "ap-northeast-1", "encrypt": true}},
		"required_providers": {"aws": {"source": "aws", "version": "6.25.0"}},
	},
}

raw_data(env, resources, data_sources) := object.union(raw(env, resources), {"data": data_sources})

# cdktf's per-resource metadata block.
meta(path) := {"metadata": {"path": path, "uniqueId": replace(path, "/", "_")}}

# ---- plan (terraform show -json) --------------------------------------------------------------

plan_doc(changes, config) := {
	"format_version": "1.2",
	"terraform_version": "1.13.4",
	"resource_changes": changes,
	"configuration": {"provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws"}}, "root_module": {"resources": config}},
}

# HCP Terraform policy-evaluation input: the plan under `plan`, run data beside it.
plan(changes) := plan_refs(changes, [])

plan_refs(changes, config) := {
	"plan": plan_doc(changes, config),
	"run": {"id": "run-test", "workspace": {"name": "markmail-test"}, "is_destroy": false},
}

# An HCP-shaped plan whose prior_state holds data.aws_caller_identity (as every real plan of these stacks does).
with_account(doc, account) := fx_put_plan(doc, "prior_state", {"values": {"root_module": {"resources": [{
	"address": "data.aws_caller_identity.me", "mode": "data", "type": "aws_caller_identity", "name": "me",
	"values": {"account_id": account, "arn": sprintf("arn:aws:iam::%s:user/ci", [account]), "id": account, "user_id": "AIDAEXAMPLE"},
}]}}})

fx_put_plan(doc, key, value) := put(doc, "plan", put(doc.plan, key, value))

# conftest on `terraform show -json tfplan`: the plan is the whole input.
conftest(changes, config) := plan_doc(changes, config)

rc(type, name, after) := rc_unknown(type, name, after, {})

rc_unknown(type, name, after, unknown) := {
	"address": sprintf("%s.%s", [type, name]),
	"mode": "managed",
	"type": type,
	"name": name,
	"provider_name": "registry.terraform.io/hashicorp/aws",
	"change": {"actions": ["create"], "before": null, "after": after, "after_unknown": unknown, "before_sensitive": false, "after_sensitive": {}},
}

# A configuration entry whose attributes refer to other objects: {"vpc_id": ["aws_vpc.main.id", "aws_vpc.main"]}.
cfg(type, name, refs) := {
	"address": sprintf("%s.%s", [type, name]),
	"mode": "managed",
	"type": type,
	"name": name,
	"provider_config_key": "aws",
	"expressions": {k: {"references": v} | some k, v in refs},
}

# after values of a taggable resource in a plan: provider default tags merged into tags_all.
tagged(env, after) := object.union(after, {"tags": null, "tags_all": tags(env)})

# ---- assertions -------------------------------------------------------------------------------

# A deny of rule `id` names `address`.
fires(denies, id, address) if {
	some m in denies
	startswith(m, sprintf("[%s] %s", [id, address]))
}

# obj with key set to value (replaced, not merged: object.union would merge nested objects).
put(obj, key, value) := object.union(object.remove(obj, [key]), {key: value})

# ---- a deliberately bad plan for the conftest demonstration (scripts/policy/check.sh) ----------

conftest_bad_plan := conftest(
	[
		rc("aws_rds_cluster_instance", "writer", tagged("prod", {"identifier": "markmail-prod", "publicly_accessible": true})),
		rc("aws_sns_topic", "alarms", tagged("prod", {"name": "markmail-prod-alarms", "kms_master_key_id": null})),
	],
	[],
)

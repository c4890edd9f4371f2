# IAM statement normalisation (same package as resources.rego).
#
# description: |
#   Every IAM statement in the input as
#   {address, attribute, resource_based, effect, actions, not_actions, resources, not_resources,
#    principals: [{type, identifiers}], conditions: [{test, variable, values}]}
#   from two sources:
#     - data "aws_iam_policy_document" blocks (cdk.tf.json, and a plan's prior_state), where
#       cdktf-built policies live before rendering;
#     - rendered policy JSON strings on resources (`policy`, `policy_document`,
#       `assume_role_policy`, inline_policy blocks), which is what a plan carries. Strings that
#       are `${...}` references (cdk.tf.json) are skipped: the document they point to is read above.
package markmail.lib

import rego.v1

statements contains s if {
	some d in data_of_type("aws_iam_policy_document")
	some st in blocks(d.values, "statement")
	s := {
		"address": d.address,
		"attribute": "statement",
		"resource_based": _doc_resource_based(st),
		"effect": object.get(st, "effect", "Allow"),
		"actions": _str_list(object.get(st, "actions", [])),
		"not_actions": _str_list(object.get(st, "not_actions", [])),
		"resources": _str_list(object.get(st, "resources", [])),
		"not_resources": _str_list(object.get(st, "not_resources", [])),
		"principals": [{"type": p.type, "identifiers": _str_list(p.identifiers)} | some p in blocks(st, "principals")],
		"conditions": [{"test": c.test, "variable": c.variable, "values": _str_list(c.values)} | some c in blocks(st, "condition")],
	}
}

statements contains s if {
	some r in resources
	r.mode == "managed"
	some attribute, doc in _policy_documents(r)
	some st in _json_statements(doc)
	s := {
		"address": r.address,
		"attribute": attribute,
		"resource_based": _json_resource_based(st),
		"effect": object.get(st, "Effect", "Allow"),
		"actions": _str_list(object.get(st, "Action", [])),
		"not_actions": _str_list(object.get(st, "NotAction", [])),
		"resources": _str_list(object.get(st, "Resource", [])),
		"not_resources": _str_list(object.get(st, "NotResource", [])),
		"principals": _json_principals(object.get(st, "Principal", null)),
		"conditions": _json_conditions(object.get(st, "Condition", {})),
	}
}

# attribute name → parsed JSON document, for every inspectable policy string of r.
_policy_documents(r) := object.union(
	{k: doc |
		some k in ["policy", "policy_document", "assume_role_policy"]
		doc := _parse(object.get(r.values, k, null))
	},
	{sprintf("inline_policy.%d", [i]): doc |
		some i, b in blocks(r.values, "inline_policy")
		doc := _parse(object.get(b, "policy", null))
	},
)

_parse(v) := doc if {
	is_string(v)
	not is_expression(v)
	json.is_valid(v)
	doc := json.unmarshal(v)
	is_object(doc)
}

_json_statements(doc) := as_list(doc.Statement)

_str_list(x) := [v | some v in as_list(x); is_string(v)]

# A statement with principals belongs to a resource policy (key, bucket, topic, trust policy).
_doc_resource_based(st) if {
	count(blocks(st, "principals")) + count(blocks(st, "not_principals")) > 0
} else := false

_json_resource_based(st) if {
	count({k | some k in ["Principal", "NotPrincipal"]; st[k]}) > 0
} else := false

_json_principals(null) := []

_json_principals(p) := [{"type": "*", "identifiers": ["*"]}] if p == "*"

_json_principals(p) := [{"type": t, "identifiers": _str_list(ids)} | some t, ids in p] if is_object(p)

_json_conditions(c) := [{"test": test, "variable": variable, "values": _str_list(vals)} |
	some test, byvar in c
	some variable, vals in byvar
] if is_object(c)

_json_conditions(c) := [] if not is_object(c)

allow_statements := {s | some s in statements; s.effect == "Allow"}

# Statements of a policy attached to an identity (no principals): the ones wildcard resources matter for.
identity_statements := {s | some s in allow_statements; not s.resource_based}

# Principal of a key policy's administration statement: the account root (arn:...:iam::<acct>:root).
is_account_root_principal(s) if {
	count(s.principals) > 0
	every p in s.principals {
		p.type == "AWS"
		every id in p.identifiers {
			regex.match(`^[0-9]{12}$|:root$`, id)
		}
	}
}

# Actions that have no resource-level permissions (IAM "Resource types" column is empty),
# so `Resource: "*"` is the only valid form. Each needs a reason to be here.
resource_wildcard_actions := {
	"ecr:getauthorizationtoken", # account-wide registry token
	"ecs:registertaskdefinition", # task definitions have no ARN before registration
	"ecs:deregistertaskdefinition", # no resource-level permission
	"ecs:describetaskdefinition", # no resource-level permission
	"ecs:listtaskdefinitions", # list operation
	"ecs:listclusters", # list operation
	"logs:describeloggroups", # list operation over the account
	"xray:puttracesegments", # X-Ray daemon / ADOT sidecar
	"xray:puttelemetryrecords", # X-Ray daemon / ADOT sidecar
	"xray:getsamplingrules", # X-Ray daemon / ADOT sidecar
	"xray:getsamplingtargets", # X-Ray daemon / ADOT sidecar
	"xray:getsamplingstatisticsummaries", # X-Ray daemon / ADOT sidecar
	"ssmmessages:createcontrolchannel", # ECS Exec / Session Manager channel
	"ssmmessages:createdatachannel", # ECS Exec / Session Manager channel
	"ssmmessages:opencontrolchannel", # ECS Exec / Session Manager channel
	"ssmmessages:opendatachannel", # ECS Exec / Session Manager channel
	"ec2messages:acknowledgemessage", # SSM agent on the bastion
	"ec2messages:deletemessage", # SSM agent on the bastion
	"ec2messages:failmessage", # SSM agent on the bastion
	"ec2messages:getendpoint", # SSM agent on the bastion
	"ec2messages:getmessages", # SSM agent on the bastion
	"ec2messages:sendreply", # SSM agent on the bastion
	"ssm:updateinstanceinformation", # SSM agent registration
	"cloudwatch:putmetricdata", # no resource-level permission (scope with cloudwatch:namespace)
	"sts:getcalleridentity", # no resource-level permission
	"secretsmanager:getrandompassword", # no resource-level permission
	"ec2:describenetworkinterfaces", # Describe* calls have no resource-level permission
	"ec2:describesubnets", # Describe* calls have no resource-level permission
	"ec2:describesecuritygroups", # Describe* calls have no resource-level permission
	"ec2:describevpcs", # Describe* calls have no resource-level permission
	"ec2:describedhcpoptions", # Describe* calls have no resource-level permission
	"elasticloadbalancing:describetargetgroups", # Describe* calls have no resource-level permission
	"elasticloadbalancing:describelisteners", # Describe* calls have no resource-level permission
	"elasticloadbalancing:describerules", # Describe* calls have no resource-level permission
	"elasticloadbalancing:describetargethealth", # Describe* calls have no resource-level permission
	"application-autoscaling:describescalabletargets", # Describe* calls have no resource-level permission
	"application-autoscaling:describescalingpolicies", # Describe* calls have no resource-level permission
	"codebuild:listprojects", # list operation
	"ses:getsendquota", # no resource-level permission
	"ses:getaccount", # no resource-level permission
}

needs_resource_wildcard(action) if lower(action) in resource_wildcard_actions

# "*" or a whole service ("s3:*").
is_wildcard_action(a) if a == "*"

is_wildcard_action(a) if endswith(a, ":*")

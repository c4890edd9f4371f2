# Reasoned exceptions (same package as resources.rego).
#
# The OPA counterpart of the skips in .checkov.yaml, but narrower: one rule id, a glob on the
# resource address (the same in cdk.tf.json and in plans: the stacks have readable addresses),
# optionally the environments it holds in (the strict environment of
# lib.environment: a prod stack can never borrow a dev exception), the Security Hub control it
# stands for, and a reason. lib.msg() yields nothing for an excepted resource, so every rule that
# reports through lib.msg honours the list, in HCP Terraform, conftest and CI alike; statement-based
# rules check lib.excepted_address. An entry with `container` excepts only that container of the
# resource, and only while it is not essential (an init container that exits before the app
# starts): rules on containers check lib.excepted_container. Every entry needs a reason; the lead owns the decision. Keep the
# list short. policies/README.md lists the same entries (scripts/policy/check-fixtures.sh compares).
package markmail.lib

import rego.v1

exceptions := [
	{
		"rule": "MM-008",
		"control": "ElastiCache.6",
		"address": "aws_elasticache_replication_group.redis",
		"reason": "No Redis AUTH token: auth_token is not write-only, so it would sit in the Terraform state (the briefing forbids secret values there). The boundary is the cache security group (ECS tasks only) plus required TLS; ElastiCache IAM authentication is the upgrade path once the backend's client supports it.",
	},
	{
		"rule": "MM-018",
		"control": "RDS.7",
		"environments": ["dev"],
		"address": "aws_rds_cluster.aurora",
		"reason": "dev is torn down and rebuilt freely (forceDestroy); staging and prod keep deletion protection on.",
	},
	{
		"rule": "MM-018",
		"control": "ELB.6",
		"environments": ["dev", "staging"],
		"address": "aws_lb.alb",
		"reason": "dev and staging load balancers are destroyed with their environment; they hold no data. prod keeps deletion protection on.",
	},
	{
		"rule": "MM-047",
		"control": "RDS.7",
		"address": "aws_kms_key.bastion",
		"reason": "The bastion is temporary by design (scripts/bastion.sh off destroys it): this key encrypts only its root volume, which goes with it. The session logs, the audit trail, live in the database layer's log group, which is protected.",
	},
	{
		"rule": "MM-048",
		"control": "ECS.20",
		"address": "aws_ecs_task_definition.backend",
		"container": "backend-scratch-init",
		"reason": "Fargate creates task-storage volumes root-owned 0755 and the app image (built in the application repository) does not pre-own them, so only uid 0 can chown /tmp to the app user 1001; the init container runs `chown` once with every capability but CHOWN dropped, is not essential and exits before the app (1001:1001) starts.",
	},
	{
		"rule": "MM-048",
		"control": "ECS.20",
		"address": "aws_ecs_task_definition.frontend",
		"container": "frontend-scratch-init",
		"reason": "Fargate creates task-storage volumes root-owned 0755 and nginx:alpine does not pre-own /tmp, /var/cache/nginx and /var/run, so only uid 0 can chown them to nginx (101); the init container runs `chown` once with every capability but CHOWN dropped, is not essential and exits before nginx (101:101) starts.",
	},
	{
		"rule": "MM-049",
		"control": "CodeBuild.5",
		"address": "aws_codebuild_project.{backend,frontend}_build",
		"reason": "The two image-build projects run `docker build`, which needs privileged mode on CodeBuild's managed images; no other project exists and the build role can push only its own repository.",
	},
	{
		"rule": "MM-050",
		"control": "RDS.15",
		"environments": ["dev", "staging"],
		"address": "aws_rds_cluster.aurora",
		"reason": "dev and staging run one Aurora instance to save cost; prod has a writer and a reader in two AZs.",
	},
	{
		"rule": "MM-051",
		"control": "ElastiCache.1",
		"environments": ["dev", "staging"],
		"address": "aws_elasticache_replication_group.redis",
		"reason": "The cache holds sessions and rate-limit counters, no system of record; dev and staging keep no snapshots, prod keeps 7 days.",
	},
	{
		"rule": "MM-052",
		"control": "ElastiCache.3",
		"environments": ["dev", "staging"],
		"address": "aws_elasticache_replication_group.redis",
		"reason": "dev and staging run one cache node to save cost (failover needs two); prod runs two nodes with automatic failover.",
	},
	{
		"rule": "MM-053",
		"control": "EC2.10",
		"environments": ["dev", "staging"],
		"address": "aws_vpc.main",
		"reason": "dev and staging run without interface endpoints to save cost (network.interfaceEndpoints false; an endpoint costs per AZ and hour); their AWS API calls leave through the NAT gateway over TLS. prod has the EC2 endpoint with the others.",
	},
]

_applies(e, r) if {
	e.environments
	env_of(r) in e.environments
}

_applies(e, _) if not e.environments

excepted(rule_id, r) if {
	some e in exceptions
	e.rule == rule_id
	not e.container
	glob.match(e.address, [], r.address)
	_applies(e, r)
}

# For rules that report containers of a task definition: the named, non-essential container only.
excepted_container(rule_id, r, c) if {
	some e in exceptions
	e.rule == rule_id
	e.container == container_name(c)
	object.get(c, "essential", true) == false
	glob.match(e.address, [], r.address)
	_applies(e, r)
}

# For rules that report statements (address of a document or a policy resource).
excepted_address(rule_id, address) if {
	some e in exceptions
	e.rule == rule_id
	not e.container
	glob.match(e.address, [], address)
	_applies(e, {})
}

# HCP Terraform / Terraform Enterprise OPA policy set for the MarkMail stacks.
#
# Point a VCS policy set (kind OPA, "Policies path" = policies) at this directory. Every rule is
# its own policy so each gets its own enforcement level: mandatory where a violation is a data
# exposure or an irreversible loss, advisory where it is hygiene (tags, retention, observability).
# The reason above each block says why. HCP Terraform evaluates each query against
# {"plan": <terraform show -json>, "run": {...}}; lib/resources.rego also accepts a bare plan
# (conftest) and raw cdk.tf.json (CI, scripts/policy/check.sh), so the same rules run everywhere.
# Keep this file in step with the METADATA of policies/rules/*.rego: scripts/policy/check-fixtures.sh
# fails when a rule is missing here or its enforcement level differs.

# Encryption at rest cannot be added to an existing cluster without a snapshot restore.
policy "mm-001-rds-cluster-encrypted" {
  query             = "data.markmail.rules.rds_cluster_encrypted.deny"
  enforcement_level = "mandatory"
  description       = "MM-001 Aurora storage is encrypted with a customer-managed key"
}

# Unencrypted buckets hold state, artifacts and logs; the fix is one resource.
policy "mm-002-s3-bucket-encrypted" {
  query             = "data.markmail.rules.s3_bucket_encrypted.deny"
  enforcement_level = "mandatory"
  description       = "MM-002 S3 buckets have default encryption with a customer-managed key"
}

# Alarm and approval messages carry resource names and ARNs; encryption is free to add.
policy "mm-003-sns-topic-encrypted" {
  query             = "data.markmail.rules.sns_topic_encrypted.deny"
  enforcement_level = "mandatory"
  description       = "MM-003 SNS topics are encrypted with a customer-managed key"
}

# Application logs can contain personal data of mail recipients.
policy "mm-004-log-group-encrypted" {
  query             = "data.markmail.rules.log_group_encrypted.deny"
  enforcement_level = "mandatory"
  description       = "MM-004 CloudWatch log groups are encrypted with a customer-managed key"
}

# Encryption type is immutable on a repository; it must be right at creation.
policy "mm-005-ecr-encrypted" {
  query             = "data.markmail.rules.ecr_encrypted.deny"
  enforcement_level = "mandatory"
  description       = "MM-005 ECR repositories are encrypted with a customer-managed key"
}

# The CMK's policy is the second gate on who can read a secret; the AWS-managed key has none.
policy "mm-006-secret-encrypted" {
  query             = "data.markmail.rules.secret_encrypted.deny"
  enforcement_level = "mandatory"
  description       = "MM-006 Secrets Manager secrets use a customer-managed key"
}

# Sessions and rate-limit counters live in Redis; encryption cannot be turned on in place.
policy "mm-007-elasticache-encrypted" {
  query             = "data.markmail.rules.elasticache_encrypted.deny"
  enforcement_level = "mandatory"
  description       = "MM-007 ElastiCache (Redis/Valkey) is encrypted at rest and in transit"
}

# Without AUTH any task in the VPC can read or flush the cache.
policy "mm-008-elasticache-auth" {
  query             = "data.markmail.rules.elasticache_auth.deny"
  enforcement_level = "mandatory"
  description       = "MM-008 Redis requires authentication, never with a literal token"
}

# A public endpoint exposes the database to the internet's password guessing.
policy "mm-009-rds-not-public" {
  query             = "data.markmail.rules.rds_not_public.deny"
  enforcement_level = "mandatory"
  description       = "MM-009 Databases are not publicly accessible"
}

# Tasks sit in private subnets behind the ALB; a public IP bypasses it.
policy "mm-010-ecs-no-public-ip" {
  query             = "data.markmail.rules.ecs_no_public_ip.deny"
  enforcement_level = "mandatory"
  description       = "MM-010 ECS services do not assign public IPs"
}

# Everything behind the ALB is reachable only SG-to-SG; one open rule undoes that.
policy "mm-011-sg-world-ingress" {
  query             = "data.markmail.rules.sg_world_ingress.deny"
  enforcement_level = "mandatory"
  description       = "MM-011 Internet ingress only on the load balancer's own security group, and only TCP 80/443"
}

# With a certificate in place, a forwarding HTTP listener leaks logins and cookies in clear text.
policy "mm-012-alb-http-redirect" {
  query             = "data.markmail.rules.alb_http_redirect.deny"
  enforcement_level = "mandatory"
  description       = "MM-012 Plain listeners redirect to HTTPS once the stack has a certificate"
}

# The provider default (ELBSecurityPolicy-2016-08) still negotiates TLS 1.0.
policy "mm-013-alb-tls-policy" {
  query             = "data.markmail.rules.alb_tls_policy.deny"
  enforcement_level = "mandatory"
  description       = "MM-013 TLS listeners use a TLS 1.2+ policy"
}

# Invalid header fields are a request-smuggling vector towards the Rust backend.
policy "mm-014-alb-drop-invalid-headers" {
  query             = "data.markmail.rules.alb_drop_invalid_headers.deny"
  enforcement_level = "mandatory"
  description       = "MM-014 Application load balancers drop invalid HTTP headers"
}

# IMDSv1 lets any SSRF on the host read the instance role's credentials.
policy "mm-015-instance-imdsv2" {
  query             = "data.markmail.rules.instance_imdsv2.deny"
  enforcement_level = "mandatory"
  description       = "MM-015 EC2 instances (the bastion) require IMDSv2"
}

# The bastion is reached through Session Manager; a public address only adds exposure.
policy "mm-016-instance-no-public-ip" {
  query             = "data.markmail.rules.instance_no_public_ip.deny"
  enforcement_level = "mandatory"
  description       = "MM-016 EC2 instances (the bastion) get no public IP"
}

# Access goes through SSM Session Manager, which needs no open port; any ingress is a bypass.
policy "mm-017-bastion-no-ingress" {
  query             = "data.markmail.rules.bastion_no_ingress.deny"
  enforcement_level = "mandatory"
  description       = "MM-017 The bastion has no inbound rules (Session Manager only)"
}

# A stray destroy in prod must fail at the API, not rely on a reviewer reading the plan.
policy "mm-018-prod-deletion-protection" {
  query             = "data.markmail.rules.prod_deletion_protection.deny"
  enforcement_level = "mandatory"
  description       = "MM-018 Databases and load balancers have deletion protection"
}

# The final snapshot is the last copy of customer data after a deliberate destroy.
policy "mm-019-prod-final-snapshot" {
  query             = "data.markmail.rules.prod_final_snapshot.deny"
  enforcement_level = "mandatory"
  description       = "MM-019 Production databases take a final snapshot"
}

# Point-in-time restore is the recovery path for a bad migration or a mass deletion.
policy "mm-020-rds-backup-retention" {
  query             = "data.markmail.rules.rds_backup_retention.deny"
  enforcement_level = "mandatory"
  description       = "MM-020 Automated backups are kept at least 7 days (14 in prod)"
}

# A cost and data-minimisation concern, not an exposure; the run should warn, not stop.
policy "mm-021-log-group-retention" {
  query             = "data.markmail.rules.log_group_retention.deny"
  enforcement_level = "advisory"
  description       = "MM-021 CloudWatch log groups have a retention period"
}

# Observability, not exposure; a missing setting should be visible but not block a release.
policy "mm-022-ecs-container-insights" {
  query             = "data.markmail.rules.ecs_container_insights.deny"
  enforcement_level = "advisory"
  description       = "MM-022 ECS clusters have Container Insights on"
}

# Environment values are readable by anyone with ecs:DescribeTaskDefinition and live in the state.
policy "mm-023-ecs-no-secret-env" {
  query             = "data.markmail.rules.ecs_no_secret_env.deny"
  enforcement_level = "mandatory"
  description       = "MM-023 No secrets in container environment variables"
}

# Cost allocation and ownership; missing tags never expose data, so warn only in HCP Terraform.
policy "mm-024-required-tags" {
  query             = "data.markmail.rules.required_tags.deny"
  enforcement_level = "advisory"
  description       = "MM-024 Resources carry Project, Environment, Layer and ManagedBy tags"
}

# Wildcard actions grant tomorrow's API calls too; least privilege is a hard requirement.
policy "mm-025-iam-no-wildcard-actions" {
  query             = "data.markmail.rules.iam_no_wildcard_actions.deny"
  enforcement_level = "mandatory"
  description       = "MM-025 No wildcard IAM actions"
}

# Resource "*" turns a task role into an account-wide role; scoping is cheap at write time.
policy "mm-026-iam-no-wildcard-resources" {
  query             = "data.markmail.rules.iam_no_wildcard_resources.deny"
  enforcement_level = "mandatory"
  description       = "MM-026 No wildcard resources for actions that can be scoped, none at all on sensitive services"
}

# Findings inform, they do not block deploys; the pipeline decides on severities.
policy "mm-027-ecr-scan-on-push" {
  query             = "data.markmail.rules.ecr_scan_on_push.deny"
  enforcement_level = "advisory"
  description       = "MM-027 ECR scans images on push"
}

# Deploys pin image tags; a mutable tag lets a push change what runs without a deploy.
policy "mm-028-ecr-immutable-tags" {
  query             = "data.markmail.rules.ecr_immutable_tags.deny"
  enforcement_level = "mandatory"
  description       = "MM-028 ECR image tags are immutable"
}

# State, artifact and log buckets must never become public through a later ACL or policy.
policy "mm-029-s3-public-access-block" {
  query             = "data.markmail.rules.s3_public_access_block.deny"
  enforcement_level = "mandatory"
  description       = "MM-029 Every S3 bucket blocks public access"
}

# Without it, SDKs configured for HTTP send state and artifacts in clear text.
policy "mm-030-s3-tls-only" {
  query             = "data.markmail.rules.s3_tls_only.deny"
  enforcement_level = "mandatory"
  description       = "MM-030 S3 bucket policies deny every request without TLS"
}

# A force-deleted JWT or database secret breaks every running task with no way back.
policy "mm-031-secret-recovery-window" {
  query             = "data.markmail.rules.secret_recovery_window.deny"
  enforcement_level = "mandatory"
  description       = "MM-031 Deleted secrets stay recoverable"
}

# A writable root lets an attacker persist tools in the container; scratch space goes to a volume.
policy "mm-032-ecs-readonly-root" {
  query             = "data.markmail.rules.ecs_readonly_root.deny"
  enforcement_level = "mandatory"
  description       = "MM-032 Containers have a read-only root filesystem"
}

# Privileged or host-namespace containers escape to the host.
policy "mm-033-ecs-not-privileged" {
  query             = "data.markmail.rules.ecs_not_privileged.deny"
  enforcement_level = "mandatory"
  description       = "MM-033 Containers are not privileged and do not share the host"
}

# Defence in depth for operators (the app still uses the managed password); not a direct exposure.
policy "mm-034-rds-iam-auth" {
  query             = "data.markmail.rules.rds_iam_auth.deny"
  enforcement_level = "advisory"
  description       = "MM-034 Aurora has IAM database authentication enabled"
}

# Flow logs are the only network audit trail for incident response.
policy "mm-035-vpc-flow-logs" {
  query             = "data.markmail.rules.vpc_flow_logs.deny"
  enforcement_level = "mandatory"
  description       = "MM-035 Every VPC has a flow log in the same stack"
}

# Resources launched without a group land in the default one; it must not pass traffic.
policy "mm-036-default-sg-closed" {
  query             = "data.markmail.rules.default_sg_closed.deny"
  enforcement_level = "mandatory"
  description       = "MM-036 The VPC's default security group allows no traffic"
}

# A container rule that cannot see the containers must not report a pass.
policy "mm-037-ecs-task-definition-inspectable" {
  query             = "data.markmail.rules.ecs_task_definition_inspectable.deny"
  enforcement_level = "mandatory"
  description       = "MM-037 Task definitions are inspectable"
}

# Missing logs hurt operations and audits but expose nothing; warn in HCP Terraform.
policy "mm-038-ecs-log-configuration" {
  query             = "data.markmail.rules.ecs_log_configuration.deny"
  enforcement_level = "advisory"
  description       = "MM-038 Every container ships its logs"
}

# A CodeBuild or task role with admin rights turns a build-script or app compromise into an account takeover.
policy "mm-039-iam-no-admin-policy" {
  query             = "data.markmail.rules.iam_no_admin_policy.deny"
  enforcement_level = "mandatory"
  description       = "MM-039 Only allow-listed AWS-managed policies are attached"
}

# The bastion carries database client history and credentials in memory swap and home directories.
policy "mm-040-instance-ebs-encrypted" {
  query             = "data.markmail.rules.instance_ebs_encrypted.deny"
  enforcement_level = "mandatory"
  description       = "MM-040 EC2 volumes (the bastion's) are encrypted"
}

# The backend logs in with this secret; a password that never changes outlives every leak that knew it.
policy "mm-071-db-secret-rotation" {
  query             = "data.markmail.rules.db_secret_rotation.deny"
  enforcement_level = "mandatory"
  description       = "MM-071 The database secret rotates on a schedule (at most 30 days in prod)"
}

# Copies of the database leave the cluster's key behind; the vault's key decides who reads them.
policy "mm-072-backup-vault-encrypted" {
  query             = "data.markmail.rules.backup_vault_encrypted.deny"
  enforcement_level = "mandatory"
  description       = "MM-072 Backup vaults are encrypted with a customer-managed key"
}

# Without a lock, one mistake or one compromised role deletes every backup.
policy "mm-073-prod-backup-vault-locked" {
  query             = "data.markmail.rules.prod_backup_vault_locked.deny"
  enforcement_level = "mandatory"
  description       = "MM-073 Production backup vaults are locked"
}

# A backup is only proven by a restore.
policy "mm-074-prod-restore-testing" {
  query             = "data.markmail.rules.prod_restore_testing.deny"
  enforcement_level = "mandatory"
  description       = "MM-074 Production databases are backed up by AWS Backup and restore-tested"
}

# Prod carries customer logins and mail data; plain HTTP exposes them on every network hop.
policy "mm-041-prod-tls-only" {
  query             = "data.markmail.rules.prod_tls_only.deny"
  enforcement_level = "mandatory"
  description       = "MM-041 Prod serves application traffic only over TLS"
}

# The prod ALB is the internet edge of customer data; the managed rule groups are its only request filter.
policy "mm-042-prod-waf" {
  query             = "data.markmail.rules.prod_waf.deny"
  enforcement_level = "mandatory"
  description       = "MM-042 Prod load balancers are protected by WAF"
}

# A role or key that trusts "*", another account or an unconditioned service is usable by principals outside this account (confused deputy).
policy "mm-043-iam-principals" {
  query             = "data.markmail.rules.iam_principals.deny"
  enforcement_level = "mandatory"
  description       = "MM-043 Trust and resource policies trust only this account and conditioned services"
}

# An IAM rule that cannot see the policy must not report a pass.
policy "mm-044-iam-policy-inspectable" {
  query             = "data.markmail.rules.iam_policy_inspectable.deny"
  enforcement_level = "mandatory"
  description       = "MM-044 IAM policies are inspectable"
}

# Plaintext project variables are readable by anyone who can read the project and sit in the state.
policy "mm-045-codebuild-no-plaintext-secrets" {
  query             = "data.markmail.rules.codebuild_no_plaintext_secrets.deny"
  enforcement_level = "mandatory"
  description       = "MM-045 No credentials in plaintext CodeBuild variables"
}

# An endpoint without a policy is an exfiltration path from the private subnets to any account.
policy "mm-046-vpc-endpoint-policy" {
  query             = "data.markmail.rules.vpc_endpoint_policy.deny"
  enforcement_level = "mandatory"
  description       = "MM-046 VPC endpoints carry a policy limited to this account and the AWS-owned resources agents need"
}

# Customer data and the keys that decrypt it and its backups must survive a mistaken destroy.
policy "mm-047-prod-stateful-protected" {
  query             = "data.markmail.rules.prod_stateful_protected.deny"
  enforcement_level = "mandatory"
  description       = "MM-047 Prod stateful resources cannot be destroyed by a run"
}

# A root process in a container is one kernel bug away from the host and owns every file of the task.
policy "mm-048-ecs-non-root-user" {
  query             = "data.markmail.rules.ecs_non_root_user.deny"
  enforcement_level = "mandatory"
  description       = "MM-048 Containers run as a non-root user"
}

# A privileged build turns a malicious dependency into control of the build host.
policy "mm-049-codebuild-not-privileged" {
  query             = "data.markmail.rules.codebuild_not_privileged.deny"
  enforcement_level = "mandatory"
  description       = "MM-049 CodeBuild projects do not run privileged"
}

# Availability, not exposure; environments that run one instance say so in exceptions.rego.
policy "mm-050-rds-multi-az" {
  query             = "data.markmail.rules.rds_multi_az.deny"
  enforcement_level = "advisory"
  description       = "MM-050 Aurora clusters span two availability zones"
}

# The cache holds no system of record; backups shorten recovery but their absence exposes nothing.
policy "mm-051-elasticache-backups" {
  query             = "data.markmail.rules.elasticache_backups.deny"
  enforcement_level = "advisory"
  description       = "MM-051 Redis keeps automatic backups"
}

# Availability, not exposure; environments that run one node say so in exceptions.rego.
policy "mm-052-elasticache-failover" {
  query             = "data.markmail.rules.elasticache_failover.deny"
  enforcement_level = "advisory"
  description       = "MM-052 Redis fails over automatically"
}

# EC2 API calls from the private subnets otherwise leave through the NAT gateway; a hygiene control, not an exposure.
policy "mm-053-vpc-ec2-endpoint" {
  query             = "data.markmail.rules.vpc_ec2_endpoint.deny"
  enforcement_level = "advisory"
  description       = "MM-053 Every VPC has an interface endpoint for the EC2 API"
}

# Security groups are the boundary (MM-011, MM-017); the NACL is defence in depth.
policy "mm-054-nacl-admin-ports" {
  query             = "data.markmail.rules.nacl_admin_ports.deny"
  enforcement_level = "advisory"
  description       = "MM-054 Network ACLs do not admit the internet to SSH or RDP"
}

# A gate that silently lost its allow-lists and patterns must stop the run, not pass it.
policy "mm-055-policy-data-loaded" {
  query             = "data.markmail.rules.policy_data_loaded.deny"
  enforcement_level = "mandatory"
  description       = "MM-055 The policy data is loaded"
}

# Server access logs are the audit trail of who read or changed artifacts; their absence exposes nothing by itself.
policy "mm-056-s3-access-logging" {
  query             = "data.markmail.rules.s3_access_logging.deny"
  enforcement_level = "advisory"
  description       = "MM-056 Data buckets log their access to a log bucket"
}

/**
 * What each layer hands to the layers after it: the outputs of its stack, by name. A producer
 * publishes every output of its contract (`LayerStack.publish`), a consumer reads them from the
 * producer's state by name (`LayerStack.upstream`), so each stack deploys, plans and diffs alone
 * (`cdktf deploy markmail-dev-ecs`) and no stack holds a cdktf cross-stack reference.
 *
 * The keys are the Terraform output names, used as is in TypeScript: one name in the producer,
 * the plan and the consumer. None of these values is secret, so none is `sensitive`.
 */
import type { EnvironmentConfig, Layer } from "../config";
import type { SecretName } from "../config/contract";

export interface OutputField {
  readonly kind: "string" | "list";
  readonly description: string;
}

/** Outputs that exist only in some environments (e.g. with a domain). */
export interface OutputGroup {
  readonly kind: "group";
  readonly description: string;
  readonly when: (env: EnvironmentConfig) => boolean;
  readonly fields: Readonly<Record<string, OutputField>>;
}

export type ContractSpec = Readonly<Record<string, OutputField | OutputGroup>>;

export interface LayerContract<S extends ContractSpec = ContractSpec> {
  readonly layer: Layer;
  readonly outputs: S;
}

const str = (description: string) => ({ kind: "string", description }) as const;
const list = (description: string) => ({ kind: "list", description }) as const;
const group = <F extends Record<string, OutputField>>(description: string, when: (env: EnvironmentConfig) => boolean, fields: F) =>
  ({ kind: "group", description, when, fields }) as const;
const contract = <S extends ContractSpec>(layer: Layer, outputs: S): LayerContract<S> => ({ layer, outputs });

type FieldValue<F> = F extends { readonly kind: "list" } ? string[] : string;
type GroupValues<G> = G extends { readonly fields: infer F } ? { readonly [K in keyof F]: FieldValue<F[K]> } : never;

/** The values of a contract: strings and lists, plus each group as an optional object. */
export type ContractValues<S extends ContractSpec> = {
  readonly [K in keyof S as S[K] extends OutputGroup ? never : K]: FieldValue<S[K]>;
} & {
  readonly [K in keyof S as S[K] extends OutputGroup ? K : never]?: GroupValues<S[K]>;
};

/** Every output name of a contract that exists for an environment, with its field. */
export function outputFields(c: LayerContract, env: EnvironmentConfig): [name: string, field: OutputField, group?: string][] {
  const result: [string, OutputField, string?][] = [];
  for (const [key, spec] of Object.entries(c.outputs)) {
    if (spec.kind !== "group") result.push([key, spec]);
    else if (spec.when(env)) for (const [name, field] of Object.entries(spec.fields)) result.push([name, field, key]);
  }
  return result;
}

const hasDomain = (env: EnvironmentConfig) => env.domain !== undefined;
/** The ARN of a Secrets Manager secret of config/contract.ts SECRETS, from the layer that creates it. */
export function secretArn(
  name: SecretName,
  database: { db_secret_arn: string },
  secrets: ContractValues<typeof SECRETS_LAYER.outputs>,
): string {
  return name === "db" ? database.db_secret_arn : secrets[`${name}_secret_arn`];
}

/** Environments whose domain's zone this app creates, in its own stack (markmail-<env>-dns). */
export const ownsZone = (env: EnvironmentConfig) => env.domain !== undefined && env.hostedZone === "create";
/** Environments whose services deploy blue/green (config services.deployment.strategy). */
export const isBlueGreen = (env: EnvironmentConfig) => env.services.deployment.strategy === "BLUE_GREEN";

export const NETWORK = contract("network", {
  vpc_id: str("VPC of the environment"),
  vpc_cidr: str("IPv4 range of the VPC"),
  public_subnet_ids: list("Public subnets, one per availability zone (the ALB)"),
  private_subnet_ids: list("Private subnets with NAT egress (ECS tasks, bastion)"),
  isolated_subnet_ids: list("Isolated subnets without internet route (Aurora, Redis)"),
  alb_security_group_id: str("Security group of the load balancer"),
  ecs_security_group_id: str("Security group of the backend tasks (the only one the data stores admit)"),
  frontend_security_group_id: str("Security group of the frontend tasks (no path to the data stores)"),
  database_security_group_id: str("Security group of Aurora"),
  cache_security_group_id: str("Security group of Redis"),
  bastion_security_group_id: str("Security group of the SSM bastion (no ingress)"),
  db_subnet_group_name: str("RDS subnet group over the isolated subnets"),
  cache_subnet_group_name: str("ElastiCache subnet group over the isolated subnets"),
});

export const DATABASE = contract("database", {
  cluster_identifier: str("Aurora cluster markmail-<env>-cluster"),
  writer_instance_identifier: str("The writer instance markmail-<env> (the guide's describe-db-instances filter)"),
  cluster_endpoint: str("Writer endpoint of the cluster (follows the writer after a failover)"),
  reader_endpoint: str("Reader endpoint of the cluster"),
  db_secret_arn: str("markmail-<env>-db-secret: username, password, engine, host, port, dbname, url"),
  db_secret_name: str("Name of the db secret"),
  kms_key_arn: str("Customer-managed key of the database layer (storage, Performance Insights, db secret)"),
  redis_primary_endpoint: str("Primary endpoint of the Redis replication group (TLS)"),
  redis_replication_group_id: str("Redis replication group markmail-<env>-cache"),
  db_rotation_function_name: str("Lambda function rotating the db secret (markmail-<env>-db-rotation)"),
  backup_vault_name: str("AWS Backup vault of the database (markmail-<env>-backup)"),
  backup_vault_arn: str("ARN of the backup vault"),
  bastion_session_log_group_name: str(
    "Log group of the bastion's shell sessions (/ssm/markmail-<env>-bastion-sessions); outlives every bastion",
  ),
  bastion_session_log_group_arn: str("ARN of the bastion session log group"),
  backup_copy: group("With a copy to a second region (prod)", (env) => env.backup.copy !== undefined, {
    backup_copy_vault_arn: str("ARN of the copy vault in the second region"),
  }),
  restore_testing: group("With restore tests", (env) => env.backup.restoreTest !== undefined, {
    restore_testing_plan_name: str("AWS Backup restore testing plan of the database"),
  }),
});

export const SECRETS_LAYER = contract("secrets", {
  kms_key_arn: str("Customer-managed key of the application secrets"),
  jwt_secret_arn: str("markmail-<env>-jwt-secret"),
  salesforce_secret_arn: str("markmail-<env>-salesforce-secret"),
  ai_secret_arn: str("markmail-<env>-ai-secret"),
  stripe_secret_arn: str("markmail-<env>-stripe-secret"),
  dockerhub_secret_arn: str("markmail-<env>-dockerhub-secret"),
});

/** With a domain and HOSTED_ZONE_MODE=create: the stack markmail-<env>-dns owns the zone. */
export const DNS = contract("dns", {
  zone_id: str("Route 53 public hosted zone of the domain"),
  name_servers: list("Delegate the domain to these name servers in the parent zone; certificate validation in the alb layer waits for it"),
});

export const ALB = contract("alb", {
  alb_arn: str("The load balancer markmail-<env>-alb"),
  alb_arn_suffix: str("The CloudWatch LoadBalancer dimension (app/markmail-<env>-alb/<id>)"),
  alb_dns_name: str("DNS name of the load balancer"),
  alb_zone_id: str("Route 53 zone of the load balancer's DNS name (alias records)"),
  http_listener_arn: str("Listener on port 80"),
  backend_target_group_arn: str("Target group of the backend (/api/*)"),
  frontend_target_group_arn: str("Target group of the frontend (/*)"),
  backend_target_group_arn_suffix: str("CloudWatch TargetGroup dimension of the backend"),
  frontend_target_group_arn_suffix: str("CloudWatch TargetGroup dimension of the frontend"),
  public_url: str("Where the application answers: https://<domain>, or http://<alb dns> without a domain"),
  tls: group("With a domain: HTTPS listener and the domain's hosted zone", hasDomain, {
    https_listener_arn: str("Listener on port 443 (TLS 1.3 policy)"),
    hosted_zone_id: str("Route 53 zone of the domain (SES DNS records)"),
  }),
  blue_green: group("With blue/green deployments: the alternate target groups and the rules ECS shifts", isBlueGreen, {
    backend_alternate_target_group_arn: str("Alternate (green) target group of the backend"),
    frontend_alternate_target_group_arn: str("Alternate (green) target group of the frontend"),
    backend_alternate_target_group_arn_suffix: str("CloudWatch TargetGroup dimension of the backend's alternate group"),
    frontend_alternate_target_group_arn_suffix: str("CloudWatch TargetGroup dimension of the frontend's alternate group"),
    backend_production_listener_rule_arn: str("Production listener rule of the backend (/api/*); ECS owns its weights"),
    frontend_production_listener_rule_arn: str("Production listener rule of the frontend (/*); ECS owns its weights"),
    backend_test_listener_rule_arn: str("Test listener rule of the backend on the test listener"),
    frontend_test_listener_rule_arn: str("Test listener rule of the frontend on the test listener"),
    listener_rule_ids: list("Every listener rule ECS may modify (ids are ARNs; the ECS infrastructure role's scope)"),
    target_group_ids: list("Every target group ECS may register tasks in (ids are ARNs; the ECS infrastructure role's scope)"),
  }),
});

export const ECS_CLUSTER = contract("ecs-cluster", {
  cluster_name: str("ECS cluster markmail-<env>"),
  cluster_arn: str("ARN of the ECS cluster"),
  execution_role_arn: str("Task execution role (pulls images, injects secrets)"),
  task_role_arn: str("Task role markmail-<env>-task-role (inline policy SecretsManagerAccess)"),
  task_role_name: str("Name of the task role"),
  frontend_task_role_arn: str("Task role markmail-<env>-frontend-task-role: no application secrets, no SES (ECS Exec only where it is on)"),
  backend_repository_name: str("ECR repository of the backend image"),
  backend_repository_arn: str("ARN of the backend repository"),
  backend_repository_url: str("Registry URL of the backend repository"),
  frontend_repository_name: str("ECR repository of the frontend image"),
  frontend_repository_arn: str("ARN of the frontend repository"),
  frontend_repository_url: str("Registry URL of the frontend repository"),
  backend_log_group_name: str("/ecs/markmail-<env>-backend"),
  frontend_log_group_name: str("/ecs/markmail-<env>-frontend"),
  kms_key_arn: str("Customer-managed key of the cluster layer (logs, ECR, ECS Exec)"),
  backend_image_tag_parameter: str(
    "SSM parameter /markmail/<env>/backend/image-tag: the image tag the backend runs (the pipeline writes it)",
  ),
  frontend_image_tag_parameter: str(
    "SSM parameter /markmail/<env>/frontend/image-tag: the image tag the frontend runs (the pipeline writes it)",
  ),
});

export const ECS = contract("ecs", {
  backend_service_name: str("ECS service markmail-<env>-backend"),
  frontend_service_name: str("ECS service markmail-<env>-frontend"),
});

export const MONITORING = contract("monitoring", {
  alarm_topic_arn: str("SNS topic of the environment's alarms"),
  alarm_topic_kms_key_arn: str("CMK of the alarm topic (publishers need kms:GenerateDataKey)"),
  dashboard_name: str("CloudWatch dashboard MarkMail-<env>"),
  ses_configuration_set: str("SES configuration set of the backend's mail"),
});

export type NetworkOutputs = ContractValues<typeof NETWORK.outputs>;
export type DatabaseOutputs = ContractValues<typeof DATABASE.outputs>;
export type SecretsOutputs = ContractValues<typeof SECRETS_LAYER.outputs>;
export type DnsOutputs = ContractValues<typeof DNS.outputs>;
export type AlbOutputs = ContractValues<typeof ALB.outputs>;
export type EcsClusterOutputs = ContractValues<typeof ECS_CLUSTER.outputs>;
export type EcsOutputs = ContractValues<typeof ECS.outputs>;
export type MonitoringOutputs = ContractValues<typeof MONITORING.outputs>;

/** Every layer contract, in deploy order. */
export const CONTRACTS: readonly LayerContract[] = [NETWORK, DATABASE, SECRETS_LAYER, DNS, ALB, ECS_CLUSTER, ECS, MONITORING];

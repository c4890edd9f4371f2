import type { Construct } from "constructs";
import { ContainerRepository } from "../constructs/container-repository";
import { ImageTagParameter, imageTagParameterName } from "../constructs/image-tag-parameter";
import { FargateCluster } from "../constructs/ecs-cluster";
import { CustomerKey } from "../constructs/kms-key";
import { EncryptedLogGroup } from "../constructs/log-group";
import { TaskRoles } from "../constructs/task-roles";
import { DATABASE, ECS_CLUSTER, SECRETS_LAYER, secretArn } from "./contracts";
import { type LayerProps, LayerStack } from "./base";
import { BACKEND_READS_SECRETS, injectedSecrets, mailSender } from "../config/contract";

const SERVICES = ["backend", "frontend"] as const;

/**
 * `markmail-<env>-ecs-cluster`: cluster `markmail-<env>` (Container Insights, Fargate capacity,
 * encrypted ECS Exec), ECR repositories, log groups `/ecs/markmail-<env>-<service>`, the image-tag parameters `/markmail/<env>/<service>/image-tag`, the task
 * execution role and the task role `markmail-<env>-task-role`.
 */
export class EcsClusterStack extends LayerStack {
  constructor(scope: Construct, props: LayerProps) {
    super(scope, "ecs-cluster", props);
    const env = this.env;
    const prefix = this.name();
    const database = this.upstream(DATABASE);
    const secrets = this.upstream(SECRETS_LAYER);

    const key = new CustomerKey(this, "key", {
      alias: this.name("ecs"),
      description: `${prefix}: container images, ECS logs, ECS Exec sessions`,
      deletionWindowDays: env.keyDeletionWindowDays,
      serviceStatements: [CustomerKey.logsStatement(this, this.name())],
    });

    const cluster = new FargateCluster(this, "cluster", {
      name: prefix,
      kmsKeyArn: key.arn,
      execLogGroupName: `/ecs/${prefix}-exec`,
      logRetentionDays: env.logRetentionDays,
      fargateSpot: env.services.fargateSpot,
    });

    const repositories = Object.fromEntries(
      SERVICES.map((svc) => [
        svc,
        new ContainerRepository(this, `${svc}-repository`, {
          name: this.name(svc),
          kmsKeyArn: key.arn,
          keepImages: env.keepImages,
          forceDelete: env.forceDestroy,
        }),
      ]),
    ) as Record<(typeof SERVICES)[number], ContainerRepository>;
    const logGroups = Object.fromEntries(
      SERVICES.map((svc) => [
        svc,
        new EncryptedLogGroup(this, `${svc}-logs`, {
          name: `/ecs/${this.name(svc)}`,
          retentionDays: env.logRetentionDays,
          kmsKeyArn: key.arn,
        }),
      ]),
    ) as Record<(typeof SERVICES)[number], EncryptedLogGroup>;

    const imageTags = Object.fromEntries(
      SERVICES.map((svc) => [
        svc,
        new ImageTagParameter(this, `${svc}-image-tag`, { name: imageTagParameterName(this.config.project, env.name, svc), service: svc }),
      ]),
    ) as Record<(typeof SERVICES)[number], ImageTagParameter>;

    const roles = new TaskRoles(this, "roles", {
      namePrefix: prefix,
      repositoryArns: SERVICES.map((s) => repositories[s].arn),
      logGroupArns: SERVICES.map((s) => logGroups[s].arn),
      // Exactly the secrets the ecs layer's task definitions reference in `secrets` (one map: BACKEND_SECRET_ENV).
      injectedSecretArns: injectedSecrets().map((n) => secretArn(n, database, secrets)),
      executionKeyArns: [database.kms_key_arn, secrets.kms_key_arn, key.arn],
      applicationSecretArns: BACKEND_READS_SECRETS.map((n) => secretArn(n, database, secrets)),
      applicationSecretsKeyArn: secrets.kms_key_arn,
      mail: { configurationSetName: prefix, identities: [mailSender(env.domain).identity] },
      exec: env.services.executeCommand ? { logGroupArn: cluster.execLogGroup.arn, kmsKeyArn: key.arn } : undefined,
    });

    this.publish(ECS_CLUSTER, {
      cluster_name: cluster.cluster.name,
      cluster_arn: cluster.cluster.arn,
      execution_role_arn: roles.execution.arn,
      task_role_arn: roles.task.arn,
      task_role_name: roles.task.name,
      frontend_task_role_arn: roles.frontendTask.arn,
      backend_repository_name: repositories.backend.name,
      backend_repository_arn: repositories.backend.arn,
      backend_repository_url: repositories.backend.url,
      frontend_repository_name: repositories.frontend.name,
      frontend_repository_arn: repositories.frontend.arn,
      frontend_repository_url: repositories.frontend.url,
      backend_log_group_name: logGroups.backend.name,
      frontend_log_group_name: logGroups.frontend.name,
      kms_key_arn: key.arn,
      backend_image_tag_parameter: imageTags.backend.parameter.name,
      frontend_image_tag_parameter: imageTags.frontend.parameter.name,
    });
  }
}

import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { ContainerRepository } from "../constructs/container-repository";
import { FargateCluster } from "../constructs/ecs-cluster";
import { CustomerKey } from "../constructs/kms-key";
import { EncryptedLogGroup } from "../constructs/log-group";
import { mailSender, TaskRoles } from "../constructs/task-roles";
import { DatabaseOutputs, EcsClusterOutputs, SecretsOutputs } from "./contracts";
import { LayerProps, LayerStack } from "./base";

export interface EcsClusterStackProps extends LayerProps {
  readonly database: DatabaseOutputs;
  readonly secrets: SecretsOutputs;
}

const SERVICES = ["backend", "frontend"] as const;

/**
 * `markmail-<env>-ecs-cluster`: cluster `markmail-<env>` (Container Insights, Fargate capacity,
 * encrypted ECS Exec), ECR repositories, log groups `/ecs/markmail-<env>-<service>`, the task
 * execution role and the task role `markmail-<env>-task-role`.
 */
export class EcsClusterStack extends LayerStack {
  readonly outputs: EcsClusterOutputs;

  constructor(scope: Construct, props: EcsClusterStackProps) {
    super(scope, "ecs-cluster", props);
    const env = this.env;
    const region = this.config.region;
    const prefix = this.name();
    const { database, secrets } = props;

    const key = new CustomerKey(this, "key", {
      alias: this.name("ecs"),
      description: `${prefix}: container images, ECS logs, ECS Exec sessions`,
      region,
      deletionWindowDays: env.forceDestroy ? 7 : 30,
      serviceStatements: [CustomerKey.logsStatement(this, region)],
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
        new EncryptedLogGroup(this, `${svc}-logs`, { name: `/ecs/${this.name(svc)}`, retentionDays: env.logRetentionDays, kmsKeyArn: key.arn }),
      ]),
    ) as Record<(typeof SERVICES)[number], EncryptedLogGroup>;

    const roles = new TaskRoles(this, "roles", {
      namePrefix: prefix,
      region,
      repositoryArns: SERVICES.map((s) => repositories[s].arn),
      logGroupArns: SERVICES.map((s) => logGroups[s].arn),
      // Exactly the secrets the ecs layer's task definitions reference in `secrets`.
      injectedSecretArns: [database.dbSecret.arn, secrets.jwt.arn, secrets.salesforce.arn, secrets.ai.arn, secrets.stripe.arn],
      executionKeyArns: [database.kmsKeyArn, secrets.kmsKeyArn, key.arn],
      applicationSecretArns: [secrets.salesforce.arn, secrets.ai.arn, secrets.stripe.arn, secrets.jwt.arn],
      applicationSecretsKeyArn: secrets.kmsKeyArn,
      mail: { configurationSetName: prefix, identities: [mailSender(env.domain).identity] },
      exec: env.services.executeCommand ? { logGroupArn: cluster.execLogGroup.arn, kmsKeyArn: key.arn } : undefined,
    });

    new TerraformOutput(this, "cluster_name", { value: cluster.cluster.name });
    new TerraformOutput(this, "task_role_name", { value: roles.task.name });
    for (const svc of SERVICES) new TerraformOutput(this, `${svc}_repository_url`, { value: repositories[svc].url });

    this.outputs = {
      clusterName: cluster.cluster.name,
      clusterArn: cluster.cluster.arn,
      executionRoleArn: roles.execution.arn,
      taskRoleArn: roles.task.arn,
      taskRoleName: roles.task.name,
      repositories: {
        backend: { name: repositories.backend.name, arn: repositories.backend.arn, url: repositories.backend.url },
        frontend: { name: repositories.frontend.name, arn: repositories.frontend.arn, url: repositories.frontend.url },
      },
      logGroups: { backend: logGroups.backend.name, frontend: logGroups.frontend.name },
      kmsKeyArn: key.arn,
    };
  }
}

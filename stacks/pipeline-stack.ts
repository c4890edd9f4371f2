import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { ArtifactBucket } from "../constructs/artifact-bucket";
import { ImageBuildProject } from "../constructs/build-project";
import { EcsDeployProject } from "../constructs/deploy-project";
import { imageTagParameterName } from "../constructs/image-tag-parameter";
import { stateKey } from "../constructs/state-backend";
import { CustomerKey } from "../constructs/kms-key";
import { DeliveryPipeline } from "../constructs/pipeline";
import { AccountContext } from "../constructs/account";
import { synthInputs } from "../constructs/synth-inputs";
import { ECS, ECS_CLUSTER, isBlueGreen, MONITORING, SECRETS_LAYER } from "./contracts";
import { type LayerProps, LayerStack } from "./base";
import { NAME_LIMITS } from "../constructs/naming";

/**
 * `markmail-<env>-pipeline`: GitHub (application, and this repository) → CodeBuild (backend,
 * frontend images) → [approval] → CodeBuild applying `markmail-<env>-ecs` with the new image tags.
 */
export class PipelineStack extends LayerStack {
  constructor(scope: Construct, props: LayerProps) {
    super(scope, "pipeline", props);
    const secrets = this.upstream(SECRETS_LAYER);
    const cluster = this.upstream(ECS_CLUSTER);
    const ecs = this.upstream(ECS);
    const monitoring = this.upstream(MONITORING);
    const region = this.config.region;
    const env = this.env;

    const key = new CustomerKey(this, "key", {
      alias: this.name("pipeline"),
      description: `${this.name()}: pipeline artifacts and build logs`,
      deletionWindowDays: env.keyDeletionWindowDays,
      serviceStatements: [CustomerKey.logsStatement(this, this.name())],
    });
    const artifacts = new ArtifactBucket(this, "artifacts", {
      namePrefix: this.name("pipeline-artifacts"),
      kmsKeyArn: key.arn,
      forceDestroy: env.forceDestroy,
      accessLogs: { namePrefix: this.name("pipeline-access-logs"), retentionDays: env.logRetentionDays },
    });

    const build = (svc: "backend" | "frontend", buildArgs?: Record<string, string>) =>
      new ImageBuildProject(this, `${svc}-build`, {
        name: this.name(`${svc}-build`),
        service: svc,
        repository: { name: cluster[`${svc}_repository_name`], arn: cluster[`${svc}_repository_arn`] },
        dockerhubSecret: { arn: secrets.dockerhub_secret_arn, kmsKeyArn: secrets.kms_key_arn },
        artifactBucketArn: artifacts.arn,
        kmsKeyArn: key.arn,
        logRetentionDays: env.logRetentionDays,
        buildArgs,
      });
    const backend = build("backend");
    // Vite inlines the API base URL at build time; without a domain the ALB serves /api on the same host.
    const frontend = build("frontend", { VITE_API_URL: env.domain !== undefined ? `https://${env.domain}/api` : "/api" });

    const account = AccountContext.of(this);
    const backendState = this.config.backend;
    const ecsStack = this.stateOf("ecs").stackId;
    const deploy = new EcsDeployProject(this, "ecs-deploy", {
      name: this.name("ecs-deploy"),
      env: env.name,
      stackId: ecsStack,
      synthInputs: synthInputs(this.config, env),
      buildArtifacts: { backend: "BackendBuildOutput", frontend: "FrontendBuildOutput" },
      imageTagParameterArns: (["backend", "frontend"] as const).map((s) =>
        account.arn("ssm", `parameter${imageTagParameterName(this.config.project, env.name, s)}`),
      ),
      state:
        backendState.kind === "s3"
          ? {
              bucket: backendState.bucket,
              key: stateKey(this.config.project, env.name, "ecs"),
              envPrefix: `${this.config.project}/${env.name}/`,
              lockTable: backendState.locking === "lockfile" ? undefined : backendState.lockTable,
              kmsAlias: backendState.kmsKeyId,
              region: backendState.region,
            }
          : // Other backends: the project cannot reach the state; its plan would create everything and the image-only guard stops it.
            {
              bucket: `${this.config.project}-terraform-state`,
              key: stateKey(this.config.project, env.name, "ecs"),
              envPrefix: `${this.config.project}/${env.name}/`,
              kmsAlias: `alias/${this.config.project}-terraform-state`,
              region,
            },
      cluster: { name: cluster.cluster_name, services: { backend: ecs.backend_service_name, frontend: ecs.frontend_service_name } },
      passRoles: {
        tasks: [cluster.execution_role_arn, cluster.task_role_arn],
        ecs: isBlueGreen(env) ? [account.arn("iam", `role/${this.name("ecs-infrastructure")}`, { region: "" })] : [],
      },
      artifactBucketArn: artifacts.arn,
      kmsKeyArn: key.arn,
      logRetentionDays: env.logRetentionDays,
    });

    const pipeline = new DeliveryPipeline(this, "pipeline", {
      name: this.name("pipeline"),
      source: { owner: this.config.github.owner, repo: this.config.github.repo, branch: env.pipeline.branch },
      connectionArn: this.config.github.connectionArn,
      connectionName: this.name("github", NAME_LIMITS.codestarConnection),
      artifactBucket: artifacts,
      kmsKeyArn: key.arn,
      builds: { backend, frontend },
      infraSource: this.config.github.infra,
      deploy,
      approval: env.pipeline.manualApproval
        ? { topicArn: monitoring.alarm_topic_arn, topicKmsKeyArn: monitoring.alarm_topic_kms_key_arn }
        : undefined,
    });

    new TerraformOutput(this, "pipeline_name", {
      value: pipeline.name,
      description: "aws codepipeline start-pipeline-execution --name <this>",
    });
    new TerraformOutput(this, "github_connection_arn", {
      value: pipeline.connectionArn,
      description: pipeline.connection
        ? "Created PENDING: activate it once in the console (Developer Tools > Settings > Connections > Update pending connection)"
        : "The existing connection from GITHUB_CONNECTION_ARN",
    });
    if (pipeline.connection) new TerraformOutput(this, "github_connection_status", { value: pipeline.connection.connectionStatus });
  }
}

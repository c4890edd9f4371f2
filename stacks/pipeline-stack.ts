import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { APP } from "../config/contract";
import { ArtifactBucket } from "../constructs/artifact-bucket";
import { ImageBuildProject } from "../constructs/build-project";
import { CustomerKey } from "../constructs/kms-key";
import { DeliveryPipeline } from "../constructs/pipeline";
import { ECS, ECS_CLUSTER, MONITORING, SECRETS_LAYER } from "./contracts";
import { LayerProps, LayerStack } from "./base";

/** `markmail-<env>-pipeline`: GitHub → CodeBuild (backend, frontend) → [approval] → ECS. */
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
      region,
      deletionWindowDays: env.forceDestroy ? 7 : 30,
      serviceStatements: [CustomerKey.logsStatement(this, region)],
    });
    const artifacts = new ArtifactBucket(this, "artifacts", {
      namePrefix: this.name("pipeline-artifacts"),
      region,
      kmsKeyArn: key.arn,
      forceDestroy: env.forceDestroy,
    });

    const build = (svc: "backend" | "frontend", buildArgs?: Record<string, string>) =>
      new ImageBuildProject(this, `${svc}-build`, {
        name: this.name(`${svc}-build`),
        service: svc,
        containerName: svc === "backend" ? APP.backendContainer : APP.frontendContainer,
        region,
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

    const pipeline = new DeliveryPipeline(this, "pipeline", {
      name: this.name("pipeline"),
      region,
      source: { owner: this.config.github.owner, repo: this.config.github.repo, branch: env.pipeline.branch },
      connectionArn: this.config.github.connectionArn,
      connectionName: this.name("github", 32),
      artifactBucket: artifacts,
      kmsKeyArn: key.arn,
      builds: { backend, frontend },
      deploy: {
        clusterName: cluster.cluster_name,
        services: { backend: ecs.backend_service_name, frontend: ecs.frontend_service_name },
        passRoleArns: [cluster.execution_role_arn, cluster.task_role_arn],
      },
      approval: env.pipeline.manualApproval
        ? { topicArn: monitoring.alarm_topic_arn, topicKmsKeyArn: monitoring.alarm_topic_kms_key_arn }
        : undefined,
    });

    new TerraformOutput(this, "pipeline_name", { value: pipeline.name, description: "aws codepipeline start-pipeline-execution --name <this>" });
    new TerraformOutput(this, "github_connection_arn", {
      value: pipeline.connectionArn,
      description: pipeline.connection
        ? "Created PENDING: activate it once in the console (Developer Tools > Settings > Connections > Update pending connection)"
        : "The existing connection from GITHUB_CONNECTION_ARN",
    });
    if (pipeline.connection) new TerraformOutput(this, "github_connection_status", { value: pipeline.connection.connectionStatus });

  }
}

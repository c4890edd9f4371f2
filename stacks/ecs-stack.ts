import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { APP, SECRETS, SecretName } from "../config/contract";
import { ContainerSpec, ECS_EXEC_PATHS, secretKeyRef } from "../constructs/container-definition";
import { FargateService } from "../constructs/fargate-service";
import { mailSender } from "../constructs/task-roles";
import { AlbOutputs, DatabaseOutputs, EcsClusterOutputs, EcsOutputs, NetworkOutputs, SecretsOutputs } from "./contracts";
import { LayerProps, LayerStack } from "./base";

export interface EcsStackProps extends LayerProps {
  readonly network: NetworkOutputs;
  readonly database: DatabaseOutputs;
  readonly secrets: SecretsOutputs;
  readonly alb: AlbOutputs;
  readonly cluster: EcsClusterOutputs;
}

/**
 * The tag of the first task definition revision. The pipeline pushes commit-SHA tags (immutable)
 * and deploys new revisions; until its first run, tasks cannot start (the circuit breaker stops
 * the attempt). Push an image with this tag to start the service before the pipeline has run.
 */
export const BOOTSTRAP_IMAGE_TAG = "bootstrap";

/** `markmail-<env>-ecs`: the backend and frontend Fargate services `markmail-<env>-<service>`. */
export class EcsStack extends LayerStack {
  readonly outputs: EcsOutputs;

  constructor(scope: Construct, props: EcsStackProps) {
    super(scope, "ecs", props);
    const env = this.env;
    const region = this.config.region;
    const { network, database, secrets, alb, cluster } = props;
    const exec = env.services.executeCommand;
    // ECS Exec's agent needs writable state and log folders on the read-only root filesystem.
    const execPaths = exec ? [...ECS_EXEC_PATHS] : [];

    const ref = (name: SecretName, key: string, arn: string) => {
      if (!(SECRETS[name].keys as readonly string[]).includes(key)) throw new Error(`secret ${name} has no JSON key ${key} (config/contract.ts SECRETS)`);
      return secretKeyRef(arn, key);
    };
    const ai = Object.fromEntries(SECRETS.ai.keys.map((k) => [k, ref("ai", k, secrets.ai.arn)]));
    const stripe = Object.fromEntries(SECRETS.stripe.keys.map((k) => [k, ref("stripe", k, secrets.stripe.arn)]));

    const backend: ContainerSpec = {
      name: APP.backendContainer,
      image: `${cluster.repositories.backend.url}:${BOOTSTRAP_IMAGE_TAG}`,
      port: APP.backendPort,
      environment: {
        ENVIRONMENT: env.name,
        AWS_REGION: region,
        SERVER_HOST: "0.0.0.0",
        SERVER_PORT: String(APP.backendPort),
        PORT: String(APP.backendPort),
        RUST_LOG: "info",
        EMAIL_PROVIDER: "aws_ses",
        AWS_SES_FROM_EMAIL: mailSender(env.domain).address,
        AWS_SES_CONFIGURATION_SET: this.name(),
        FRONTEND_URL: alb.publicUrl,
        SALESFORCE_REDIRECT_URI: `${alb.publicUrl}${APP.salesforceCallbackPath}`,
        // TLS in transit is required by the cache; no AUTH token (see constructs/redis.ts).
        REDIS_URL: `rediss://${database.redisPrimaryEndpoint}:${APP.redisPort}`,
      },
      secrets: {
        DATABASE_URL: ref("db", "url", database.dbSecret.arn),
        JWT_SECRET: ref("jwt", "secret", secrets.jwt.arn),
        SALESFORCE_CLIENT_ID: ref("salesforce", "client_id", secrets.salesforce.arn),
        SALESFORCE_CLIENT_SECRET: ref("salesforce", "client_secret", secrets.salesforce.arn),
        // The guide's key; the original app read SALESFORCE_IS_SANDBOX, both carry the same value.
        SALESFORCE_USE_SANDBOX: ref("salesforce", "use_sandbox", secrets.salesforce.arn),
        SALESFORCE_IS_SANDBOX: ref("salesforce", "use_sandbox", secrets.salesforce.arn),
        ...ai,
        ...stripe,
      },
      logs: { group: cluster.logGroups.backend, region, streamPrefix: "backend" },
      healthCheck: { command: `curl -f http://localhost:${APP.backendPort}${APP.backendHealthPath} || exit 1` },
      scratchPaths: ["/tmp", ...execPaths],
      user: APP.backendUser,
      initProcessEnabled: exec,
    };
    const frontend: ContainerSpec = {
      name: APP.frontendContainer,
      image: `${cluster.repositories.frontend.url}:${BOOTSTRAP_IMAGE_TAG}`,
      port: APP.frontendPort,
      environment: { ENVIRONMENT: env.name },
      logs: { group: cluster.logGroups.frontend, region, streamPrefix: "frontend" },
      healthCheck: { command: `wget --no-verbose --tries=1 --spider http://127.0.0.1:${APP.frontendPort}${APP.frontendHealthPath} || exit 1` },
      // nginx writes its pid, temp bodies and caches.
      scratchPaths: ["/tmp", "/var/cache/nginx", "/var/run", ...execPaths],
      user: APP.frontendUser,
      initProcessEnabled: exec,
    };

    const common = {
      clusterName: cluster.clusterName,
      executionRoleArn: cluster.executionRoleArn,
      taskRoleArn: cluster.taskRoleArn,
      subnetIds: network.privateSubnetIds,
      securityGroupIds: [network.securityGroups.ecs],
      fargateSpot: env.services.fargateSpot,
      enableExecuteCommand: exec,
    };
    const services = {
      backend: new FargateService(this, "backend-service", {
        ...common,
        name: this.name("backend"),
        ...env.services.backend,
        container: backend,
        targetGroupArn: alb.backendTargetGroupArn,
      }),
      frontend: new FargateService(this, "frontend-service", {
        ...common,
        name: this.name("frontend"),
        ...env.services.frontend,
        container: frontend,
        targetGroupArn: alb.frontendTargetGroupArn,
      }),
    };

    for (const [svc, s] of Object.entries(services)) {
      new TerraformOutput(this, `${svc}_service_name`, { value: s.service.name });
      new TerraformOutput(this, `${svc}_task_definition_family`, { value: s.taskDefinition.family });
    }
    new TerraformOutput(this, "redeploy_command", {
      value: `aws ecs update-service --cluster ${cluster.clusterName} --service ${services.backend.service.name} --force-new-deployment`,
    });

    this.outputs = {
      backendServiceName: services.backend.service.name,
      frontendServiceName: services.frontend.service.name,
    };
  }
}

import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { APP, BACKEND_SECRET_ENV, mailSender, SECRETS, type SecretName } from "../config/contract";
import { type ContainerSpec, ECS_EXEC_PATHS, secretKeyRef } from "../constructs/container-definition";
import { deploymentAlarmNames } from "../constructs/alarms";
import { type BlueGreenSettings, FargateService } from "../constructs/fargate-service";
import { AccountContext } from "../constructs/account";
import { ServiceRole } from "../constructs/service-role";
import { ALB, DATABASE, ECS, ECS_CLUSTER, NETWORK, SECRETS_LAYER, isBlueGreen, secretArn } from "./contracts";
import { type LayerProps, LayerStack } from "./base";

export { BOOTSTRAP_IMAGE_TAG } from "../constructs/image-tag-parameter";

/**
 * `markmail-<env>-ecs`: the backend and frontend Fargate services `markmail-<env>-<service>`.
 * Terraform owns their task definitions; the image tag of each is read at plan time from the SSM
 * parameter `/markmail/<env>/<service>/image-tag` (the pipeline's deploy stage writes it, then
 * applies this stack), so a deploy from a laptop and one from the pipeline plan the same thing.
 */
export class EcsStack extends LayerStack {
  constructor(scope: Construct, props: LayerProps) {
    super(scope, "ecs", props);
    const env = this.env;
    const region = this.config.region;
    const network = this.upstream(NETWORK);
    const database = this.upstream(DATABASE);
    const secrets = this.upstream(SECRETS_LAYER);
    const alb = this.upstream(ALB);
    const cluster = this.upstream(ECS_CLUSTER);
    const exec = env.services.executeCommand;
    // ECS Exec's agent needs writable state and log folders on the read-only root filesystem.
    const execPaths = exec ? [...ECS_EXEC_PATHS] : [];

    const ref = (name: SecretName, key: string) => {
      if (!(SECRETS[name].keys as readonly string[]).includes(key))
        throw new Error(`secret ${name} has no JSON key ${key} (config/contract.ts SECRETS)`);
      return secretKeyRef(secretArn(name, database, secrets), key);
    };
    // insecure_value: the tag is not secret, and a sensitive value would hide the whole container
    // definition diff in every plan.
    const tag = (svc: "backend" | "frontend") =>
      new DataAwsSsmParameter(this, `${svc}-image-tag`, { name: cluster[`${svc}_image_tag_parameter`] }).insecureValue;

    const backend: ContainerSpec = {
      name: APP.backendContainer,
      image: `${cluster.backend_repository_url}:${tag("backend")}`,
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
        FRONTEND_URL: alb.public_url,
        SALESFORCE_REDIRECT_URI: `${alb.public_url}${APP.salesforceCallbackPath}`,
        // TLS in transit is required by the cache; no AUTH token (see constructs/redis.ts).
        REDIS_URL: `rediss://${database.redis_primary_endpoint}:${APP.redisPort}`,
      },
      secrets: Object.fromEntries(Object.entries(BACKEND_SECRET_ENV).map(([variable, [name, key]]) => [variable, ref(name, key)])),
      logs: { group: cluster.backend_log_group_name, region, streamPrefix: "backend" },
      healthCheck: { command: `curl -f http://localhost:${APP.backendPort}${APP.backendHealthPath} || exit 1` },
      scratchPaths: ["/tmp", ...execPaths],
      user: APP.backendUser,
      initProcessEnabled: exec,
    };
    const frontend: ContainerSpec = {
      name: APP.frontendContainer,
      image: `${cluster.frontend_repository_url}:${tag("frontend")}`,
      port: APP.frontendPort,
      environment: { ENVIRONMENT: env.name },
      logs: { group: cluster.frontend_log_group_name, region, streamPrefix: "frontend" },
      healthCheck: {
        command: `wget --no-verbose --tries=1 --spider http://127.0.0.1:${APP.frontendPort}${APP.frontendHealthPath} || exit 1`,
      },
      // nginx writes its pid, temp bodies and caches.
      scratchPaths: ["/tmp", "/var/cache/nginx", "/var/run", ...execPaths],
      user: APP.frontendUser,
      initProcessEnabled: exec,
    };

    const common = {
      clusterName: cluster.cluster_name,
      executionRoleArn: cluster.execution_role_arn,
      subnetIds: network.private_subnet_ids,
      fargateSpot: env.services.fargateSpot,
      enableExecuteCommand: exec,
    };
    const bg = alb.blue_green;
    const strategy = env.services.deployment;
    const infrastructureRole = bg
      ? new ServiceRole(this, "infrastructure", {
          name: this.name("ecs-infrastructure"),
          description: `ECS blue/green deployments of ${this.name()}: shift the listener rules, register tasks`,
          service: "ecs.amazonaws.com",
          sourceArns: [AccountContext.of(this).arn("ecs", "*")],
          statements: [
            {
              sid: "DescribeLoadBalancing",
              effect: "Allow",
              actions: [
                "elasticloadbalancing:DescribeTargetGroups",
                "elasticloadbalancing:DescribeTargetHealth",
                "elasticloadbalancing:DescribeListeners",
                "elasticloadbalancing:DescribeRules",
              ],
              resources: ["*"],
            },
            { sid: "ShiftRules", effect: "Allow", actions: ["elasticloadbalancing:ModifyRule"], resources: bg.listener_rule_ids },
            {
              sid: "RegisterTasks",
              effect: "Allow",
              actions: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
              resources: bg.target_group_ids,
            },
          ],
        })
      : undefined;
    const blueGreen = (svc: "backend" | "frontend"): BlueGreenSettings | undefined =>
      bg && infrastructureRole
        ? {
            bakeTimeMinutes: strategy.bakeTimeMinutes,
            alternateTargetGroupArn: bg[`${svc}_alternate_target_group_arn`],
            productionListenerRuleArn: bg[`${svc}_production_listener_rule_arn`],
            testListenerRuleArn: bg[`${svc}_test_listener_rule_arn`],
            roleArn: infrastructureRole.arn,
          }
        : undefined;

    // Construct ids "Backend"/"Frontend": "backend" is taken by the state backend; addresses are
    // lower-cased anyway (aws_ecs_service.backend, aws_ecs_task_definition.backend).
    const services = {
      backend: new FargateService(this, "Backend", {
        ...common,
        name: this.name("backend"),
        taskRoleArn: cluster.task_role_arn,
        securityGroupIds: [network.ecs_security_group_id],
        ...env.services.backend,
        container: backend,
        targetGroupArn: alb.backend_target_group_arn,
        deploymentAlarmNames: deploymentAlarmNames(this.name(), "backend", isBlueGreen(env)),
        blueGreen: blueGreen("backend"),
      }),
      frontend: new FargateService(this, "Frontend", {
        ...common,
        name: this.name("frontend"),
        // Least privilege: its own role (no secrets, no SES) and group (no path to Aurora or Redis).
        taskRoleArn: cluster.frontend_task_role_arn,
        securityGroupIds: [network.frontend_security_group_id],
        ...env.services.frontend,
        container: frontend,
        targetGroupArn: alb.frontend_target_group_arn,
        deploymentAlarmNames: deploymentAlarmNames(this.name(), "frontend", isBlueGreen(env)),
        blueGreen: blueGreen("frontend"),
      }),
    };

    for (const [svc, s] of Object.entries(services)) {
      new TerraformOutput(this, `${svc}_task_definition_family`, { value: s.taskDefinition.family });
    }
    new TerraformOutput(this, "redeploy_command", {
      value: `aws ecs update-service --cluster ${cluster.cluster_name} --service ${services.backend.service.name} --force-new-deployment`,
    });
    this.publish(ECS, {
      backend_service_name: services.backend.service.name,
      frontend_service_name: services.frontend.service.name,
    });
  }
}

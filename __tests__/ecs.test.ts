import type { AppConfig } from "../config";
import { SECRETS } from "../config/contract";
import {
  assertNoSecretEnvironment,
  containerDefinition,
  type ContainerSpec,
  SCRATCH_INIT_DROPPED_CAPABILITIES,
  scratchInitContainer,
  scratchVolumeName,
} from "../constructs/container-definition";
import { FargateService, type FargateServiceProps } from "../constructs/fargate-service";
import { looksSecretName, secretValueFinding } from "../constructs/policy-data";
import { EcsStack } from "../stacks/ecs-stack";
import { fakeOutputs, onlyEnv, testApp } from "./helpers/fake-outputs";
import { buildApp, configFor, ownArn, synthApp, regionalStack, resources, synthJson, type TfJson, trustOf } from "./helpers/synth";

function ecsJson(config: AppConfig): TfJson {
  const env = onlyEnv(config);
  return synthJson(new EcsStack(testApp(), { config, env }));
}

const byName = (json: TfJson, type: string, name: string) => resources(json, type).find(([, b]) => b.name === name);
const byFamily = (json: TfJson, family: string) => resources(json, "aws_ecs_task_definition").find(([, b]) => b.family === family)!;
/** The app containers of a task definition (the scratch-init containers are tested on their own). */
const containers = (td: any) => (JSON.parse(td.container_definitions) as any[]).filter((c) => !c.name.endsWith("-scratch-init"));
const allContainers = (td: any) => JSON.parse(td.container_definitions) as any[];
const envOf = (c: any) => Object.fromEntries(c.environment.map((e: any) => [e.name, e.value]));
const secretsOf = (c: any) => Object.fromEntries(c.secrets.map((e: any) => [e.name, e.valueFrom]));

describe("ecs layer (dev, no domain)", () => {
  const json = ecsJson(configFor("dev"));
  const f = fakeOutputs("dev");
  const [backendTdId, backendTd] = byFamily(json, "markmail-dev-backend");
  const [, frontendTd] = byFamily(json, "markmail-dev-frontend");
  const [backend] = containers(backendTd);
  const [frontend] = containers(frontendTd);

  test("task definitions: families markmail-dev-<service>, Fargate awsvpc Linux/x86_64, sizes from config, the cluster layer's roles", () => {
    expect(backendTd).toMatchObject({
      requires_compatibilities: ["FARGATE"],
      network_mode: "awsvpc",
      cpu: "512",
      memory: "1024",
      runtime_platform: { operating_system_family: "LINUX", cpu_architecture: "X86_64" },
      execution_role_arn: f.cluster.execution_role_arn,
      task_role_arn: f.cluster.task_role_arn,
    });
    expect(frontendTd).toMatchObject({ cpu: "256", memory: "512", execution_role_arn: f.cluster.execution_role_arn });
    expect(backendTd.execution_role_arn).not.toBe(backendTd.task_role_arn);
    // Least privilege: the frontend runs with its own role, which holds no secret and sends no mail.
    expect(frontendTd.task_role_arn).toBe(f.cluster.frontend_task_role_arn);
    expect(frontendTd.task_role_arn).not.toBe(backendTd.task_role_arn);
  });

  test("containers backend / frontend: their repository at the tag the SSM parameter holds at plan time (never a literal tag), port 8080, essential", () => {
    expect(backend).toMatchObject({
      name: "backend",
      image: `${f.cluster.backend_repository_url}:\${data.aws_ssm_parameter.backend_image_tag.insecure_value}`,
      essential: true,
      portMappings: [{ containerPort: 8080, protocol: "tcp" }],
    });
    expect(frontend).toMatchObject({
      name: "frontend",
      image: `${f.cluster.frontend_repository_url}:\${data.aws_ssm_parameter.frontend_image_tag.insecure_value}`,
      portMappings: [{ containerPort: 8080, protocol: "tcp" }],
    });
    expect(json.data!.aws_ssm_parameter).toEqual({
      backend_image_tag: { name: f.cluster.backend_image_tag_parameter },
      frontend_image_tag: { name: f.cluster.frontend_image_tag_parameter },
    });
    expect(JSON.stringify(json)).not.toContain(":bootstrap");
  });

  test("awslogs to /ecs/markmail-dev-<service> with stream prefixes backend / frontend", () => {
    expect(backend.logConfiguration).toEqual({
      logDriver: "awslogs",
      options: {
        "awslogs-group": f.cluster.backend_log_group_name,
        "awslogs-region": "ap-northeast-1",
        "awslogs-stream-prefix": "backend",
      },
    });
    expect(frontend.logConfiguration.options).toMatchObject({
      "awslogs-group": f.cluster.frontend_log_group_name,
      "awslogs-stream-prefix": "frontend",
    });
  });

  test("health checks as the original, 30/5/3 with a 60 s start period", () => {
    expect(backend.healthCheck).toEqual({
      command: ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"],
      interval: 30,
      timeout: 5,
      retries: 3,
      startPeriod: 60,
    });
    expect(frontend.healthCheck).toEqual({
      command: ["CMD-SHELL", "wget --no-verbose --tries=1 --spider http://127.0.0.1:8080/ || exit 1"],
      interval: 30,
      timeout: 5,
      retries: 3,
      startPeriod: 60,
    });
  });

  test("read-only root, not privileged, writable scratch volumes; init process with ECS Exec on (dev)", () => {
    for (const c of [backend, frontend]) {
      expect(c.readonlyRootFilesystem).toBe(true);
      expect(c.privileged).toBe(false);
      expect(c.linuxParameters).toEqual({ initProcessEnabled: true });
    }
    // dev has ECS Exec on: the agent's folders are volumes as well.
    expect(backend.mountPoints[0]).toEqual({ sourceVolume: "backend-tmp", containerPath: "/tmp", readOnly: false });
    expect(backendTd.volume).toEqual([{ name: "backend-tmp" }, { name: "backend-var-lib-amazon" }, { name: "backend-var-log-amazon" }]);
    expect(frontend.mountPoints.map((m: any) => m.containerPath)).toEqual([
      "/tmp",
      "/var/cache/nginx",
      "/var/run",
      "/var/lib/amazon",
      "/var/log/amazon",
    ]);
    expect(frontendTd.volume).toEqual([
      { name: "frontend-tmp" },
      { name: "frontend-var-cache-nginx" },
      { name: "frontend-var-run" },
      { name: "frontend-var-lib-amazon" },
      { name: "frontend-var-log-amazon" },
    ]);
  });

  test("backend environment: the original's non-secret settings, SES configuration set, URLs from the ALB, rediss:// cache", () => {
    expect(envOf(backend)).toEqual({
      ENVIRONMENT: "dev",
      AWS_REGION: "ap-northeast-1",
      SERVER_HOST: "0.0.0.0",
      SERVER_PORT: "8080",
      PORT: "8080",
      RUST_LOG: "info",
      EMAIL_PROVIDER: "aws_ses",
      AWS_SES_FROM_EMAIL: "no-reply@example.com",
      AWS_SES_CONFIGURATION_SET: "markmail-dev",
      FRONTEND_URL: f.alb.public_url,
      SALESFORCE_REDIRECT_URI: `${f.alb.public_url}/api/crm/oauth/salesforce/callback`,
      REDIS_URL: `rediss://${f.database.redis_primary_endpoint}:6379`,
    });
    expect(envOf(frontend)).toEqual({ ENVIRONMENT: "dev" });
    expect(frontend.secrets).toEqual([]);
  });

  test("backend secrets from Secrets Manager JSON keys; DATABASE_URL from the db secret's url, JWT from its own secret", () => {
    const s = secretsOf(backend);
    const key = (arn: string, k: string) => `${arn}:${k}::`;
    expect(s).toMatchObject({
      DATABASE_URL: key(f.database.db_secret_arn, "url"),
      JWT_SECRET: key(f.secrets.jwt_secret_arn, "secret"),
      SALESFORCE_CLIENT_ID: key(f.secrets.salesforce_secret_arn, "client_id"),
      SALESFORCE_CLIENT_SECRET: key(f.secrets.salesforce_secret_arn, "client_secret"),
      SALESFORCE_USE_SANDBOX: key(f.secrets.salesforce_secret_arn, "use_sandbox"),
    });
    for (const k of SECRETS.ai.keys) expect(s[k]).toBe(key(f.secrets.ai_secret_arn, k));
    for (const k of SECRETS.stripe.keys) expect(s[k]).toBe(key(f.secrets.stripe_secret_arn, k));
    expect(JSON.stringify(s)).not.toContain(`${f.database.db_secret_arn}:password`);
  });

  test("no secret-looking name in any environment; no secret value in the JSON", () => {
    for (const c of [backend, frontend]) {
      for (const e of c.environment)
        expect([e.name, looksSecretName(e.name), secretValueFinding(e.value)]).toEqual([e.name, false, undefined]);
    }
    expect(JSON.stringify(json)).not.toMatch(/postgres(ql)?:\/\//);
  });

  test("services markmail-dev-backend / -frontend on cluster markmail-dev: private subnets, ECS group, no public IP, target groups", () => {
    const [, svc] = byName(json, "aws_ecs_service", "markmail-dev-backend")!;
    expect(svc).toMatchObject({
      cluster: f.cluster.cluster_name,
      task_definition: `\${aws_ecs_task_definition.${backendTdId}.arn}`,
      platform_version: "LATEST",
      network_configuration: {
        subnets: f.network.private_subnet_ids,
        security_groups: [f.network.ecs_security_group_id],
        assign_public_ip: false,
      },
      load_balancer: [{ target_group_arn: f.alb.backend_target_group_arn, container_name: "backend", container_port: 8080 }],
      desired_count: 1,
    });
    expect(svc.launch_type).toBeUndefined();
    const [, fe] = byName(json, "aws_ecs_service", "markmail-dev-frontend")!;
    expect(fe.load_balancer).toEqual([
      { target_group_arn: f.alb.frontend_target_group_arn, container_name: "frontend", container_port: 8080 },
    ]);
    // The frontend's own group: the data stores admit only the backend's.
    expect(fe.network_configuration.security_groups).toEqual([f.network.frontend_security_group_id]);
  });

  test("deployments: circuit breaker and alarms with rollback, rolling 100/200 % (dev), 60 s grace, exec on (dev), managed tags; Terraform owns the task definition, only the count is ignored", () => {
    for (const [, svc] of resources(json, "aws_ecs_service")) {
      expect(svc).toMatchObject({
        deployment_circuit_breaker: { enable: true, rollback: true },
        deployment_minimum_healthy_percent: 100,
        deployment_maximum_percent: 200,
        health_check_grace_period_seconds: 60,
        enable_execute_command: true,
        propagate_tags: "SERVICE",
        enable_ecs_managed_tags: true,
        deployment_configuration: { strategy: "ROLLING" },
        lifecycle: { ignore_changes: ["desired_count"] },
      });
      expect(svc.task_definition).toMatch(/^\$\{aws_ecs_task_definition\.(backend|frontend)\.arn\}$/);
      const name = svc.name.replace("markmail-dev-", "");
      expect(svc.alarms).toEqual({
        alarm_names: ["markmail-dev-high-error-rate", `markmail-dev-${name}-unhealthy-hosts`],
        enable: true,
        rollback: true,
      });
      expect(svc.load_balancer[0].advanced_configuration).toBeUndefined();
      expect(svc.capacity_provider_strategy).toEqual([
        { capacity_provider: "FARGATE", base: 1, weight: 1 },
        { capacity_provider: "FARGATE_SPOT", weight: 1 },
      ]);
    }
    // Old revisions stay registered: rollbacks go back to them.
    for (const [, td] of resources(json, "aws_ecs_task_definition")) expect(td.skip_destroy).toBe(true);
  });

  test("autoscaling per service: min/max from config, CPU 70 % and memory 80 % target tracking", () => {
    const targets = resources(json, "aws_appautoscaling_target");
    expect(targets).toHaveLength(2);
    const [, svcId] = [0, byName(json, "aws_ecs_service", "markmail-dev-backend")![0]];
    const target = targets.find(([, t]) => t.resource_id === `service/${f.cluster.cluster_name}/\${aws_ecs_service.${svcId}.name}`)!;
    expect(target[1]).toMatchObject({
      min_capacity: 1,
      max_capacity: 3,
      scalable_dimension: "ecs:service:DesiredCount",
      service_namespace: "ecs",
    });
    const policies = resources(json, "aws_appautoscaling_policy").filter(
      ([, p]) => p.resource_id === `\${aws_appautoscaling_target.${target[0]}.resource_id}`,
    );
    expect(
      policies.map(([, p]) => [
        p.name,
        p.target_tracking_scaling_policy_configuration.predefined_metric_specification.predefined_metric_type,
        p.target_tracking_scaling_policy_configuration.target_value,
      ]),
    ).toEqual([
      ["markmail-dev-backend-cpu", "ECSServiceAverageCPUUtilization", 70],
      ["markmail-dev-backend-memory", "ECSServiceAverageMemoryUtilization", 80],
    ]);
  });
});

describe("ecs environment matrix", () => {
  test("prod: 1024/2048 ×3 backend, FARGATE only, no ECS Exec and no init process, min 3 max 6", () => {
    const json = ecsJson(configFor("prod"));
    const [, td] = byFamily(json, "markmail-prod-backend");
    expect(td).toMatchObject({ cpu: "1024", memory: "2048" });
    expect(containers(td)[0].linuxParameters).toEqual({ initProcessEnabled: false });
    for (const [, svc] of resources(json, "aws_ecs_service")) {
      expect(svc.enable_execute_command).toBe(false);
      expect(svc.capacity_provider_strategy).toEqual([{ capacity_provider: "FARGATE", base: 1, weight: 1 }]);
      expect(svc.desired_count).toBe(3);
    }
    for (const [, t] of resources(json, "aws_appautoscaling_target")) expect(t).toMatchObject({ min_capacity: 3, max_capacity: 6 });
  });

  test("staging ×2; with a domain the sender is no-reply@<domain>", () => {
    const json = ecsJson(configFor("staging", { STAGING_DOMAIN: "staging.markmail.example.com" }));
    expect(byName(json, "aws_ecs_service", "markmail-staging-backend")![1].desired_count).toBe(2);
    const env = envOf(containers(byFamily(json, "markmail-staging-backend")[1])[0]);
    expect(env.AWS_SES_FROM_EMAIL).toBe("no-reply@staging.markmail.example.com");
    expect(env.AWS_SES_CONFIGURATION_SET).toBe("markmail-staging");
  });

  test("full app: upstream values are terraform_remote_state reads by name inside the container JSON; https URLs with a domain", () => {
    const stacks = synthApp({ DEV_DOMAIN: "dev.markmail.example.com" });
    const json = stacks.get("markmail-dev-ecs")!;
    const [backend] = containers(byFamily(json, "markmail-dev-backend")[1]);
    const remote = /^\$\{data\.terraform_remote_state\.[^}]+\}/;
    expect(backend.image).toMatch(new RegExp(`${remote.source}:\\$\\{data\\.aws_ssm_parameter\\.backend_image_tag\\.insecure_value\\}$`));
    expect(secretsOf(backend).DATABASE_URL).toBe("${data.terraform_remote_state.database.outputs.db_secret_arn}:url::");
    expect(secretsOf(backend).JWT_SECRET).toBe("${data.terraform_remote_state.secrets.outputs.jwt_secret_arn}:secret::");
    expect(envOf(backend).REDIS_URL).toMatch(/^rediss:\/\/\$\{data\.terraform_remote_state\.[^}]+\}:6379$/);
    expect(envOf(backend).FRONTEND_URL).toBe("${data.terraform_remote_state.alb.outputs.public_url}");
    expect(stacks.get("markmail-dev-alb")!.output!.public_url.value).toBe("https://dev.markmail.example.com");
    expect(byName(json, "aws_ecs_service", "markmail-dev-backend")![1].cluster).toMatch(remote);
    for (const env of ["staging", "prod"]) {
      const other = stacks.get(`markmail-${env}-ecs`)!;
      expect(
        resources(other, "aws_ecs_service")
          .map(([, s]) => s.name)
          .sort(),
      ).toEqual([`markmail-${env}-backend`, `markmail-${env}-frontend`]);
      expect(envOf(containers(byFamily(other, `markmail-${env}-backend`)[1])[0]).FRONTEND_URL).toBe(
        "${data.terraform_remote_state.alb.outputs.public_url}",
      );
      expect(stacks.get(`markmail-${env}-alb`)!.output!.public_url.value).toBe("http://${aws_lb.alb.dns_name}");
    }
  });
});

describe("ecs guardrails", () => {
  const spec: ContainerSpec = {
    name: "backend",
    image: "repo:tag",
    port: 8080,
    environment: { RUST_LOG: "info" },
    logs: { group: "/ecs/x", region: "ap-northeast-1", streamPrefix: "backend" },
    healthCheck: { command: "true" },
  };

  test("a secret-looking environment name throws (password, secret, token, API key, private key, DATABASE_URL)", () => {
    for (const name of [
      "DB_PASSWORD",
      "JWT_SECRET",
      "GITHUB_TOKEN",
      "OPENAI_API_KEY",
      "APIKEY",
      "TLS_PRIVATE_KEY",
      "DATABASE_URL",
      "AWS_ACCESS_KEY_ID",
    ]) {
      expect(() => assertNoSecretEnvironment("backend", { [name]: "x" })).toThrow(new RegExp(`${name} looks like a secret`));
    }
    expect(() => containerDefinition({ ...spec, environment: { DATABASE_URL: "postgresql://u:p@h/db" } })).toThrow(
      /DATABASE_URL looks like a secret/,
    );
    expect(() =>
      assertNoSecretEnvironment("backend", { JWT_SECRET_ARN: "arn", AWS_SES_CONFIGURATION_SET: "x", SALESFORCE_REDIRECT_URI: "u" }),
    ).not.toThrow();
  });

  test("a variable set both as environment and secret, or a relative scratch path, throws", () => {
    expect(() => containerDefinition({ ...spec, secrets: { RUST_LOG: "arn:x:k::" } })).toThrow(/both as environment and as secret/);
    expect(() => containerDefinition({ ...spec, scratchPaths: ["tmp"] })).toThrow(/must be absolute/);
    expect(scratchVolumeName("frontend", "/var/cache/nginx")).toBe("frontend-var-cache-nginx");
  });

  test("a service with a public IP throws; inconsistent counts throw", () => {
    const props: FargateServiceProps = {
      name: "markmail-dev-backend",
      clusterName: "markmail-dev",
      cpu: 512,
      memory: 1024,
      executionRoleArn: "e",
      taskRoleArn: "t",
      container: spec,
      subnetIds: ["s"],
      securityGroupIds: ["g"],
      targetGroupArn: "tg",
      desiredCount: 1,
      minCount: 1,
      maxCount: 2,
      fargateSpot: false,
      enableExecuteCommand: false,
      deploymentAlarmNames: ["markmail-dev-high-error-rate"],
    };
    const stack = () => regionalStack("s");
    expect(() => new FargateService(stack(), "svc", { ...props, deploymentAlarmNames: [] })).toThrow(
      /deploymentAlarmNames must name the alarms/,
    );
    const bg = {
      bakeTimeMinutes: 5,
      alternateTargetGroupArn: "alt",
      productionListenerRuleArn: "p",
      testListenerRuleArn: "t",
      roleArn: "r",
    };
    expect(() => new FargateService(stack(), "svc", { ...props, blueGreen: { ...bg, bakeTimeMinutes: 1441 } })).toThrow(
      /bakeTimeMinutes must be an integer 0-1440/,
    );
    expect(() => new FargateService(stack(), "svc", { ...props, blueGreen: { ...bg, bakeTimeMinutes: 2.5 } })).toThrow(
      /bakeTimeMinutes must be an integer 0-1440/,
    );
    expect(() => new FargateService(stack(), "svc", { ...props, assignPublicIp: true })).toThrow(/assignPublicIp must be false/);
    expect(() => new FargateService(stack(), "svc", { ...props, desiredCount: 5 })).toThrow(
      /^s\/svc: minCount\/desiredCount\/maxCount="1\/5\/2" is not valid: expected integers with 1 <= min <= desired <= max <= 100$/,
    );
    expect(() => new FargateService(stack(), "svc", { ...props, minCount: 0 })).toThrow(/minCount\/desiredCount\/maxCount="0\/1\/2"/);
    expect(() => new FargateService(stack(), "svc", { ...props, maxCount: 101, desiredCount: 101 })).toThrow(/<= max <= 100/);
    expect(() => new FargateService(stack(), "svc", { ...props, desiredCount: 1.5 })).toThrow(/minCount\/desiredCount\/maxCount/);
    expect(() => new FargateService(stack(), "svc", props)).not.toThrow();
  });
});

describe("non-root users and writable scratch volumes", () => {
  const config = configFor("dev");
  const json = synthJson(buildApp(config).get("markmail-dev-ecs")!);

  test("the app containers run as the images' users; an init container gives them the scratch volumes first", () => {
    for (const [family, user, paths] of [
      ["markmail-dev-backend", "1001:1001", ["/tmp"]],
      ["markmail-dev-frontend", "101:101", ["/tmp", "/var/cache/nginx", "/var/run"]],
    ] as const) {
      const [init, app] = allContainers(byFamily(json, family)[1]);
      expect(app.user).toBe(user);
      expect(app.dependsOn).toEqual([{ containerName: init.name, condition: "SUCCESS" }]);
      expect(init).toMatchObject({
        essential: false,
        user: "0",
        image: app.image,
        readonlyRootFilesystem: true,
        privileged: false,
        entryPoint: ["sh", "-c"],
      });
      expect(init.command).toEqual([`chown ${user} ${paths.join(" ")}`]);
      expect(init.mountPoints.map((m: any) => m.containerPath)).toEqual(paths);
      // root with CAP_CHOWN only: every other default capability dropped, none added
      expect(init.linuxParameters).toEqual({ capabilities: { drop: [...SCRATCH_INIT_DROPPED_CAPABILITIES] } });
      expect(SCRATCH_INIT_DROPPED_CAPABILITIES).not.toContain("CHOWN");
    }
  });

  test("MM-048: the only root containers are the non-essential scratch-init containers the exceptions name (every environment)", () => {
    const root = (u: unknown) => typeof u !== "string" || u === "" || ["0", "root"].includes(u.split(":")[0].toLowerCase());
    for (const env of ["dev", "staging", "prod"] as const) {
      const ecs = synthJson(buildApp(configFor(env)).get(`markmail-${env}-ecs`)!);
      const rootContainers = resources(ecs, "aws_ecs_task_definition").flatMap(([addr, td]) =>
        allContainers(td)
          .filter((c) => root(c.user))
          .map((c) => ({ at: `aws_ecs_task_definition.${addr}`, name: c.name, essential: c.essential })),
      );
      // policies/lib/exceptions.rego: MM-048 for these two containers only, while not essential
      expect(rootContainers).toEqual([
        { at: "aws_ecs_task_definition.backend", name: "backend-scratch-init", essential: false },
        { at: "aws_ecs_task_definition.frontend", name: "frontend-scratch-init", essential: false },
      ]);
    }
  });

  test("ECS Exec on (dev): the agent's folders are writable volumes; off in prod", () => {
    const [backend] = containers(byFamily(json, "markmail-dev-backend")[1]);
    expect(backend.mountPoints.map((m: any) => m.containerPath)).toEqual(expect.arrayContaining(["/var/lib/amazon", "/var/log/amazon"]));
    const prod = synthJson(buildApp(configFor("prod")).get("markmail-prod-ecs")!);
    const [prodBackend] = containers(byFamily(prod, "markmail-prod-backend")[1]);
    expect(prodBackend.mountPoints.map((m: any) => m.containerPath)).toEqual(["/tmp"]);
  });

  test("a user that is not uid:gid is refused", () => {
    expect(() =>
      scratchInitContainer({
        name: "x",
        image: "i",
        port: 8080,
        environment: {},
        logs: { group: "g", region: "ap-northeast-1", streamPrefix: "x" },
        healthCheck: { command: "true" },
        scratchPaths: ["/tmp"],
        user: "appuser",
      }),
    ).toThrow(/must be uid:gid/);
  });
});

describe("blue/green releases (prod)", () => {
  const json = synthJson(buildApp(configFor("prod")).get("markmail-prod-ecs")!);
  const bgRef = (name: string) => `\${data.terraform_remote_state.alb.outputs.${name}}`;

  test("each service: BLUE_GREEN with the bake time, the alternate target group and the rules from the ALB layer, the ECS infrastructure role", () => {
    const [roleId, role] = resources(json, "aws_iam_role").find(([, r]) => r.name === "markmail-prod-ecs-infrastructure")!;
    for (const svc of ["backend", "frontend"]) {
      const [, s] = byName(json, "aws_ecs_service", `markmail-prod-${svc}`)!;
      expect(s.deployment_configuration).toEqual({ strategy: "BLUE_GREEN", bake_time_in_minutes: "15" });
      expect(s.load_balancer[0]).toMatchObject({
        target_group_arn: bgRef(`${svc}_target_group_arn`),
        advanced_configuration: {
          alternate_target_group_arn: bgRef(`${svc}_alternate_target_group_arn`),
          production_listener_rule: bgRef(`${svc}_production_listener_rule_arn`),
          test_listener_rule: bgRef(`${svc}_test_listener_rule_arn`),
          role_arn: `\${aws_iam_role.${roleId}.arn}`,
        },
      });
      // The new tasks register in whichever group is idle: both groups' unhealthy alarms roll back.
      expect(s.alarms).toEqual({
        alarm_names: [
          "markmail-prod-high-error-rate",
          `markmail-prod-${svc}-unhealthy-hosts`,
          `markmail-prod-${svc}-alternate-unhealthy-hosts`,
        ],
        enable: true,
        rollback: true,
      });
    }
    expect(role.name).toBe("markmail-prod-ecs-infrastructure");
    const trust = trustOf(json, "markmail-prod-ecs-infrastructure");
    expect(trust.principals).toEqual([{ type: "Service", identifiers: ["ecs.amazonaws.com"] }]);
    expect(trust.condition).toEqual([
      { test: "StringEquals", variable: "aws:SourceAccount", values: [expect.stringMatching(/^\$\{data\.aws_caller_identity\./)] },
      { test: "ArnLike", variable: "aws:SourceArn", values: [expect.stringMatching(ownArn("ecs", "ap-northeast-1", "*"))] },
    ]);
  });

  test("the infrastructure role may modify only the ALB layer's rules and register only in its target groups", () => {
    const doc = Object.values(json.data!.aws_iam_policy_document as Record<string, any>).find((d) =>
      d.statement.some((s: any) => s.sid === "ShiftRules"),
    )!;
    const sid = (n: string) => doc.statement.find((s: any) => s.sid === n);
    expect(sid("ShiftRules")).toMatchObject({ actions: ["elasticloadbalancing:ModifyRule"], resources: bgRef("listener_rule_ids") });
    expect(sid("RegisterTasks").resources).toBe(bgRef("target_group_ids"));
  });

  test("dev stays rolling: no infrastructure role, no advanced configuration", () => {
    const dev = synthJson(buildApp(configFor("dev")).get("markmail-dev-ecs")!);
    expect(resources(dev, "aws_iam_role")).toHaveLength(0);
  });
});

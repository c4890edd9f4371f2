import type { AppConfig } from "../config";
import { ContainerRepository } from "../constructs/container-repository";
import { mailSender } from "../config/contract";
import { TASK_ROLE_SECRETS_POLICY, TaskRoles, type TaskRolesProps } from "../constructs/task-roles";
import { EcsClusterStack } from "../stacks/ecs-cluster-stack";
import { fakeOutputs, onlyEnv, testApp } from "./helpers/fake-outputs";
import { configFor, deref, onlyResource, ownArn, regionalStack, resources, synthJson, type TfJson, trustOf } from "./helpers/synth";

function clusterJson(config: AppConfig): TfJson {
  const env = onlyEnv(config);
  return synthJson(new EcsClusterStack(testApp(), { config, env }));
}

const byName = (json: TfJson, type: string, name: string) => resources(json, type).find(([, b]) => b.name === name);
/** The statements of the policy document a role policy renders. */
function statementsOf(json: TfJson, policyName: string): any[] {
  const policy = byName(json, "aws_iam_role_policy", policyName)![1];
  return deref(json, policy.policy).statement;
}
const sid = (statements: any[], id: string) => statements.find((s) => s.sid === id);

describe("ecs-cluster layer (dev)", () => {
  const json = clusterJson(configFor("dev"));
  const [keyId] = resources(json, "aws_kms_key")[0];
  const key = `\${aws_kms_key.${keyId}.arn}`;
  const { database, secrets } = fakeOutputs("dev");

  test("one CMK with rotation; CloudWatch Logs may use it", () => {
    expect(resources(json, "aws_kms_key")).toHaveLength(1);
    expect(onlyResource(json, "aws_kms_key").enable_key_rotation).toBe(true);
    expect(onlyResource(json, "aws_kms_alias").name).toBe("alias/markmail-dev-ecs");
  });

  test("the key serves this environment's log groups only: a dev group matches, a prod one does not", () => {
    const docs = Object.values<any>(json.data!.aws_iam_policy_document);
    const st = docs.flatMap((d) => d.statement).find((s: any) => s.sid === "CloudWatchLogsUseKey");
    const [cond] = st.condition;
    expect(cond).toMatchObject({ test: "ArnLike", variable: "kms:EncryptionContext:aws:logs:arn" });
    // ArnLike: * matches any run of characters; the account and partition come from the stack.
    const matches = (arn: string) =>
      cond.values.some((v: string) =>
        new RegExp(
          `^${v
            .replace(/\$\{[^}]+\}/g, "X")
            .replace(/[.+?^()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")}$`,
        ).test(arn),
      );
    for (const name of ["/ecs/markmail-dev-backend", "/vpc/markmail-dev/flow-logs", "aws-waf-logs-markmail-dev"]) {
      expect(matches(`arn:X:logs:ap-northeast-1:X:log-group:${name}`)).toBe(true);
    }
    for (const name of ["/ecs/markmail-prod-backend", "/aws/lambda/other-app", "/ecs/markmail-devx"]) {
      expect(matches(`arn:X:logs:ap-northeast-1:X:log-group:${name}`)).toBe(false);
    }
  });

  test("cluster markmail-dev: Container Insights, ECS Exec encrypted with the CMK and logged to an encrypted group", () => {
    const cluster = onlyResource(json, "aws_ecs_cluster");
    expect(cluster.name).toBe("markmail-dev");
    expect(cluster.setting).toEqual([{ name: "containerInsights", value: "enabled" }]);
    expect(cluster.configuration.execute_command_configuration).toEqual({
      kms_key_id: key,
      logging: "OVERRIDE",
      log_configuration: { cloud_watch_log_group_name: "/ecs/markmail-dev-exec", cloud_watch_encryption_enabled: true },
    });
    expect(byName(json, "aws_cloudwatch_log_group", "/ecs/markmail-dev-exec")![1]).toEqual({
      name: "/ecs/markmail-dev-exec",
      retention_in_days: 30,
      kms_key_id: key,
    });
  });

  test("capacity providers FARGATE + FARGATE_SPOT (dev), one task always on-demand", () => {
    const cp = onlyResource(json, "aws_ecs_cluster_capacity_providers");
    expect(cp.capacity_providers).toEqual(["FARGATE", "FARGATE_SPOT"]);
    expect(cp.default_capacity_provider_strategy).toEqual([
      { capacity_provider: "FARGATE", base: 1, weight: 1 },
      { capacity_provider: "FARGATE_SPOT", weight: 1 },
    ]);
  });

  test("ECR markmail-dev-backend / -frontend: immutable tags, scan on push, CMK, force_delete in dev, lifecycle keeps keepImages", () => {
    for (const svc of ["backend", "frontend"]) {
      const [id, repo] = byName(json, "aws_ecr_repository", `markmail-dev-${svc}`)!;
      expect(repo).toMatchObject({
        image_tag_mutability: "IMMUTABLE",
        image_scanning_configuration: { scan_on_push: true },
        encryption_configuration: [{ encryption_type: "KMS", kms_key: key }],
        force_delete: true,
      });
      const lifecycle = resources(json, "aws_ecr_lifecycle_policy").find(
        ([, l]) => l.repository === `\${aws_ecr_repository.${id}.name}`,
      )![1];
      const rules = JSON.parse(lifecycle.policy).rules;
      expect(rules[rules.length - 1]).toMatchObject({
        selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 10 },
        action: { type: "expire" },
      });
      expect(rules[0].selection).toMatchObject({ tagStatus: "untagged", countType: "sinceImagePushed", countNumber: 7 });
    }
  });

  test("log groups /ecs/markmail-dev-backend and -frontend (the guide's aws logs tail), retention and CMK", () => {
    for (const svc of ["backend", "frontend"]) {
      expect(byName(json, "aws_cloudwatch_log_group", `/ecs/markmail-dev-${svc}`)![1]).toEqual({
        name: `/ecs/markmail-dev-${svc}`,
        retention_in_days: 30,
        kms_key_id: key,
      });
    }
  });

  test.each(["markmail-dev-execution-role", "markmail-dev-task-role"])(
    "%s: trusts ecs-tasks for this account's ECS resources only",
    (name) => {
      const trust = trustOf(json, name);
      expect(trust.principals).toEqual([{ type: "Service", identifiers: ["ecs-tasks.amazonaws.com"] }]);
      expect(trust.condition).toEqual([
        { test: "StringEquals", variable: "aws:SourceAccount", values: [expect.stringMatching(/^\$\{data\.aws_caller_identity\./)] },
        { test: "ArnLike", variable: "aws:SourceArn", values: [expect.stringMatching(ownArn("ecs", "ap-northeast-1", "*"))] },
      ]);
    },
  );

  test("execution role: pull from the two repositories, write the two log groups, read exactly the injected secrets", () => {
    const st = statementsOf(json, "TaskExecution");
    const repoArns = ["backend", "frontend"].map(
      (s) => `\${aws_ecr_repository.${byName(json, "aws_ecr_repository", `markmail-dev-${s}`)![0]}.arn}`,
    );
    const groupArns = ["backend", "frontend"].map(
      (s) => `\${aws_cloudwatch_log_group.${byName(json, "aws_cloudwatch_log_group", `/ecs/markmail-dev-${s}`)![0]}.arn}:*`,
    );
    expect(sid(st, "EcrAuth")).toMatchObject({ actions: ["ecr:GetAuthorizationToken"], resources: ["*"] });
    expect(sid(st, "EcrPull")).toMatchObject({
      actions: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
      resources: repoArns,
    });
    expect(sid(st, "Logs")).toMatchObject({ actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: groupArns });
    expect(sid(st, "InjectedSecrets")).toMatchObject({
      actions: ["secretsmanager:GetSecretValue"],
      resources: [
        database.db_secret_arn,
        secrets.jwt_secret_arn,
        secrets.salesforce_secret_arn,
        secrets.ai_secret_arn,
        secrets.stripe_secret_arn,
      ],
    });
    expect(sid(st, "InjectedSecrets").resources).not.toContain(secrets.dockerhub_secret_arn);
    expect(sid(st, "DecryptSecretsAndImages").resources).toEqual([database.kms_key_arn, secrets.kms_key_arn, key]);
    const wildcards = st.filter((s) => s.resources.includes("*")).flatMap((s) => s.actions);
    expect(wildcards).toEqual(["ecr:GetAuthorizationToken"]);
    expect(resources(json, "aws_iam_role_policy_attachment")).toHaveLength(0);
  });

  test("task role markmail-dev-task-role with inline SecretsManagerAccess: the application secrets and their CMK only", () => {
    const [roleId] = byName(json, "aws_iam_role", "markmail-dev-task-role")!;
    const policy = byName(json, "aws_iam_role_policy", "SecretsManagerAccess")![1];
    expect(TASK_ROLE_SECRETS_POLICY).toBe("SecretsManagerAccess");
    expect(policy.role).toBe(`\${aws_iam_role.${roleId}.id}`);
    const st = statementsOf(json, "SecretsManagerAccess");
    expect(st).toEqual([
      expect.objectContaining({
        actions: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
        resources: [secrets.salesforce_secret_arn, secrets.ai_secret_arn, secrets.stripe_secret_arn, secrets.jwt_secret_arn],
      }),
      expect.objectContaining({ actions: ["kms:Decrypt"], resources: [secrets.kms_key_arn] }),
    ]);
    expect(JSON.stringify(st)).not.toContain(database.db_secret_arn);
  });

  test("task role SesSend: SendEmail/SendRawEmail through configuration set markmail-dev and the placeholder sender only", () => {
    const [st] = statementsOf(json, "SesSend");
    expect(st.actions).toEqual(["ses:SendEmail", "ses:SendRawEmail"]);
    expect(st.resources).toEqual([
      expect.stringMatching(/:configuration-set\/markmail-dev$/),
      expect.stringMatching(/:identity\/no-reply@example\.com$/),
    ]);
  });

  test("frontend task role markmail-dev-frontend-task-role: trusts ECS tasks of this account; its only policy is ECS Exec (dev), no secret, no SES", () => {
    const [id, role] = byName(json, "aws_iam_role", "markmail-dev-frontend-task-role")!;
    expect(deref(json, role.assume_role_policy).statement[0].principals).toEqual([
      { type: "Service", identifiers: ["ecs-tasks.amazonaws.com"] },
    ]);
    const policies = resources(json, "aws_iam_role_policy").filter(([, p]) => p.role === `\${aws_iam_role.${id}.id}`);
    expect(policies.map(([, p]) => p.name)).toEqual(["EcsExec"]);
    const actions = deref(json, policies[0][1].policy).statement.flatMap((s: any) => s.actions);
    expect(actions.filter((a: string) => /^(secretsmanager|ses|kms:Decrypt$|ssm:Get)/.test(a) && a !== "kms:Decrypt")).toEqual([]);
    expect(json.output!.frontend_task_role_arn.value).toBe(`\${aws_iam_role.${id}.arn}`);
  });

  test("prod (no ECS Exec): the frontend task role has no policy at all", () => {
    const prod = clusterJson(configFor("prod"));
    const [id] = byName(prod, "aws_iam_role", "markmail-prod-frontend-task-role")!;
    expect(resources(prod, "aws_iam_role_policy").filter(([, p]) => p.role === `\${aws_iam_role.${id}.id}`)).toEqual([]);
  });

  test("ECS Exec permissions on the task role (dev): channels on *, audit log group, session key", () => {
    const st = statementsOf(json, "EcsExec");
    const [execGroupId] = byName(json, "aws_cloudwatch_log_group", "/ecs/markmail-dev-exec")!;
    expect(sid(st, "ExecChannels").resources).toEqual(["*"]);
    expect(sid(st, "ExecChannels").actions.every((a: string) => a.startsWith("ssmmessages:"))).toBe(true);
    expect(sid(st, "ExecAuditLogs").resources).toEqual([`\${aws_cloudwatch_log_group.${execGroupId}.arn}:*`]);
    expect(sid(st, "ExecSessionKey").resources).toEqual([key]);
  });
});

describe("ecs-cluster environment matrix", () => {
  test("prod: FARGATE only, no exec policy, repositories kept on destroy, 365-day logs, 30 images", () => {
    const json = clusterJson(configFor("prod"));
    const cp = onlyResource(json, "aws_ecs_cluster_capacity_providers");
    expect(cp.capacity_providers).toEqual(["FARGATE"]);
    expect(cp.default_capacity_provider_strategy).toEqual([{ capacity_provider: "FARGATE", base: 1, weight: 1 }]);
    expect(byName(json, "aws_iam_role_policy", "EcsExec")).toBeUndefined();
    for (const [, repo] of resources(json, "aws_ecr_repository")) expect(repo.force_delete).toBe(false);
    for (const [, g] of resources(json, "aws_cloudwatch_log_group")) expect(g.retention_in_days).toBe(365);
    const rules = JSON.parse(resources(json, "aws_ecr_lifecycle_policy")[0][1].policy).rules;
    expect(rules[1].selection.countNumber).toBe(30);
    expect(onlyResource(json, "aws_ecs_cluster").name).toBe("markmail-prod");
    expect(onlyResource(json, "aws_kms_key").deletion_window_in_days).toBe(30);
  });

  test("with a domain the SES grant names the domain identity", () => {
    const json = clusterJson(configFor("staging", { STAGING_DOMAIN: "staging.markmail.example.com" }));
    const [st] = statementsOf(json, "SesSend");
    expect(st.resources[1]).toMatch(/:identity\/staging\.markmail\.example\.com$/);
    expect(mailSender("staging.markmail.example.com").address).toBe("no-reply@staging.markmail.example.com");
  });
});

describe("ecs-cluster guardrails", () => {
  const stack = () => regionalStack("s");
  const base: TaskRolesProps = {
    namePrefix: "markmail-dev",
    repositoryArns: ["arn:aws:ecr:ap-northeast-1:1:repository/r"],
    logGroupArns: ["arn:aws:logs:ap-northeast-1:1:log-group:/ecs/x"],
    injectedSecretArns: ["arn:aws:secretsmanager:ap-northeast-1:1:secret:s"],
    executionKeyArns: ["arn:aws:kms:ap-northeast-1:1:key/k"],
    applicationSecretArns: ["arn:aws:secretsmanager:ap-northeast-1:1:secret:s"],
    applicationSecretsKeyArn: "arn:aws:kms:ap-northeast-1:1:key/k",
    mail: { configurationSetName: "markmail-dev", identities: ["example.com"] },
  };

  test("an unscoped SES grant throws (wildcard identity or configuration set, no identity)", () => {
    expect(() => new TaskRoles(stack(), "r", { ...base, mail: { configurationSetName: "markmail-dev", identities: ["*"] } })).toThrow(
      /wildcard/,
    );
    expect(() => new TaskRoles(stack(), "r", { ...base, mail: { configurationSetName: "*", identities: ["example.com"] } })).toThrow(
      /wildcard/,
    );
    expect(() => new TaskRoles(stack(), "r", { ...base, mail: { configurationSetName: "markmail-dev", identities: [] } })).toThrow(
      /at least one identity/,
    );
  });

  test("secret grants must name secrets: '*' or an empty list throws", () => {
    expect(() => new TaskRoles(stack(), "r", { ...base, injectedSecretArns: ["*"] })).toThrow(/injectedSecretArns must name resources/);
    expect(() => new TaskRoles(stack(), "r", { ...base, applicationSecretArns: [] })).toThrow(/applicationSecretArns must name resources/);
    expect(() => new TaskRoles(stack(), "r", { ...base, repositoryArns: ["arn:aws:ecr:ap-northeast-1:1:repository/*"] })).toThrow(
      /repositoryArns/,
    );
  });

  test("a repository without images to keep throws", () => {
    expect(() => new ContainerRepository(stack(), "r", { name: "x", kmsKeyArn: "k", keepImages: 0, forceDelete: false })).toThrow(
      /keepImages/,
    );
  });
});

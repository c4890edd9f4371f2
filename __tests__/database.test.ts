import { TerraformStack, Testing } from "cdktf";
import { EphemeralRandomPassword } from "../constructs/ephemeral-random-password";
import { OperatorSecret, WriteOnlySecret } from "../constructs/secret";
import { DatabaseStack } from "../stacks/database-stack";
import { NetworkStack } from "../stacks/network-stack";
import { SecretsStack } from "../stacks/secrets-stack";
import { configFrom, onlyResource, resources, synthJson, TfJson } from "./helpers/synth";

/** The data layers of one or all environments, wired as main.ts wires them. */
function dataLayers(vars: Record<string, string>): Map<string, TerraformStack> {
  const config = configFrom(vars);
  const app = Testing.app();
  const stacks: TerraformStack[] = [];
  for (const env of config.environments) {
    const network = new NetworkStack(app, { config, env });
    stacks.push(network, new DatabaseStack(app, { config, env, network: network.outputs }), new SecretsStack(app, { config, env }));
  }
  for (const s of stacks) s.prepareStack();
  return new Map(stacks.map((s) => [s.node.id, s]));
}

const layer = (env: "dev" | "prod", name: string, vars: Record<string, string> = {}) =>
  synthJson(dataLayers({ ...vars, CDK_CONTEXT_ENVIRONMENT: env }).get(`markmail-${env}-${name}`)!);
const values = (json: TfJson, type: string) => resources(json, type).map(([, v]) => v);

const devDb = layer("dev", "database");
const prodDb = layer("prod", "database");

describe("Aurora PostgreSQL", () => {
  test("cluster: aurora-postgresql 16, database and user markmail, port 5432, encrypted with the layer CMK, IAM auth, logs", () => {
    const c = onlyResource(prodDb, "aws_rds_cluster");
    expect(c).toMatchObject({
      cluster_identifier: "markmail-prod-cluster",
      engine: "aurora-postgresql",
      engine_version: "16.6",
      database_name: "markmail",
      master_username: "markmail",
      port: 5432,
      storage_encrypted: true,
      iam_database_authentication_enabled: true,
      enabled_cloudwatch_logs_exports: ["postgresql"],
      copy_tags_to_snapshot: true,
    });
    expect(c.kms_key_id).toMatch(/^\$\{aws_kms_key\.key_[A-Z0-9]+\.arn\}$/);
    expect(c.master_password).toBeUndefined();
  });

  test("the writer instance is markmail-<env> (the guide's describe-db-instances filter); prod adds a reader in another AZ", () => {
    const dev = values(devDb, "aws_rds_cluster_instance");
    expect(dev.map((i) => i.identifier)).toEqual(["markmail-dev"]);
    const prod = values(prodDb, "aws_rds_cluster_instance").sort((a, b) => a.identifier.localeCompare(b.identifier));
    expect(prod.map((i) => [i.identifier, i.availability_zone, i.promotion_tier])).toEqual([
      ["markmail-prod", "ap-northeast-1a", 0],
      ["markmail-prod-reader-1", "ap-northeast-1c", 1],
    ]);
    for (const i of prod) {
      expect(i).toMatchObject({ publicly_accessible: false, auto_minor_version_upgrade: true, performance_insights_enabled: true, monitoring_interval: 60 });
      expect(i.monitoring_role_arn).toMatch(/aws_iam_role\./);
    }
  });

  test("prod: deletion protection, final snapshot, 30-day backups; dev skips both explicitly", () => {
    expect(onlyResource(prodDb, "aws_rds_cluster")).toMatchObject({
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: "markmail-prod-cluster-final",
      backup_retention_period: 30,
      delete_automated_backups: false,
    });
    expect(onlyResource(devDb, "aws_rds_cluster")).toMatchObject({ deletion_protection: false, skip_final_snapshot: true, backup_retention_period: 7 });
  });

  test("TLS is forced and statements are logged through the cluster parameter group", () => {
    const pg = onlyResource(prodDb, "aws_rds_cluster_parameter_group");
    expect(pg.family).toBe("aurora-postgresql16");
    expect(pg.parameter).toEqual(expect.arrayContaining([{ name: "rds.force_ssl", value: "1" }, { name: "log_statement", value: "ddl" }]));
  });

  test("the cluster sits in the network's isolated subnet group with the database SG (remote state of the network stack)", () => {
    const c = onlyResource(devDb, "aws_rds_cluster");
    expect(c.db_subnet_group_name).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-markmail-dev-network\.outputs\./);
    expect(c.vpc_security_group_ids[0]).toMatch(/cross-stack-reference-input-markmail-dev-network/);
    expect(devDb.data!.terraform_remote_state["cross-stack-reference-input-markmail-dev-network"].config).toMatchObject({
      bucket: "markmail-terraform-state",
      key: "markmail/dev/network.tfstate",
    });
  });
});

describe("the master password never reaches plan or state", () => {
  test("an ephemeral random password feeds master_password_wo and the secret's secret_string_wo", () => {
    expect(devDb.ephemeral!.aws_secretsmanager_random_password["master-password"]).toMatchObject({ password_length: 40, exclude_punctuation: true });
    const c = onlyResource(devDb, "aws_rds_cluster");
    expect(c.master_password_wo).toBe("${ephemeral.aws_secretsmanager_random_password.master-password.random_password}");
    expect(c.master_password_wo_version).toBe(1);
    const v = onlyResource(devDb, "aws_secretsmanager_secret_version");
    expect(v.secret_string).toBeUndefined();
    expect(v.secret_string_wo).toContain('"password" = ephemeral.aws_secretsmanager_random_password.master-password.random_password');
    expect(v.secret_string_wo_version).toBe(1);
  });

  test("markmail-<env>-db-secret holds the keys the guide and the backend read", () => {
    expect(onlyResource(devDb, "aws_secretsmanager_secret")).toMatchObject({ name: "markmail-dev-db-secret", recovery_window_in_days: 7 });
    expect(onlyResource(prodDb, "aws_secretsmanager_secret").recovery_window_in_days).toBe(30);
    const wo = onlyResource(devDb, "aws_secretsmanager_secret_version").secret_string_wo as string;
    for (const key of ["username", "password", "engine", "host", "port", "dbname", "url"]) expect(wo).toContain(`"${key}" = `);
    expect(wo).toMatch(/"url" = "postgresql:\/\/markmail:\$\{ephemeral\.[^}]+\}@\$\{aws_rds_cluster\.[^}]+\.endpoint\}:5432\/markmail\?sslmode=require"/);
  });

  test("EphemeralRandomPassword writes one ephemeral block and refuses short passwords", () => {
    const stack = new TerraformStack(Testing.app(), "t");
    const pw = new EphemeralRandomPassword(stack, "pw", { length: 48 });
    const json = synthJson(stack);
    expect(json.ephemeral).toEqual({
      aws_secretsmanager_random_password: { pw: { password_length: 48, exclude_punctuation: true, include_space: false, require_each_included_type: true } },
    });
    expect(pw.address).toBe("ephemeral.aws_secretsmanager_random_password.pw");
    expect(() => new EphemeralRandomPassword(stack, "short", { length: 12 })).toThrow(/length must be 32-4096/);
  });
});

describe("Redis", () => {
  test("replication group markmail-<env>-cache: TLS required, encrypted with the CMK, in the isolated subnets", () => {
    const r = onlyResource(devDb, "aws_elasticache_replication_group");
    expect(r).toMatchObject({
      replication_group_id: "markmail-dev-cache",
      engine: "redis",
      transit_encryption_enabled: true,
      transit_encryption_mode: "required",
      at_rest_encryption_enabled: "true",
      num_cache_clusters: 1,
      automatic_failover_enabled: false,
      port: 6379,
    });
    expect(r.auth_token).toBeUndefined();
    expect(r.subnet_group_name).toMatch(/cross-stack-reference-input-markmail-dev-network/);
  });

  test("prod: two nodes, Multi-AZ with automatic failover, snapshots kept", () => {
    expect(onlyResource(prodDb, "aws_elasticache_replication_group")).toMatchObject({
      num_cache_clusters: 2,
      automatic_failover_enabled: true,
      multi_az_enabled: true,
      snapshot_retention_limit: 7,
      node_type: "cache.r7g.large",
    });
  });
});

describe("secrets layer", () => {
  const dev = layer("dev", "secrets", { DEV_DOMAIN: "dev.markmail.example.com" });
  const byName = (json: TfJson): Record<string, any> => Object.fromEntries(values(json, "aws_secretsmanager_secret").map((s) => [s.name, s]));

  test("the guide's secret ids, each encrypted with the layer CMK and recoverable for 7 days (30 in prod)", () => {
    const secrets = byName(dev);
    expect(Object.keys(secrets).sort()).toEqual([
      "markmail-dev-ai-secret",
      "markmail-dev-dockerhub",
      "markmail-dev-jwt-secret",
      "markmail-dev-salesforce-secret",
      "markmail-dev-stripe-secret",
    ]);
    for (const s of Object.values(secrets)) {
      expect(s.kms_key_id).toMatch(/aws_kms_key\./);
      expect(s.recovery_window_in_days).toBe(7);
    }
    for (const s of values(layer("prod", "secrets"), "aws_secretsmanager_secret")) expect(s.recovery_window_in_days).toBe(30);
  });

  test("salesforce secret: the guide's keys, redirect_url on the env domain, use_sandbox false; later changes ignored", () => {
    const version = values(dev, "aws_secretsmanager_secret_version").find((v) => v.secret_string?.includes("client_id"));
    expect(JSON.parse(version.secret_string)).toEqual({
      client_id: "REPLACE_ME",
      client_secret: "REPLACE_ME",
      redirect_url: "https://dev.markmail.example.com/api/crm/oauth/salesforce/callback",
      use_sandbox: "false",
    });
    expect(version.lifecycle.ignore_changes).toContain("secret_string");
  });

  test("the JWT key is generated (64 characters) through a write-only attribute, not the DB password", () => {
    expect(dev.ephemeral!.aws_secretsmanager_random_password["jwt-value"].password_length).toBe(64);
    const jwt = values(dev, "aws_secretsmanager_secret_version").find((v) => v.secret_string_wo);
    expect(jwt.secret_string_wo).toBe('${jsonencode({"secret" = ephemeral.aws_secretsmanager_random_password.jwt-value.random_password})}');
    expect(jwt.secret_string_wo).not.toContain("master-password");
  });

  test("guardrails: a credential with a real initial value, a recovery window of 0, a version of 0", () => {
    const stack = new TerraformStack(Testing.app(), "t");
    const base = { description: "d", kmsKeyArn: "arn:aws:kms:ap-northeast-1:111122223333:key/x", recoveryWindowDays: 7 };
    expect(() => new OperatorSecret(stack, "a", { ...base, name: "a", initial: { client_secret: "s3cr3t-value" } })).toThrow(/client_secret is a credential; its initial value must be "REPLACE_ME"/);
    expect(() => new OperatorSecret(stack, "b", { ...base, name: "b", recoveryWindowDays: 0, initial: {} })).toThrow(/recoveryWindowDays must be 7-30, got 0/);
    expect(() => new WriteOnlySecret(stack, "c", { ...base, name: "c", value: "x", version: 0 })).toThrow(/version must be an integer >= 1/);
  });
});

describe("no secret literal anywhere in the synthesized app", () => {
  // Any string value: keys that name credentials must hold placeholders, tokens or references only.
  const CREDENTIAL = /(password|secret|token|api_key|private_key)/i;
  const ALLOWED = /^(REPLACE_ME|\$\{.*\}|)$/s;
  const HIGH_ENTROPY = /(?<![A-Za-z0-9/+_-])(?=[A-Za-z0-9+/_-]{32,}(?![A-Za-z0-9/+_-]))(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[A-Za-z0-9+/_-]{32,}/;

  function walk(value: unknown, path: string, out: string[]): void {
    if (typeof value === "string") {
      if (HIGH_ENTROPY.test(value) && !/\$\{/.test(value)) out.push(`${path}: high-entropy literal`);
      if (value.startsWith("{")) {
        try {
          walk(JSON.parse(value), `${path}(json)`, out);
        } catch {
          /* not JSON */
        }
      }
      return;
    }
    if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${path}[${i}]`, out));
    if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        if (CREDENTIAL.test(k) && typeof v === "string" && !v.startsWith("{") && !ALLOWED.test(v) && !/_(wo_version|arn|name|id)$/.test(k)) out.push(`${path}.${k}="${v}"`);
        walk(v, `${path}.${k}`, out);
      }
    }
  }

  test("the network, database and secrets stacks of every environment, with domains", () => {
    const stacks = dataLayers({ DEV_DOMAIN: "dev.markmail.example.com", PROD_DOMAIN: "markmail.example.com" });
    const findings: string[] = [];
    for (const [id, stack] of stacks) walk(synthJson(stack), id, findings);
    expect(findings).toEqual([]);
  });

  test("the scanner finds a planted password", () => {
    const findings: string[] = [];
    walk({ resource: { x: { y: { master_password: "Sup3rS3cretPassw0rdValue" } } } }, "t", findings);
    walk({ v: "AKIAxxxxxxxxxxxxqZ9aB3cD4eF5gH6iJ7kL8mN9oP0" }, "t", findings);
    expect(findings).toHaveLength(2);
  });
});

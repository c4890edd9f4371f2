import type { TerraformStack } from "cdktf";
import { AuroraPostgres } from "../constructs/aurora-postgres";
import { EphemeralRandomPassword } from "../constructs/ephemeral-random-password";
import { Redis } from "../constructs/redis";
import { dataLayer } from "./helpers/data-layers";
import { configFor, onlyResource, ownArn, regionalStack, resources, synthJson, type TfJson, trustOf } from "./helpers/synth";

const values = (json: TfJson, type: string) => resources(json, type).map(([, v]) => v);

const devDb = dataLayer("dev", "database");
const stagingDb = dataLayer("staging", "database");
const prodDb = dataLayer("prod", "database");

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
    expect(c.kms_key_id).toBe("${aws_kms_key.main.arn}");
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
      expect(i).toMatchObject({
        publicly_accessible: false,
        auto_minor_version_upgrade: true,
        performance_insights_enabled: true,
        monitoring_interval: 60,
      });
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
    expect(onlyResource(devDb, "aws_rds_cluster")).toMatchObject({
      deletion_protection: false,
      skip_final_snapshot: true,
      backup_retention_period: 7,
    });
  });

  test("TLS is forced and statements are logged through the cluster parameter group", () => {
    const pg = onlyResource(prodDb, "aws_rds_cluster_parameter_group");
    expect(pg.family).toBe("aurora-postgresql16");
    expect(pg.parameter).toEqual(
      expect.arrayContaining([
        { name: "rds.force_ssl", value: "1" },
        { name: "log_statement", value: "ddl" },
      ]),
    );
  });

  test("the cluster sits in the network's isolated subnet group with the database SG (remote state of the network stack)", () => {
    const c = onlyResource(devDb, "aws_rds_cluster");
    expect(c.db_subnet_group_name).toBe("${data.terraform_remote_state.network.outputs.db_subnet_group_name}");
    expect(c.vpc_security_group_ids).toEqual(["${data.terraform_remote_state.network.outputs.database_security_group_id}"]);
    expect(devDb.data!.terraform_remote_state.network.config).toEqual({
      region: "ap-northeast-1",
      bucket: "markmail-terraform-state",
      key: "markmail/dev/network.tfstate",
    });
  });
});

describe("environment matrix", () => {
  const row = (json: TfJson) => {
    const c = onlyResource(json, "aws_rds_cluster");
    const r = onlyResource(json, "aws_elasticache_replication_group");
    const instances = values(json, "aws_rds_cluster_instance");
    return {
      instances: instances.length,
      azs: new Set(instances.map((i) => i.availability_zone)).size,
      instanceClass: instances[0].instance_class,
      deletionProtection: c.deletion_protection,
      finalSnapshot: !c.skip_final_snapshot,
      backupDays: c.backup_retention_period,
      cacheNodes: r.num_cache_clusters,
      cacheFailover: r.automatic_failover_enabled && r.multi_az_enabled,
      cacheSnapshotDays: r.snapshot_retention_limit,
      secretRecoveryDays: onlyResource(json, "aws_secretsmanager_secret").recovery_window_in_days,
      keyDeletionDays: json.resource!.aws_kms_key.main.deletion_window_in_days,
    };
  };

  test.each([
    [
      "dev",
      devDb,
      {
        instances: 1,
        azs: 1,
        instanceClass: "db.t4g.medium",
        deletionProtection: false,
        finalSnapshot: false,
        backupDays: 7,
        cacheNodes: 1,
        cacheFailover: false,
        cacheSnapshotDays: 0,
        secretRecoveryDays: 7,
        keyDeletionDays: 7,
      },
    ],
    [
      "staging",
      stagingDb,
      {
        instances: 1,
        azs: 1,
        instanceClass: "db.t4g.medium",
        deletionProtection: true,
        finalSnapshot: true,
        backupDays: 7,
        cacheNodes: 1,
        cacheFailover: false,
        cacheSnapshotDays: 0,
        secretRecoveryDays: 7,
        keyDeletionDays: 7,
      },
    ],
    [
      "prod",
      prodDb,
      {
        instances: 2,
        azs: 2,
        instanceClass: "db.r7g.large",
        deletionProtection: true,
        finalSnapshot: true,
        backupDays: 30,
        cacheNodes: 2,
        cacheFailover: true,
        cacheSnapshotDays: 7,
        secretRecoveryDays: 30,
        keyDeletionDays: 30,
      },
    ],
  ])("%s", (_, json, expected) => {
    expect(row(json)).toEqual(expected);
  });

  test("storage, Performance Insights, logs, Redis and the secret share the layer's CMK (rotation on) in every environment", () => {
    for (const json of [devDb, stagingDb, prodDb]) {
      // The other keys of the layer encrypt the backup vaults (backup.test.ts).
      const key = json.resource!.aws_kms_key.main;
      expect(key.enable_key_rotation).toBe(true);
      const keyRef = "${aws_kms_key.main.arn}";
      expect(onlyResource(json, "aws_rds_cluster")).toMatchObject({ storage_encrypted: true, kms_key_id: keyRef });
      for (const i of values(json, "aws_rds_cluster_instance")) expect(i.performance_insights_kms_key_id).toBe(keyRef);
      for (const g of values(json, "aws_cloudwatch_log_group")) expect(g.kms_key_id).toBe(keyRef);
      expect(onlyResource(json, "aws_elasticache_replication_group").kms_key_id).toBe(keyRef);
      expect(onlyResource(json, "aws_secretsmanager_secret").kms_key_id).toBe(keyRef);
    }
  });
});

describe("Aurora details", () => {
  test("postgresql logs go to a pre-created, encrypted log group with the environment's retention", () => {
    expect(values(prodDb, "aws_cloudwatch_log_group").map((g) => [g.name, g.retention_in_days])).toEqual(
      expect.arrayContaining([["/aws/rds/cluster/markmail-prod-cluster/postgresql", 365]]),
    );
    expect(values(devDb, "aws_cloudwatch_log_group").find((g) => g.name.startsWith("/aws/rds/")).retention_in_days).toBe(30);
  });

  test("enhanced monitoring: its own role, trusted by monitoring.rds for this account's writer and readers only, with the AWS managed policy", () => {
    const trust = trustOf(devDb, "markmail-dev-rds-monitoring");
    expect(trust.principals).toEqual([{ type: "Service", identifiers: ["monitoring.rds.amazonaws.com"] }]);
    expect(trust.condition).toEqual([
      { test: "StringEquals", variable: "aws:SourceAccount", values: [expect.stringMatching(/^\$\{data\.aws_caller_identity\./)] },
      {
        test: "ArnLike",
        variable: "aws:SourceArn",
        values: [
          expect.stringMatching(ownArn("rds", "ap-northeast-1", "db:markmail-dev")),
          expect.stringMatching(ownArn("rds", "ap-northeast-1", "db:markmail-dev-reader-*")),
        ],
      },
    ]);
    expect(values(devDb, "aws_iam_role_policy_attachment").map((a) => a.policy_arn)).toContainEqual(
      expect.stringMatching(/:iam::aws:policy\/service-role\/AmazonRDSEnhancedMonitoringRole$/),
    );
  });

  test("windows, versions and Performance Insights retention come from the config; engine upgrades are deliberate", () => {
    const c = onlyResource(prodDb, "aws_rds_cluster");
    expect(c).toMatchObject({
      preferred_backup_window: "17:00-18:00",
      preferred_maintenance_window: "sun:18:30-sun:19:30",
      allow_major_version_upgrade: false,
    });
    for (const i of values(prodDb, "aws_rds_cluster_instance")) {
      expect(i).toMatchObject({ engine_version: "16.6", performance_insights_retention_period: 7, copy_tags_to_snapshot: true });
    }
  });
});

describe("guardrails of the data constructs", () => {
  const settings = () => configFor("prod").environments[0];
  const auroraProps = (stack: TerraformStack) => ({
    name: "markmail-prod",
    settings: settings().database,
    region: "ap-northeast-1",
    availabilityZones: ["ap-northeast-1a", "ap-northeast-1c"],
    dbSubnetGroupName: "markmail-prod-db",
    securityGroupIds: ["sg-0db"],
    databaseName: "markmail",
    masterUsername: "markmail",
    masterPassword: new EphemeralRandomPassword(stack, `pw${stack.node.children.length}`),
    port: 5432,
    kmsKeyArn: "arn:aws:kms:ap-northeast-1:111122223333:key/1234",
    logRetentionDays: 365,
  });
  const redisProps = {
    name: "markmail-prod-cache",
    settings: settings().cache,
    subnetGroupName: "markmail-prod-cache",
    securityGroupIds: ["sg-0cache"],
    port: 6379,
    kmsKeyArn: "arn:aws:kms:ap-northeast-1:111122223333:key/1234",
    logRetentionDays: 365,
  };

  test("Aurora without a customer-managed key (unencrypted or AWS-managed storage) is refused", () => {
    const stack = regionalStack("t");
    expect(() => new AuroraPostgres(stack, "a", { ...auroraProps(stack), kmsKeyArn: "" })).toThrow(
      /must be encrypted with a customer-managed KMS key/,
    );
    expect(() => new AuroraPostgres(stack, "b", { ...auroraProps(stack), kmsKeyArn: "alias/aws/rds" })).toThrow(
      /customer-managed KMS key; got kmsKeyArn="alias\/aws\/rds"/,
    );
    expect(() => new AuroraPostgres(stack, "c", auroraProps(stack))).not.toThrow();
  });

  test("Aurora readers need a second AZ; Aurora needs its security group", () => {
    const stack = regionalStack("t");
    expect(() => new AuroraPostgres(stack, "a", { ...auroraProps(stack), availabilityZones: ["ap-northeast-1a"] })).toThrow(
      /readers need a second availability zone/,
    );
    expect(() => new AuroraPostgres(stack, "b", { ...auroraProps(stack), securityGroupIds: [] })).toThrow(
      /needs the database security group/,
    );
  });

  test("Redis without a customer-managed key, with a name over 40 characters, or without its SG is refused", () => {
    const stack = regionalStack("t");
    expect(() => new Redis(stack, "a", { ...redisProps, kmsKeyArn: "" })).toThrow(/must be encrypted with a customer-managed KMS key/);
    expect(() => new Redis(stack, "b", { ...redisProps, name: `markmail-${"x".repeat(40)}-cache` })).toThrow(/longer than 40 characters/);
    expect(() => new Redis(stack, "c", { ...redisProps, securityGroupIds: [] })).toThrow(/needs the cache security group/);
  });

  test("a world-open database is impossible: no Aurora instance is public and the cluster only has the network's database SG", () => {
    for (const json of [devDb, prodDb]) {
      for (const i of values(json, "aws_rds_cluster_instance")) expect(i.publicly_accessible).toBe(false);
      const c = onlyResource(json, "aws_rds_cluster");
      expect(c.vpc_security_group_ids).toHaveLength(1);
      expect(c.vpc_security_group_ids[0]).toBe("${data.terraform_remote_state.network.outputs.database_security_group_id}");
    }
  });
});

describe("the master password never reaches plan or state", () => {
  test("an ephemeral random password feeds master_password_wo and the secret's secret_string_wo", () => {
    expect(devDb.ephemeral!.aws_secretsmanager_random_password["master-password"]).toMatchObject({
      password_length: 40,
      exclude_punctuation: true,
    });
    const c = onlyResource(devDb, "aws_rds_cluster");
    expect(c.master_password_wo).toBe("${ephemeral.aws_secretsmanager_random_password.master-password.random_password}");
    expect(c.master_password_wo_version).toBe(1);
    const v = onlyResource(devDb, "aws_secretsmanager_secret_version");
    expect(v.secret_string).toBeUndefined();
    expect(v.secret_string_wo).toContain('"password" = ephemeral.aws_secretsmanager_random_password.master-password.random_password');
    expect(v.secret_string_wo_version).toBe(1);
  });

  test("a replaced cluster (created with this run's password) rewrites the secret in the same run", () => {
    const cluster = resources(devDb, "aws_rds_cluster")[0][0];
    expect(onlyResource(devDb, "aws_secretsmanager_secret_version").lifecycle).toEqual({
      replace_triggered_by: [`aws_rds_cluster.${cluster}.id`],
    });
  });

  test("bumping database.passwordVersion rotates: both write-only versions follow it", () => {
    const json = dataLayer("dev", "database", {}, (e) => ({ ...e, database: { ...e.database, passwordVersion: 3 } }));
    expect(onlyResource(json, "aws_rds_cluster").master_password_wo_version).toBe(3);
    expect(onlyResource(json, "aws_secretsmanager_secret_version").secret_string_wo_version).toBe(3);
  });

  test("Terraform >= 1.11 is documented, not emitted as required_version (checkov #7454)", () => {
    expect(devDb.terraform.required_version).toBeUndefined();
  });

  test("markmail-<env>-db-secret holds the keys the guide and the backend read", () => {
    expect(onlyResource(devDb, "aws_secretsmanager_secret")).toMatchObject({ name: "markmail-dev-db-secret", recovery_window_in_days: 7 });
    expect(onlyResource(prodDb, "aws_secretsmanager_secret").recovery_window_in_days).toBe(30);
    const wo = onlyResource(devDb, "aws_secretsmanager_secret_version").secret_string_wo as string;
    for (const key of ["username", "password", "engine", "host", "port", "dbname", "url"]) expect(wo).toContain(`"${key}" = `);
    expect(wo).toMatch(
      /"url" = "postgresql:\/\/markmail:\$\{ephemeral\.[^}]+\}@\$\{aws_rds_cluster\.[^}]+\.endpoint\}:5432\/markmail\?sslmode=require"/,
    );
  });

  test("EphemeralRandomPassword writes one ephemeral block and refuses short passwords", () => {
    const stack = regionalStack("t");
    const pw = new EphemeralRandomPassword(stack, "pw", { length: 48 });
    const json = synthJson(stack);
    expect(json.ephemeral).toEqual({
      aws_secretsmanager_random_password: {
        pw: { password_length: 48, exclude_punctuation: true, include_space: false, require_each_included_type: true },
      },
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
    expect(r.subnet_group_name).toBe("${data.terraform_remote_state.network.outputs.cache_subnet_group_name}");
  });

  test("slow log delivered as JSON to an encrypted log group; no snapshot window or final snapshot without retention", () => {
    const r = onlyResource(devDb, "aws_elasticache_replication_group");
    const group = values(devDb, "aws_cloudwatch_log_group").find((g) => g.name === "/elasticache/markmail-dev-cache/slow-log");
    expect(group.retention_in_days).toBe(30);
    expect(r.log_delivery_configuration).toEqual([
      {
        destination: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.[^.]+\.name\}$/),
        destination_type: "cloudwatch-logs",
        log_format: "json",
        log_type: "slow-log",
      },
    ]);
    expect(r.snapshot_window).toBeUndefined();
    expect(r.final_snapshot_identifier).toBeUndefined();
    expect(onlyResource(prodDb, "aws_elasticache_replication_group").final_snapshot_identifier).toBe("markmail-prod-cache-final");
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

import { Fn } from "cdktf";
import type { Construct } from "constructs";
import { APP, SECRETS } from "../config/contract";
import { AuroraPostgres } from "../constructs/aurora-postgres";
import { DatabaseBackup } from "../constructs/backup";
import { EphemeralRandomPassword } from "../constructs/ephemeral-random-password";
import { CustomerKey } from "../constructs/kms-key";
import { Redis } from "../constructs/redis";
import { WriteOnlySecret } from "../constructs/secret";
import { SecretRotation } from "../constructs/secret-rotation";
import { DATABASE, NETWORK } from "./contracts";
import { type LayerProps, LayerStack } from "./base";
import { EncryptedLogGroup } from "../constructs/log-group";

/**
 * `markmail-<env>-database`: Aurora PostgreSQL (writer `markmail-<env>`), Redis, and
 * `markmail-<env>-db-secret`. The master password is an ephemeral value written only through
 * write-only attributes: it reaches RDS and Secrets Manager, never the plan or the state. The
 * secret rotates on a schedule (functions/db-rotation) and AWS Backup keeps, copies and
 * restore-tests the cluster's recovery points.
 */
export class DatabaseStack extends LayerStack {
  constructor(scope: Construct, props: LayerProps) {
    super(scope, "database", props);
    const network = this.upstream(NETWORK);
    const env = this.env;
    const key = new CustomerKey(this, "key", {
      alias: this.name("database"),
      description: `${this.name()}: Aurora storage, Performance Insights, Redis, database logs and the db secret`,
      deletionWindowDays: env.keyDeletionWindowDays,
      serviceStatements: [CustomerKey.logsStatement(this, this.name())],
    });

    const password = new EphemeralRandomPassword(this, "master-password", { length: 40 });
    const aurora = new AuroraPostgres(this, "aurora", {
      name: this.name(),
      settings: env.database,
      availabilityZones: env.network.availabilityZones,
      dbSubnetGroupName: network.db_subnet_group_name,
      securityGroupIds: [network.database_security_group_id],
      databaseName: APP.dbName,
      masterUsername: APP.dbUser,
      masterPassword: password,
      port: APP.dbPort,
      kmsKeyArn: key.arn,
      logRetentionDays: env.logRetentionDays,
    });

    const host = aurora.cluster.endpoint;
    const secretName = this.name(SECRETS.db.suffix);
    const dbSecret = new WriteOnlySecret(this, "db-secret", {
      name: secretName,
      description: "Aurora master credentials and connection URL of the MarkMail backend (generated; never in Terraform state)",
      kmsKeyArn: key.arn,
      recoveryWindowDays: env.secrets.recoveryWindowDays,
      version: env.database.passwordVersion,
      // A replaced cluster is created with this run's password: write it to the secret too.
      rewriteWhenChanged: [{ resource: aurora.cluster, attribute: "id" }],
      value: Fn.jsonencode({
        username: APP.dbUser,
        password: password.value,
        engine: "postgres",
        host,
        port: String(APP.dbPort),
        dbname: APP.dbName,
        url: `postgresql://${APP.dbUser}:${password.value}@${host}:${APP.dbPort}/${APP.dbName}?sslmode=require`,
      }),
    });

    const rotation = new SecretRotation(this, "db-rotation", {
      name: this.name("db-rotation"),
      secretArn: dbSecret.secret.arn,
      secretValue: dbSecret.value,
      kmsKeyArn: key.arn,
      settings: env.database.rotation,
      vpcId: network.vpc_id,
      subnetIds: network.private_subnet_ids,
      databaseSecurityGroupId: network.database_security_group_id,
      dbPort: APP.dbPort,
      // Downstream layers (ecs-cluster, ecs) by their fixed names: the database deploys first.
      backend: { clusterName: this.name(), serviceName: this.name("backend") },
      logRetentionDays: env.logRetentionDays,
    });
    const backup = new DatabaseBackup(this, "backup", {
      name: this.name(),
      settings: env.backup,
      clusterArn: aurora.cluster.arn,
      clusterKeyArn: key.arn,
      restoreInto: { dbSubnetGroupName: network.db_subnet_group_name, securityGroupIds: [network.database_security_group_id] },
      keyDeletionWindowDays: env.keyDeletionWindowDays,
      protect: !env.forceDestroy,
    });

    const redis = new Redis(this, "redis", {
      name: this.name("cache"),
      settings: env.cache,
      subnetGroupName: network.cache_subnet_group_name,
      securityGroupIds: [network.cache_security_group_id],
      port: APP.redisPort,
      kmsKeyArn: key.arn,
      logRetentionDays: env.logRetentionDays,
    });

    // The bastion's shell sessions are audit evidence: their log group lives here, with the data it
    // was used on, and outlives every temporary bastion (markmail-<env>-bastion reads it by name).
    const sessionLogs = new EncryptedLogGroup(this, "bastion-session-logs", {
      name: `/ssm/${this.name("bastion")}-sessions`,
      retentionDays: env.logRetentionDays,
      kmsKeyArn: key.arn,
    });

    this.publish(DATABASE, {
      cluster_identifier: aurora.cluster.clusterIdentifier,
      writer_instance_identifier: aurora.writerIdentifier,
      cluster_endpoint: host,
      reader_endpoint: aurora.cluster.readerEndpoint,
      db_secret_arn: dbSecret.secret.arn,
      db_secret_name: secretName,
      kms_key_arn: key.arn,
      redis_primary_endpoint: redis.group.primaryEndpointAddress,
      redis_replication_group_id: redis.group.replicationGroupId,
      db_rotation_function_name: rotation.function.name,
      backup_vault_name: backup.vault.name,
      backup_vault_arn: backup.vault.arn,
      bastion_session_log_group_name: sessionLogs.group.name,
      bastion_session_log_group_arn: sessionLogs.arn,
      backup_copy: backup.copyVault ? { backup_copy_vault_arn: backup.copyVault.arn } : undefined,
      restore_testing: backup.restoreTestingPlan ? { restore_testing_plan_name: backup.restoreTestingPlan.name } : undefined,
    });
  }
}

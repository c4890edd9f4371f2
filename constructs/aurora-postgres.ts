import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { RdsClusterInstance } from "@cdktf/provider-aws/lib/rds-cluster-instance";
import { RdsClusterParameterGroup } from "@cdktf/provider-aws/lib/rds-cluster-parameter-group";
import { Construct } from "constructs";
import type { DatabaseSettings } from "../config";
import { AccountContext, regionOf } from "./account";
import type { EphemeralRandomPassword } from "./ephemeral-random-password";
import { requireKmsKey } from "./kms-key";
import { serviceTrustStatement } from "./service-role";

export interface AuroraPostgresProps {
  /** `markmail-<env>`: the writer instance identifier; the cluster is `<name>-cluster`. */
  readonly name: string;
  readonly settings: DatabaseSettings;
  readonly availabilityZones: readonly string[];
  readonly dbSubnetGroupName: string;
  readonly securityGroupIds: string[];
  readonly databaseName: string;
  readonly masterUsername: string;
  /**
   * The ephemeral password, written through `master_password_wo`: never in plan or state. Typed as
   * the construct (not a string) so a literal password cannot be passed.
   */
  readonly masterPassword: EphemeralRandomPassword;
  readonly port: number;
  /** Customer-managed key for storage, Performance Insights and the log group. */
  readonly kmsKeyArn: string;
  readonly logRetentionDays: number;
}

/**
 * Aurora PostgreSQL with the terraform-aws-modules/rds-aurora bar: encrypted with a CMK, IAM auth,
 * TLS forced, query logging exported to CloudWatch, Performance Insights, enhanced monitoring,
 * copy tags to snapshots, deletion protection and a final snapshot where configured.
 */
export class AuroraPostgres extends Construct {
  readonly cluster: RdsCluster;
  readonly instances: RdsClusterInstance[];
  readonly writerIdentifier: string;

  constructor(scope: Construct, id: string, props: AuroraPostgresProps) {
    super(scope, id);
    const s = props.settings;
    requireKmsKey(props.name, props.kmsKeyArn);
    if (props.securityGroupIds.length === 0) throw new Error(`${props.name}: needs the database security group`);
    if (s.instanceCount > 1 && props.availabilityZones.length < 2) {
      throw new Error(`${props.name}: readers need a second availability zone`);
    }
    const clusterId = `${props.name}-cluster`;
    const major = s.engineVersion.split(".")[0];

    const params = new RdsClusterParameterGroup(this, "params", {
      name: `${props.name}-aurora-postgresql${major}`,
      family: `aurora-postgresql${major}`,
      description: `${props.name}: TLS required, slow and DDL statements logged`,
      parameter: [
        { name: "rds.force_ssl", value: "1" },
        { name: "log_statement", value: "ddl" },
        { name: "log_min_duration_statement", value: "1000" },
      ],
    });

    // Created before the cluster so RDS does not make it without retention or encryption.
    new CloudwatchLogGroup(this, "logs", {
      name: `/aws/rds/cluster/${clusterId}/postgresql`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });

    const account = AccountContext.of(this);
    const monitoringTrust = new DataAwsIamPolicyDocument(this, "monitoring-trust", {
      statement: [
        serviceTrustStatement(this, {
          service: "monitoring.rds.amazonaws.com",
          region: regionOf(this),
          // The writer and reader instances (identifiers below), by name: their arns depend on this role.
          sourceArns: [account.arn("rds", `db:${props.name}`), account.arn("rds", `db:${props.name}-reader-*`)],
          owner: `enhanced monitoring of ${clusterId}`,
        }),
      ],
    });
    const monitoringRole = new IamRole(this, "monitoring-role", {
      name: `${props.name}-rds-monitoring`,
      description: `Enhanced monitoring of ${clusterId}`,
      assumeRolePolicy: monitoringTrust.json,
    });
    new IamRolePolicyAttachment(this, "monitoring-policy", {
      role: monitoringRole.name,
      policyArn: `arn:${account.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
    });

    this.cluster = new RdsCluster(this, "cluster", {
      clusterIdentifier: clusterId,
      engine: "aurora-postgresql",
      engineVersion: s.engineVersion,
      databaseName: props.databaseName,
      masterUsername: props.masterUsername,
      masterPasswordWo: props.masterPassword.value,
      masterPasswordWoVersion: s.passwordVersion,
      port: props.port,
      dbSubnetGroupName: props.dbSubnetGroupName,
      vpcSecurityGroupIds: props.securityGroupIds,
      dbClusterParameterGroupName: params.name,
      storageEncrypted: true,
      kmsKeyId: props.kmsKeyArn,
      iamDatabaseAuthenticationEnabled: true,
      enabledCloudwatchLogsExports: ["postgresql"],
      backupRetentionPeriod: s.backupRetentionDays,
      preferredBackupWindow: s.backupWindow,
      preferredMaintenanceWindow: s.maintenanceWindow,
      copyTagsToSnapshot: true,
      deletionProtection: s.deletionProtection,
      skipFinalSnapshot: !s.finalSnapshot,
      finalSnapshotIdentifier: s.finalSnapshot ? `${clusterId}-final` : undefined,
      deleteAutomatedBackups: !s.finalSnapshot,
      // A changed password version must not replace anything; engine upgrades are deliberate.
      allowMajorVersionUpgrade: false,
      applyImmediately: false,
    });

    this.writerIdentifier = props.name;
    this.instances = Array.from({ length: s.instanceCount }, (_, i) => {
      const identifier = i === 0 ? props.name : `${props.name}-reader-${i}`;
      return new RdsClusterInstance(this, i === 0 ? "writer" : `reader-${i}`, {
        identifier,
        clusterIdentifier: this.cluster.id,
        engine: "aurora-postgresql",
        engineVersion: s.engineVersion,
        instanceClass: s.instanceClass,
        // Readers in the other AZs; the writer first so it is created (and named) first.
        availabilityZone: props.availabilityZones[i % props.availabilityZones.length],
        promotionTier: i === 0 ? 0 : 1,
        dbSubnetGroupName: props.dbSubnetGroupName,
        publiclyAccessible: false,
        autoMinorVersionUpgrade: true,
        caCertIdentifier: "rds-ca-rsa2048-g1",
        copyTagsToSnapshot: true,
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: props.kmsKeyArn,
        performanceInsightsRetentionPeriod: s.performanceInsightsRetentionDays,
        monitoringInterval: s.monitoringIntervalSeconds,
        monitoringRoleArn: s.monitoringIntervalSeconds > 0 ? monitoringRole.arn : undefined,
        applyImmediately: false,
      });
    });
  }
}

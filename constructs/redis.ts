import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { Construct } from "constructs";
import type { CacheSettings } from "../config";
import { requireKmsKey } from "./kms-key";
import { NAME_LIMITS } from "./naming";

export interface RedisProps {
  /** `markmail-<env>-cache` (≤ 40 characters). */
  readonly name: string;
  readonly settings: CacheSettings;
  readonly subnetGroupName: string;
  readonly securityGroupIds: string[];
  readonly port: number;
  readonly kmsKeyArn: string;
  readonly logRetentionDays: number;
}

/**
 * ElastiCache replication group for the backend's REDIS_URL: encrypted at rest (CMK) and in
 * transit (TLS required, so the URL is rediss://), Multi-AZ with automatic failover from two
 * nodes, snapshots where configured, slow log to CloudWatch.
 *
 * No AUTH token: it is not a write-only attribute, so it would sit in the Terraform state. The
 * boundary is the security group (ECS tasks only) plus TLS; ElastiCache IAM auth is the upgrade path.
 */
export class Redis extends Construct {
  readonly group: ElasticacheReplicationGroup;

  constructor(scope: Construct, id: string, props: RedisProps) {
    super(scope, id);
    if (props.name.length > NAME_LIMITS.elasticacheReplicationGroup)
      throw new Error(`replication group id ${props.name} is longer than ${NAME_LIMITS.elasticacheReplicationGroup} characters`);
    requireKmsKey(props.name, props.kmsKeyArn);
    if (props.securityGroupIds.length === 0) throw new Error(`${props.name}: needs the cache security group`);
    const s = props.settings;
    const ha = s.nodeCount >= 2;
    const slowLog = new CloudwatchLogGroup(this, "slow-log", {
      name: `/elasticache/${props.name}/slow-log`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    this.group = new ElasticacheReplicationGroup(this, "group", {
      replicationGroupId: props.name,
      description: `${props.name}: Redis for the MarkMail backend (TLS, encrypted)`,
      engine: s.engine,
      engineVersion: s.engineVersion,
      nodeType: s.nodeType,
      numCacheClusters: s.nodeCount,
      automaticFailoverEnabled: ha,
      multiAzEnabled: ha,
      port: props.port,
      subnetGroupName: props.subnetGroupName,
      securityGroupIds: props.securityGroupIds,
      atRestEncryptionEnabled: "true",
      kmsKeyId: props.kmsKeyArn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: "required",
      snapshotRetentionLimit: s.snapshotRetentionDays,
      snapshotWindow: s.snapshotRetentionDays > 0 ? "16:00-17:00" : undefined,
      finalSnapshotIdentifier: s.snapshotRetentionDays > 0 ? `${props.name}-final` : undefined,
      maintenanceWindow: "sun:19:30-sun:20:30",
      autoMinorVersionUpgrade: "true",
      applyImmediately: false,
      logDeliveryConfiguration: [{ destination: slowLog.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" }],
    });
  }
}

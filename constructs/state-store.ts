import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { Construct } from "constructs";
import type { BackendConfig } from "../config";
import { CustomerKey } from "./kms-key";
import { SecureBucket } from "./secure-bucket";

/** The S3 backend settings the layer stacks use (config.backend when TF_BACKEND=s3). */
export type S3BackendSettings = Extract<BackendConfig, { kind: "s3" }>;

/** Every physical name of the state store, derived from the same config as the backends. */
export interface StateStoreNames {
  /** The state bucket: config.backend.bucket (TF_STATE_BUCKET). */
  readonly bucket: string;
  /** Its server access log bucket: `<bucket>-access-logs`. */
  readonly logBucket: string;
  /** The DynamoDB lock table: config.backend.lockTable (TF_LOCK_TABLE). */
  readonly lockTable: string;
  /** KMS alias without `alias/`: `<project>-terraform-state`. */
  readonly keyAlias: string;
}

const S3_BUCKET_NAME_MAX = 63;

/** Names of the state store; throws when the derived log bucket name exceeds S3's 63 characters. */
export function stateStoreNames(backend: S3BackendSettings): StateStoreNames {
  const logBucket = `${backend.bucket}-access-logs`;
  if (logBucket.length > S3_BUCKET_NAME_MAX) {
    throw new Error(
      `TF_STATE_BUCKET="${backend.bucket}" is too long for the bootstrap: its log bucket "${logBucket}" has ${logBucket.length} characters, S3 allows ${S3_BUCKET_NAME_MAX} (use at most ${S3_BUCKET_NAME_MAX - "-access-logs".length})`,
    );
  }
  return { bucket: backend.bucket, logBucket, lockTable: backend.lockTable, keyAlias: backend.kmsKeyId.replace(/^alias\//, "") };
}

export interface StateStoreProps {
  readonly names: StateStoreNames;
  /**
   * Noncurrent state versions are deleted after this many days, except the newest `stateVersionsKept`.
   * @default 90
   */
  readonly noncurrentVersionDays?: number;
  /** @default 30 */
  readonly stateVersionsKept?: number;
  /**
   * Access logs of the state bucket are kept this many days.
   * @default 365
   */
  readonly accessLogRetentionDays?: number;
  /**
   * `lifecycle.prevent_destroy` on the key, both buckets and the table: `terraform destroy` of the
   * bootstrap stack fails instead of deleting every environment's state.
   * @default true
   */
  readonly preventDestroy?: boolean;
}

/**
 * Where the layer stacks keep their Terraform state: a KMS-encrypted, versioned, logged S3
 * bucket, a hardened bucket for its access logs, and the DynamoDB lock table (LockID, on-demand,
 * PITR, deletion protection, CMK). The analogue of the `cdk bootstrap` resources.
 */
export class StateStore extends Construct {
  readonly key: CustomerKey;
  readonly bucket: SecureBucket;
  readonly logBucket: SecureBucket;
  readonly lockTable: DynamodbTable;

  constructor(scope: Construct, id: string, props: StateStoreProps) {
    super(scope, id);
    const { names } = props;
    const protect = props.preventDestroy ?? true;
    const lifecycle = protect ? { preventDestroy: true } : undefined;
    const logRetention = props.accessLogRetentionDays ?? 365;

    this.key = new CustomerKey(this, "key", {
      alias: names.keyAlias,
      description: `Terraform state of every MarkMail stack: bucket ${names.bucket} and lock table ${names.lockTable}`,
      deletionWindowDays: 30,
    });
    this.key.key.lifecycle = lifecycle;

    const logPrefix = `${names.bucket}/`;
    this.logBucket = SecureBucket.forLogs(this, "access-logs", {
      bucketName: names.logBucket,
      retentionDays: logRetention,
      noncurrentVersionDays: 30,
      preventDestroy: protect,
      delivery: [SecureBucket.accessLogDeliveryStatement(this, names.logBucket, names.bucket, logPrefix)],
    });

    this.bucket = new SecureBucket(this, "state", {
      bucketName: names.bucket,
      encryption: { kind: "kms", keyArn: this.key.arn },
      noncurrentVersionDays: props.noncurrentVersionDays ?? 90,
      noncurrentVersionsKept: props.stateVersionsKept ?? 30,
      accessLogs: { target: this.logBucket, prefix: logPrefix },
      preventDestroy: protect,
    });

    this.lockTable = new DynamodbTable(this, "locks", {
      name: names.lockTable,
      billingMode: "PAY_PER_REQUEST",
      hashKey: "LockID",
      attribute: [{ name: "LockID", type: "S" }],
      deletionProtectionEnabled: true,
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: this.key.arn },
      lifecycle,
    });
  }
}

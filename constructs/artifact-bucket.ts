import { Construct } from "constructs";
import { AccountContext } from "./account";
import { SecureBucket } from "./secure-bucket";

export interface ArtifactBucketProps {
  /** `markmail-<env>-pipeline-artifacts`; the account id is appended (bucket names are global). */
  readonly namePrefix: string;
  /** The pipeline layer's CMK (SSE-KMS default encryption). */
  readonly kmsKeyArn: string;
  /** `terraform destroy` may delete it while it still holds artifacts (never in prod). */
  readonly forceDestroy: boolean;
  /** Artifacts older than this are deleted; a deploy only needs the artifacts of its own run. @default 90 */
  readonly expireDays?: number;
  /** The bucket for the artifact bucket's server access logs: `markmail-<env>-pipeline-access-logs` (account id appended), its log retention. */
  readonly accessLogs: { readonly namePrefix: string; readonly retentionDays: number };
}

/**
 * The pipeline's artifact store: a SecureBucket (versioned, SSE-KMS with the layer's key, all
 * public access blocked, BucketOwnerEnforced, TLS-only policy) whose objects expire, since every
 * pipeline run writes new keys and nothing reads old runs. Its server access logs (who read or
 * wrote which artifact) go to a log bucket of its own (SecureBucket.forLogs, S3.9).
 */
export class ArtifactBucket extends Construct {
  readonly bucket: SecureBucket;
  readonly logBucket: SecureBucket;
  readonly name: string;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: ArtifactBucketProps) {
    super(scope, id);
    const account = AccountContext.of(this);
    const bucketName = `${props.namePrefix}-${account.accountId}`;
    const logBucketName = `${props.accessLogs.namePrefix}-${account.accountId}`;
    const logPrefix = `${bucketName}/`;
    this.logBucket = SecureBucket.forLogs(this, "access-logs", {
      bucketName: logBucketName,
      retentionDays: props.accessLogs.retentionDays,
      noncurrentVersionDays: 7,
      abortIncompleteUploadDays: 1,
      forceDestroy: props.forceDestroy,
      delivery: [SecureBucket.accessLogDeliveryStatement(this, logBucketName, bucketName, logPrefix)],
    });
    this.bucket = new SecureBucket(this, "bucket", {
      bucketName,
      encryption: { kind: "kms", keyArn: props.kmsKeyArn },
      noncurrentVersionDays: 30,
      noncurrentVersionsKept: 1,
      abortIncompleteUploadDays: 1,
      expireCurrentDays: props.expireDays ?? 90,
      forceDestroy: props.forceDestroy,
      accessLogs: { target: this.logBucket, prefix: logPrefix },
    });
    this.name = this.bucket.name;
    this.arn = this.bucket.arn;
  }
}

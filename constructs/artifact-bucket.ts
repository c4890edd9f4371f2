import { Construct } from "constructs";
import { AccountContext } from "./account";
import { SecureBucket } from "./secure-bucket";

export interface ArtifactBucketProps {
  /** `markmail-<env>-pipeline-artifacts`; the account id is appended (bucket names are global). */
  readonly namePrefix: string;
  readonly region: string;
  /** The pipeline layer's CMK (SSE-KMS default encryption). */
  readonly kmsKeyArn: string;
  /** `terraform destroy` may delete it while it still holds artifacts (never in prod). */
  readonly forceDestroy: boolean;
  /** Artifacts older than this are deleted; a deploy only needs the artifacts of its own run. @default 90 */
  readonly expireDays?: number;
}

/**
 * The pipeline's artifact store: a SecureBucket (versioned, SSE-KMS with the layer's key, all
 * public access blocked, BucketOwnerEnforced, TLS-only policy) whose objects expire, since every
 * pipeline run writes new keys and nothing reads old runs.
 */
export class ArtifactBucket extends Construct {
  readonly bucket: SecureBucket;
  readonly name: string;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: ArtifactBucketProps) {
    super(scope, id);
    const account = AccountContext.of(this, props.region);
    this.bucket = new SecureBucket(this, "bucket", {
      bucketName: `${props.namePrefix}-${account.accountId}`,
      region: props.region,
      encryption: { kind: "kms", keyArn: props.kmsKeyArn },
      noncurrentVersionDays: 30,
      noncurrentVersionsKept: 1,
      abortIncompleteUploadDays: 1,
      expireCurrentDays: props.expireDays ?? 90,
      forceDestroy: props.forceDestroy,
    });
    this.name = this.bucket.name;
    this.arn = this.bucket.arn;
  }
}

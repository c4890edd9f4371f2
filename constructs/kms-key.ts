import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { AccountContext, regionOf } from "./account";
import { isWildcardAction } from "./policy-data";

export interface CustomerKeyProps {
  /** Alias without the `alias/` prefix, e.g. markmail-dev-secrets. */
  readonly alias: string;
  readonly description: string;
  /** 7-30; prod uses 30. */
  readonly deletionWindowDays: number;
  /**
   * Extra key-policy statements for AWS services that encrypt on our behalf
   * (CloudWatch Logs, SNS publishers, ...). The account root statement is always present.
   */
  readonly serviceStatements?: DataAwsIamPolicyDocumentStatement[];
  /** Create the key in another region than the provider's (e.g. a backup copy vault's). @default the provider's */
  readonly placementRegion?: string;
  /** `lifecycle.prevent_destroy` on the key (it encrypts data that must outlive a destroy). @default false */
  readonly preventDestroy?: boolean;
}

/**
 * A customer-managed KMS key with rotation on, an explicit key policy (account root administers
 * it, IAM policies grant use) and an alias. One per layer and environment.
 */
export class CustomerKey extends Construct {
  readonly key: KmsKey;
  readonly arn: string;
  readonly aliasName: string;

  constructor(scope: Construct, id: string, props: CustomerKeyProps) {
    super(scope, id);
    if (props.deletionWindowDays < 7 || props.deletionWindowDays > 30) {
      throw new Error(`KMS key ${props.alias}: deletionWindowDays must be 7-30, got ${props.deletionWindowDays}`);
    }
    for (const s of props.serviceStatements ?? []) {
      const wild = (s.actions ?? []).filter(isWildcardAction);
      if (s.effect !== "Deny" && wild.length > 0)
        throw new Error(`KMS key ${props.alias}: statement ${s.sid ?? ""} grants wildcard actions ${wild.join(", ")}; name them`);
    }
    const account = AccountContext.of(this);
    const policy = new DataAwsIamPolicyDocument(this, "policy", {
      statement: [
        {
          sid: "AccountAdministersKey",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [`arn:${account.partition}:iam::${account.accountId}:root`] }],
          actions: ["kms:*"],
          resources: ["*"],
        },
        ...(props.serviceStatements ?? []),
      ],
    });
    this.key = new KmsKey(this, "key", {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowDays,
      policy: policy.json,
      region: props.placementRegion,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.aliasName = `alias/${props.alias}`;
    new KmsAlias(this, "alias", { name: this.aliasName, targetKeyId: this.key.keyId, region: props.placementRegion });
    this.arn = this.key.arn;
  }

  /**
   * Key-policy statement letting CloudWatch Logs use the key for this environment's log groups only
   * (names holding `namePrefix`, e.g. `/ecs/markmail-dev-backend`, `/vpc/markmail-dev/flow-logs`,
   * `aws-waf-logs-markmail-prod`; a dev log group cannot use prod's key): the CloudWatch Logs guide's
   * Encrypt*, Decrypt*, ReEncrypt*, GenerateDataKey*, Describe* named one by one (MM-025), without
   * the key-pair actions a symmetric log key never serves.
   */
  static logsStatement(scope: Construct, namePrefix: string): DataAwsIamPolicyDocumentStatement {
    if (!/^[a-z][a-z0-9-]*[a-z0-9]$/.test(namePrefix))
      throw new Error(`logs key statement: "${namePrefix}" is not a name prefix such as markmail-dev`);
    const account = AccountContext.of(scope);
    const region = regionOf(scope);
    return {
      sid: "CloudWatchLogsUseKey",
      effect: "Allow",
      principals: [{ type: "Service", identifiers: [`logs.${region}.amazonaws.com`] }],
      actions: [
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncryptFrom",
        "kms:ReEncryptTo",
        "kms:GenerateDataKey",
        "kms:GenerateDataKeyWithoutPlaintext",
        "kms:DescribeKey",
      ],
      resources: ["*"],
      condition: [
        {
          test: "ArnLike",
          variable: "kms:EncryptionContext:aws:logs:arn",
          values: [`*${namePrefix}-*`, `*${namePrefix}/*`, `*${namePrefix}`].map((name) => account.arn("logs", `log-group:${name}`)),
        },
      ],
    };
  }
}

/** Throws unless the value is a key reference (token) or a KMS key/alias ARN: no unencrypted variant exists. */
export function requireKmsKey(owner: string, kmsKeyArn: string): void {
  if (!Token.isUnresolved(kmsKeyArn) && !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+/.test(kmsKeyArn)) {
    throw new Error(`${owner}: storage must be encrypted with a customer-managed KMS key; got kmsKeyArn="${kmsKeyArn}"`);
  }
}

import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import type { TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { looksSecretName, secretValueFinding } from "./policy-data";
import { ConstructError } from "./errors";

interface SecretBase {
  /** `markmail-<env>-<suffix>`: the id operators pass to `aws secretsmanager`. */
  readonly name: string;
  readonly description: string;
  readonly kmsKeyArn: string;
  /** 7-30 days; never 0 (immediate deletion). */
  readonly recoveryWindowDays: number;
}

export interface OperatorSecretProps extends SecretBase {
  /**
   * The JSON keys with their initial, non-secret values (placeholders or defaults such as
   * use_sandbox=false). Operators set the real values later; Terraform never overwrites them.
   */
  readonly initial: Record<string, string>;
}

export interface WriteOnlySecretProps extends SecretBase {
  /** A Terraform expression (usually jsonencode of ephemeral values) written through `secret_string_wo`. */
  readonly value: string;
  /** Bump to write a new value (rotation); Terraform cannot see write-only values change. */
  readonly version: number;
  /**
   * Resource attributes whose change rewrites the value in the same run (`replace_triggered_by`):
   * a replaced database is created with this run's ephemeral password, so the secret must follow.
   * @default none
   */
  readonly rewriteWhenChanged?: { readonly resource: TerraformResource; readonly attribute: string }[];
}

/** The initial value of every credential key: obviously not a secret, obviously to be replaced. */
export const PLACEHOLDER = "REPLACE_ME";

function secretBase(scope: Construct, props: SecretBase): SecretsmanagerSecret {
  if (!Number.isInteger(props.recoveryWindowDays) || props.recoveryWindowDays < 7 || props.recoveryWindowDays > 30) {
    throw new ConstructError(
      scope,
      "recoveryWindowDays",
      props.recoveryWindowDays,
      "7 to 30 days (Secrets Manager's range; 0 would delete without recovery)",
    );
  }
  return new SecretsmanagerSecret(scope, "secret", {
    name: props.name,
    description: props.description,
    kmsKeyId: props.kmsKeyArn,
    recoveryWindowInDays: props.recoveryWindowDays,
  });
}

/**
 * A secret whose values an operator fills in (`aws secretsmanager put-secret-value` or the
 * update script). Terraform writes the keys once with non-secret initial values and ignores
 * every later change, so it never overwrites what an operator set.
 */
export class OperatorSecret extends Construct {
  readonly secret: SecretsmanagerSecret;

  constructor(scope: Construct, id: string, props: OperatorSecretProps) {
    super(scope, id);
    for (const [key, value] of Object.entries(props.initial)) {
      if ((looksSecretName(key) || secretValueFinding(value)) && value !== PLACEHOLDER) {
        throw new Error(
          `secret ${props.name}: ${key} is a credential; its initial value must be "${PLACEHOLDER}", never a real value in Terraform`,
        );
      }
    }
    this.secret = secretBase(this, props);
    new SecretsmanagerSecretVersion(this, "initial", {
      secretId: this.secret.id,
      secretString: JSON.stringify(props.initial),
      lifecycle: { ignoreChanges: ["secret_string", "version_stages"] },
    });
  }
}

/**
 * A secret whose value Terraform generates through a write-only attribute: it reaches Secrets
 * Manager but never the plan or the state (Terraform >= 1.11).
 */
export class WriteOnlySecret extends Construct {
  readonly secret: SecretsmanagerSecret;
  /** The version that writes the value (what a consumer waits for before using the secret). */
  readonly value: SecretsmanagerSecretVersion;

  constructor(scope: Construct, id: string, props: WriteOnlySecretProps) {
    super(scope, id);
    if (!Number.isInteger(props.version) || props.version < 1) throw new Error(`secret ${props.name}: version must be an integer >= 1`);
    this.secret = secretBase(this, props);
    this.value = new SecretsmanagerSecretVersion(this, "value", {
      secretId: this.secret.id,
      secretStringWo: props.value,
      secretStringWoVersion: props.version,
      // Bare addresses: Terraform rejects "${...}" templates in replace_triggered_by.
      lifecycle: props.rewriteWhenChanged?.length
        ? {
            replaceTriggeredBy: props.rewriteWhenChanged.map(
              (t) => `${t.resource.terraformResourceType}.${t.resource.friendlyUniqueId}.${t.attribute}`,
            ),
          }
        : undefined,
    });
  }
}

import { ref, TerraformStack, Token } from "cdktf";
import { Construct } from "constructs";
import { hclExtraBlock } from "./hcl-form";

export interface EphemeralRandomPasswordProps {
  /** @default 40 */
  readonly length?: number;
  /** Leave out punctuation so the value is safe inside a URL. @default true */
  readonly excludePunctuation?: boolean;
}

/**
 * An `ephemeral "aws_secretsmanager_random_password"` block (Terraform >= 1.10): the value exists
 * only while Terraform runs and is never written to the plan or the state. Feed it only to
 * write-only attributes (`*_wo`).
 *
 * Escape hatch: cdktf 0.21 has no class for ephemeral blocks, so the block is added as a stack
 * override and referenced by its address.
 */
export class EphemeralRandomPassword extends Construct {
  /** A token for `ephemeral.aws_secretsmanager_random_password.<name>.random_password`. */
  readonly value: string;
  readonly address: string;

  constructor(scope: Construct, id: string, props: EphemeralRandomPasswordProps = {}) {
    super(scope, id);
    const length = props.length ?? 40;
    if (!Number.isInteger(length) || length < 32 || length > 4096) {
      throw new Error(`${this.node.path}: password length must be 32-4096, got ${length}`);
    }
    const stack = TerraformStack.of(this);
    const name = this.node.path
      .split("/")
      .slice(stack.node.path.split("/").length)
      .join("_")
      .replace(/[^A-Za-z0-9_-]/g, "_");
    this.address = `ephemeral.aws_secretsmanager_random_password.${name}`;
    // Terraform >= 1.11 is required, but `terraform.required_version` is not
    // emitted: it crashes checkov's cdk.tf.json parser (checkov #7454). README and guides state it.
    const body = {
      password_length: length,
      exclude_punctuation: props.excludePunctuation ?? true,
      include_space: false,
      require_each_included_type: true,
    };
    stack.addOverride(this.address, body);
    // `cdktf synth --hcl` drops stack overrides other than `terraform`: the block is added there too.
    hclExtraBlock(stack, "ephemeral", "aws_secretsmanager_random_password", name, body);
    // A reference token, so Fn.jsonencode and string templates render it unescaped.
    this.value = Token.asString(ref(`${this.address}.random_password`, stack));
  }
}

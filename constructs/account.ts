import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack } from "cdktf";
import { Construct, type IConstruct } from "constructs";

/**
 * The region of the stack a construct is in: its default AWS provider's. Constructs read it here
 * instead of taking it as a prop (one source: the stack's provider).
 */
export function regionOf(scope: IConstruct): string {
  const stack = TerraformStack.of(scope);
  const provider = stack.node.children.find((c): c is AwsProvider => c instanceof AwsProvider && c.alias === undefined);
  if (provider?.region === undefined) throw new Error(`${stack.node.id}: no default AWS provider with a region`);
  return provider.region;
}

/**
 * Account id, partition and region of the stack, resolved by Terraform at plan time
 * (synth stays offline). One instance per stack: use `AccountContext.of(scope)`.
 */
export class AccountContext extends Construct {
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;

  private constructor(scope: Construct) {
    super(scope, "account");
    this.accountId = new DataAwsCallerIdentity(this, "caller").accountId;
    this.partition = new DataAwsPartition(this, "partition").partition;
    this.region = regionOf(scope);
  }

  /** The stack's account context, created on first use. */
  static of(scope: IConstruct): AccountContext {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.tryFindChild("account");
    return existing instanceof AccountContext ? existing : new AccountContext(stack);
  }

  /** arn:<partition>:<service>:<region>:<account>:<resource> */
  arn(service: string, resource: string, opts: { region?: string; account?: string } = {}): string {
    const region = opts.region ?? this.region;
    const account = opts.account ?? this.accountId;
    return `arn:${this.partition}:${service}:${region}:${account}:${resource}`;
  }
}

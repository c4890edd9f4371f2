import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";

/**
 * Account id, partition and region of the stack, resolved by Terraform at plan time
 * (synth stays offline). One instance per stack: use `AccountContext.of(scope)`.
 */
export class AccountContext extends Construct {
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;

  private constructor(scope: Construct, region: string) {
    super(scope, "account");
    this.accountId = new DataAwsCallerIdentity(this, "caller").accountId;
    this.partition = new DataAwsPartition(this, "partition").partition;
    this.region = region;
  }

  /** The stack's account context, created on first use. */
  static of(scope: Construct, region: string): AccountContext {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.tryFindChild("account");
    return existing instanceof AccountContext ? existing : new AccountContext(stack, region);
  }

  /** arn:<partition>:<service>:<region>:<account>:<resource> */
  arn(service: string, resource: string, opts: { region?: string; account?: string } = {}): string {
    const region = opts.region ?? this.region;
    const account = opts.account ?? this.accountId;
    return `arn:${this.partition}:${service}:${region}:${account}:${resource}`;
  }
}

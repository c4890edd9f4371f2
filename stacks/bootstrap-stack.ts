import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { LocalBackend, type TerraformElement, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct, Node } from "constructs";
import { allocateReadableLogicalId } from "../constructs/addresses";
import { hclStack } from "../constructs/hcl-form";
import type { AppConfig } from "../config";
import { StateStore, type StateStoreNames, stateStoreNames } from "../constructs/state-store";
import { stackTags } from "../constructs/naming";

export interface BootstrapStackProps {
  readonly config: AppConfig;
}

/** `markmail-bootstrap`: the stack id (`cdktf deploy markmail-bootstrap`). */
export function bootstrapStackId(project: string): string {
  return `${project}-bootstrap`;
}

/**
 * Local state file of the bootstrap stack, relative to the directory Terraform runs in
 * (`<outdir>/stacks/markmail-bootstrap`): three levels up is the repository root when the
 * output directory is `cdktf.bootstrap.out`, so re-synthesizing never removes it.
 */
export function bootstrapStatePath(project: string): string {
  return `../../../terraform.${bootstrapStackId(project)}.tfstate`;
}

/**
 * `markmail-bootstrap`: the S3 state bucket (and its access-log bucket), the DynamoDB lock
 * table and their KMS key, deployed once per account with LOCAL state, before any layer stack.
 * Names and region come from config.backend, the same values the layer stacks' S3 backends use.
 */
export class BootstrapStack extends TerraformStack {
  readonly store: StateStore;

  /**
   * The names and region the stack will use; throws (one line) when the configuration has
   * nothing to bootstrap or a derived name is invalid. Call it before creating the App.
   */
  static plan(config: AppConfig): { names: StateStoreNames; region: string } {
    const backend = config.backend;
    if (backend.kind !== "s3") {
      throw new Error(
        `TF_BACKEND=${backend.kind}: the bootstrap stack creates the S3 state bucket and lock table, which only TF_BACKEND=s3 (the default) uses; nothing to bootstrap`,
      );
    }
    return { names: stateStoreNames(backend), region: backend.region };
  }

  constructor(scope: Construct, props: BootstrapStackProps) {
    const { config } = props;
    const { names, region } = BootstrapStack.plan(config);
    super(scope, bootstrapStackId(config.project));
    hclStack(this);

    new AwsProvider(this, "aws", {
      region,
      defaultTags: [{ tags: stackTags("shared", "bootstrap") }],
    });
    // Local state: this stack creates the bucket the S3 backend would need.
    new LocalBackend(this, { path: bootstrapStatePath(config.project) });

    this.store = new StateStore(this, "state-store", { names });

    new TerraformOutput(this, "state_bucket", { value: this.store.bucket.bucket.bucket });
    new TerraformOutput(this, "access_log_bucket", { value: this.store.logBucket.bucket.bucket });
    new TerraformOutput(this, "lock_table", { value: this.store.lockTable.name });
    new TerraformOutput(this, "state_key_arn", { value: this.store.key.arn });
    new TerraformOutput(this, "state_key_alias", { value: this.store.key.aliasName });
    new TerraformOutput(this, "region", { value: region });
  }

  protected allocateLogicalId(element: TerraformElement | Node): string {
    return allocateReadableLogicalId(this, element);
  }
}

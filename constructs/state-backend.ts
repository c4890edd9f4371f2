import { DataAwsS3Objects } from "@cdktf/provider-aws/lib/data-aws-s3-objects";
import {
  CloudBackend,
  DataTerraformRemoteState,
  DataTerraformRemoteStateLocal,
  DataTerraformRemoteStateS3,
  Fn,
  LocalBackend,
  NamedCloudWorkspace,
  NamedRemoteWorkspace,
  S3Backend,
  type TerraformRemoteState,
  type TerraformStack,
} from "cdktf";
import { Construct } from "constructs";
import { hclLifecycleAsBlocks } from "./hcl-form";
import type { BackendConfig } from "../config";

/** Where one stack's state lives, whatever the backend. */
export interface StateLocation {
  readonly backend: BackendConfig;
  readonly project: string;
  /** e.g. dev */
  readonly env: string;
  /** e.g. ecs-cluster */
  readonly layer: string;
  /** The stack id (`markmail-dev-ecs-cluster`), also the HCP Terraform workspace name. */
  readonly stackId: string;
}

/** S3 state key of one stack: `markmail/<env>/<layer>.tfstate`. */
export function stateKey(project: string, env: string, layer: string): string {
  return `${project}/${env}/${layer}.tfstate`;
}

/**
 * With TF_BACKEND=local: the folder beside the output directory that holds every stack's state
 * (`terraform-state/markmail/<env>/<layer>.tfstate` next to `cdktf.out`), so that synth, which
 * rewrites `cdktf.out`, never touches a state file.
 */
export const LOCAL_STATE_DIR = "terraform-state";

/** The local state file of a stack, relative to the folder Terraform runs in (`<outdir>/stacks/<stack>`). */
export function localStatePath(project: string, env: string, layer: string): string {
  return `../../../${LOCAL_STATE_DIR}/${stateKey(project, env, layer)}`;
}

/** Attaches the configured backend: S3 (encrypted, locked), local, or one HCP Terraform workspace per stack. */
export function attachStateBackend(stack: TerraformStack, at: StateLocation): void {
  const b = at.backend;
  switch (b.kind) {
    case "local":
      new LocalBackend(stack, { path: localStatePath(at.project, at.env, at.layer) });
      return;
    case "cloud":
      new CloudBackend(stack, { hostname: b.hostname, organization: b.organization, workspaces: new NamedCloudWorkspace(at.stackId) });
      return;
    case "s3":
      new S3Backend(stack, {
        bucket: b.bucket,
        key: stateKey(at.project, at.env, at.layer),
        region: b.region,
        encrypt: true,
        // Without kms_key_id Terraform uploads state as SSE-S3 even when the bucket defaults to KMS.
        kmsKeyId: b.kmsKeyId,
        dynamodbTable: b.locking === "lockfile" ? undefined : b.lockTable,
      });
      if (b.locking !== "dynamodb") enableS3NativeLocking(stack);
      return;
  }
}

/**
 * Escape hatch: cdktf 0.21's S3BackendConfig has no `useLockfile` (Terraform >= 1.10 S3-native
 * locking), so the one attribute is set by override on the backend block.
 */
export function enableS3NativeLocking(stack: TerraformStack): void {
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
}

export interface UpstreamStateProps {
  /** The upstream stack's state. */
  readonly at: StateLocation;
  /** The outputs this stack reads; a missing one stops the plan with the upstream stack's name. */
  readonly outputs: readonly string[];
}

/**
 * `data "terraform_remote_state" "<layer>"`: the outputs of an upstream stack, read by name from
 * its state (S3 key, local file or HCP Terraform workspace). Before the read, a precondition
 * checks that the state exists (S3: the object, local: the file); after it, a postcondition
 * checks that every output this stack needs is there. Either failure names the stack to deploy
 * first, instead of Terraform's "Unable to find remote state".
 *
 * Escape hatch: cdktf 0.21's remote-state classes take no `lifecycle`, so the two conditions
 * are set by override on the data block.
 */
export class UpstreamState extends Construct {
  readonly state: TerraformRemoteState;

  constructor(scope: Construct, id: string, props: UpstreamStateProps) {
    super(scope, id);
    const { at } = props;
    const b = at.backend;
    const deployFirst = `deploy it first: npx cdktf deploy ${at.stackId}`;
    let precondition: { condition: string; error_message: string } | undefined;
    switch (b.kind) {
      case "s3": {
        const key = stateKey(at.project, at.env, at.layer);
        const objects = new DataAwsS3Objects(this, "state", { bucket: b.bucket, prefix: key, maxKeys: 1, region: b.region });
        precondition = {
          condition: Fn.contains(objects.keys, key),
          error_message: `${at.stackId} is not deployed (no state at s3://${b.bucket}/${key}): ${deployFirst}`,
        };
        this.state = new DataTerraformRemoteStateS3(this, "Default", { bucket: b.bucket, key, region: b.region });
        break;
      }
      case "local": {
        const path = localStatePath(at.project, at.env, at.layer);
        precondition = {
          condition: `\${fileexists("\${path.module}/${path}")}`,
          error_message: `${at.stackId} is not deployed (no state file ${path}): ${deployFirst}`,
        };
        this.state = new DataTerraformRemoteStateLocal(this, "Default", { path });
        break;
      }
      case "cloud":
        // HCP Terraform names the missing workspace (= the stack id) itself.
        this.state = new DataTerraformRemoteState(this, "Default", {
          hostname: b.hostname,
          organization: b.organization,
          workspaces: new NamedRemoteWorkspace(at.stackId),
        });
        break;
    }
    const wanted = `[${props.outputs.map((o) => JSON.stringify(o)).join(", ")}]`;
    hclLifecycleAsBlocks(this.state);
    this.state.addOverride("lifecycle", {
      ...(precondition ? { precondition: [precondition] } : {}),
      postcondition: [
        {
          condition: `\${alltrue([for name in ${wanted} : contains(keys(self.outputs), name)])}`,
          error_message:
            `${at.stackId} has no output \${join(", ", setsubtract(${wanted}, keys(self.outputs)))}: ` +
            `deploy it (again) first: npx cdktf deploy ${at.stackId}`,
        },
      ],
    });
  }
}

import { Construct } from "constructs";
import {
  CloudBackend,
  DataTerraformRemoteStateS3,
  LocalBackend,
  NamedCloudWorkspace,
  S3Backend,
  S3BackendConfig,
  TerraformRemoteState,
  TerraformStack,
} from "cdktf";
import { BackendConfig } from "../config";

export interface StateBackendProps {
  readonly backend: BackendConfig;
  readonly project: string;
  /** e.g. dev */
  readonly env: string;
  /** e.g. ecs-cluster */
  readonly layer: string;
  /** The stack id, used as the HCP Terraform workspace name. */
  readonly stackId: string;
}

/** S3 state key of one stack: `markmail/<env>/<layer>.tfstate`. */
export function stateKey(project: string, env: string, layer: string): string {
  return `${project}/${env}/${layer}.tfstate`;
}

/**
 * Attaches the configured backend to a stack: S3 (encrypted, locked), local, or HCP Terraform
 * (one workspace per stack, named like the stack).
 */
export function attachStateBackend(stack: TerraformStack, props: StateBackendProps): void {
  const b = props.backend;
  switch (b.kind) {
    case "local":
      new LocalBackend(stack, { path: `terraform.${props.stackId}.tfstate` });
      return;
    case "cloud":
      new CloudBackend(stack, {
        hostname: b.hostname,
        organization: b.organization,
        workspaces: new NamedCloudWorkspace(props.stackId),
      });
      return;
    case "s3": {
      new ReadOnlyRemoteStateS3Backend(stack, {
        bucket: b.bucket,
        key: stateKey(props.project, props.env, props.layer),
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
}

/**
 * Escape hatch: cdktf 0.21's S3BackendConfig has no `useLockfile` (Terraform >= 1.10 S3-native
 * locking), so the one attribute is set by override on the backend block.
 */
export function enableS3NativeLocking(stack: TerraformStack): void {
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
}

/**
 * S3 backend whose cross-stack `terraform_remote_state` readers omit `dynamodb_table`: reading
 * never locks, and Terraform >= 1.11 warns "The parameter dynamodb_table is deprecated" on every
 * reader that carries it (cdktf copies the whole backend config into each reader).
 */
export class ReadOnlyRemoteStateS3Backend extends S3Backend {
  constructor(
    scope: Construct,
    private readonly config: S3BackendConfig,
  ) {
    super(scope, config);
  }

  public getRemoteStateDataSource(scope: Construct, name: string, _fromStack: string): TerraformRemoteState {
    const { dynamodbTable: _lockTable, ...readerConfig } = this.config;
    return new DataTerraformRemoteStateS3(scope, name, { ...readerConfig, workspace: "${terraform.workspace}" });
  }
}

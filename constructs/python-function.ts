import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { AccountContext, regionOf } from "./account";
import { FunctionPackage } from "./function-package";
import { EncryptedLogGroup } from "./log-group";
import { ServiceRole } from "./service-role";

export interface PythonFunctionProps {
  /** Function, role and log group name: `markmail-<env>-<purpose>`. */
  readonly name: string;
  readonly description: string;
  /** The folder under `functions/` and the files packaged from it. */
  readonly source: string;
  readonly files: readonly string[];
  /** `module.function`, e.g. rotation.handler. */
  readonly handler: string;
  /** Plain settings only (names, modes); the construct refuses anything that looks like a credential. */
  readonly environment: Record<string, string>;
  /** What the function may do besides writing its logs and managing its ENIs. */
  readonly statements: DataAwsIamPolicyDocumentStatement[];
  /** Subnets (with a route to the AWS APIs) and the function's own security group. */
  readonly vpc: { readonly subnetIds: string[]; readonly securityGroupId: string };
  /** CMK for the log group and the environment variables (its policy must admit CloudWatch Logs). */
  readonly kmsKeyArn: string;
  readonly logRetentionDays: number;
  /** @default 60 */
  readonly timeoutSeconds?: number;
}

const CREDENTIAL = /password|secret|token|key/i;

/**
 * A Python 3.12 Lambda function from `functions/<source>/` (packaged at synth, see FunctionPackage)
 * with its own least-privilege role (ServiceRole: trust for lambda.amazonaws.com from this account
 * only), an encrypted log group with retention created before the function, and VPC placement.
 * X-Ray tracing is active; no reserved concurrency (a reservation fails on accounts whose limit is
 * still the initial 10).
 */
export class PythonFunction extends Construct {
  readonly fn: LambdaFunction;
  readonly arn: string;
  readonly name: string;
  readonly role: ServiceRole;
  readonly code: FunctionPackage;

  constructor(scope: Construct, id: string, props: PythonFunctionProps) {
    super(scope, id);
    for (const [k, v] of Object.entries(props.environment)) {
      if (CREDENTIAL.test(k))
        throw new Error(`function ${props.name}: environment variable ${k} looks like a credential; read it from Secrets Manager`);
      if (v.length > 256) throw new Error(`function ${props.name}: environment variable ${k} is not a plain setting`);
    }
    if (props.vpc.subnetIds.length === 0) throw new Error(`function ${props.name}: needs subnets`);
    const account = AccountContext.of(this);
    const region = regionOf(this);

    const logs = new EncryptedLogGroup(this, "logs", {
      name: `/aws/lambda/${props.name}`,
      retentionDays: props.logRetentionDays,
      kmsKeyArn: props.kmsKeyArn,
    });
    const eni = account.arn("ec2", "network-interface/*");
    this.role = new ServiceRole(this, "role", {
      name: props.name,
      description: `${props.name} (Lambda): ${props.description}`,
      service: "lambda.amazonaws.com",
      statements: [
        { sid: "Logs", effect: "Allow", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [`${logs.arn}:*`] },
        // ENIs with the function's own security group only, in this account and region (what
        // AWSLambdaVPCAccessExecutionRole grants on "*"). The subnet ids are read from the network
        // layer's state at plan time, so subnets are named by pattern; the group binds the ENI.
        {
          sid: "VpcNetworkInterfaces",
          effect: "Allow",
          actions: ["ec2:CreateNetworkInterface"],
          resources: [eni, account.arn("ec2", "subnet/*"), account.arn("ec2", `security-group/${props.vpc.securityGroupId}`)],
        },
        {
          sid: "VpcNetworkInterfaceCleanup",
          effect: "Allow",
          actions: ["ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
          resources: [eni],
        },
        {
          sid: "VpcDescribe",
          effect: "Allow",
          actions: ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"],
          resources: ["*"],
          condition: [{ test: "StringEquals", variable: "aws:RequestedRegion", values: [region] }],
        },
        {
          sid: "Tracing",
          effect: "Allow",
          actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
          resources: ["*"],
          condition: [{ test: "StringEquals", variable: "aws:RequestedRegion", values: [region] }],
        },
        ...props.statements,
      ],
    });

    this.code = new FunctionPackage(this, "code", { source: props.source, files: props.files });
    this.fn = new LambdaFunction(this, "function", {
      functionName: props.name,
      description: props.description,
      role: this.role.arn,
      runtime: "python3.12",
      architectures: ["arm64"],
      handler: props.handler,
      filename: this.code.path,
      // Computed by Terraform from the asset (the same bytes): no hash literal in the JSON.
      sourceCodeHash: Fn.filebase64sha256(this.code.path),
      timeout: props.timeoutSeconds ?? 60,
      memorySize: 256,
      kmsKeyArn: props.kmsKeyArn,
      environment: { variables: props.environment },
      vpcConfig: { subnetIds: props.vpc.subnetIds, securityGroupIds: [props.vpc.securityGroupId] },
      tracingConfig: { mode: "Active" },
      loggingConfig: { logFormat: "Text", logGroup: logs.name },
      // The role's inline policy and the log group exist before the first invocation.
      dependsOn: [this.role.policy, logs.group],
    });
    this.arn = this.fn.arn;
    this.name = props.name;
  }
}

import type { ITerraformDependable } from "cdktf";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { SecretsmanagerSecretRotation } from "@cdktf/provider-aws/lib/secretsmanager-secret-rotation";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import type { RotationSettings } from "../config";
import { AccountContext, regionOf } from "./account";
import { PythonFunction } from "./python-function";

export interface SecretRotationProps {
  /** Function, role and security group name: `markmail-<env>-db-rotation`. */
  readonly name: string;
  /** The secret rotated (username, password, engine, host, port, dbname, url). */
  readonly secretArn: string;
  /** The CMK of the secret; also encrypts the function's logs and environment. */
  readonly kmsKeyArn: string;
  readonly settings: RotationSettings;
  readonly vpcId: string;
  /** Subnets with a route to Secrets Manager and ECS (NAT or interface endpoints). */
  readonly subnetIds: string[];
  /** The database's security group: it gets an inbound rule from the function on `dbPort`. */
  readonly databaseSecurityGroupId: string;
  /** The resource that writes the secret's first value: rotation starts only after it (else it rotates an empty secret). */
  readonly secretValue: ITerraformDependable;
  readonly dbPort: number;
  /** The ECS service that reads the secret at task start; it gets a new deployment after each rotation. */
  readonly backend: { readonly clusterName: string; readonly serviceName: string };
  readonly logRetentionDays: number;
}

/** `rate(N days)`: Secrets Manager opens the window at 00:00 UTC (09:00 JST) and keeps it open `windowHours`. */
export function rotationSchedule(settings: RotationSettings): { scheduleExpression: string; duration: string } {
  const unit = settings.days === 1 ? "day" : "days";
  return { scheduleExpression: `rate(${settings.days} ${unit})`, duration: `${settings.windowHours}h` };
}

/**
 * Automatic rotation of one database secret by `functions/db-rotation` (alternating users by
 * default, see its docstring): the function in the VPC with a security group that may reach the
 * database and HTTPS only, a role that may read and write this one secret (through Secrets
 * Manager with its key) and redeploy this one ECS service, permission for Secrets Manager of this
 * account to invoke it for this secret only, and the schedule.
 *
 * Terraform keeps writing the secret only when `database.passwordVersion` changes (write-only
 * `secret_string_wo`): a rotation does not show up as drift and a plan never holds the value.
 * `rotate_immediately = false`: applies stay quick and predictable; the first rotation happens in
 * the first window (or run `aws secretsmanager rotate-secret` once, as the guide says).
 */
export class SecretRotation extends Construct {
  readonly function: PythonFunction;
  readonly securityGroup: SecurityGroup;
  readonly rotation: SecretsmanagerSecretRotation;

  constructor(scope: Construct, id: string, props: SecretRotationProps) {
    super(scope, id);
    const account = AccountContext.of(this);
    const s = props.settings;

    this.securityGroup = new SecurityGroup(this, "security-group", {
      name: props.name,
      description: `${props.name}: PostgreSQL to Aurora, HTTPS to Secrets Manager and ECS`,
      vpcId: props.vpcId,
      tags: { Name: props.name },
      lifecycle: { createBeforeDestroy: true },
    });
    new VpcSecurityGroupEgressRule(this, "to-database", {
      securityGroupId: this.securityGroup.id,
      description: "PostgreSQL to Aurora",
      ipProtocol: "tcp",
      fromPort: props.dbPort,
      toPort: props.dbPort,
      referencedSecurityGroupId: props.databaseSecurityGroupId,
    });
    new VpcSecurityGroupEgressRule(this, "to-aws-apis", {
      securityGroupId: this.securityGroup.id,
      description: "HTTPS to Secrets Manager and ECS (NAT or interface endpoints)",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
    });
    new VpcSecurityGroupIngressRule(this, "database-from-rotation", {
      securityGroupId: props.databaseSecurityGroupId,
      description: `PostgreSQL from the rotation function ${props.name}`,
      ipProtocol: "tcp",
      fromPort: props.dbPort,
      toPort: props.dbPort,
      referencedSecurityGroupId: this.securityGroup.id,
    });

    const service = account.arn("ecs", `service/${props.backend.clusterName}/${props.backend.serviceName}`);
    this.function = new PythonFunction(this, "function", {
      name: props.name,
      description: "Rotates the database secret (createSecret, setSecret, testSecret, finishSecret) and redeploys the backend",
      source: "db-rotation",
      files: ["rotation.py", "pgwire.py"],
      handler: "rotation.handler",
      environment: {
        ROTATION_STRATEGY: s.strategy,
        ECS_CLUSTER: props.backend.clusterName,
        ECS_SERVICE: props.backend.serviceName,
      },
      statements: [
        {
          sid: "RotateThisSecret",
          effect: "Allow",
          actions: [
            "secretsmanager:DescribeSecret",
            "secretsmanager:GetSecretValue",
            "secretsmanager:PutSecretValue",
            "secretsmanager:UpdateSecretVersionStage",
          ],
          resources: [props.secretArn],
        },
        {
          sid: "SecretKeyThroughSecretsManager",
          effect: "Allow",
          actions: ["kms:Decrypt", "kms:GenerateDataKey"],
          resources: [props.kmsKeyArn],
          condition: [
            { test: "StringEquals", variable: "kms:ViaService", values: [`secretsmanager.${regionOf(this)}.amazonaws.com`] },
            { test: "StringEquals", variable: "kms:EncryptionContext:SecretARN", values: [props.secretArn] },
          ],
        },
        { sid: "RedeployTheBackend", effect: "Allow", actions: ["ecs:UpdateService"], resources: [service] },
      ],
      vpc: { subnetIds: props.subnetIds, securityGroupId: this.securityGroup.id },
      kmsKeyArn: props.kmsKeyArn,
      logRetentionDays: props.logRetentionDays,
      timeoutSeconds: 60,
    });

    const permission = new LambdaPermission(this, "invoke", {
      statementId: "SecretsManagerRotatesThisSecret",
      action: "lambda:InvokeFunction",
      functionName: this.function.name,
      principal: "secretsmanager.amazonaws.com",
      sourceAccount: account.accountId,
      sourceArn: props.secretArn,
      dependsOn: [this.function.fn],
    });

    this.rotation = new SecretsmanagerSecretRotation(this, "schedule", {
      secretId: props.secretArn,
      rotationLambdaArn: this.function.arn,
      rotationRules: rotationSchedule(s),
      rotateImmediately: false,
      dependsOn: [permission, props.secretValue],
    });
  }
}

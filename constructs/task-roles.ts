import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { AccountContext, regionOf } from "./account";
import { sesSendStatement } from "./mail";
import { assertLeastPrivilege, ServiceRole, serviceTrustStatement } from "./service-role";

/** The guide inspects exactly these names: `aws iam get-role-policy --role-name markmail-<env>-task-role --policy-name SecretsManagerAccess`. */
export const TASK_ROLE_SECRETS_POLICY = "SecretsManagerAccess";

export interface TaskRolesProps {
  /** `markmail-<env>`: roles `<prefix>-execution-role` and `<prefix>-task-role`. */
  readonly namePrefix: string;
  /** ECR repositories the tasks pull from. */
  readonly repositoryArns: string[];
  /** Log groups the awslogs driver writes to. */
  readonly logGroupArns: string[];
  /** Every secret a task definition references in `secrets` (read by ECS at task start). */
  readonly injectedSecretArns: string[];
  /** CMKs of those secrets and of this layer (ECR, logs). */
  readonly executionKeyArns: string[];
  /** Application secrets the running app may read itself (GetSecretValue, DescribeSecret). */
  readonly applicationSecretArns: string[];
  /** CMK of the application secrets. */
  readonly applicationSecretsKeyArn: string;
  /** SES: the configuration set and the identity the app sends through. */
  readonly mail: { readonly configurationSetName: string; readonly identities: string[] };
  /** ECS Exec (`aws ecs execute-command`): audit log group and session CMK. @default undefined (no exec permissions) */
  readonly exec?: { readonly logGroupArn: string; readonly kmsKeyArn: string };
}

/**
 * The two task roles. Execution role (used by ECS to start a task): pull from these repositories,
 * write these log groups, read exactly the injected secrets. Task role (the application):
 * `SecretsManagerAccess` on the application secrets, `SesSend` through one configuration set and
 * identity, and ECS Exec channels only when exec is on. Frontend task role: nothing but the ECS
 * Exec channels where exec is on (the frontend reads no secret and sends no mail). All trust
 * ecs-tasks for this account only.
 */
export class TaskRoles extends Construct {
  readonly execution: ServiceRole;
  readonly task: ServiceRole;
  readonly frontendTask: IamRole;

  constructor(scope: Construct, id: string, props: TaskRolesProps) {
    super(scope, id);
    for (const [what, list] of [
      ["repositoryArns", props.repositoryArns],
      ["logGroupArns", props.logGroupArns],
      ["injectedSecretArns", props.injectedSecretArns],
      ["applicationSecretArns", props.applicationSecretArns],
    ] as const) {
      if (list.length === 0 || list.some((a) => a.includes("*")))
        throw new Error(`task roles ${props.namePrefix}: ${what} must name resources, got [${list.join(", ")}]`);
    }
    const account = AccountContext.of(this);

    this.execution = new ServiceRole(this, "execution", {
      name: `${props.namePrefix}-execution-role`,
      description: `ECS task execution role of ${props.namePrefix}: image pull, logs, injected secrets`,
      service: "ecs-tasks.amazonaws.com",
      sourceArns: [account.arn("ecs", "*")],
      policyName: "TaskExecution",
      statements: [
        { sid: "EcrAuth", effect: "Allow", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
        {
          sid: "EcrPull",
          effect: "Allow",
          actions: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
          resources: props.repositoryArns,
        },
        {
          sid: "Logs",
          effect: "Allow",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
          resources: props.logGroupArns.map((a) => `${a}:*`),
        },
        { sid: "InjectedSecrets", effect: "Allow", actions: ["secretsmanager:GetSecretValue"], resources: props.injectedSecretArns },
        { sid: "DecryptSecretsAndImages", effect: "Allow", actions: ["kms:Decrypt"], resources: props.executionKeyArns },
      ],
    });

    this.task = new ServiceRole(this, "task", {
      name: `${props.namePrefix}-task-role`,
      description: `ECS task role of ${props.namePrefix}: application secrets, SES sending`,
      service: "ecs-tasks.amazonaws.com",
      sourceArns: [account.arn("ecs", "*")],
      policyName: TASK_ROLE_SECRETS_POLICY,
      statements: [
        {
          sid: "ReadApplicationSecrets",
          effect: "Allow",
          actions: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
          resources: props.applicationSecretArns,
        },
        { sid: "DecryptApplicationSecrets", effect: "Allow", actions: ["kms:Decrypt"], resources: [props.applicationSecretsKeyArn] },
      ],
    });

    const ses = sesSendStatement(this, { configurationSetName: props.mail.configurationSetName, identities: props.mail.identities });
    this.inline(this.task.role, "ses", "SesSend", [ses]);

    const frontendName = `${props.namePrefix}-frontend-task-role`;
    const frontendTrust = new DataAwsIamPolicyDocument(this, "frontend-trust", {
      statement: [
        serviceTrustStatement(this, {
          service: "ecs-tasks.amazonaws.com",
          region: regionOf(this),
          sourceArns: [account.arn("ecs", "*")],
          owner: `role ${frontendName}`,
        }),
      ],
    });
    this.frontendTask = new IamRole(this, "frontend-task", {
      name: frontendName,
      description: `ECS task role of the ${props.namePrefix} frontend: no secrets, no mail`,
      assumeRolePolicy: frontendTrust.json,
    });

    if (props.exec) {
      const exec = [
        {
          sid: "ExecChannels",
          effect: "Allow",
          actions: [
            "ssmmessages:CreateControlChannel",
            "ssmmessages:CreateDataChannel",
            "ssmmessages:OpenControlChannel",
            "ssmmessages:OpenDataChannel",
          ],
          resources: ["*"],
        },
        {
          sid: "ExecAuditLogs",
          effect: "Allow",
          actions: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
          resources: [`${props.exec.logGroupArn}:*`],
        },
        {
          sid: "ExecAuditLogGroups",
          effect: "Allow",
          actions: ["logs:DescribeLogGroups"],
          resources: [account.arn("logs", "log-group:*")],
        },
        { sid: "ExecSessionKey", effect: "Allow", actions: ["kms:Decrypt"], resources: [props.exec.kmsKeyArn] },
      ];
      this.inline(this.task.role, "exec", "EcsExec", exec);
      this.inline(this.frontendTask, "frontend-exec", "EcsExec", exec);
    }
  }

  private inline(role: IamRole, id: string, name: string, statements: DataAwsIamPolicyDocumentStatement[]): IamRolePolicy {
    assertLeastPrivilege(role.name, statements);
    const doc = new DataAwsIamPolicyDocument(this, `${id}-document`, { statement: statements });
    return new IamRolePolicy(this, `${id}-policy`, { role: role.id, name, policy: doc.json });
  }
}

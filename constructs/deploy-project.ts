import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CodebuildProject } from "@cdktf/provider-aws/lib/codebuild-project";
import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { Construct } from "constructs";
import { AccountContext } from "./account";
import { BUILD_IMAGE } from "./build-project";
import { type Buildspec, IMAGE_TAG_FILE, renderBuildspec } from "./buildspec";
import { ServiceRole } from "./service-role";

/** Release binaries the deploy project downloads (checked against the vendor's SHA-256 list). */
export const DEPLOY_TOOLS = { terraform: "1.11.4", opa: "1.22.4" } as const;

type Service = "backend" | "frontend";

export interface EcsDeployProjectProps {
  /** `markmail-<env>-ecs-deploy`. */
  readonly name: string;
  readonly env: string;
  /** The stack it applies, `markmail-<env>-ecs`. */
  readonly stackId: string;
  /**
   * The synth inputs of this environment (MARKMAIL_REGION, CDK_CONTEXT_ENVIRONMENT, the domain,
   * account id and backend variables): the project synthesizes exactly the stack a developer does.
   */
  readonly synthInputs: Record<string, string>;
  /** Build output artifact names by service (each holds image-tag.txt). */
  readonly buildArtifacts: Record<Service, string>;
  /** The image-tag parameters it writes. */
  readonly imageTagParameterArns: string[];
  /** S3 state: bucket, this stack's key, the environment's key prefix, lock table, state KMS alias. */
  readonly state: {
    readonly bucket: string;
    readonly key: string;
    readonly envPrefix: string;
    readonly lockTable?: string;
    readonly kmsAlias: string;
    readonly region: string;
  };
  readonly cluster: { readonly name: string; readonly services: Record<Service, string> };
  /** Roles the ECS stack passes: task execution and task role to ECS tasks, the infrastructure role to ECS. */
  readonly passRoles: { readonly tasks: string[]; readonly ecs: string[] };
  readonly artifactBucketArn: string;
  readonly kmsKeyArn: string;
  readonly logRetentionDays: number;
}

/** The deploy stage's buildspec: install pinned Terraform and OPA, synthesize, run scripts/pipeline/deploy-ecs.sh. */
export function deployBuildspec(props: Pick<EcsDeployProjectProps, "env" | "stackId" | "buildArtifacts">): Buildspec {
  const tf = DEPLOY_TOOLS.terraform;
  const opa = DEPLOY_TOOLS.opa;
  const hashicorp = `https://releases.hashicorp.com/terraform/${tf}`;
  const opaUrl = `https://github.com/open-policy-agent/opa/releases/download/v${opa}`;
  const tags = (["backend", "frontend"] as const)
    .map((s) => `${s}=$CODEBUILD_SRC_DIR_${props.buildArtifacts[s]}/${IMAGE_TAG_FILE}`)
    .join(" ");
  return {
    version: 0.2,
    env: { shell: "bash" },
    phases: {
      install: {
        "on-failure": "ABORT",
        commands: [
          "mkdir -p /tmp/tools && cd /tmp/tools",
          `curl -fsSLO ${hashicorp}/terraform_${tf}_linux_amd64.zip && curl -fsSLO ${hashicorp}/terraform_${tf}_SHA256SUMS`,
          `sha256sum --check --ignore-missing terraform_${tf}_SHA256SUMS && unzip -q terraform_${tf}_linux_amd64.zip terraform && install terraform /usr/local/bin/terraform`,
          `curl -fsSL -o opa ${opaUrl}/opa_linux_amd64_static && curl -fsSL -o opa.sha256 ${opaUrl}/opa_linux_amd64_static.sha256`,
          `echo "$(cut -d' ' -f1 opa.sha256)  opa" | sha256sum --check && install opa /usr/local/bin/opa`,
          "cd $CODEBUILD_SRC_DIR && npm ci --no-audit --no-fund",
        ],
      },
      build: {
        "on-failure": "ABORT",
        commands: [
          // The stack a developer's `cdktf deploy` applies: same source, same inputs (project variables).
          "npm run synth",
          `bash scripts/pipeline/deploy-ecs.sh ${props.env} cdktf.out/stacks/${props.stackId} ${tags}`,
        ],
      },
    },
  };
}

/**
 * The CodeBuild project of the pipeline's deploy stage: from this infrastructure repository (the
 * pipeline's second source) it synthesizes `markmail-<env>-ecs` and applies it with Terraform,
 * the S3 backend and its lock, after writing the new image tags and passing the policy gate. Its
 * role can write the two image-tag parameters, this stack's state object, and the ECS resources of
 * this stack, and read the upstream states; nothing else in the account.
 */
export class EcsDeployProject extends Construct {
  readonly project: CodebuildProject;
  readonly role: ServiceRole;
  readonly name: string;
  readonly arn: string;
  readonly buildspec: string;

  constructor(scope: Construct, id: string, props: EcsDeployProjectProps) {
    super(scope, id);
    const account = AccountContext.of(this);
    this.name = props.name;
    this.arn = account.arn("codebuild", `project/${props.name}`);
    const logGroupName = `/aws/codebuild/${props.name}`;
    const logGroup = new CloudwatchLogGroup(this, "logs", {
      name: logGroupName,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    const logGroupArn = account.arn("logs", `log-group:${logGroupName}`);
    const ecs = (r: string) => account.arn("ecs", r);
    const bucketArn = `arn:${account.partition}:s3:::${props.state.bucket}`;
    const services = Object.values(props.cluster.services);

    const statements: DataAwsIamPolicyDocumentStatement[] = [
      {
        sid: "Logs",
        effect: "Allow",
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [logGroupArn, `${logGroupArn}:*`],
      },
      {
        sid: "PipelineArtifacts",
        effect: "Allow",
        actions: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
        resources: [`${props.artifactBucketArn}/*`],
      },
      { sid: "PipelineArtifactsBucket", effect: "Allow", actions: ["s3:GetBucketLocation"], resources: [props.artifactBucketArn] },
      {
        sid: "LayerKey",
        effect: "Allow",
        actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
        resources: [props.kmsKeyArn],
      },
      {
        sid: "ImageTags",
        effect: "Allow",
        actions: ["ssm:GetParameter", "ssm:GetParameters", "ssm:PutParameter"],
        resources: props.imageTagParameterArns,
      },
      { sid: "StateList", effect: "Allow", actions: ["s3:ListBucket"], resources: [bucketArn] },
      ...(props.state.lockTable
        ? [
            {
              sid: "StateLock",
              effect: "Allow",
              actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
              resources: [account.arn("dynamodb", `table/${props.state.lockTable}`, { region: props.state.region })],
            },
          ]
        : []),
      // Upstream layers are read (terraform_remote_state), this stack's state and lock file written.
      { sid: "StateRead", effect: "Allow", actions: ["s3:GetObject"], resources: [`${bucketArn}/${props.state.envPrefix}*`] },
      {
        sid: "StateWrite",
        effect: "Allow",
        actions: ["s3:PutObject", "s3:DeleteObject"],
        resources: [`${bucketArn}/${props.state.key}`, `${bucketArn}/${props.state.key}.tflock`],
      },
      {
        sid: "StateKey",
        effect: "Allow",
        actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
        // The state key by its alias (the bootstrap stack owns the key; its id is not an input).
        resources: [account.arn("kms", "key/*", { region: props.state.region })],
        condition: [{ test: "ForAnyValue:StringEquals", variable: "kms:ResourceAliases", values: [props.state.kmsAlias] }],
      },
      { sid: "TaskDefinitions", effect: "Allow", actions: ["ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition"], resources: ["*"] },
      {
        sid: "TagTaskDefinitions",
        effect: "Allow",
        actions: ["ecs:TagResource"],
        resources: [ecs(`task-definition/${props.cluster.name}-*:*`)],
        condition: [{ test: "StringEquals", variable: "ecs:CreateAction", values: ["RegisterTaskDefinition"] }],
      },
      {
        sid: "Services",
        effect: "Allow",
        actions: ["ecs:DescribeServices", "ecs:UpdateService", "ecs:ListTagsForResource"],
        resources: services.map((s) => ecs(`service/${props.cluster.name}/${s}`)),
      },
      {
        sid: "PassTaskRoles",
        effect: "Allow",
        actions: ["iam:PassRole"],
        resources: props.passRoles.tasks,
        condition: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ecs-tasks.amazonaws.com"] }],
      },
      // Refresh of the stack's other resources (scaling targets and policies, the infrastructure role).
      {
        sid: "RefreshScaling",
        effect: "Allow",
        actions: ["application-autoscaling:DescribeScalableTargets", "application-autoscaling:DescribeScalingPolicies"],
        resources: ["*"],
      },
      {
        sid: "ScalingTags",
        effect: "Allow",
        actions: ["application-autoscaling:ListTagsForResource"],
        resources: [account.arn("application-autoscaling", "scalable-target/*")],
      },
    ];
    if (props.passRoles.ecs.length > 0) {
      statements.push(
        {
          sid: "PassInfrastructureRole",
          effect: "Allow",
          actions: ["iam:PassRole"],
          resources: props.passRoles.ecs,
          condition: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ecs.amazonaws.com"] }],
        },
        {
          sid: "RefreshInfrastructureRole",
          effect: "Allow",
          actions: ["iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies"],
          resources: props.passRoles.ecs,
        },
      );
    }
    this.role = new ServiceRole(this, "role", {
      name: `${props.name}-role`,
      description: `CodeBuild ${props.name}: apply ${props.stackId} with new image tags`,
      service: "codebuild.amazonaws.com",
      sourceArns: [this.arn],
      statements,
    });

    this.buildspec = renderBuildspec(deployBuildspec(props));
    this.project = new CodebuildProject(this, "project", {
      name: props.name,
      description: `Applies ${props.stackId} (Terraform, policy gate) with the images the pipeline built`,
      serviceRole: this.role.arn,
      encryptionKey: props.kmsKeyArn,
      buildTimeout: 60,
      queuedTimeout: 60,
      artifacts: { type: "CODEPIPELINE" },
      source: { type: "CODEPIPELINE", buildspec: this.buildspec },
      environment: {
        type: "LINUX_CONTAINER",
        image: BUILD_IMAGE,
        computeType: "BUILD_GENERAL1_SMALL",
        imagePullCredentialsType: "CODEBUILD",
        privilegedMode: false,
        environmentVariable: Object.entries({ ...props.synthInputs, CHECKPOINT_DISABLE: "1" }).map(([name, value]) => ({
          name,
          value,
          type: "PLAINTEXT",
        })),
      },
      logsConfig: { cloudwatchLogs: { status: "ENABLED", groupName: logGroup.name }, s3Logs: { status: "DISABLED" } },
      dependsOn: [this.role.policy],
    });
  }
}

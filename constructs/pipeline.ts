import { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { Codepipeline, CodepipelineStage } from "@cdktf/provider-aws/lib/codepipeline";
import { CodestarconnectionsConnection } from "@cdktf/provider-aws/lib/codestarconnections-connection";
import { Construct } from "constructs";
import { AccountContext } from "./account";
import { ServiceRole } from "./service-role";

type Service = "backend" | "frontend";
const SERVICES: readonly Service[] = ["backend", "frontend"];
const title = (s: Service) => (s === "backend" ? "Backend" : "Frontend");

export interface DeliveryPipelineProps {
  /** Exact name, `markmail-<env>-pipeline` (the guide's start-pipeline-execution --name). */
  readonly name: string;
  readonly region: string;
  /** GitHub source. */
  readonly source: { readonly owner: string; readonly repo: string; readonly branch: string };
  /**
   * An existing CodeConnections/CodeStar connection; otherwise one named `connectionName` is
   * created (status PENDING until someone completes the handshake in the console).
   */
  readonly connectionArn?: string;
  /** `markmail-<env>-github` (max 32 characters). */
  readonly connectionName: string;
  readonly artifactBucket: { readonly name: string; readonly arn: string };
  /** This layer's CMK (artifact store, build projects). */
  readonly kmsKeyArn: string;
  /** The two CodeBuild projects, by service. */
  readonly builds: Record<Service, { readonly name: string; readonly arn: string }>;
  readonly deploy: {
    readonly clusterName: string;
    readonly services: Record<Service, string>;
    /** Execution and task role ARNs the new task definition revisions use (iam:PassRole). */
    readonly passRoleArns: string[];
  };
  /** A manual approval stage before deploy, announced on this topic. @default none */
  readonly approval?: { readonly topicArn: string; readonly topicKmsKeyArn: string };
}

/**
 * CodePipeline V2: GitHub source through a connection → both images built in parallel →
 * (optional manual approval) → both ECS services updated with the standard ECS deploy action and
 * each build's imagedefinitions.json. One role, limited to these projects, this bucket, this
 * connection, these services and the task roles.
 */
export class DeliveryPipeline extends Construct {
  readonly pipeline: Codepipeline;
  readonly role: ServiceRole;
  readonly name: string;
  readonly connectionArn: string;
  /** Set when the connection was created here (it starts PENDING). */
  readonly connection?: CodestarconnectionsConnection;

  constructor(scope: Construct, id: string, props: DeliveryPipelineProps) {
    super(scope, id);
    if (props.connectionName.length > 32) throw new Error(`connection name ${props.connectionName}: longer than 32 characters`);
    if (props.deploy.passRoleArns.length === 0) throw new Error(`pipeline ${props.name}: passRoleArns must name the task roles (iam:PassRole is never granted on *)`);
    const account = AccountContext.of(this, props.region);
    this.name = props.name;

    if (props.connectionArn === undefined) {
      this.connection = new CodestarconnectionsConnection(this, "github", { name: props.connectionName, providerType: "GitHub" });
      this.connectionArn = this.connection.arn;
    } else {
      this.connectionArn = props.connectionArn;
    }

    const ecs = (resource: string) => account.arn("ecs", resource);
    const clusterArn = ecs(`cluster/${props.deploy.clusterName}`);
    const statements: DataAwsIamPolicyDocumentStatement[] = [
      {
        sid: "ArtifactObjects",
        effect: "Allow",
        actions: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
        resources: [`${props.artifactBucket.arn}/*`],
      },
      { sid: "ArtifactBucket", effect: "Allow", actions: ["s3:GetBucketLocation", "s3:GetBucketVersioning", "s3:ListBucket"], resources: [props.artifactBucket.arn] },
      {
        sid: "LayerKey",
        effect: "Allow",
        actions: ["kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        resources: [props.kmsKeyArn],
      },
      {
        sid: "UseGithubConnection",
        effect: "Allow",
        // The connection may live in either namespace (codestar-connections or codeconnections).
        actions: ["codestar-connections:UseConnection", "codeconnections:UseConnection"],
        resources: [this.connectionArn],
      },
      {
        sid: "RunBuilds",
        effect: "Allow",
        actions: ["codebuild:StartBuild", "codebuild:BatchGetBuilds", "codebuild:StopBuild"],
        resources: SERVICES.map((s) => props.builds[s].arn),
      },
      {
        sid: "EcsServices",
        effect: "Allow",
        actions: ["ecs:DescribeServices", "ecs:UpdateService"],
        resources: SERVICES.map((s) => ecs(`service/${props.deploy.clusterName}/${props.deploy.services[s]}`)),
      },
      { sid: "EcsTaskDefinitions", effect: "Allow", actions: ["ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition"], resources: ["*"] },
      {
        sid: "EcsTagNewRevisions",
        effect: "Allow",
        actions: ["ecs:TagResource"],
        // Task definition families are named markmail-<env>-<service>.
        resources: [ecs(`task-definition/${props.deploy.clusterName}-*:*`)],
        condition: [{ test: "StringEquals", variable: "ecs:CreateAction", values: ["RegisterTaskDefinition"] }],
      },
      { sid: "EcsTasks", effect: "Allow", actions: ["ecs:DescribeTasks"], resources: [ecs(`task/${props.deploy.clusterName}/*`)] },
      {
        sid: "EcsListTasks",
        effect: "Allow",
        actions: ["ecs:ListTasks"],
        // ListTasks authorizes against container instances (service authorization reference),
        // narrowed to this cluster twice: by ARN and by the ecs:cluster condition.
        resources: [ecs(`container-instance/${props.deploy.clusterName}/*`)],
        condition: [{ test: "ArnEquals", variable: "ecs:cluster", values: [clusterArn] }],
      },
      {
        sid: "PassTaskRoles",
        effect: "Allow",
        actions: ["iam:PassRole"],
        resources: props.deploy.passRoleArns,
        condition: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ecs-tasks.amazonaws.com"] }],
      },
    ];
    if (props.approval) {
      statements.push(
        { sid: "ApprovalNotice", effect: "Allow", actions: ["sns:Publish"], resources: [props.approval.topicArn] },
        {
          sid: "ApprovalNoticeKey",
          effect: "Allow",
          actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
          resources: [props.approval.topicKmsKeyArn],
          condition: [{ test: "StringEquals", variable: "kms:ViaService", values: [`sns.${props.region}.amazonaws.com`] }],
        },
      );
    }
    this.role = new ServiceRole(this, "role", {
      name: `${props.name}-role`,
      description: `CodePipeline ${props.name}`,
      service: "codepipeline.amazonaws.com",
      region: props.region,
      statements,
    });

    const stages: CodepipelineStage[] = [
      {
        name: "Source",
        action: [
          {
            name: "GitHub_Source",
            category: "Source",
            owner: "AWS",
            provider: "CodeStarSourceConnection",
            version: "1",
            namespace: "SourceVariables",
            outputArtifacts: ["SourceOutput"],
            configuration: {
              ConnectionArn: this.connectionArn,
              FullRepositoryId: `${props.source.owner}/${props.source.repo}`,
              BranchName: props.source.branch,
              OutputArtifactFormat: "CODE_ZIP",
            },
          },
        ],
      },
      {
        name: "Build",
        action: SERVICES.map((s) => ({
          name: `${title(s)}_Build`,
          category: "Build",
          owner: "AWS",
          provider: "CodeBuild",
          version: "1",
          runOrder: 1,
          inputArtifacts: ["SourceOutput"],
          outputArtifacts: [`${title(s)}BuildOutput`],
          configuration: { ProjectName: props.builds[s].name },
        })),
      },
    ];
    if (props.approval) {
      stages.push({
        name: "Approval",
        action: [
          {
            name: "Approve_Deploy",
            category: "Approval",
            owner: "AWS",
            provider: "Manual",
            version: "1",
            configuration: {
              NotificationArn: props.approval.topicArn,
              CustomData: `Deploy commit #{SourceVariables.CommitId} of ${props.source.owner}/${props.source.repo}@${props.source.branch} to ${props.deploy.clusterName}?`,
            },
          },
        ],
      });
    }
    stages.push({
      name: "Deploy",
      action: SERVICES.map((s) => ({
        name: `Deploy_${title(s)}`,
        category: "Deploy",
        owner: "AWS",
        provider: "ECS",
        version: "1",
        runOrder: 1,
        inputArtifacts: [`${title(s)}BuildOutput`],
        configuration: {
          ClusterName: props.deploy.clusterName,
          ServiceName: props.deploy.services[s],
          FileName: "imagedefinitions.json",
        },
      })),
    });

    this.pipeline = new Codepipeline(this, "pipeline", {
      name: props.name,
      pipelineType: "V2",
      roleArn: this.role.arn,
      artifactStore: [{ location: props.artifactBucket.name, type: "S3", encryptionKey: { id: props.kmsKeyArn, type: "KMS" } }],
      stage: stages,
      // V2 runs on pushes to the branch only (explicit, instead of the source action's DetectChanges).
      trigger: [
        {
          providerType: "CodeStarSourceConnection",
          gitConfiguration: { sourceActionName: "GitHub_Source", push: [{ branches: { includes: [props.source.branch] } }] },
        },
      ],
      dependsOn: [this.role.policy],
    });
  }
}

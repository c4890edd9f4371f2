import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { Codepipeline, type CodepipelineStage } from "@cdktf/provider-aws/lib/codepipeline";
import { CodestarconnectionsConnection } from "@cdktf/provider-aws/lib/codestarconnections-connection";
import { Construct } from "constructs";
import { AccountContext, regionOf } from "./account";
import { ServiceRole } from "./service-role";

type Service = "backend" | "frontend";
const SERVICES: readonly Service[] = ["backend", "frontend"];
const title = (s: Service) => (s === "backend" ? "Backend" : "Frontend");

export interface DeliveryPipelineProps {
  /** Exact name, `markmail-<env>-pipeline` (the guide's start-pipeline-execution --name). */
  readonly name: string;
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
  /** This infrastructure repository (second source, no trigger): the deploy stage applies its ECS stack. */
  readonly infraSource: { readonly owner: string; readonly repo: string; readonly branch: string };
  /** The CodeBuild project of the deploy stage (constructs/deploy-project.ts). */
  readonly deploy: { readonly name: string; readonly arn: string };
  /** A manual approval stage before deploy, announced on this topic. @default none */
  readonly approval?: { readonly topicArn: string; readonly topicKmsKeyArn: string };
}

/**
 * CodePipeline V2: the application repository (trigger) and this infrastructure repository
 * through one connection → both images built in parallel → (optional manual approval) → one
 * CodeBuild action that writes the new image tags and applies the ECS stack with Terraform. No ECS
 * deploy action: the pipeline never changes a service outside Terraform. One role, limited to
 * these projects, this bucket and this connection.
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
    this.name = props.name;

    if (props.connectionArn === undefined) {
      this.connection = new CodestarconnectionsConnection(this, "github", { name: props.connectionName, providerType: "GitHub" });
      this.connectionArn = this.connection.arn;
    } else {
      this.connectionArn = props.connectionArn;
    }

    const statements: DataAwsIamPolicyDocumentStatement[] = [
      {
        sid: "ArtifactObjects",
        effect: "Allow",
        actions: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
        resources: [`${props.artifactBucket.arn}/*`],
      },
      {
        sid: "ArtifactBucket",
        effect: "Allow",
        actions: ["s3:GetBucketLocation", "s3:GetBucketVersioning", "s3:ListBucket"],
        resources: [props.artifactBucket.arn],
      },
      {
        sid: "LayerKey",
        effect: "Allow",
        actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
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
        resources: [...SERVICES.map((s) => props.builds[s].arn), props.deploy.arn],
      },
    ];
    if (props.approval) {
      statements.push(
        { sid: "ApprovalNotice", effect: "Allow", actions: ["sns:Publish"], resources: [props.approval.topicArn] },
        {
          sid: "ApprovalNoticeKey",
          effect: "Allow",
          actions: ["kms:GenerateDataKey", "kms:Decrypt"],
          resources: [props.approval.topicKmsKeyArn],
          condition: [{ test: "StringEquals", variable: "kms:ViaService", values: [`sns.${regionOf(this)}.amazonaws.com`] }],
        },
      );
    }
    this.role = new ServiceRole(this, "role", {
      name: `${props.name}-role`,
      description: `CodePipeline ${props.name}`,
      service: "codepipeline.amazonaws.com",
      // The pipeline's ARN from its name (the resource's own arn would depend on this role).
      sourceArns: [AccountContext.of(this).arn("codepipeline", props.name)],
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
          {
            // Not in the trigger: infrastructure changes are deployed with cdktf deploy; this
            // source only gives the deploy stage the stack a developer would apply.
            name: "Infra_Source",
            category: "Source",
            owner: "AWS",
            provider: "CodeStarSourceConnection",
            version: "1",
            namespace: "InfraVariables",
            outputArtifacts: ["InfraSource"],
            configuration: {
              ConnectionArn: this.connectionArn,
              FullRepositoryId: `${props.infraSource.owner}/${props.infraSource.repo}`,
              BranchName: props.infraSource.branch,
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
              CustomData: `Deploy commit #{SourceVariables.CommitId} of ${props.source.owner}/${props.source.repo}@${props.source.branch} with ${props.infraSource.repo}@#{InfraVariables.CommitId} (${props.name})?`,
            },
          },
        ],
      });
    }
    stages.push({
      name: "Deploy",
      action: [
        {
          name: "Deploy_Ecs",
          category: "Build",
          owner: "AWS",
          provider: "CodeBuild",
          version: "1",
          runOrder: 1,
          inputArtifacts: ["InfraSource", ...SERVICES.map((s) => `${title(s)}BuildOutput`)],
          configuration: { ProjectName: props.deploy.name, PrimarySource: "InfraSource" },
        },
      ],
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

import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CodebuildProject } from "@cdktf/provider-aws/lib/codebuild-project";
import { Construct } from "constructs";
import { AccountContext, regionOf } from "./account";
import { imageBuildspec, renderBuildspec } from "./buildspec";
import { ServiceRole } from "./service-role";

export interface ImageBuildProjectProps {
  /** Project name, `markmail-<env>-<service>-build`. */
  readonly name: string;
  readonly service: "backend" | "frontend";
  /** The ECR repository this project (and only this project) pushes to. */
  readonly repository: { readonly name: string; readonly arn: string };
  /** The Docker Hub secret (username/password) and the key it is encrypted with. */
  readonly dockerhubSecret: { readonly arn: string; readonly kmsKeyArn: string };
  /** The pipeline's artifact bucket (name-derived ARN). */
  readonly artifactBucketArn: string;
  /** This layer's CMK: build artifacts, logs. */
  readonly kmsKeyArn: string;
  readonly logRetentionDays: number;
  /** Extra plain (non-secret) variables, each also passed as a Docker build arg. @default {} */
  readonly buildArgs?: Record<string, string>;
  /** @default "BUILD_GENERAL1_MEDIUM" */
  readonly computeType?: string;
  /** @default 30 */
  readonly timeoutMinutes?: number;
}

/** CodeBuild's standard Ubuntu image with Docker; pinned to a major version. */
export const BUILD_IMAGE = "aws/codebuild/standard:7.0";

/**
 * A CodeBuild project that builds one service's Docker image from the pipeline's source, pushes
 * it to its ECR repository tagged with the commit SHA and emits image-tag.txt. Its own
 * log group (retention, KMS) and a role limited to that log group, that repository, the Docker Hub
 * secret and the artifact bucket.
 */
export class ImageBuildProject extends Construct {
  readonly project: CodebuildProject;
  readonly role: ServiceRole;
  readonly name: string;
  readonly arn: string;
  readonly buildspec: string;
  readonly logGroupName: string;

  constructor(scope: Construct, id: string, props: ImageBuildProjectProps) {
    super(scope, id);
    const account = AccountContext.of(this);
    this.name = props.name;
    this.arn = account.arn("codebuild", `project/${props.name}`);
    this.logGroupName = `/aws/codebuild/${props.name}`;
    const logGroup = new CloudwatchLogGroup(this, "logs", {
      name: this.logGroupName,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    const logGroupArn = account.arn("logs", `log-group:${this.logGroupName}`);

    this.role = new ServiceRole(this, "role", {
      name: `${props.name}-role`,
      description: `CodeBuild ${props.name}: build and push the ${props.service} image`,
      service: "codebuild.amazonaws.com",
      sourceArns: [this.arn],
      statements: [
        {
          sid: "Logs",
          effect: "Allow",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
          resources: [logGroupArn, `${logGroupArn}:*`],
        },
        { sid: "EcrLogin", effect: "Allow", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
        {
          sid: "EcrPushPullOwnRepository",
          effect: "Allow",
          actions: [
            "ecr:BatchCheckLayerAvailability",
            "ecr:BatchGetImage",
            "ecr:GetDownloadUrlForLayer",
            "ecr:InitiateLayerUpload",
            "ecr:UploadLayerPart",
            "ecr:CompleteLayerUpload",
            "ecr:PutImage",
            "ecr:DescribeImages",
          ],
          resources: [props.repository.arn],
        },
        { sid: "DockerHubSecret", effect: "Allow", actions: ["secretsmanager:GetSecretValue"], resources: [props.dockerhubSecret.arn] },
        {
          sid: "DockerHubSecretKey",
          effect: "Allow",
          actions: ["kms:Decrypt"],
          resources: [props.dockerhubSecret.kmsKeyArn],
          condition: [{ test: "StringEquals", variable: "kms:ViaService", values: [`secretsmanager.${regionOf(this)}.amazonaws.com`] }],
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
      ],
    });

    const buildArgs = props.buildArgs ?? {};
    this.buildspec = renderBuildspec(
      imageBuildspec({
        service: props.service,
        dockerhubSecretArn: props.dockerhubSecret.arn,
        buildArgs: Object.keys(buildArgs),
      }),
    );
    const plain = { AWS_ACCOUNT_ID: account.accountId, IMAGE_REPO_NAME: props.repository.name, ...buildArgs };

    this.project = new CodebuildProject(this, "project", {
      name: props.name,
      description: `Builds the MarkMail ${props.service} image and pushes it to ${props.repository.name}`,
      serviceRole: this.role.arn,
      encryptionKey: props.kmsKeyArn,
      buildTimeout: props.timeoutMinutes ?? 30,
      queuedTimeout: 60,
      artifacts: { type: "CODEPIPELINE" },
      source: { type: "CODEPIPELINE", buildspec: this.buildspec },
      environment: {
        type: "LINUX_CONTAINER",
        image: BUILD_IMAGE,
        computeType: props.computeType ?? "BUILD_GENERAL1_MEDIUM",
        imagePullCredentialsType: "CODEBUILD",
        // Docker-in-Docker: `docker build` needs the privileged daemon. This project runs only our
        // own buildspec on our own source; it is the one place privileged mode is on.
        privilegedMode: true,
        environmentVariable: Object.entries(plain).map(([name, value]) => ({ name, value, type: "PLAINTEXT" })),
      },
      logsConfig: {
        cloudwatchLogs: { status: "ENABLED", groupName: logGroup.name },
        s3Logs: { status: "DISABLED" },
      },
      // CodeBuild validates the role's permissions when the project is created.
      dependsOn: [this.role.policy],
    });
  }
}

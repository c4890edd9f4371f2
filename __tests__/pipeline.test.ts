import { execFileSync } from "node:child_process";
import { imageBuildspec, renderBuildspec, renderYaml } from "../constructs/buildspec";
import type { Construct } from "constructs";
import { AccountContext } from "../constructs/account";
import { assertLeastPrivilege, serviceTrustStatement } from "../constructs/service-role";
import { PipelineStack } from "../stacks/pipeline-stack";
import type { AppConfig } from "../config";
import { fakeOutputs, onlyEnv, testApp } from "./helpers/fake-outputs";

const f = fakeOutputs("dev");
import { configFor, onlyResource, ownArn, resources, synthInRegion, synthJson, type TfJson, trustOf } from "./helpers/synth";
import { scratchDir } from "./helpers/scratch";

// js-yaml ships with jest (a transitive dev dependency); only the tests parse YAML back.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml: { load(s: string): any } = require("js-yaml");

function synthPipeline(config: AppConfig): TfJson {
  const env = onlyEnv(config);
  return synthJson(new PipelineStack(testApp(), { config, env }));
}
const ref = (json: TfJson, type: string, pred: (b: any) => boolean, attr: string) => {
  const [id] = resources(json, type).find(([, b]) => pred(b))!;
  return `\${${type}.${id}.${attr}}`;
};
/** The one resource of `type` configuring the bucket `aws_s3_bucket.<bucket>`. */
const ofBucket = (json: TfJson, type: string, bucket: string) => {
  const all = resources(json, type).filter(([, b]) => b.bucket === `\${aws_s3_bucket.${bucket}.id}`);
  if (all.length !== 1) throw new Error(`expected one ${type} of ${bucket}, found ${all.length}`);
  return all[0][1];
};
/** The policy document of the bucket policy of `aws_s3_bucket.<bucket>`. */
const bucketPolicy = (json: TfJson, bucket: string) =>
  json.data!.aws_iam_policy_document[
    /data\.aws_iam_policy_document\.([^.]+)\.json/.exec(ofBucket(json, "aws_s3_bucket_policy", bucket).policy)![1]
  ];
/** The inline policy document of the role named `roleName`. */
function rolePolicy(json: TfJson, roleName: string): any[] {
  const [roleId] = resources(json, "aws_iam_role").find(([, b]) => b.name === roleName)!;
  const inline = resources(json, "aws_iam_role_policy").find(([, b]) => b.role === `\${aws_iam_role.${roleId}.id}`)![1];
  const docId = /data\.aws_iam_policy_document\.([^.]+)\.json/.exec(inline.policy)![1];
  return json.data!.aws_iam_policy_document[docId].statement;
}

describe("pipeline layer (dev)", () => {
  const json = synthPipeline(configFor("dev"));
  const pipeline = onlyResource(json, "aws_codepipeline");
  const projects = new Map(resources(json, "aws_codebuild_project").map(([, b]) => [b.name, b]));
  const [keyId] = resources(json, "aws_kms_key")[0];
  const keyRef = `\${aws_kms_key.${keyId}.arn}`;

  test("the guide's pipeline name, V2, Source → Build → Deploy (no approval in dev)", () => {
    expect(pipeline.name).toBe("markmail-dev-pipeline");
    expect(pipeline.pipeline_type).toBe("V2");
    expect(pipeline.stage.map((s: any) => s.name)).toEqual(["Source", "Build", "Deploy"]);
  });

  test("source: GitHub owner/repo on the env branch through the created, pending connection markmail-dev-github", () => {
    const connection = onlyResource(json, "aws_codestarconnections_connection");
    expect(connection).toEqual({ name: "markmail-dev-github", provider_type: "GitHub" });
    const [source] = pipeline.stage[0].action;
    expect(source).toMatchObject({ category: "Source", provider: "CodeStarSourceConnection", output_artifacts: ["SourceOutput"] });
    expect(source.configuration).toMatchObject({
      ConnectionArn: ref(json, "aws_codestarconnections_connection", () => true, "arn"),
      FullRepositoryId: "engineers-hub-ltd-in-house-project/markmail",
      BranchName: "dev",
    });
    expect(pipeline.trigger).toEqual([
      {
        provider_type: "CodeStarSourceConnection",
        git_configuration: { source_action_name: "GitHub_Source", push: [{ branches: { includes: ["dev"] } }] },
      },
    ]);
    expect(json.output!.github_connection_status).toBeDefined();
  });

  test("build: both projects in parallel; deploy: one CodeBuild action applying the ECS stack from the infrastructure source, no ECS deploy action", () => {
    const builds = pipeline.stage[1].action;
    expect(builds.map((a: any) => [a.configuration.ProjectName, a.run_order])).toEqual([
      ["markmail-dev-backend-build", 1],
      ["markmail-dev-frontend-build", 1],
    ]);
    expect(pipeline.stage[0].action[1]).toMatchObject({
      name: "Infra_Source",
      output_artifacts: ["InfraSource"],
      configuration: { FullRepositoryId: "engineers-hub-ltd-in-house-project/markmail-infrastructure", BranchName: "main" },
    });
    expect(pipeline.stage[2].action).toEqual([
      expect.objectContaining({
        provider: "CodeBuild",
        input_artifacts: ["InfraSource", "BackendBuildOutput", "FrontendBuildOutput"],
        configuration: { ProjectName: "markmail-dev-ecs-deploy", PrimarySource: "InfraSource" },
      }),
    ]);
    expect(JSON.stringify(pipeline)).not.toMatch(/"provider":"ECS"|imagedefinitions/);
  });

  test("artifact store: KMS-encrypted with this layer's key", () => {
    expect(pipeline.artifact_store).toEqual([
      {
        location: expect.stringMatching(/^markmail-dev-pipeline-artifacts-\$\{data\.aws_caller_identity\./),
        type: "S3",
        encryption_key: { id: keyRef, type: "KMS" },
      },
    ]);
  });

  test("artifact bucket: SSE-KMS, versioned, private, owner-enforced, TLS-only, lifecycle, force_destroy in dev", () => {
    expect(
      resources(json, "aws_s3_bucket")
        .map(([a]) => a)
        .sort(),
    ).toEqual(["artifacts", "artifacts_access_logs"]);
    expect(json.resource!.aws_s3_bucket.artifacts).toMatchObject({ force_destroy: true });
    expect(
      ofBucket(json, "aws_s3_bucket_server_side_encryption_configuration", "artifacts").rule[0].apply_server_side_encryption_by_default,
    ).toEqual({
      sse_algorithm: "aws:kms",
      kms_master_key_id: keyRef,
    });
    expect(ofBucket(json, "aws_s3_bucket_versioning", "artifacts").versioning_configuration.status).toBe("Enabled");
    for (const b of ["artifacts", "artifacts_access_logs"]) {
      expect(ofBucket(json, "aws_s3_bucket_public_access_block", b)).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(ofBucket(json, "aws_s3_bucket_ownership_controls", b).rule.object_ownership).toBe("BucketOwnerEnforced");
      const policy = bucketPolicy(json, b);
      expect(policy.statement.find((s: any) => s.sid === "DenyInsecureTransport")).toMatchObject({ effect: "Deny", actions: ["s3:*"] });
    }
    const rules = ofBucket(json, "aws_s3_bucket_lifecycle_configuration", "artifacts").rule;
    expect(rules.map((r: any) => r.id)).toEqual(
      expect.arrayContaining(["noncurrent-versions", "abort-incomplete-multipart-uploads", "expire-current-objects"]),
    );
  });

  test("MM-056: the artifact bucket logs its server access to an SSE-S3 log bucket that only S3 logging of that bucket may write, expiring with the log retention", () => {
    const logging = onlyResource(json, "aws_s3_bucket_logging");
    expect(logging).toMatchObject({ bucket: "${aws_s3_bucket.artifacts.id}", target_bucket: "${aws_s3_bucket.artifacts_access_logs.id}" });
    expect(logging.target_prefix).toMatch(/^markmail-dev-pipeline-artifacts-\$\{data\.aws_caller_identity\.[^}]+\}\/$/);
    expect(json.resource!.aws_s3_bucket.artifacts_access_logs.bucket).toMatch(
      /^markmail-dev-pipeline-access-logs-\$\{data\.aws_caller_identity\./,
    );
    expect(
      ofBucket(json, "aws_s3_bucket_server_side_encryption_configuration", "artifacts_access_logs").rule[0]
        .apply_server_side_encryption_by_default,
    ).toEqual({ sse_algorithm: "AES256" });
    const expiry = ofBucket(json, "aws_s3_bucket_lifecycle_configuration", "artifacts_access_logs").rule.find(
      (r: any) => r.id === "expire-current-objects",
    );
    expect(expiry.expiration).toEqual([{ days: 30 }]);
    const delivery = bucketPolicy(json, "artifacts_access_logs").statement.find((s: any) => s.sid === "ServerAccessLogsDelivery");
    expect(delivery).toMatchObject({
      effect: "Allow",
      principals: [{ type: "Service", identifiers: ["logging.s3.amazonaws.com"] }],
      actions: ["s3:PutObject"],
    });
    expect(delivery.resources).toEqual([
      expect.stringMatching(/:s3:::markmail-dev-pipeline-access-logs-.*\/markmail-dev-pipeline-artifacts-.*\/\*$/),
    ]);
    expect(delivery.condition).toEqual([
      {
        test: "ArnLike",
        variable: "aws:SourceArn",
        values: [expect.stringMatching(/:s3:::markmail-dev-pipeline-artifacts-\$\{data\.aws_caller_identity\.[^}]+\}$/)],
      },
      { test: "StringEquals", variable: "aws:SourceAccount", values: [expect.stringMatching(/^\$\{data\.aws_caller_identity\./)] },
    ]);
    // the logging waits for the grant (S3 checks it can write)
    expect(logging.depends_on).toEqual(["aws_s3_bucket_policy.artifacts_access_logs"]);
  });

  test("CodeBuild projects: standard:7.0, MEDIUM, privileged for Docker, CMK, own log group with retention and KMS", () => {
    expect([...projects.keys()].sort()).toEqual(["markmail-dev-backend-build", "markmail-dev-ecs-deploy", "markmail-dev-frontend-build"]);
    for (const [name, p] of [...projects].filter(([n]) => n.endsWith("-build"))) {
      expect(p.environment).toMatchObject({
        image: "aws/codebuild/standard:7.0",
        compute_type: "BUILD_GENERAL1_MEDIUM",
        type: "LINUX_CONTAINER",
        privileged_mode: true,
      });
      expect(p.encryption_key).toBe(keyRef);
      expect(p.logs_config.cloudwatch_logs).toMatchObject({ status: "ENABLED" });
      expect(p.source.type).toBe("CODEPIPELINE");
      const group = resources(json, "aws_cloudwatch_log_group").find(([, b]) => b.name === `/aws/codebuild/${name}`)![1];
      expect(group).toMatchObject({ retention_in_days: 30, kms_key_id: keyRef });
    }
    const vars = (name: string) =>
      Object.fromEntries(projects.get(name)!.environment.environment_variable.map((v: any) => [v.name, v.value]));
    expect(vars("markmail-dev-backend-build")).toMatchObject({ IMAGE_REPO_NAME: f.cluster.backend_repository_name });
    expect(vars("markmail-dev-frontend-build")).toMatchObject({
      IMAGE_REPO_NAME: f.cluster.frontend_repository_name,
      VITE_API_URL: "/api",
    });
    for (const p of projects.values()) for (const v of p.environment.environment_variable) expect(v.type).toBe("PLAINTEXT");
  });

  test("the rendered buildspec parses back and holds the guide's steps, the SHA tag and image-tag.txt", () => {
    const spec = yaml.load(projects.get("markmail-dev-backend-build")!.source.buildspec);
    expect(spec.version).toBe(0.2);
    expect(spec.env["secrets-manager"]).toEqual({
      DOCKERHUB_USERNAME: `${f.secrets.dockerhub_secret_arn}:username`,
      DOCKERHUB_PASSWORD: `${f.secrets.dockerhub_secret_arn}:password`,
    });
    const all: string[] = Object.values(spec.phases).flatMap((p: any) => p.commands);
    expect(all).toContain(
      "aws ecr get-login-password --region $AWS_DEFAULT_REGION | docker login --username AWS --password-stdin $AWS_ACCOUNT_ID.dkr.ecr.$AWS_DEFAULT_REGION.amazonaws.com",
    );
    expect(all).toContain("docker build -f backend/Dockerfile -t $IMAGE_REPO_NAME:$IMAGE_TAG backend/");
    expect(all).toContain(
      "docker tag $IMAGE_REPO_NAME:$IMAGE_TAG $AWS_ACCOUNT_ID.dkr.ecr.$AWS_DEFAULT_REGION.amazonaws.com/$IMAGE_REPO_NAME:$IMAGE_TAG",
    );
    expect(
      all.some((c) => c.startsWith("docker push $AWS_ACCOUNT_ID.dkr.ecr.$AWS_DEFAULT_REGION.amazonaws.com/$IMAGE_REPO_NAME:$IMAGE_TAG")),
    ).toBe(true);
    expect(all).toContain('IMAGE_TAG=$(echo "$CODEBUILD_RESOLVED_SOURCE_VERSION" | cut -c 1-12)');
    expect(spec.phases.pre_build["on-failure"]).toBe("ABORT");
    expect(spec.phases.build["on-failure"]).toBe("ABORT");
    expect(spec.artifacts.files).toEqual(["image-tag.txt"]);
    // Run the write as CodeBuild would: the file holds the tag alone.
    const write = all.find((c) => c.includes("> image-tag.txt"))!;
    const dir = scratchDir("tag");
    execFileSync("bash", ["-c", write], { cwd: dir, env: { IMAGE_TAG: "abc123def456" } });
    expect(require("node:fs").readFileSync(require("node:path").join(dir, "image-tag.txt"), "utf8")).toBe("abc123def456");
    expect(all.join("\n")).not.toMatch(/imagedefinitions|update-service|register-task-definition/);
    // Immutable tags: only the SHA is pushed; the Docker Hub password is never echoed to the log.
    expect(all.join("\n")).not.toMatch(/latest/);
    expect(all.filter((c) => c.includes("DOCKERHUB_PASSWORD"))).toEqual([
      expect.stringMatching(/^echo "\$DOCKERHUB_PASSWORD" \| docker login .*--password-stdin/),
    ]);
    const frontend = yaml.load(projects.get("markmail-dev-frontend-build")!.source.buildspec);
    expect(frontend.phases.build.commands).toContain(
      "docker build -f frontend/Dockerfile --build-arg VITE_API_URL=$VITE_API_URL -t $IMAGE_REPO_NAME:$IMAGE_TAG frontend/",
    );
  });

  test("no secret value anywhere in the stack", () => {
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/REPLACE_ME|"password"\s*:|dckr_pat_/i);
  });

  test("pipeline role: scoped to this bucket, these three projects and this connection; no ECS permission (the pipeline never touches a service)", () => {
    const st = new Map(rolePolicy(json, "markmail-dev-pipeline-role").map((s: any) => [s.sid, s]));
    expect(st.get("UseGithubConnection")!.resources).toEqual([ref(json, "aws_codestarconnections_connection", () => true, "arn")]);
    expect(st.get("RunBuilds")!.resources).toEqual([
      expect.stringMatching(/:codebuild:ap-northeast-1:.*:project\/markmail-dev-backend-build$/),
      expect.stringMatching(/:project\/markmail-dev-frontend-build$/),
      expect.stringMatching(/:project\/markmail-dev-ecs-deploy$/),
    ]);
    expect([...st.keys()].filter((k) => /^Ecs|PassTaskRoles/.test(k))).toEqual([]);
    expect([...st.values()].filter((s: any) => s.resources.includes("*"))).toEqual([]);
  });

  test("build roles: own log group, own repository, the dockerhub secret only, the artifact bucket", () => {
    const st = new Map(rolePolicy(json, "markmail-dev-frontend-build-role").map((s: any) => [s.sid, s]));
    expect(st.get("EcrPushPullOwnRepository")!.resources).toEqual([f.cluster.frontend_repository_arn]);
    expect(st.get("DockerHubSecret")).toMatchObject({
      actions: ["secretsmanager:GetSecretValue"],
      resources: [f.secrets.dockerhub_secret_arn],
    });
    expect(st.get("Logs")!.resources[0]).toMatch(/:log-group:\/aws\/codebuild\/markmail-dev-frontend-build$/);
    expect(st.get("EcrLogin")).toMatchObject({ actions: ["ecr:GetAuthorizationToken"], resources: ["*"] });
  });

  test.each([
    ["markmail-dev-frontend-build-role", "codebuild", "project/markmail-dev-frontend-build"],
    ["markmail-dev-backend-build-role", "codebuild", "project/markmail-dev-backend-build"],
    ["markmail-dev-ecs-deploy-role", "codebuild", "project/markmail-dev-ecs-deploy"],
    ["markmail-dev-pipeline-role", "codepipeline", "markmail-dev-pipeline"],
  ])("%s: trusted by %s for %s of this account only", (role, service, resource) => {
    const trust = trustOf(json, role);
    expect(trust.principals).toEqual([{ type: "Service", identifiers: [`${service}.amazonaws.com`] }]);
    expect(trust.condition).toEqual([
      { test: "StringEquals", variable: "aws:SourceAccount", values: [expect.stringMatching(/^\$\{data\.aws_caller_identity\./)] },
      { test: "ArnLike", variable: "aws:SourceArn", values: [expect.stringMatching(ownArn(service, "ap-northeast-1", resource))] },
    ]);
  });
});

describe("pipeline environment matrix", () => {
  test("prod: manual approval before deploy, announced on the alarm topic; no force_destroy; branch main", () => {
    const json = synthPipeline(configFor("prod", { PROD_DOMAIN: "markmail.example.com" }));
    const pipeline = onlyResource(json, "aws_codepipeline");
    expect(pipeline.name).toBe("markmail-prod-pipeline");
    expect(pipeline.stage.map((s: any) => s.name)).toEqual(["Source", "Build", "Approval", "Deploy"]);
    expect(pipeline.stage[2].action[0]).toMatchObject({
      category: "Approval",
      provider: "Manual",
      configuration: { NotificationArn: "${data.terraform_remote_state.monitoring.outputs.alarm_topic_arn}" },
    });
    expect(pipeline.stage[0].action[0].configuration.BranchName).toBe("main");
    expect(resources(json, "aws_s3_bucket").map(([a, b]) => [a, b.force_destroy])).toEqual([
      ["artifacts", false],
      ["artifacts_access_logs", false],
    ]);
    const st = new Map(rolePolicy(json, "markmail-prod-pipeline-role").map((s: any) => [s.sid, s]));
    expect(st.get("ApprovalNotice")!.resources).toEqual(["${data.terraform_remote_state.monitoring.outputs.alarm_topic_arn}"]);
    expect(st.get("ApprovalNoticeKey")!.resources).toEqual(["${data.terraform_remote_state.monitoring.outputs.alarm_topic_kms_key_arn}"]);
    const frontend = resources(json, "aws_codebuild_project").find(([, b]) => b.name === "markmail-prod-frontend-build")![1];
    expect(frontend.environment.environment_variable).toContainEqual({
      name: "VITE_API_URL",
      value: "https://markmail.example.com/api",
      type: "PLAINTEXT",
    });
    expect(resources(json, "aws_cloudwatch_log_group").every(([, b]) => b.retention_in_days === 365)).toBe(true);
  });

  test("GITHUB_CONNECTION_ARN reuses the connection: none is created", () => {
    const arn = "arn:aws:codeconnections:ap-northeast-1:111122223333:connection/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    const json = synthPipeline(configFor("staging", { GITHUB_CONNECTION_ARN: arn }));
    expect(resources(json, "aws_codestarconnections_connection")).toHaveLength(0);
    expect(onlyResource(json, "aws_codepipeline").stage[0].action[0].configuration.ConnectionArn).toBe(arn);
    expect(onlyResource(json, "aws_codepipeline").stage[0].action[0].configuration.BranchName).toBe("staging");
  });
});

describe("pipeline guardrails", () => {
  test("a plain buildspec variable that looks secret throws", () => {
    const spec = imageBuildspec({ service: "backend", dockerhubSecretArn: "arn:aws:secretsmanager:x" });
    expect(() => renderBuildspec({ ...spec, env: { ...spec.env, variables: { DOCKERHUB_PASSWORD: "hunter2" } } })).toThrow(/looks secret/);
    expect(() => renderBuildspec({ ...spec, env: { "secrets-manager": { X: "hunter2" } } })).toThrow(/must be <secret-id>:<json-key>/);
    expect(() => imageBuildspec({ service: "frontend", dockerhubSecretArn: "arn:x", buildArgs: ["STRIPE_SECRET_KEY"] })).toThrow(
      /looks secret/,
    );
  });

  test("a literal ${ or %{ (Terraform template syntax) in the buildspec throws", () => {
    const spec = imageBuildspec({ service: "backend", dockerhubSecretArn: "arn:aws:secretsmanager:x" });
    const withShell = { ...spec, phases: { ...spec.phases, build: { commands: ["echo ${HOME}"] } } };
    expect(() => renderBuildspec(withShell)).toThrow(/Terraform would interpolate/);
    expect(() => renderBuildspec({ ...spec, phases: { build: { commands: ["echo %{x}"] } } })).toThrow(/Terraform would interpolate/);
  });

  test("wildcard actions and unconditioned * resources are refused", () => {
    expect(() => assertLeastPrivilege("r", [{ effect: "Allow", actions: ["s3:*"], resources: ["arn:aws:s3:::b"] }])).toThrow(/wildcard/);
    expect(() =>
      assertLeastPrivilege("r", [
        { effect: "Allow", actions: ["kms:Decrypt", "kms:GenerateDataKey*"], resources: ["arn:aws:kms:ap-northeast-1:111122223333:key/k"] },
      ]),
    ).toThrow(/"kms:GenerateDataKey\*" is a wildcard/);
    expect(() => assertLeastPrivilege("r", [{ effect: "Allow", actions: ["iam:PassRole"], resources: ["*"] }])).toThrow(
      /without a condition/,
    );
    expect(() => assertLeastPrivilege("r", [{ effect: "Allow", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] }])).not.toThrow();
  });

  test("MM-043: a service trust without the aws:SourceArn the service sets, or with one it never sets, throws", () => {
    const trust = (service: string, sourceArns?: (s: Construct) => string[]) => (s: Construct) =>
      serviceTrustStatement(s, { service, region: "ap-northeast-1", sourceArns: sourceArns?.(s), owner: "role r" });
    const own = (s: Construct) => [AccountContext.of(s).arn("codebuild", "project/p")];
    expect(() => synthInRegion(trust("codebuild.amazonaws.com"))).toThrow(/sets aws:SourceArn; name the resources/);
    expect(() =>
      synthInRegion(trust("codebuild.amazonaws.com", () => ["arn:aws:codebuild:ap-northeast-1:999999999999:project/p"])),
    ).toThrow(/not in this account/);
    expect(() => synthInRegion(trust("lambda.amazonaws.com", own))).toThrow(/sets no aws:SourceArn/);
    expect(() => synthInRegion(trust("example.amazonaws.com"))).toThrow(/not in policies\/data\/iam service_principals/);
    synthInRegion((s) => {
      expect((trust("codebuild.amazonaws.com", own)(s).condition as any[]).map((c: any) => [c.test, c.variable])).toEqual([
        ["StringEquals", "aws:SourceAccount"],
        ["ArnLike", "aws:SourceArn"],
      ]);
      // EC2 sets neither key: a condition would lock the instance profile out.
      expect(trust("ec2.amazonaws.com")(s).condition).toEqual([]);
    });
  });

  test("the YAML emitter round-trips quotes, colons, backticks, tokens and YAML keywords", () => {
    const value = {
      a: [
        "echo `date`",
        'printf \'[{"n":"%s"}]\' "$X"',
        "${data.x.y}:username",
        "true",
        "0.2",
        "plain words",
        "a: b",
        "x #y",
        "- dash",
        "{x}",
        "ends:",
        " padded",
        "No",
        ".5",
        "*ref",
      ],
      v: 0.2,
      b: true,
      e: [],
    };
    expect(yaml.load(renderYaml(value))).toEqual(value);
    expect(renderYaml(value)).toContain("- plain words");
  });
});

describe("the deploy stage (markmail-<env>-ecs-deploy)", () => {
  const { loadConfig } = require("../config");
  const { synthInputs } = require("../constructs/synth-inputs");
  const { EcsStack } = require("../stacks/ecs-stack");
  const json = synthPipeline(configFor("prod"));
  const project = resources(json, "aws_codebuild_project").find(([, b]) => b.name === "markmail-prod-ecs-deploy")![1];
  const spec = yaml.load(project.source.buildspec);
  const vars = Object.fromEntries(project.environment.environment_variable.map((v: any) => [v.name, v.value]));

  test("installs pinned Terraform and OPA release binaries, checked against their SHA-256, then synthesizes and runs deploy-ecs.sh", () => {
    const install: string[] = spec.phases.install.commands;
    expect(install.join("\n")).toMatch(/terraform_1\.11\.4_linux_amd64\.zip/);
    expect(install.join("\n")).toMatch(/sha256sum --check --ignore-missing terraform_1\.11\.4_SHA256SUMS/);
    expect(install.join("\n")).toMatch(/opa\/releases\/download\/v1\.22\.4\/opa_linux_amd64_static/);
    expect(install.filter((c) => c.includes("sha256sum --check"))).toHaveLength(2);
    expect(spec.phases.build.commands).toEqual([
      "npm run synth",
      "bash scripts/pipeline/deploy-ecs.sh prod cdktf.out/stacks/markmail-prod-ecs backend=$CODEBUILD_SRC_DIR_BackendBuildOutput/image-tag.txt frontend=$CODEBUILD_SRC_DIR_FrontendBuildOutput/image-tag.txt",
    ]);
    expect(project.environment.privileged_mode).toBe(false);
  });

  test("its synth inputs reproduce the ECS stack a developer deploys, byte for byte (else the image-only guard would stop every run)", () => {
    for (const vars0 of [
      {},
      { PROD_DOMAIN: "markmail.example.com", PROD_ACCOUNT_ID: "123456789012", TF_STATE_BUCKET: "acme-state", TF_STATE_LOCKING: "lockfile" },
    ]) {
      const config = loadConfig({ ...vars0 });
      const env = config.environments.find((e: any) => e.name === "prod");
      const again = loadConfig(synthInputs(config, env));
      const a = synthJson(new EcsStack(testApp(), { config, env }));
      const b = synthJson(new EcsStack(testApp(), { config: again, env: onlyEnv(again) }));
      expect(b).toEqual(a);
    }
    expect(vars).toMatchObject({
      MARKMAIL_REGION: "ap-northeast-1",
      CDK_CONTEXT_ENVIRONMENT: "prod",
      TF_BACKEND: "s3",
      TF_STATE_BUCKET: "markmail-terraform-state",
    });
  });

  test("its role: the two image-tag parameters, this stack's state object and lock, upstream states read-only, the two services, the task roles", () => {
    const st = new Map(rolePolicy(json, "markmail-prod-ecs-deploy-role").map((s: any) => [s.sid, s]));
    expect(st.get("ImageTags")!.resources).toEqual([
      expect.stringMatching(/:ssm:ap-northeast-1:.*:parameter\/markmail\/prod\/backend\/image-tag$/),
      expect.stringMatching(/:parameter\/markmail\/prod\/frontend\/image-tag$/),
    ]);
    expect(st.get("StateWrite")!.resources).toEqual([
      expect.stringMatching(/:s3:::markmail-terraform-state\/markmail\/prod\/ecs\.tfstate$/),
      expect.stringMatching(/markmail\/prod\/ecs\.tfstate\.tflock$/),
    ]);
    expect(st.get("StateRead")!.actions).toEqual(["s3:GetObject"]);
    expect(st.get("StateRead")!.resources).toEqual([expect.stringMatching(/markmail-terraform-state\/markmail\/prod\/\*$/)]);
    expect(st.get("Services")!.resources).toHaveLength(2);
    expect(st.get("PassInfrastructureRole")!.resources).toEqual([
      expect.stringMatching(/:iam::.*:role\/markmail-prod-ecs-infrastructure$/),
    ]);
    const stars = [...st.values()].filter((s: any) => s.resources.includes("*")).map((s: any) => s.sid);
    expect(stars.sort()).toEqual(["RefreshScaling", "TaskDefinitions"]);
  });
});

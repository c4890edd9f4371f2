import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { SecureBucket } from "../constructs/secure-bucket";
import { StateStore, stateStoreNames } from "../constructs/state-store";
import { BootstrapStack } from "../stacks/bootstrap-stack";
import { NetworkStack } from "../stacks/network-stack";
import { configFrom, onlyResource, regionalStack, resources, synthJson, type TfJson } from "./helpers/synth";
import { scratchDir } from "./helpers/scratch";

const ROOT = join(__dirname, "..");

function bootstrap(vars: Record<string, string> = {}): TfJson {
  return synthJson(new BootstrapStack(Testing.app(), { config: configFrom(vars) }));
}

/** The resource of `type` whose construct path ends in `/<part>/<leaf>`. */
/** Addresses under the construct `state-store/<part>`: `state_store_<part>` plus the resource's own words. */
const under = (name: string, part: string) => {
  const prefix = `state_store_${part.replace(/-/g, "_")}`;
  return name === prefix || name.startsWith(`${prefix}_`);
};

function byPath(json: TfJson, type: string, part: string): any {
  const found = resources(json, type).filter(([name]) => under(name, part));
  if (found.length !== 1) throw new Error(`expected one ${type} under ${part}, found ${found.length}`);
  return found[0][1];
}

function ref(json: TfJson, type: string, part: string, attr: string): string {
  const name = resources(json, type).find(([n]) => under(n, part))![0];
  return `\${${type}.${name}.${attr}}`;
}

function policyStatements(json: TfJson, part: string): any[] {
  const [, doc] = Object.entries(json.data!.aws_iam_policy_document).find(([n]) => n === `state_store_${part.replace(/-/g, "_")}`)!;
  return (doc as any).statement;
}

describe("markmail-bootstrap: state bucket, log bucket, lock table", () => {
  const json = bootstrap();

  test("local state at the repository root, provider in the backend region with shared tags", () => {
    expect(json.terraform.backend).toEqual({ local: { path: "../../../terraform.markmail-bootstrap.tfstate" } });
    expect(json.terraform.cloud).toBeUndefined();
    expect(json.provider.aws).toEqual([
      expect.objectContaining({
        region: "ap-northeast-1",
        default_tags: [{ tags: { Project: "MarkMail", Environment: "shared", Layer: "bootstrap", ManagedBy: "cdktf" } }],
      }),
    ]);
  });

  test("the state bucket: versioned, SSE-KMS with the stack's CMK and a bucket key, SSE-C blocked, protected", () => {
    const bucket = byPath(json, "aws_s3_bucket", "state");
    expect(bucket).toMatchObject({ bucket: "markmail-terraform-state", force_destroy: false, lifecycle: { prevent_destroy: true } });
    const bucketId = ref(json, "aws_s3_bucket", "state", "id");
    expect(byPath(json, "aws_s3_bucket_versioning", "state")).toMatchObject({
      bucket: bucketId,
      versioning_configuration: { status: "Enabled" },
    });
    expect(byPath(json, "aws_s3_bucket_server_side_encryption_configuration", "state").rule).toEqual([
      {
        apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.state_store.arn}" },
        bucket_key_enabled: true,
        blocked_encryption_types: ["SSE-C"],
      },
    ]);
  });

  test("both buckets: all four public-access blocks and BucketOwnerEnforced (no ACLs)", () => {
    for (const part of ["state", "access-logs"]) {
      expect(byPath(json, "aws_s3_bucket_public_access_block", part)).toMatchObject({
        bucket: ref(json, "aws_s3_bucket", part, "id"),
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(byPath(json, "aws_s3_bucket_ownership_controls", part).rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
    }
  });

  test("both buckets deny plain HTTP and TLS < 1.2 on the bucket and its objects", () => {
    for (const [part, name] of [
      ["state", "markmail-terraform-state"],
      ["access-logs", "markmail-terraform-state-access-logs"],
    ]) {
      const statements = policyStatements(json, part);
      const arn = expect.stringMatching(new RegExp(`^arn:\\$\\{data\\.aws_partition\\.[^}]+\\.partition\\}:s3:::${name}$`));
      const objects = expect.stringMatching(new RegExp(`:s3:::${name}/\\*$`));
      expect(statements).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            effect: "Deny",
            actions: ["s3:*"],
            resources: [arn, objects],
            condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
          }),
          expect.objectContaining({
            effect: "Deny",
            resources: [arn, objects],
            condition: [{ test: "NumericLessThan", variable: "s3:TlsVersion", values: ["1.2"] }],
          }),
        ]),
      );
      // No statement grants anything to everyone.
      for (const s of statements.filter((st: any) => st.effect === "Allow")) {
        expect(s.principals.flatMap((p: any) => p.identifiers)).not.toContain("*");
      }
      const policy = byPath(json, "aws_s3_bucket_policy", part);
      expect(policy.bucket).toBe(ref(json, "aws_s3_bucket", part, "id"));
      expect(policy.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_public_access_block\./)]);
    }
  });

  test("state bucket lifecycle: noncurrent versions after 90 days keeping the newest 30, delete markers, incomplete uploads", () => {
    const lifecycle = byPath(json, "aws_s3_bucket_lifecycle_configuration", "state");
    expect(lifecycle.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_versioning\.state_store_state(_|$)/)]);
    expect(lifecycle.rule).toEqual([
      {
        id: "noncurrent-versions",
        status: "Enabled",
        filter: [{ prefix: "" }],
        noncurrent_version_expiration: [{ noncurrent_days: 90, newer_noncurrent_versions: 30 }],
        expiration: [{ expired_object_delete_marker: true }],
      },
      {
        id: "abort-incomplete-multipart-uploads",
        status: "Enabled",
        filter: [{ prefix: "" }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      },
    ]);
  });

  test("server access logs of the state bucket go to the separate log bucket, which only that bucket may write to", () => {
    const logging = onlyResource(json, "aws_s3_bucket_logging");
    expect(logging).toMatchObject({
      bucket: ref(json, "aws_s3_bucket", "state", "id"),
      target_bucket: ref(json, "aws_s3_bucket", "access-logs", "id"),
      target_prefix: "markmail-terraform-state/",
      target_object_key_format: { partitioned_prefix: { partition_date_source: "EventTime" } },
    });
    expect(logging.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_policy\.state_store_access_logs(_|$)/)]);
    const delivery = policyStatements(json, "access-logs").find((s) => s.effect === "Allow");
    expect(delivery).toMatchObject({
      principals: [{ type: "Service", identifiers: ["logging.s3.amazonaws.com"] }],
      actions: ["s3:PutObject"],
      resources: [expect.stringMatching(/:s3:::markmail-terraform-state-access-logs\/markmail-terraform-state\/\*$/)],
    });
    expect(delivery.condition).toEqual([
      { test: "ArnLike", variable: "aws:SourceArn", values: [expect.stringMatching(/:s3:::markmail-terraform-state$/)] },
      { test: "StringEquals", variable: "aws:SourceAccount", values: [expect.stringMatching(/^\$\{data\.aws_caller_identity\./)] },
    ]);
  });

  test("the log bucket: SSE-S3 (the only encryption log delivery accepts), versioned, logs expire after 365 days, protected", () => {
    expect(byPath(json, "aws_s3_bucket", "access-logs")).toMatchObject({
      bucket: "markmail-terraform-state-access-logs",
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
    expect(byPath(json, "aws_s3_bucket_server_side_encryption_configuration", "access-logs").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" }, blocked_encryption_types: ["SSE-C"] },
    ]);
    expect(byPath(json, "aws_s3_bucket_versioning", "access-logs").versioning_configuration).toEqual({ status: "Enabled" });
    const rules = byPath(json, "aws_s3_bucket_lifecycle_configuration", "access-logs").rule;
    expect(rules.map((r: any) => r.id)).toEqual(["noncurrent-versions", "abort-incomplete-multipart-uploads", "expire-current-objects"]);
    expect(rules[2].expiration).toEqual([{ days: 365 }]);
  });

  test("the lock table: LockID (S), on-demand, deletion protection, PITR, SSE with the CMK, protected", () => {
    expect(onlyResource(json, "aws_dynamodb_table")).toEqual(
      expect.objectContaining({
        name: "markmail-terraform-locks",
        hash_key: "LockID",
        attribute: [{ name: "LockID", type: "S" }],
        billing_mode: "PAY_PER_REQUEST",
        deletion_protection_enabled: true,
        point_in_time_recovery: { enabled: true },
        server_side_encryption: { enabled: true, kms_key_arn: "${aws_kms_key.state_store.arn}" },
        lifecycle: { prevent_destroy: true },
      }),
    );
    expect(onlyResource(json, "aws_dynamodb_table").range_key).toBeUndefined();
  });

  test("the KMS key: rotation on, 30-day deletion window, alias markmail-terraform-state, protected", () => {
    expect(onlyResource(json, "aws_kms_key")).toMatchObject({
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      lifecycle: { prevent_destroy: true },
    });
    expect(onlyResource(json, "aws_kms_alias").name).toBe("alias/markmail-terraform-state");
  });

  test("outputs name what the layer stacks' backends need", () => {
    expect(Object.keys(json.output!).sort()).toEqual([
      "access_log_bucket",
      "lock_table",
      "region",
      "state_bucket",
      "state_key_alias",
      "state_key_arn",
    ]);
    expect(json.output!.region.value).toBe("ap-northeast-1");
  });

  test("no secret material in the stack", () => {
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/password|secret_string|access_key/i);
  });
});

describe("names come from the same config as the layer stacks' S3 backends", () => {
  test.each([
    [{}],
    [{ TF_STATE_BUCKET: "acme-tf-state", TF_LOCK_TABLE: "acme_locks", TF_STATE_REGION: "eu-central-1" }],
    [{ MARKMAIL_REGION: "us-west-2" }],
    [{ TF_STATE_KMS_KEY: "alias/acme/tf-state" }],
  ])("%j", (vars) => {
    const json = bootstrap(vars);
    const config = configFrom({ ...vars, CDK_CONTEXT_ENVIRONMENT: "dev" });
    const env = config.environments[0];
    // A real layer stack (every layer's backend comes from LayerStack), built alone: no full app needed.
    const network = new NetworkStack(Testing.app(), { config, env });
    {
      const s3 = JSON.parse(Testing.synth(network, false)).terraform.backend.s3;
      expect(byPath(json, "aws_s3_bucket", "state").bucket).toBe(s3.bucket);
      expect(onlyResource(json, "aws_dynamodb_table").name).toBe(s3.dynamodb_table);
      expect(json.provider.aws[0].region).toBe(s3.region);
      expect(s3.encrypt).toBe(true);
      // Terraform only encrypts state with the bootstrap's CMK when the backend names it.
      expect(onlyResource(json, "aws_kms_alias").name).toBe(s3.kms_key_id);
    }
  });

  test("TF_STATE_LOCKING=lockfile still creates the table (switching back needs it), named as configured", () => {
    const json = bootstrap({ TF_STATE_LOCKING: "lockfile", TF_LOCK_TABLE: "other-locks" });
    expect(onlyResource(json, "aws_dynamodb_table").name).toBe("other-locks");
  });
});

describe("guardrails", () => {
  test("TF_BACKEND=cloud or local: nothing to bootstrap", () => {
    expect(() => bootstrap({ TF_BACKEND: "cloud", TFC_ORGANIZATION: "acme" })).toThrow(
      /TF_BACKEND=cloud: the bootstrap stack .* only TF_BACKEND=s3/,
    );
    expect(() => bootstrap({ TF_BACKEND: "local" })).toThrow(/TF_BACKEND=local/);
  });

  test("a state bucket name too long for its log bucket is rejected with the limit", () => {
    const long = "a".repeat(52);
    expect(() => bootstrap({ TF_STATE_BUCKET: long })).toThrow(/TF_STATE_BUCKET="a+" is too long .* S3 allows 63 \(use at most 51\)/);
    expect(() => bootstrap({ TF_STATE_BUCKET: "a".repeat(51) })).not.toThrow();
    expect(
      stateStoreNames({ kind: "s3", bucket: "b-b", lockTable: "t", region: "ap-northeast-1", kmsKeyId: "alias/k", locking: "both" })
        .logBucket,
    ).toBe("b-b-access-logs");
  });

  test("bad inputs are rejected by the config before any construct exists", () => {
    expect(() => bootstrap({ TF_STATE_BUCKET: "Not_A_Bucket" })).toThrow(/TF_STATE_BUCKET="Not_A_Bucket" is not valid/);
    expect(() => bootstrap({ TF_STATE_REGION: "tokyo" })).toThrow(/TF_STATE_REGION="tokyo" is not valid/);
  });

  test("SecureBucket rejects lifecycle numbers S3 would refuse", () => {
    const make = (props: Partial<ConstructorParameters<typeof SecureBucket>[2]>) => () =>
      new SecureBucket(regionalStack("t"), "b", {
        bucketName: "x-bucket",
        encryption: { kind: "s3-managed" },
        ...props,
      });
    expect(make({ noncurrentVersionsKept: 0 })).toThrow(/noncurrentVersionsKept must be an integer 1-100, got 0/);
    expect(make({ noncurrentVersionsKept: 101 })).toThrow(/1-100, got 101/);
    expect(make({ noncurrentVersionDays: 0 })).toThrow(/noncurrentVersionDays must be a positive integer, got 0/);
    expect(make({ abortIncompleteUploadDays: 1.5 })).toThrow(/abortIncompleteUploadDays must be a positive integer/);
    expect(make({ expireCurrentDays: -1 })).toThrow(/expireCurrentDays must be a positive integer/);
    expect(make({})).not.toThrow();
  });

  test("StateStore with preventDestroy=false drops every prevent_destroy (for throw-away accounts in tests)", () => {
    const stack = regionalStack("t");
    new StateStore(stack, "state-store", {
      names: { bucket: "b-state", logBucket: "b-state-access-logs", lockTable: "b-locks", keyAlias: "b-terraform-state" },
      preventDestroy: false,
    });
    expect(JSON.stringify(synthJson(stack))).not.toMatch(/prevent_destroy/);
  });
});

describe("the bootstrap app process (as `cdktf deploy --app ... bootstrap.ts` runs it)", () => {
  function run(env: Record<string, string>) {
    const outdir = join(scratchDir("markmail-bootstrap"), "cdktf.bootstrap.out");
    const res = spawnSync(process.execPath, ["-r", "./scripts/swc-register.js", "bootstrap.ts"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, CDKTF_OUTDIR: outdir, ...env },
      encoding: "utf8",
    });
    return { ...res, outdir };
  }

  test("writes exactly one stack, markmail-bootstrap, without credentials", () => {
    const res = run({});
    expect(res.stderr).toBe("");
    expect(res.status).toBe(0);
    expect(readdirSync(join(res.outdir, "stacks"))).toEqual(["markmail-bootstrap"]);
    const manifest = JSON.parse(readFileSync(join(res.outdir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks)).toEqual(["markmail-bootstrap"]);
  });

  test("TF_BACKEND=cloud exits 1 with one error line and writes nothing", () => {
    const res = run({ TF_BACKEND: "cloud", TFC_ORGANIZATION: "acme" });
    expect(res.status).toBe(1);
    expect(res.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^error: TF_BACKEND=cloud: the bootstrap stack/)]);
    expect(existsSync(res.outdir)).toBe(false);
  });

  test("a bad input exits 1 with the config's one-line error", () => {
    const res = run({ TF_STATE_BUCKET: "UPPER" });
    expect(res.status).toBe(1);
    expect(res.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/^error: TF_STATE_BUCKET="UPPER" is not valid: expected an S3 bucket name/),
    ]);
    expect(existsSync(res.outdir)).toBe(false);
  });
});

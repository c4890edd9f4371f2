import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";
import { LAYERS, loadConfig, STACK_ORDER } from "../config";
import { defineApp } from "../main";
import { scratchDir } from "./helpers/scratch";
import { buildApp, configFrom, PLAIN, synthApp, synthJson } from "./helpers/synth";

const ROOT = join(__dirname, "..");

describe("stacks", () => {
  test("24 stacks named markmail-<env>-<layer>, no bastion by default", () => {
    const ids = [...synthApp().keys()];
    expect(ids).toHaveLength(24);
    for (const env of ["dev", "staging", "prod"]) for (const layer of LAYERS) expect(ids).toContain(`markmail-${env}-${layer}`);
    expect(ids.some((id) => id.endsWith("-bastion"))).toBe(false);
  });

  test("CREATE_BASTION=true adds markmail-<env>-bastion: 27 stacks", () => {
    const ids = [...synthApp(PLAIN).keys()];
    expect(ids).toHaveLength(27);
    expect(ids).toEqual(expect.arrayContaining(["markmail-dev-bastion", "markmail-staging-bastion", "markmail-prod-bastion"]));
  });

  test("CDK_CONTEXT_ENVIRONMENT=prod synthesizes only prod", () => {
    const ids = [...buildApp(configFrom({ CDK_CONTEXT_ENVIRONMENT: "prod" })).keys()];
    expect(ids).toHaveLength(8);
    expect(ids.every((id) => id.startsWith("markmail-prod-"))).toBe(true);
  });

  test("no stack depends on another (cdktf deploy <one stack> passes the CLI's dependency check); each reads only earlier layers, by name", () => {
    const stacks = buildApp(configFrom({ CDK_CONTEXT_ENVIRONMENT: "dev", CREATE_BASTION: "true" }));
    const order: readonly string[] = STACK_ORDER;
    for (const [id, stack] of stacks) {
      expect({ id, dependencies: stack.dependencies.map((d) => d.node.id) }).toEqual({ id, dependencies: [] });
      const json = synthJson(stack);
      expect(Object.keys(json.output ?? {}).filter((o) => o.startsWith("cross-stack-"))).toEqual([]);
      const layer = id.replace("markmail-dev-", "");
      for (const [name, reader] of Object.entries<any>(json.data?.terraform_remote_state ?? {})) {
        const upstream = name.replace(/_/g, "-");
        expect(order.indexOf(upstream)).toBeLessThan(order.indexOf(layer));
        expect(reader.config.key).toBe(`markmail/dev/${upstream}.tfstate`);
      }
    }
    const reads = (id: string) => Object.keys(synthJson(stacks.get(id)!).data?.terraform_remote_state ?? {}).sort();
    expect(reads("markmail-dev-network")).toEqual([]);
    expect(reads("markmail-dev-ecs")).toEqual(["alb", "database", "ecs_cluster", "network", "secrets"]);
    expect(reads("markmail-dev-bastion")).toEqual(["database", "network"]);
  });
});

describe("provider and state", () => {
  const stacks = synthApp();

  test("every stack has the AWS provider in ap-northeast-1 with the four default tags", () => {
    for (const [id, json] of stacks) {
      const [env, ...layer] = id.replace(/^markmail-/, "").split("-");
      expect(json.provider.aws).toEqual([
        expect.objectContaining({
          region: "ap-northeast-1",
          default_tags: [{ tags: { Project: "MarkMail", Environment: env, Layer: layer.join("-"), ManagedBy: "cdktf" } }],
        }),
      ]);
    }
  });

  test("every stack has an encrypted, locked S3 backend with its own key; all else identical", () => {
    const backends = [...stacks.entries()].map(([id, json]) => {
      const s3 = json.terraform.backend.s3;
      const [env, ...layer] = id.replace(/^markmail-/, "").split("-");
      expect(s3.key).toBe(`markmail/${env}/${layer.join("-")}.tfstate`);
      const { key: _key, ...rest } = s3;
      return rest;
    });
    for (const b of backends) {
      expect(b).toEqual({
        bucket: "markmail-terraform-state",
        region: "ap-northeast-1",
        encrypt: true,
        kms_key_id: "alias/markmail-terraform-state",
        dynamodb_table: "markmail-terraform-locks",
        use_lockfile: true,
      });
    }
  });

  test("TF_STATE_LOCKING=dynamodb drops use_lockfile; lockfile drops the table", () => {
    const dev = (locking: string) =>
      synthApp({ ...PLAIN, CDK_CONTEXT_ENVIRONMENT: "dev", TF_STATE_LOCKING: locking }).get("markmail-dev-network")!;
    const dyn = dev("dynamodb");
    expect(dyn.terraform.backend.s3.use_lockfile).toBeUndefined();
    expect(dyn.terraform.backend.s3.dynamodb_table).toBe("markmail-terraform-locks");
    const lock = dev("lockfile");
    expect(lock.terraform.backend.s3.use_lockfile).toBe(true);
    expect(lock.terraform.backend.s3.dynamodb_table).toBeUndefined();
  });

  test("TF_BACKEND=local and TF_BACKEND=cloud (one workspace per stack)", () => {
    const local = synthJson(buildApp(configFrom({ CDK_CONTEXT_ENVIRONMENT: "dev", TF_BACKEND: "local" })).get("markmail-dev-ecs")!);
    // Beside the output folder, so a new synth never deletes it; upstream reads point at the same files.
    expect(local.terraform.backend).toEqual({ local: { path: "../../../terraform-state/markmail/dev/ecs.tfstate" } });
    expect(local.data!.terraform_remote_state.network).toMatchObject({
      backend: "local",
      config: { path: "../../../terraform-state/markmail/dev/network.tfstate" },
    });
    expect(local.data!.terraform_remote_state.network.lifecycle.precondition[0].condition).toBe(
      '${fileexists("${path.module}/../../../terraform-state/markmail/dev/network.tfstate")}',
    );
    const cloud = synthJson(
      buildApp(configFrom({ CDK_CONTEXT_ENVIRONMENT: "dev", TF_BACKEND: "cloud", TFC_ORGANIZATION: "acme" })).get("markmail-dev-ecs")!,
    );
    expect(cloud.terraform.cloud).toEqual({ hostname: "app.terraform.io", organization: "acme", workspaces: { name: "markmail-dev-ecs" } });
  });

  test("PROD_ACCOUNT_ID pins prod's provider to that account (allowed_account_ids); other environments stay unpinned", () => {
    const pinned = buildApp(configFrom({ PROD_ACCOUNT_ID: "111122223333", DEV_ACCOUNT_ID: "444455556666" }));
    const provider = (id: string) => synthJson(pinned.get(id)!).provider.aws[0];
    for (const layer of ["network", "database", "ecs", "pipeline"]) {
      expect(provider(`markmail-prod-${layer}`).allowed_account_ids).toEqual(["111122223333"]);
      expect(provider(`markmail-dev-${layer}`).allowed_account_ids).toEqual(["444455556666"]);
      expect(provider(`markmail-staging-${layer}`).allowed_account_ids).toBeUndefined();
    }
  });

  test("MARKMAIL_REGION moves every stack and the state bucket; a stray AWS_REGION moves nothing and is named in a warning", () => {
    const moved = configFrom({ MARKMAIL_REGION: "ca-central-1", CDK_CONTEXT_ENVIRONMENT: "prod" });
    expect(moved.environments[0].network.availabilityZones).toEqual(["ca-central-1a", "ca-central-1b", "ca-central-1d"]);
    expect(moved.backend).toMatchObject({ region: "ca-central-1" });
    expect(moved.notices).toEqual([
      "region: ca-central-1 (MARKMAIL_REGION); state: s3://markmail-terraform-state in ca-central-1",
      "pipeline deploy source: github.com/engineers-hub-ltd-in-house-project/markmail-infrastructure (main): the default; set INFRA_GITHUB_REPO if this repository lives elsewhere",
    ]);
    expect(configFrom({ INFRA_GITHUB_REPO: "acme/infra", INFRA_GITHUB_BRANCH: "release" }).notices[1]).toBe(
      "pipeline deploy source: github.com/acme/infra (release)",
    );
    const stray = configFrom({ AWS_REGION: "us-east-1" });
    expect(stray.region).toBe("ap-northeast-1");
    expect(stray.warnings).toContain(
      "AWS_REGION=us-east-1 is not used by synth: the stacks are in ap-northeast-1 (set MARKMAIL_REGION to move them)",
    );
  });

  test("no stack emits terraform.required_version (it crashes checkov's JSON parser)", () => {
    for (const json of stacks.values()) expect(json.terraform.required_version).toBeUndefined();
  });

  test("the AWS provider is pinned to the version the prebuilt bindings target", () => {
    const json = stacks.get("markmail-dev-network")!;
    expect(json.terraform.required_providers.aws.version).toBe("6.25.0");
  });
});

describe("the app process (as `cdktf synth` runs it)", () => {
  function run(env: Record<string, string>) {
    const out = scratchDir("markmail-synth");
    const outdir = join(out, "cdktf.out");
    const res = spawnSync(process.execPath, ["-r", "./scripts/swc-register.js", "main.ts"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, CDKTF_OUTDIR: outdir, ...env },
      encoding: "utf8",
    });
    return { ...res, outdir };
  }

  test("a bad input exits 1 with one error line and writes nothing", () => {
    const res = run({ CDK_CONTEXT_ENVIRONMENT: "dev", NOTIFICATION_EMAIL: "nobody" });
    expect(res.status).toBe(1);
    expect(res.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/^error: NOTIFICATION_EMAIL="nobody" is not valid: expected an e-mail address/),
    ]);
    expect(res.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(existsSync(res.outdir)).toBe(false);
  });

  test("no variables, no credentials: every stack is written, byte-identical to a second, independent synth", () => {
    const first = run({});
    expect(first.status).toBe(0);
    // The second synth runs in this (jest) process: another runtime, clock and module instance, same files.
    const second = join(scratchDir("markmail-synth"), "cdktf.out");
    const app = new App({ outdir: second });
    defineApp(app, loadConfig({}));
    app.synth();
    const stacks = readdirSync(join(first.outdir, "stacks")).sort();
    expect(stacks).toHaveLength(24);
    expect(readdirSync(join(second, "stacks")).sort()).toEqual(stacks);
    for (const s of stacks) {
      const a = readFileSync(join(first.outdir, "stacks", s, "cdk.tf.json"), "utf8");
      const b = readFileSync(join(second, "stacks", s, "cdk.tf.json"), "utf8");
      expect(a).toBe(b);
    }
    const manifest = JSON.parse(readFileSync(join(first.outdir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks)).toHaveLength(24);
    // The CLI takes a glob's stacks in this order: alphabetical, alb before network. Hence npm run
    // deploy (scripts/deploy.js, the guide's order) rather than cdktf deploy 'markmail-dev-*'.
    expect(Object.keys(manifest.stacks)).toEqual(Object.keys(manifest.stacks).sort());
    expect(Object.keys(manifest.stacks).indexOf("markmail-dev-alb")).toBeLessThan(
      Object.keys(manifest.stacks).indexOf("markmail-dev-network"),
    );
  });
});

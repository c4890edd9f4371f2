import { createHash } from "node:crypto";
import { closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { type App, Testing, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { type AppConfig, buildEnvironment, type EnvironmentConfig, type EnvName, loadConfig } from "../../config";

/** A validated config from environment-variable style inputs (no process.env involved). */
export function configFrom(vars: Record<string, string> = {}): AppConfig {
  return loadConfig(vars as NodeJS.ProcessEnv);
}

/** A config for a single environment, optionally with a changed environment object. */
export function configFor(
  env: EnvName,
  vars: Record<string, string> = {},
  change?: (e: EnvironmentConfig) => EnvironmentConfig,
): AppConfig {
  const base = configFrom({ ...vars, CDK_CONTEXT_ENVIRONMENT: env });
  return change ? { ...base, environments: base.environments.map(change) } : base;
}

const built = new Map<string, Map<string, TerraformStack>>();
const synthesized = new WeakMap<TerraformStack, TfJson>();

/**
 * Builds the whole app for a config and returns its stacks by id. Memoized per config within a
 * test file (tests only read the stacks), which keeps the suite fast on 2 cores.
 */
export function buildApp(config: AppConfig): Map<string, TerraformStack> {
  const key = JSON.stringify(config);
  const cached = built.get(key);
  if (cached) return cached;
  const result = buildFreshApp(config);
  built.set(key, result);
  return result;
}

/** Builds the whole app without the memo (for tests that add to the stacks). */
export function buildFreshApp(config: AppConfig): Map<string, TerraformStack> {
  const app = Testing.app();
  // Loaded on first use: files that only read synthApp's shared variants never load the stacks.
  const { defineApp } = require("../../main") as typeof import("../../main");
  const stacks = defineApp(app as App, config);
  // As App.synth does: resolve cross-stack references (outputs + terraform_remote_state) first.
  for (const stack of stacks) stack.prepareStack();
  return new Map(stacks.map((s) => [s.node.id, s]));
}

export type TfJson = {
  resource?: Record<string, Record<string, any>>;
  data?: Record<string, Record<string, any>>;
  output?: Record<string, any>;
  terraform?: any;
  provider?: any;
  ephemeral?: Record<string, Record<string, any>>;
  [key: string]: any;
};

/**
 * Synthesizes one stack into its parsed Terraform JSON (metadata removed). Memoized per stack
 * object: callers must not mutate the result.
 */
export function synthJson(stack: TerraformStack): TfJson {
  const cached = synthesized.get(stack);
  if (cached) return cached;
  const json = JSON.parse(Testing.synth(stack, true));
  synthesized.set(stack, json);
  return json;
}

/**
 * The two app variants most files read, so that they are synthesized once per run: every optional
 * layer and resource shape (bastion; domains with TLS, a created zone, SES and alarm e-mail) and the
 * plain one (bastion, no domains: HTTP only, the default without inputs).
 */
export const PLAIN = { CREATE_BASTION: "true" } as const;
export const FULL = {
  CREATE_BASTION: "true",
  DEV_DOMAIN: "dev.markmail.example.com",
  STAGING_DOMAIN: "staging.markmail.example.com",
  PROD_DOMAIN: "markmail.example.com",
  HOSTED_ZONE_MODE: "create",
  NOTIFICATION_EMAIL: "ops@example.com",
} as const;

const apps = new Map<string, Map<string, TfJson>>();

/**
 * Every stack of the app built from these inputs, synthesized (metadata removed), by stack id.
 * Read-only. Memoized in the file and shared by the run's workers through the folder jest's global
 * setup creates: the first worker to need a variant writes it, the others wait for it and read it.
 */
export function synthApp(vars: Record<string, string> = {}): Map<string, TfJson> {
  const config = configFrom(vars);
  const key = createHash("sha256").update(JSON.stringify(config)).digest("hex").slice(0, 16);
  const memo = apps.get(key);
  if (memo) return memo;
  const compute = () => new Map([...buildApp(config)].map(([id, stack]) => [id, synthJson(stack)] as [string, TfJson]));
  const dir = process.env.MARKMAIL_JEST_RUN_CACHE;
  const result = dir ? shared(join(dir, key), compute) : compute();
  apps.set(key, result);
  return result;
}

function shared(base: string, compute: () => Map<string, TfJson>): Map<string, TfJson> {
  const file = `${base}.json`;
  const read = () => new Map<string, TfJson>(Object.entries(JSON.parse(readFileSync(file, "utf8"))));
  if (existsSync(file)) return read();
  let lock: number | undefined;
  try {
    lock = openSync(`${base}.lock`, "wx");
  } catch {
    // Another worker is synthesizing this variant: wait for its file (while its lock
    // is there, a minute at most; then do it here).
    const tick = new Int32Array(new SharedArrayBuffer(4));
    for (let waited = 0; waited < 60_000 && !existsSync(file) && existsSync(`${base}.lock`); waited += 25) {
      Atomics.wait(tick, 0, 0, 25);
    }
    return existsSync(file) ? read() : compute();
  }
  try {
    const result = compute();
    writeFileSync(`${file}.tmp`, JSON.stringify(Object.fromEntries(result)));
    renameSync(`${file}.tmp`, file);
    return result;
  } finally {
    closeSync(lock);
    rmSync(`${base}.lock`, { force: true });
  }
}

/** All resources of a type in a synthesized stack, as [name, body] pairs. */
export function resources(json: TfJson, type: string): [string, any][] {
  return Object.entries(json.resource?.[type] ?? {});
}

/** The single resource of a type; fails when there is not exactly one. */
export function onlyResource(json: TfJson, type: string): any {
  const all = resources(json, type);
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0][1];
}

/** A whole-string Terraform reference `${[data.]type.name.attr}`, parsed; undefined for anything else. */
export function parseRef(ref: unknown): { data: boolean; type: string; name: string; attr: string } | undefined {
  const m = /^\$\{(data\.)?([a-z0-9_]+)\.([^.}]+)\.([a-z_]+)\}$/.exec(String(ref));
  return m ? { data: m[1] !== undefined, type: m[2], name: m[3], attr: m[4] } : undefined;
}

/** The resource (or data source) body a reference of the same stack points at. */
export function deref(json: TfJson, ref: unknown): any {
  const r = parseRef(ref);
  return r ? (r.data ? json.data : json.resource)?.[r.type]?.[r.name] : undefined;
}

/** Synthesizes the stack `markmail-<env>-<layer>` of an app built from the config. */
export function synthLayer(config: AppConfig, env: EnvName, layer: string): TfJson {
  const stack = buildApp(config).get(`markmail-${env}-${layer}`);
  if (!stack) throw new Error(`no stack markmail-${env}-${layer}`);
  return synthJson(stack);
}

/** Re-exported for tests that build one environment by hand. */
export { buildEnvironment };

/** The one trust statement of the role named `roleName` (its assume_role_policy document). */
export function trustOf(json: TfJson, roleName: string): any {
  const role = resources(json, "aws_iam_role").find(([, b]) => b.name === roleName);
  if (!role) throw new Error(`no aws_iam_role ${roleName}`);
  const doc = /data\.aws_iam_policy_document\.([^.]+)\.json/.exec(role[1].assume_role_policy)![1];
  const statements = json.data!.aws_iam_policy_document[doc].statement;
  if (statements.length !== 1) throw new Error(`${roleName}: expected one trust statement, found ${statements.length}`);
  return statements[0];
}

/** `arn:${partition}:<service>:<region>:${account}:<resource>` as a synthesized stack writes it (the account and partition data sources). */
export function ownArn(service: string, region: string, resource: string): RegExp {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return new RegExp(
    `^arn:\\$\\{data\\.aws_partition\\.[^}]+\\.partition\\}:${esc(service)}:${esc(region)}:\\$\\{data\\.aws_caller_identity\\.[^}]+\\.account_id\\}:${esc(resource)}$`,
  );
}

/** A bare stack for construct tests, with the default AWS provider constructs read their region from. */
export function regionalStack(id = "t", region = "ap-northeast-1"): TerraformStack {
  const stack = new TerraformStack(Testing.app(), id);
  new AwsProvider(stack, "aws", { region });
  return stack;
}

/** Testing.synthScope with the default AWS provider in the scope's stack. */
export function synthInRegion(fn: (scope: Construct) => void, region = "ap-northeast-1"): string {
  return Testing.synthScope((s) => {
    new AwsProvider(s, "aws", { region });
    fn(s);
  });
}

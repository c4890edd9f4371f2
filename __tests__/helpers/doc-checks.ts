// What the app creates (facts gathered from every synthesized stack) and the checks a document's
// commands and names must pass against them; the seed guide's fixture and the AWS CLI models.
// Used by docs-*.test.ts.
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, normalize, relative } from "node:path";
import { Testing } from "cdktf";
import { GUIDES } from "../../scripts/graph";
import { BootstrapStack, bootstrapStackId } from "../../stacks/bootstrap-stack";
import { configFrom, FULL, PLAIN, synthApp, synthJson, type TfJson } from "./synth";
import { awsArgs, commandsOf, type Doc, dynamic, fencedBlocks, ROOT, SEED_DIR, SHELL_LANGS, shellLines, strip } from "./doc-reader";

// ---------------------------------------------------------------------------------------------
// What the app creates
// ---------------------------------------------------------------------------------------------

export interface Facts {
  readonly stackIds: Set<string>;
  /** Every string leaf of every synthesized stack. */
  readonly leaves: Set<string>;
  readonly bootstrapLeaves: Set<string>;
  /** Resource bodies by type, with the stack JSON they belong to and its id. */
  readonly byType: Map<string, { body: any; json: TfJson; stack: string }[]>;
  /** `Key=Value` of every tag set on a resource or as a provider default tag. */
  readonly tags: Set<string>;
}

export function collectLeaves(value: unknown, into: Set<string>): void {
  if (typeof value === "string") into.add(value);
  else if (Array.isArray(value)) for (const v of value) collectLeaves(v, into);
  else if (value !== null && typeof value === "object") for (const v of Object.values(value)) collectLeaves(v, into);
}

export let factsCache: Facts | undefined;
/** Built once per test file: every stack of the app (CREATE_BASTION=true, all environments) and the bootstrap stack. */
export function appFacts(): Facts {
  factsCache ??= buildFacts();
  return factsCache;
}

export function buildFacts(): Facts {
  const stacks = new Map(synthApp(PLAIN));
  const leaves = new Set<string>();
  const byType = new Map<string, { body: any; json: TfJson; stack: string }[]>();
  const tags = new Set<string>();
  for (const [id, json] of stacks) {
    collectLeaves(json, leaves);
    for (const provider of json.provider?.aws ?? []) {
      for (const d of provider.default_tags ?? []) for (const [k, v] of Object.entries(d.tags ?? {})) tags.add(`${k}=${v}`);
    }
    for (const [type, bodies] of Object.entries(json.resource ?? {})) {
      for (const body of Object.values(bodies)) {
        if (!byType.has(type)) byType.set(type, []);
        byType.get(type)!.push({ body, json, stack: id });
        for (const [k, v] of Object.entries((body as any).tags ?? {})) tags.add(`${k}=${v}`);
      }
    }
  }
  // Optional stacks of other inputs: the dns layer exists only with a domain whose zone the app creates.
  for (const [id, json] of synthApp(FULL)) {
    if (!id.endsWith("-dns")) continue;
    stacks.set(id, json);
    collectLeaves(json, leaves);
  }
  const bootstrapLeaves = new Set<string>();
  collectLeaves(synthJson(new BootstrapStack(Testing.app(), { config: configFrom() })), bootstrapLeaves);
  return { stackIds: new Set(stacks.keys()), leaves, bootstrapLeaves, byType, tags };
}

export const bodies = (f: Facts, ...types: string[]) => types.flatMap((t) => (f.byType.get(t) ?? []).map((r) => r.body));
export const attr = (f: Facts, key: string, ...types: string[]) =>
  new Set(
    bodies(f, ...types)
      .map((b) => b[key])
      .filter((v) => typeof v === "string"),
  );

/** Inline policy names of the IAM role named `role` (aws_iam_role_policy or inline_policy blocks). */
export function inlinePolicies(f: Facts, role: string): Set<string> {
  const names = new Set<string>();
  for (const { body, json } of f.byType.get("aws_iam_role_policy") ?? []) {
    const ref = /^\$\{aws_iam_role\.([^.]+)\.(?:id|name)\}$/.exec(body.role ?? "");
    const roleName = ref ? json.resource?.aws_iam_role?.[ref[1]]?.name : body.role;
    if (roleName === role && typeof body.name === "string") names.add(body.name);
  }
  for (const body of bodies(f, "aws_iam_role")) {
    if (body.name === role) for (const p of body.inline_policy ?? []) names.add(p.name);
  }
  return names;
}

export type Kind =
  | "ecs cluster"
  | "ecs service"
  | "log group"
  | "iam role"
  | "pipeline"
  | "pipeline stage"
  | "pipeline action"
  | "secret"
  | "db instance"
  | "db cluster"
  | "alarm"
  | "alarm prefix"
  | "dashboard"
  | "codebuild project"
  | "ecr repository"
  | "load balancer"
  | "target group"
  | "connection"
  | "backup vault"
  | "restore testing plan";

export function known(f: Facts, kind: Kind): Set<string> {
  switch (kind) {
    case "ecs cluster":
      return attr(f, "name", "aws_ecs_cluster");
    case "ecs service":
      return attr(f, "name", "aws_ecs_service");
    case "log group":
      return attr(f, "name", "aws_cloudwatch_log_group");
    case "iam role":
      return attr(f, "name", "aws_iam_role");
    case "pipeline":
      return attr(f, "name", "aws_codepipeline");
    case "pipeline stage":
      return new Set(bodies(f, "aws_codepipeline").flatMap((p) => (p.stage ?? []).map((s: any) => s.name)));
    case "pipeline action":
      return new Set(
        bodies(f, "aws_codepipeline").flatMap((p) => (p.stage ?? []).flatMap((s: any) => (s.action ?? []).map((a: any) => a.name))),
      );
    case "secret":
      return attr(f, "name", "aws_secretsmanager_secret");
    case "db instance":
      return attr(f, "identifier", "aws_rds_cluster_instance", "aws_db_instance");
    case "db cluster":
      return attr(f, "cluster_identifier", "aws_rds_cluster");
    case "alarm":
    case "alarm prefix":
      return attr(f, "alarm_name", "aws_cloudwatch_metric_alarm");
    case "dashboard":
      return attr(f, "dashboard_name", "aws_cloudwatch_dashboard");
    case "codebuild project":
      return attr(f, "name", "aws_codebuild_project");
    case "ecr repository":
      return attr(f, "name", "aws_ecr_repository");
    case "load balancer":
      return attr(f, "name", "aws_lb", "aws_alb");
    case "target group":
      return attr(f, "name", "aws_lb_target_group", "aws_alb_target_group");
    case "connection":
      return attr(f, "name", "aws_codestarconnections_connection");
    case "backup vault":
      return attr(f, "name", "aws_backup_vault");
    case "restore testing plan":
      return attr(f, "name", "aws_backup_restore_testing_plan");
  }
}

/** AWS CLI options whose value names something a stack creates, per "service command" or service. */
export const OPTION_KINDS: Record<string, Record<string, Kind>> = {
  "elbv2 describe-load-balancers": { "--names": "load balancer" },
  "elbv2 describe-target-groups": { "--names": "target group" },
  ecs: { "--cluster": "ecs cluster", "--service": "ecs service", "--services": "ecs service", "--service-name": "ecs service" },
  logs: { "--log-group-name": "log group", "--log-group-names": "log group" },
  iam: { "--role-name": "iam role" },
  codepipeline: {
    "--name": "pipeline",
    "--pipeline-name": "pipeline",
    "--stage-name": "pipeline stage",
    "--action-name": "pipeline action",
  },
  secretsmanager: { "--secret-id": "secret", "--name": "secret" },
  rds: {
    "--db-instance-identifier": "db instance",
    "--db-cluster-identifier": "db cluster",
    "--source-db-cluster-identifier": "db cluster",
  },
  cloudwatch: { "--alarm-names": "alarm", "--alarm-name-prefix": "alarm prefix", "--dashboard-name": "dashboard" },
  codebuild: { "--project-name": "codebuild project", "--project-names": "codebuild project" },
  ecr: { "--repository-name": "ecr repository" },
  backup: {
    "--backup-vault-name": "backup vault",
    "--by-backup-vault-name": "backup vault",
    "--restore-testing-plan-name": "restore testing plan",
  },
};

/** Names an AWS CLI call creates itself (restore tests, snapshots): not expected in the stacks. */
export const CREATES: Record<string, string[]> = {
  "rds restore-db-cluster-to-point-in-time": ["--db-cluster-identifier"],
  "rds create-db-instance": ["--db-instance-identifier"],
  "rds create-db-cluster-snapshot": ["--db-cluster-snapshot-identifier"],
};
/** Environment variables whose value is a name the reader chooses. */
export const CHOSEN = ["TF_STATE_BUCKET", "TF_LOCK_TABLE"];

export function declaredNames(lines: string[]): Set<string> {
  const names = new Set<string>();
  for (const cmd of commandsOf(lines)) {
    for (const w of cmd) {
      const m = /^([A-Z_]+)=(.+)$/.exec(w);
      if (m && CHOSEN.includes(m[1])) names.add(m[2]);
    }
    const words = strip(cmd);
    if (words[0] !== "aws") continue;
    const { options } = awsArgs(words);
    for (const opt of CREATES[`${words[1]} ${words[2]}`] ?? []) for (const v of options.get(opt) ?? []) names.add(v);
  }
  return names;
}

// ---------------------------------------------------------------------------------------------
// The checks
// ---------------------------------------------------------------------------------------------

export const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
export const CDKTF_COMMANDS = new Set([
  "init",
  "get",
  "convert",
  "deploy",
  "apply",
  "destroy",
  "diff",
  "plan",
  "list",
  "login",
  "synth",
  "synthesize",
  "watch",
  "output",
  "outputs",
  "debug",
  "provider",
  "completion",
]);
/** cdktf options that take a value (the value is not a stack). */
export const CDKTF_VALUE_OPTIONS = new Set([
  "--app",
  "-a",
  "--output",
  "-o",
  "--outputs-file",
  "--var",
  "--var-file",
  "--parallelism",
  "--terraform-parallelism",
  "--log-level",
]);
export const TERRAFORM_COMMANDS = new Set([
  "init",
  "plan",
  "apply",
  "validate",
  "version",
  "show",
  "output",
  "fmt",
  "force-unlock",
  "state",
  "providers",
  "login",
  "destroy",
  "import",
  "console",
  "graph",
]);

export let cdktfBundle: string | undefined;
/** The cdktf CLI defines each option as `.option("<name>"` in its bundle. */
export function cdktfOption(flag: string): boolean {
  cdktfBundle ??= readFileSync(join(ROOT, "node_modules/cdktf-cli/bundle/bin/cdktf.js"), "utf8");
  const name = flag.replace(/^-+/, "").split("=")[0];
  if (name === "help" || name === "h" || name === "version") return true;
  return cdktfBundle.includes(`.option("${name}"`) || cdktfBundle.includes(`alias:"${name}"`);
}

export function globToRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  );
}

/** The stack ids a cdktf stack argument selects (an id or a glob). */
export function stacksMatching(f: Facts, pattern: string): string[] {
  const re = globToRegExp(pattern);
  return [...f.stackIds, bootstrapStackId("markmail")].filter((id) => re.test(id));
}

/** `markmail-<env>-...` names in a text: `<env>` stands for dev; placeholders (`-<layer>`) are skipped. */
export const NAME = /(?<![A-Za-z0-9_.-])markmail-(dev|staging|prod)((?:-[a-z0-9]+)*)(-[*<$][^\s'"`,)\]]*)?/g;
/** Account-wide names of the bootstrap stack. */
export const BOOTSTRAP_NAME = /(?<![A-Za-z0-9_.-])markmail-(?:bootstrap|terraform-[a-z0-9-]*[a-z0-9])(?![A-Za-z0-9_.])/g;
export const SECRET_ID = /(?<![A-Za-z0-9_.-])markmail-(?:dev|staging|prod|<env>)-([a-z0-9-]*(?:secret|dockerhub))(?![a-z0-9-])/g;

export function nameProblems(f: Facts, text: string, declared: Set<string>): string[] {
  const problems: string[] = [];
  const t = text.replace(/<env>/g, "dev");
  for (const m of t.matchAll(NAME)) {
    const name = `markmail-${m[1]}${m[2]}`;
    if (m[3] !== undefined) {
      if (m[3].startsWith("-*")) {
        const re = globToRegExp(name + m[3].replace(/[`'"]+$/, ""));
        if (![...f.stackIds, ...f.leaves].some((v) => re.test(v))) problems.push(`${name}${m[3]}: matches no stack and no name`);
      }
      continue;
    }
    if (declared.has(name) || f.stackIds.has(name) || f.leaves.has(name)) continue;
    // A path such as /ecs/markmail-dev-exec: the whole path is the name.
    let start = m.index!;
    while (start > 0 && !/[\s'"`([=]/.test(t[start - 1])) start--;
    const path = t.slice(start, m.index!) + name;
    if (path.startsWith("/") && f.leaves.has(path)) continue;
    problems.push(`${path}: no stack and no resource of the app has this name`);
  }
  for (const m of t.matchAll(BOOTSTRAP_NAME)) {
    if (declared.has(m[0]) || m[0] === bootstrapStackId("markmail") || f.bootstrapLeaves.has(m[0])) continue;
    problems.push(`${m[0]}: not a name of the markmail-bootstrap stack`);
  }
  // Dashboard URLs (in plain or shell blocks alike).
  for (const m of t.matchAll(/#dashboards:name=([A-Za-z0-9_-]+)/g)) {
    if (!known(f, "dashboard").has(m[1])) problems.push(`dashboard URL: no dashboard ${m[1]}`);
  }
  return problems;
}

/** Problems of one parsed command; `cwd` is the directory a preceding `cd` moved to (repository-relative). */
export function commandProblems(f: Facts, cmd: string[], declared: Set<string>, cwd: { dir: string }, strict: boolean): string[] {
  const problems: string[] = [];
  const words = strip(cmd);
  if (words.length === 0) return problems;
  const [head] = words;
  const line = words.join(" ");

  // Paths of the repository.
  for (const w of words) {
    const path = /^(?:\.\/)?((?:scripts|\.ci)\/[^\s]*)$/.exec(w);
    if (!path || dynamic(w)) continue;
    const file = join(ROOT, path[1]);
    if (!existsSync(file)) problems.push(`${path[1]}: no such file`);
    else if (statSync(file).isFile() && (/\.sh$/.test(path[1]) || path[1] === ".ci/run" || (w === head && words.length > 1))) {
      // Shell scripts and anything run as a command must be executable; a mentioned file must exist.
      try {
        accessSync(file, constants.X_OK);
      } catch {
        problems.push(`${path[1]}: not executable`);
      }
    }
  }

  if (head === "cd" && words[1] !== undefined && !dynamic(words[1])) {
    const target = normalize(join(cwd.dir, words[1]));
    const stack = /^cdktf\.out\/stacks\/([^/]+)$/.exec(target);
    if (stack && !f.stackIds.has(stack[1])) problems.push(`cd ${words[1]}: no stack ${stack[1]}`);
    if (!stack && !target.startsWith("cdktf.out") && !existsSync(join(ROOT, target)) && strict)
      problems.push(`cd ${words[1]}: no such directory`);
    cwd.dir = target;
  } else if (head.startsWith("./") && !/^\.\/scripts\//.test(head) && cwd.dir !== ".") {
    const file = join(ROOT, cwd.dir, head);
    const rel = relative(ROOT, file);
    if (!existsSync(file)) problems.push(`${rel}: no such file`);
    else {
      try {
        accessSync(file, constants.X_OK);
      } catch {
        problems.push(`${rel}: not executable`);
      }
    }
  }

  if (head === "npm") {
    const sub = words[1];
    if (sub === "run" || sub === "run-script") {
      const script = words.slice(2).find((w) => !w.startsWith("-"));
      if (script === undefined) problems.push(`${line}: no script name`);
      else if (!(script in pkg.scripts)) problems.push(`npm run ${script}: no such script in package.json`);
      else {
        // The script itself must be runnable: every repository file it names exists.
        for (const m of pkg.scripts[script].matchAll(/(?:^|[\s"'=])\.?\/?((?:scripts|\.ci)\/[^\s"']+)/g)) {
          if (!existsSync(join(ROOT, m[1]))) problems.push(`npm run ${script}: its command names ${m[1]}, which does not exist`);
        }
      }
      const dashdash = words.indexOf("--");
      if (script === "deploy" && dashdash > 0) {
        const [env, ...flags] = words.slice(dashdash + 1);
        if (!dynamic(env) && !["dev", "staging", "prod"].includes(env)) problems.push(`npm run deploy -- ${env}: not an environment`);
        for (const flag of flags)
          if (!["--destroy", "--auto-approve"].includes(flag)) problems.push(`npm run deploy -- ${env} ${flag}: unknown option`);
      }
    } else if (!["ci", "install", "test"].includes(sub)) problems.push(`${line}: npm ${sub} is not used by this project`);
  }

  const cdktfAt = head === "cdktf" ? 0 : head === "npx" && words[1] === "cdktf" ? 1 : -1;
  if (head === "npx" && cdktfAt < 0 && strict) problems.push(`${line}: only npx cdktf is part of this project`);
  if (cdktfAt >= 0) {
    const sub = words[cdktfAt + 1];
    if (sub !== undefined && !sub.startsWith("-") && !CDKTF_COMMANDS.has(sub)) problems.push(`${line}: cdktf has no command ${sub}`);
    const rest = words.slice(cdktfAt + 2);
    const usesBootstrapApp = rest.some((w) => w.includes("bootstrap.ts"));
    for (let i = 0; i < rest.length; i++) {
      const w = rest[i];
      if (w.startsWith("-")) {
        if (!cdktfOption(w)) problems.push(`${line}: cdktf has no option ${w}`);
        if (CDKTF_VALUE_OPTIONS.has(w.split("=")[0]) && !w.includes("=")) i++;
        continue;
      }
      if (dynamic(w) || !["deploy", "apply", "destroy", "diff", "plan", "output", "outputs", "watch"].includes(sub)) continue;
      const matches = stacksMatching(f, w).filter((id) => usesBootstrapApp === (id === bootstrapStackId("markmail")));
      if (matches.length === 0) problems.push(`${line}: ${w} matches no stack`);
    }
  }

  if (
    (head === "terraform" || head === "tofu") &&
    words[1] !== undefined &&
    !words[1].startsWith("-") &&
    !TERRAFORM_COMMANDS.has(words[1])
  ) {
    problems.push(`${line}: ${head} ${words[1]} is not a command used here`);
  }
  if (strict && (head === "cdk" || (head === "npx" && words[1] === "cdk")))
    problems.push(`${line}: AWS CDK commands do not apply to this project`);

  if (head === "aws" && words.length >= 3) {
    const service = words[1];
    const { options, positional } = awsArgs(words);
    const creates = new Set(CREATES[`${service} ${words[2]}`] ?? []);
    const check = (kind: Kind, value: string, what: string) => {
      if (dynamic(value) || declared.has(value)) return;
      const names = known(f, kind);
      const ok = kind === "alarm prefix" ? [...names].some((n) => n.startsWith(value)) : names.has(value);
      if (!ok) problems.push(`${line}: ${what} "${value}" is no ${kind} of the app`);
    };
    for (const [opt, values] of options) {
      if (creates.has(opt)) continue;
      const kind = OPTION_KINDS[`${service} ${words[2]}`]?.[opt] ?? OPTION_KINDS[service]?.[opt];
      if (kind) for (const v of values) check(kind, v, opt);
      if (opt === "--filters") {
        for (const v of values) {
          const tag = /^Name=tag:([^,]+),Values=(.+)$/.exec(v);
          if (!tag) continue;
          for (const value of tag[2].split(",")) {
            if (!dynamic(value) && !f.tags.has(`${tag[1]}=${value}`)) problems.push(`${line}: no resource is tagged ${tag[1]}=${value}`);
          }
        }
      }
    }
    if (service === "logs" && words[2] === "tail" && positional[0] !== undefined) check("log group", positional[0], "log group");
    if (service === "iam" && words[2] === "get-role-policy") {
      const role = options.get("--role-name")?.[0];
      const policy = options.get("--policy-name")?.[0];
      if (role && policy && !dynamic(role) && !dynamic(policy) && !inlinePolicies(f, role).has(policy)) {
        problems.push(`${line}: role ${role} has no inline policy ${policy}`);
      }
    }
    // Names inside JMESPath queries.
    for (const w of words) {
      for (const m of w.matchAll(/DBInstanceIdentifier==`([^`]+)`/g)) check("db instance", m[1], "DBInstanceIdentifier");
      for (const m of w.matchAll(/ConnectionName==['`]([^'`]+)['`]/g)) check("connection", m[1], "ConnectionName");
      for (const m of w.matchAll(/stageName==['`]([^'`]+)['`]/g)) check("pipeline stage", m[1], "stageName");
    }
  }
  return problems;
}

/** All problems of a document: its commands, inline commands and every name in its text. */
export function docProblems(f: Facts, doc: Doc): string[] {
  const declared = declaredNames([...doc.lines, ...doc.inline]);
  const problems: string[] = [];
  const cwd = { dir: "." };
  for (const cmd of commandsOf(doc.lines)) problems.push(...commandProblems(f, cmd, declared, cwd, true));
  for (const code of doc.inline)
    for (const cmd of commandsOf([code])) problems.push(...commandProblems(f, cmd, declared, { dir: "." }, false));
  problems.push(...nameProblems(f, doc.text, declared));
  return [...new Set(problems)].map((p) => `${doc.name}: ${p}`);
}

export const flat = (t: string) => t.replace(/\s+/g, " ");

// ---------------------------------------------------------------------------------------------
// The seed guide's AWS CLI calls
// ---------------------------------------------------------------------------------------------

/** Seed calls the project does not run as written, and what the guides use instead. */
export const SEED_REPLACED: Record<string, { instead: string; why: string }> = {
  "secretsmanager create-secret": {
    instead: "secretsmanager put-secret-value",
    why: "the stacks create every secret; only values are set",
  },
};

/**
 * The seed guide's shell lines, kept in the repository (`__tests__/fixtures/seed-guide.json`) so the
 * checks below run for every developer; where the guide itself is beside the clone (CI, sessions
 * with shared/), a test proves the fixture is still exactly what the guide says.
 * Regenerate after the guide changes: UPDATE_SEED_FIXTURE=1 npx jest __tests__/docs-seed.test.ts
 */
export const SEED_FIXTURE = join(__dirname, "..", "fixtures", "seed-guide.json");
export type SeedFixture = { source: string; docs: { name: string; lines: string[] }[] };

export function seedFromGuide(): SeedFixture {
  return {
    source: "shared/seed (the operator guide of the original AWS CDK app)",
    docs: readdirSync(SEED_DIR)
      .filter((n) => n.endsWith(".txt"))
      .sort()
      .map((n) => ({
        name: `seed/${n}`,
        lines: fencedBlocks(readFileSync(join(SEED_DIR, n), "utf8"))
          .filter((b) => SHELL_LANGS.has(b.lang))
          .flatMap((b) => shellLines(b.body, b.lang)),
      })),
  };
}

export function seedDocs(): Doc[] {
  const fixture: SeedFixture = JSON.parse(readFileSync(SEED_FIXTURE, "utf8"));
  return fixture.docs.map((d) => ({ name: d.name, text: d.lines.join("\n"), lines: d.lines, inline: [] }));
}

export const awsCalls = (lines: string[]) =>
  commandsOf(lines)
    .map(strip)
    .filter((w) => w[0] === "aws" && w.length >= 3)
    .map((w) => ({ name: `${w[1]} ${w[2]}`, words: w }));

export const seedPresent = existsSync(SEED_DIR);

/** A check that needs something only some machines have: skipped on a developer's machine, a failure in CI. */
export function needs(what: string, present: boolean): typeof test {
  if (present) return test;
  if (process.env.CI) {
    return ((name: string) =>
      test(name, () => {
        throw new Error(`${what} is missing in CI`);
      })) as unknown as typeof test;
  }
  return test.skip;
}

// ---------------------------------------------------------------------------------------------
// Every `aws <service> <command>` exists in the AWS CLI (botocore service models), when available
// ---------------------------------------------------------------------------------------------

/** AWS CLI commands that are customizations, not API operations. */
export const CLI_CUSTOMIZATIONS = new Set(["logs tail", "ecr get-login-password", "s3 cp", "s3 ls", "s3 mv", "s3 rm", "s3 sync"]);

export function findBotocorePython(): string | undefined {
  const venv =
    process.env.MARKMAIL_OPS_VENV ?? join(process.env.XDG_CACHE_HOME ?? join(process.env.HOME ?? "/", ".cache"), "markmail-ci/ops-venv");
  for (const py of [join(venv, "bin/python"), "python3"]) {
    const r = spawnSync(py, ["-c", "import botocore"], { encoding: "utf8" });
    if (r.status === 0) return py;
  }
  return undefined;
}

/** Every markdown document whose commands and names are checked. */
export const MARKDOWN = ["README.md", ...GUIDES];

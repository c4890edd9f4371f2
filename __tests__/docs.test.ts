// The operator documentation is part of the product: every command a reader can copy from
// README.md, help or the guides must exist, and every name it uses must be one the stacks create.
import { spawnSync } from "child_process";
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "fs";
import { basename, join, normalize, relative } from "path";
import { Testing } from "cdktf";
import { buildEnvironment, ENVIRONMENTS, INPUTS } from "../config";
import { DEFAULTS } from "../config/defaults";
import { SECRETS } from "../config/contract";
import { GRAPH_END, GRAPH_START, GUIDES, stackGraph } from "../scripts/graph";
import { BootstrapStack, bootstrapStackId, bootstrapStatePath } from "../stacks/bootstrap-stack";
import { AlbStack } from "../stacks/alb-stack";
import { onlyEnv, testApp } from "./helpers/fake-outputs";
import { buildApp, configFor, configFrom, synthJson, TfJson } from "./helpers/synth";

const ROOT = join(__dirname, "..");
/** The seed guide (the old AWS CDK operator guide); in CI a copy of shared/ sits beside the clone. */
const SEED_DIR = join(__dirname, "../../shared/seed");

// ---------------------------------------------------------------------------------------------
// Reading the documents
// ---------------------------------------------------------------------------------------------

interface Doc {
  readonly name: string;
  readonly text: string;
  /** Shell command lines: fenced bash/sh/console blocks (markdown) or command lines (help). */
  readonly lines: string[];
  /** Inline code spans that start with a command (markdown only; legacy-mapping tables excluded). */
  readonly inline: string[];
}

const SHELL_LANGS = new Set(["bash", "sh", "shell", "console"]);
/** Inline code (or help lines) that are commands a reader may run. */
const COMMAND_START = /^(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*(?:npm|npx|cdktf|aws|terraform|tofu|\.\/scripts\/|scripts\/|\.ci\/)/;
/** A table of the old AWS CDK commands; the left column is history, not something to run. */
const LEGACY_START = "<!-- legacy-commands:start -->";
const LEGACY_END = "<!-- legacy-commands:end -->";

/** Fenced code blocks of a markdown text: language and body. */
function fencedBlocks(markdown: string): { lang: string; body: string }[] {
  const blocks: { lang: string; body: string }[] = [];
  let open: { lang: string; lines: string[]; fence: string } | undefined;
  for (const line of markdown.split("\n")) {
    const fence = /^\s*(`{3,})\s*([\w-]*)/.exec(line);
    if (open) {
      if (fence && fence[1] === open.fence && line.trim() === open.fence) {
        blocks.push({ lang: open.lang, body: open.lines.join("\n") });
        open = undefined;
      } else open.lines.push(line);
    } else if (fence) open = { lang: fence[2].toLowerCase(), lines: [], fence: fence[1] };
  }
  if (open) throw new Error(`unclosed code fence (${open.lang})`);
  return blocks;
}

/** Markdown without its fenced blocks and without the legacy-mapping tables. */
function prose(markdown: string): string {
  let text = markdown.replace(/^\s*(`{3,})[^\n]*\n[\s\S]*?^\s*\1\s*$/gm, "");
  for (;;) {
    const s = text.indexOf(LEGACY_START);
    if (s < 0) break;
    const e = text.indexOf(LEGACY_END, s);
    if (e < 0) throw new Error("legacy-commands:start without legacy-commands:end");
    text = text.slice(0, s) + text.slice(e + LEGACY_END.length);
  }
  return text;
}

/** Logical shell lines of a block: continuations joined, heredoc bodies and console output dropped. */
function shellLines(body: string, lang: string): string[] {
  let raw = body.replace(/\\\r?\n/g, " ").split(/\r?\n/);
  if (lang === "console") raw = raw.filter((l) => /^\s*\$ /.test(l)).map((l) => l.replace(/^\s*\$ /, ""));
  const lines: string[] = [];
  let heredoc: string | undefined;
  let pending: string | undefined;
  for (const line of raw) {
    if (heredoc !== undefined) {
      if (line.trim() === heredoc) heredoc = undefined;
      continue;
    }
    // A quoted string may span lines (e.g. a JSON --secret-string): join until it closes.
    const joined = pending === undefined ? line : `${pending} ${line}`;
    if (openQuote(joined) !== undefined) {
      pending = joined;
      continue;
    }
    pending = undefined;
    const m = /(?<!<)<<(?!<)-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/.exec(joined);
    if (m) heredoc = m[2];
    lines.push(joined);
  }
  if (pending !== undefined) throw new Error(`unclosed quote: ${pending}`);
  return lines;
}

/** The quote left open at the end of a line (comments ignored), if any. */
function openQuote(line: string): string | undefined {
  let quote: string | undefined;
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
    } else if (quote === '"') {
      if (c === "\\") i++;
      else if (c === '"') quote = undefined;
    } else if (c === "\\") i++;
    else if (c === "'" || c === '"') quote = c;
    else if (c === "#" && !inWord) return undefined;
    inWord = quote !== undefined || !/\s/.test(c);
  }
  return quote;
}

function markdownDoc(name: string): Doc {
  const text = readFileSync(join(ROOT, name), "utf8");
  const lines = fencedBlocks(text)
    .filter((b) => SHELL_LANGS.has(b.lang))
    .flatMap((b) => shellLines(b.body, b.lang));
  const inline = [...prose(text).matchAll(/(?<!`)`([^`]+)`(?!`)/g)]
    .map((m) => m[1].replace(/\s*\n\s*/g, " ").trim())
    .filter((code) => COMMAND_START.test(code));
  return { name, text, lines, inline };
}

/** `help` is plain text: its command lines start with npm run, npx cdktf or scripts/ (after VAR=value). */
function helpDoc(): Doc {
  const text = readFileSync(join(ROOT, "help"), "utf8");
  const lines = text
    .split("\n")
    .map((l) => l.trim().split(/\s{2,}/)[0])
    .filter((l) => /^(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*(?:npm (?:ci|test|run)|npx cdktf|scripts\/|\.ci\/)/.test(l));
  return { name: "help", text, lines, inline: [] };
}

// ---------------------------------------------------------------------------------------------
// A small shell parser: enough for documentation (quotes, $( ), pipes, &&, comments)
// ---------------------------------------------------------------------------------------------

const SUBST = "__SUBST__";

/** Replaces each $(...) and `...` by SUBST and appends its inner text to `subs` (recursively). */
function extractSubstitutions(line: string, subs: string[]): string {
  let out = "";
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      out += c;
      if (c === "'") quote = undefined;
      continue;
    }
    if (c === "\\") {
      out += c + (line[i + 1] ?? "");
      i++;
      continue;
    }
    if (c === "'" && quote === undefined) {
      quote = "'";
      out += c;
      continue;
    }
    if (c === '"') {
      quote = quote === '"' ? undefined : '"';
      out += c;
      continue;
    }
    const dollar = c === "$" && line[i + 1] === "(";
    if (dollar || c === "`") {
      let j = dollar ? i + 2 : i + 1;
      let depth = 1;
      let inner: string | undefined;
      for (; j < line.length; j++) {
        const d = line[j];
        if (inner !== undefined) {
          if (d === inner) inner = undefined;
          else if (d === "\\" && inner === '"') j++;
          continue;
        }
        if (d === "\\") {
          j++;
          continue;
        }
        if (!dollar) {
          if (d === "`") break;
          continue;
        }
        if (d === "'" || d === '"') inner = d;
        else if (d === "(") depth++;
        else if (d === ")" && --depth === 0) break;
      }
      subs.push(extractSubstitutions(line.slice(dollar ? i + 2 : i + 1, j), subs));
      out += SUBST;
      i = j;
      continue;
    }
    out += c;
  }
  return out;
}

/** Splits one line (without substitutions) into commands of unquoted words. */
function tokenize(line: string): string[][] {
  const commands: string[][] = [];
  let current: string[] = [];
  let word = "";
  let inWord = false;
  let quote: string | undefined;
  const endWord = () => {
    if (inWord) current.push(word);
    word = "";
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    if (current.length > 0) commands.push(current);
    current = [];
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === "\\" && '"\\$`'.includes(line[i + 1] ?? "")) word += line[++i];
      else word += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === "\\") {
      word += line[++i] ?? "";
      inWord = true;
    } else if (/\s/.test(c)) endWord();
    else if (c === "#" && !inWord) break;
    else if (c === "|" || c === ";" || c === "&" || c === "(" || c === ")") {
      endCommand();
      if ((c === "|" || c === "&") && line[i + 1] === c) i++;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote !== undefined) throw new Error(`unbalanced ${quote} in: ${line}`);
  endCommand();
  return commands;
}

/** Every command of a list of logical lines, $( ) substitutions included as commands of their own. */
function commandsOf(lines: string[]): string[][] {
  const out: string[][] = [];
  for (const line of lines) {
    const subs: string[] = [];
    const outer = extractSubstitutions(line, subs);
    for (const part of [outer, ...subs]) out.push(...tokenize(part));
  }
  return out;
}

/** A command without its leading VAR=value assignments (and `export`, `sudo`, `time`, `exec`). */
function strip(words: string[]): string[] {
  let i = 0;
  while (i < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]) || ["sudo", "time", "exec"].includes(words[i]))) i++;
  return words.slice(i);
}

/** Options of an AWS CLI call (`--name value...` and `--name=value`) and its positional words. */
function awsArgs(words: string[]): { options: Map<string, string[]>; positional: string[] } {
  const options = new Map<string, string[]>();
  const positional: string[] = [];
  let current: string | undefined;
  for (const w of words.slice(3)) {
    if (w.startsWith("--")) {
      const eq = w.indexOf("=");
      current = eq > 0 ? w.slice(0, eq) : w;
      if (!options.has(current)) options.set(current, []);
      if (eq > 0) {
        options.get(current)!.push(w.slice(eq + 1));
        current = undefined;
      }
    } else if (current !== undefined) options.get(current)!.push(w);
    else positional.push(w);
  }
  return { options, positional };
}

/** A value that is computed at run time or a placeholder, so it names nothing by itself. */
const dynamic = (v: string) => /[$<>]|__SUBST__|\.\.\.|^sg-x+$|^file:\/\//.test(v) || v === "";

// ---------------------------------------------------------------------------------------------
// What the app creates
// ---------------------------------------------------------------------------------------------

interface Facts {
  readonly stackIds: Set<string>;
  /** Every string leaf of every synthesized stack. */
  readonly leaves: Set<string>;
  readonly bootstrapLeaves: Set<string>;
  /** Resource bodies by type, with the stack JSON they belong to and its id. */
  readonly byType: Map<string, { body: any; json: TfJson; stack: string }[]>;
  /** `Key=Value` of every tag set on a resource or as a provider default tag. */
  readonly tags: Set<string>;
}

function collectLeaves(value: unknown, into: Set<string>): void {
  if (typeof value === "string") into.add(value);
  else if (Array.isArray(value)) value.forEach((v) => collectLeaves(v, into));
  else if (value !== null && typeof value === "object") Object.values(value).forEach((v) => collectLeaves(v, into));
}

let factsCache: Facts | undefined;
/** Built once per test file: every stack of the app (CREATE_BASTION=true, all environments) and the bootstrap stack. */
function appFacts(): Facts {
  factsCache ??= buildFacts();
  return factsCache;
}

function buildFacts(): Facts {
  const stacks = buildApp(configFrom({ CREATE_BASTION: "true" }));
  const leaves = new Set<string>();
  const byType = new Map<string, { body: any; json: TfJson; stack: string }[]>();
  const tags = new Set<string>();
  for (const [id, stack] of stacks) {
    const json = synthJson(stack);
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
  const zones = buildApp(configFrom({ DEV_DOMAIN: "dev.markmail.example.com", STAGING_DOMAIN: "staging.markmail.example.com", PROD_DOMAIN: "markmail.example.com", HOSTED_ZONE_MODE: "create" }));
  for (const [id, stack] of zones) {
    if (!id.endsWith("-dns")) continue;
    stacks.set(id, stack);
    collectLeaves(synthJson(stack), leaves);
  }
  const bootstrapLeaves = new Set<string>();
  collectLeaves(synthJson(new BootstrapStack(Testing.app(), { config: configFrom() })), bootstrapLeaves);
  return { stackIds: new Set(stacks.keys()), leaves, bootstrapLeaves, byType, tags };
}

const bodies = (f: Facts, ...types: string[]) => types.flatMap((t) => (f.byType.get(t) ?? []).map((r) => r.body));
const attr = (f: Facts, key: string, ...types: string[]) => new Set(bodies(f, ...types).map((b) => b[key]).filter((v) => typeof v === "string"));

/** Inline policy names of the IAM role named `role` (aws_iam_role_policy or inline_policy blocks). */
function inlinePolicies(f: Facts, role: string): Set<string> {
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

type Kind =
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

function known(f: Facts, kind: Kind): Set<string> {
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
      return new Set(bodies(f, "aws_codepipeline").flatMap((p) => (p.stage ?? []).flatMap((s: any) => (s.action ?? []).map((a: any) => a.name))));
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
const OPTION_KINDS: Record<string, Record<string, Kind>> = {
  "elbv2 describe-load-balancers": { "--names": "load balancer" },
  "elbv2 describe-target-groups": { "--names": "target group" },
  ecs: { "--cluster": "ecs cluster", "--service": "ecs service", "--services": "ecs service", "--service-name": "ecs service" },
  logs: { "--log-group-name": "log group", "--log-group-names": "log group" },
  iam: { "--role-name": "iam role" },
  codepipeline: { "--name": "pipeline", "--pipeline-name": "pipeline", "--stage-name": "pipeline stage", "--action-name": "pipeline action" },
  secretsmanager: { "--secret-id": "secret", "--name": "secret" },
  rds: { "--db-instance-identifier": "db instance", "--db-cluster-identifier": "db cluster", "--source-db-cluster-identifier": "db cluster" },
  cloudwatch: { "--alarm-names": "alarm", "--alarm-name-prefix": "alarm prefix", "--dashboard-name": "dashboard" },
  codebuild: { "--project-name": "codebuild project", "--project-names": "codebuild project" },
  ecr: { "--repository-name": "ecr repository" },
  backup: { "--backup-vault-name": "backup vault", "--by-backup-vault-name": "backup vault", "--restore-testing-plan-name": "restore testing plan" },
};

/** Names an AWS CLI call creates itself (restore tests, snapshots): not expected in the stacks. */
const CREATES: Record<string, string[]> = {
  "rds restore-db-cluster-to-point-in-time": ["--db-cluster-identifier"],
  "rds create-db-instance": ["--db-instance-identifier"],
  "rds create-db-cluster-snapshot": ["--db-cluster-snapshot-identifier"],
};
/** Environment variables whose value is a name the reader chooses. */
const CHOSEN = ["TF_STATE_BUCKET", "TF_LOCK_TABLE"];

function declaredNames(lines: string[]): Set<string> {
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

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
const CDKTF_COMMANDS = new Set(["init", "get", "convert", "deploy", "apply", "destroy", "diff", "plan", "list", "login", "synth", "synthesize", "watch", "output", "outputs", "debug", "provider", "completion"]);
/** cdktf options that take a value (the value is not a stack). */
const CDKTF_VALUE_OPTIONS = new Set(["--app", "-a", "--output", "-o", "--outputs-file", "--var", "--var-file", "--parallelism", "--terraform-parallelism", "--log-level"]);
const TERRAFORM_COMMANDS = new Set(["init", "plan", "apply", "validate", "version", "show", "output", "fmt", "force-unlock", "state", "providers", "login", "destroy", "import", "console", "graph"]);

let cdktfBundle: string | undefined;
/** The cdktf CLI defines each option as `.option("<name>"` in its bundle. */
function cdktfOption(flag: string): boolean {
  cdktfBundle ??= readFileSync(join(ROOT, "node_modules/cdktf-cli/bundle/bin/cdktf.js"), "utf8");
  const name = flag.replace(/^-+/, "").split("=")[0];
  if (name === "help" || name === "h" || name === "version") return true;
  return cdktfBundle.includes(`.option("${name}"`) || cdktfBundle.includes(`alias:"${name}"`);
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
}

/** The stack ids a cdktf stack argument selects (an id or a glob). */
function stacksMatching(f: Facts, pattern: string): string[] {
  const re = globToRegExp(pattern);
  return [...f.stackIds, bootstrapStackId("markmail")].filter((id) => re.test(id));
}

/** `markmail-<env>-...` names in a text: `<env>` stands for dev; placeholders (`-<layer>`) are skipped. */
const NAME = /(?<![A-Za-z0-9_.-])markmail-(dev|staging|prod)((?:-[a-z0-9]+)*)(-[*<$][^\s'"`,)\]]*)?/g;
/** Account-wide names of the bootstrap stack. */
const BOOTSTRAP_NAME = /(?<![A-Za-z0-9_.-])markmail-(?:bootstrap|terraform-[a-z0-9-]*[a-z0-9])(?![A-Za-z0-9_.])/g;
const SECRET_ID = /(?<![A-Za-z0-9_.-])markmail-(?:dev|staging|prod|<env>)-([a-z0-9-]*(?:secret|dockerhub))(?![a-z0-9-])/g;

function nameProblems(f: Facts, text: string, declared: Set<string>): string[] {
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
    while (start > 0 && !/[\s'"`(\[=]/.test(t[start - 1])) start--;
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
function commandProblems(f: Facts, cmd: string[], declared: Set<string>, cwd: { dir: string }, strict: boolean): string[] {
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
    if (!stack && !target.startsWith("cdktf.out") && !existsSync(join(ROOT, target)) && strict) problems.push(`cd ${words[1]}: no such directory`);
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
        for (const flag of flags) if (!["--destroy", "--auto-approve"].includes(flag)) problems.push(`npm run deploy -- ${env} ${flag}: unknown option`);
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

  if ((head === "terraform" || head === "tofu") && words[1] !== undefined && !words[1].startsWith("-") && !TERRAFORM_COMMANDS.has(words[1])) {
    problems.push(`${line}: ${head} ${words[1]} is not a command used here`);
  }
  if (strict && (head === "cdk" || (head === "npx" && words[1] === "cdk"))) problems.push(`${line}: AWS CDK commands do not apply to this project`);

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
function docProblems(f: Facts, doc: Doc): string[] {
  const declared = declaredNames([...doc.lines, ...doc.inline]);
  const problems: string[] = [];
  const cwd = { dir: "." };
  for (const cmd of commandsOf(doc.lines)) problems.push(...commandProblems(f, cmd, declared, cwd, true));
  for (const code of doc.inline) for (const cmd of commandsOf([code])) problems.push(...commandProblems(f, cmd, declared, { dir: "." }, false));
  problems.push(...nameProblems(f, doc.text, declared));
  return [...new Set(problems)].map((p) => `${doc.name}: ${p}`);
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

const MARKDOWN = ["README.md", ...GUIDES];

describe("the shell parser used by these tests", () => {
  test("splits pipes, && and $( ), keeps quoted words and drops comments and heredoc bodies", () => {
    const lines = shellLines(
      [
        "X=$(aws ecs list-tasks --cluster markmail-dev --query 'taskArns[0]' --output text) # note",
        "cat > f <<'EOF'",
        "aws not a command",
        "EOF",
        'aws logs tail "/ecs/a b" --follow | grep -v x && echo "$(date)"',
      ].join("\n"),
      "bash",
    );
    expect(lines).toHaveLength(3);
    expect(commandsOf(lines)).toEqual([
      ["X=__SUBST__"],
      ["aws", "ecs", "list-tasks", "--cluster", "markmail-dev", "--query", "taskArns[0]", "--output", "text"],
      ["cat", ">", "f", "<<EOF"],
      ["aws", "logs", "tail", "/ecs/a b", "--follow"],
      ["grep", "-v", "x"],
      ["echo", "__SUBST__"],
      ["date"],
    ]);
  });

  test("joins continuation lines and reads console blocks by their $ prompt", () => {
    expect(shellLines("$ npm run \\\n  synth\noutput line", "console")).toEqual(["npm run    synth"]);
  });
});

describe("operator documentation", () => {
  const facts = appFacts();
  const docs: Doc[] = [...MARKDOWN.map(markdownDoc), helpDoc()];

  test("the guides, README and help exist and hold commands", () => {
    for (const doc of docs) expect(doc.lines.length).toBeGreaterThan(doc.name === "help" ? 10 : 1);
    for (const guide of GUIDES) expect(docs.find((d) => d.name === guide)!.lines.length).toBeGreaterThan(60);
  });

  test.each([...MARKDOWN, "help"])("%s: every command, script path, npm script, stack and name exists", (name) => {
    expect(docProblems(facts, docs.find((d) => d.name === name)!)).toEqual([]);
  });

  test("every secret id in the documents is one of config/contract.ts SECRETS, and the stacks create it", () => {
    const suffixes = Object.values(SECRETS).map((s) => s.suffix as string);
    const created = known(facts, "secret");
    const bad: string[] = [];
    for (const doc of docs) {
      for (const m of doc.text.matchAll(SECRET_ID)) {
        if (!suffixes.includes(m[1])) bad.push(`${doc.name}: ${m[0]} is not a secret of the contract`);
        const id = m[0].replace("<env>", "dev");
        if (!created.has(id)) bad.push(`${doc.name}: ${id} is not created by any stack`);
      }
    }
    expect([...new Set(bad)]).toEqual([]);
  });

  test.each(GUIDES)("%s: documents every secret, every input of config/index.ts and the graph markers", (guide) => {
    const text = docs.find((d) => d.name === guide)!.text;
    for (const s of Object.values(SECRETS)) expect(text).toContain(`markmail-<env>-${s.suffix}`);
    for (const input of Object.keys(INPUTS)) expect(text).toContain(`\`${input}\``);
    expect(text).toContain(basename(bootstrapStatePath("markmail")));
  });

  let graph: string | undefined;
  test.each(GUIDES)("%s: the embedded stack graph is the one `npm run graph` generates from the app", (guide) => {
    graph ??= stackGraph();
    const text = readFileSync(join(ROOT, guide), "utf8");
    const start = text.indexOf(GRAPH_START);
    const end = text.indexOf(GRAPH_END);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    expect(text.slice(start + GRAPH_START.length, end).trim()).toBe(graph);
  });

  test.each(GUIDES)("%s: every in-page link (#anchor) points at a heading", (guide) => {
    const text = readFileSync(join(ROOT, guide), "utf8");
    // GitHub's heading ids: lower case, punctuation removed (letters, digits, _ and - kept), spaces → -.
    const slug = (h: string) => h.trim().toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "").replace(/ /g, "-");
    const anchors = new Set([...prose(text).matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1])));
    const links = [...text.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(10);
    expect(links.filter((l) => !anchors.has(l))).toEqual([]);
  });

  test("both guides have the same chapters and the same commands", () => {
    const [en, ja] = GUIDES.map((g) => readFileSync(join(ROOT, g), "utf8"));
    const chapters = (t: string) => [...t.matchAll(/^##+ (\d+(?:\.\d+)?)\.? /gm)].map((m) => m[1]);
    expect(chapters(ja)).toEqual(chapters(en));
    const blocks = (t: string) => fencedBlocks(t).filter((b) => SHELL_LANGS.has(b.lang)).map((b) => commandsOf(shellLines(b.body, b.lang)).map(strip));
    expect(blocks(ja)).toEqual(blocks(en));
  });

  test("the checks catch what they must: a missing stack, script, npm script, secret, role policy or tag", () => {
    const probe = (line: string) => docProblems(facts, { name: "probe", text: line, lines: [line], inline: [] });
    expect(probe("npx cdktf deploy markmail-dev-nope --ignore-missing-stack-dependencies")).toEqual(
      expect.arrayContaining([expect.stringMatching(/markmail-dev-nope matches no stack/)]),
    );
    expect(probe("npx cdktf deploy markmail-dev-network --no-such-flag")).toEqual([expect.stringMatching(/no option --no-such-flag/)]);
    expect(probe("npx cdktf deploy 'markmail-dev-*'")).toEqual([]);
    expect(probe("npm run deploy -- dev --destroy")).toEqual([]);
    expect(probe("npm run deploy -- qa")).toEqual([expect.stringMatching(/qa: not an environment/)]);
    expect(probe("npm run deploy -- dev --force")).toEqual([expect.stringMatching(/unknown option/)]);
    expect(probe("scripts/db/nope.sh dev")).toEqual([expect.stringMatching(/no such file/)]);
    expect(probe("npm run no-such-script")).toEqual([expect.stringMatching(/no such script/)]);
    expect(probe("npx cdk deploy MarkMail-dev-ECSServiceStack")).toEqual(expect.arrayContaining([expect.stringMatching(/AWS CDK/)]));
    expect(probe("aws secretsmanager get-secret-value --secret-id markmail-dev-nope-secret")).not.toEqual([]);
    expect(probe("aws iam get-role-policy --role-name markmail-dev-task-role --policy-name Nope")).not.toEqual([]);
    expect(probe('aws ec2 describe-instances --filters "Name=tag:Name,Values=markmail-dev-nope"')).not.toEqual([]);
    expect(probe("aws ecs update-service --cluster markmail-dev --service markmail-dev-nope --force-new-deployment")).not.toEqual([]);
    expect(probe("aws rds create-db-instance --db-instance-identifier markmail-dev-restore-x --db-cluster-identifier $C")).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// What the guides state about the stacks (settings, not only names)
// ---------------------------------------------------------------------------------------------

/** The resource a `${type.name.attr}` reference of the same stack points at. */
function deref(json: TfJson, ref: unknown): any {
  const m = /^\$\{([a-z0-9_]+)\.([^.}]+)\.[a-z_]+\}$/.exec(String(ref));
  return m ? json.resource?.[m[1]]?.[m[2]] : undefined;
}

const flat = (t: string) => t.replace(/\s+/g, " ");

describe("what the guides state about the stacks", () => {
  const facts = appFacts();
  const [en, ja] = GUIDES.map((g) => flat(readFileSync(join(ROOT, g), "utf8")));
  const dev = (type: string) => (facts.byType.get(type) ?? []).filter(({ stack }) => stack.startsWith("markmail-dev-"));

  test("the alarm table lists exactly the alarms of the monitoring stack", () => {
    const built = [...known(facts, "alarm")].filter((n) => n.startsWith("markmail-dev-")).map((n) => n.replace("markmail-dev-", "markmail-<env>-"));
    for (const text of [en, ja]) {
      const section = text.slice(text.indexOf("### 12.2"), text.indexOf("### 12.3"));
      const listed = [...section.matchAll(/`(markmail-<env>-[a-z0-9-]+)`/g)].map((m) => m[1]).filter((n) => n !== "markmail-<env>-alarms");
      expect([...new Set(listed)].sort()).toEqual(built.sort());
    }
  });

  test("routing table and health checks are the ones the ALB layer builds", () => {
    const rules = dev("aws_lb_listener_rule");
    expect(rules.length).toBeGreaterThanOrEqual(2);
    for (const { body, json } of rules) {
      const tg = deref(json, body.action[0].target_group_arn);
      const path = body.condition[0].path_pattern.values[0];
      const row = `| ${body.priority} | \`${path}\` | \`${tg.name.replace("markmail-dev-", "markmail-<env>-")}\` |`;
      expect(en).toContain(row);
      expect(ja).toContain(row);
    }
    const backend = dev("aws_lb_target_group").find(({ body }) => body.name === "markmail-dev-backend")!.body.health_check;
    expect(en).toContain(
      `path \`${backend.path}\`, every ${backend.interval} s, timeout ${backend.timeout} s, healthy after ${backend.healthy_threshold} successes, unhealthy after ${backend.unhealthy_threshold} failures`,
    );
    expect(ja).toContain(
      `パス \`${backend.path}\`、間隔 ${backend.interval} 秒、タイムアウト ${backend.timeout} 秒、${backend.healthy_threshold} 回成功で正常、${backend.unhealthy_threshold} 回失敗で異常`,
    );
  });

  test("with a domain: the TLS policy and the HTTP→HTTPS redirect the guides name", () => {
    const config = configFor("dev", { DEV_DOMAIN: "dev.markmail.example.com" });
    const json = synthJson(new AlbStack(testApp(), { config, env: onlyEnv(config) }));
    const listeners = Object.values(json.resource?.aws_lb_listener ?? {}) as any[];
    const https = listeners.find((l) => l.protocol === "HTTPS");
    const http = listeners.find((l) => l.protocol === "HTTP");
    expect(https?.ssl_policy).toMatch(/^ELBSecurityPolicy-TLS13-/);
    expect(http.default_action[0].redirect.status_code).toBe("HTTP_301");
    for (const text of [en, ja]) {
      expect(text).toContain(`\`${https.ssl_policy}\``);
      expect(text).toMatch(/\(301\)|（301）/);
    }
  });

  test("WAF in prod only, named as the guides say", () => {
    const acls = bodies(facts, "aws_wafv2_web_acl").map((b) => b.name);
    expect(acls).toEqual(["markmail-prod-waf"]);
    expect(attr(facts, "name", "aws_cloudwatch_log_group")).toContain("aws-waf-logs-markmail-prod");
  });

  test("operator secrets: Terraform ignores later values, and the defaults quoted are the ones written", () => {
    const versions = dev("aws_secretsmanager_secret_version");
    const byName = new Map(versions.map(({ body, json }) => [deref(json, body.secret_id).name as string, body]));
    for (const name of ["salesforce", "ai", "stripe", "dockerhub"] as const) {
      const v = byName.get(`markmail-dev-${SECRETS[name].suffix}`)!;
      expect(v.lifecycle.ignore_changes).toContain("secret_string");
      const initial = JSON.parse(v.secret_string) as Record<string, string>;
      expect(Object.keys(initial).sort()).toEqual([...SECRETS[name].keys].sort());
      for (const [key, value] of Object.entries(initial)) {
        if (value === "REPLACE_ME" || key === "redirect_url") continue;
        for (const text of [en, ja]) {
          expect(text).toContain(`\`${key}\``);
          expect(text).toContain(value === "false" ? `\`"false"\`` : `\`${value}\``);
        }
      }
    }
    for (const name of ["db", "jwt"] as const) {
      const v = byName.get(`markmail-dev-${SECRETS[name].suffix}`)!;
      expect(v.secret_string).toBeUndefined();
      expect(v.secret_string_wo).toBeDefined();
    }
  });

  test("per-environment figures in the tables are the configured defaults", () => {
    const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
    const envs = ENVIRONMENTS.map((e) => DEFAULTS[e]);
    for (const svc of ["backend", "frontend"] as const) {
      const enCells = envs.map((d) => `${d.services[svc].minCount}–${d.services[svc].maxCount}`);
      const jaCells = envs.map((d) => `${d.services[svc].minCount}〜${d.services[svc].maxCount}`);
      expect(en).toContain(row([`${svc} tasks (min–max)`, ...enCells]));
      expect(ja).toContain(row([`${svc} のタスク数（最小〜最大）`, ...jaCells]));
    }
    expect(en).toContain(row(["backups", ...envs.map((d) => `${d.database.backupRetentionDays} days`)]));
    expect(ja).toContain(row(["バックアップ", ...envs.map((d) => `${d.database.backupRetentionDays} 日`)]));
    expect(en).toContain(row(["log retention", ...envs.map((d) => `${d.logRetentionDays} days`)]));
    expect(en).toContain(row(["db secret rotation", ...envs.map((d) => `every ${d.database.rotation.days} days`)]));
    expect(ja).toContain(row(["DB シークレットのローテーション", ...envs.map((d) => `${d.database.rotation.days} 日ごと`)]));
    const backupCells = (d: ReturnType<typeof buildEnvironment>, days: string, copy: (r: string) => string, lock: string, sep: string) =>
      [days, ...(d.backup.copy ? [copy(d.backup.copy.region)] : []), ...(d.backup.vaultLock !== "none" ? [lock] : [])].join(sep);
    const full = ENVIRONMENTS.map((e) => buildEnvironment(e, "ap-northeast-1"));
    expect(en).toContain(row(["AWS Backup (daily, 05:00 JST)", ...full.map((d) => backupCells(d, `${d.backup.retentionDays} days`, (r) => `copied to ${r}`, "vault lock", ", "))]));
    expect(ja).toContain(row(["AWS Backup（毎日 5:00 JST）", ...full.map((d) => backupCells(d, `${d.backup.retentionDays} 日`, (r) => `${r} へコピー`, "ボールトロック", "、"))]));
    expect(en).toContain(row(["restore test (Monday 10:00 JST)", ...envs.map((d) => (d.backup.restoreTest ? "weekly" : "manual"))]));
    expect(ja).toContain(row(["リストアテスト（月曜 10:00 JST）", ...envs.map((d) => (d.backup.restoreTest ? "毎週" : "手動"))]));
    expect(ja).toContain(row(["ログ保持", ...envs.map((d) => `${d.logRetentionDays} 日`)]));
    for (const d of envs) for (const text of [en, ja]) expect(text).toContain(d.network.cidr);
    expect(attr(facts, "cidr_block", "aws_vpc")).toEqual(new Set(envs.map((d) => d.network.cidr)));
  });

  test("ECS: Terraform owns the task definition (image tag from /markmail/<env>/<service>/image-tag), autoscaling the count; image tags are immutable", () => {
    const services = dev("aws_ecs_service");
    expect(services.map(({ body }) => body.name).sort()).toEqual(["markmail-dev-backend", "markmail-dev-frontend"]);
    for (const { body } of services) expect(body.lifecycle?.ignore_changes).toEqual(["desired_count"]);
    const params = dev("aws_ssm_parameter").map(({ body }) => [body.name, body.value, body.lifecycle?.ignore_changes]);
    expect(params.sort()).toEqual([
      ["/markmail/dev/backend/image-tag", "bootstrap", ["value"]],
      ["/markmail/dev/frontend/image-tag", "bootstrap", ["value"]],
    ]);
    for (const repo of bodies(facts, "aws_ecr_repository")) expect(repo.image_tag_mutability).toBe("IMMUTABLE");
    const logs = dev("aws_cloudwatch_log_group").find(({ body }) => body.name === "/ecs/markmail-dev-backend")!.body;
    expect(logs.retention_in_days).toBe(DEFAULTS.dev.logRetentionDays);
  });

  test("the prod pipeline waits for the approval the guides describe; dev does not", () => {
    const stages = (name: string) => bodies(facts, "aws_codepipeline").find((p) => p.name === name)!.stage.map((st: any) => st.name);
    expect(stages("markmail-prod-pipeline")).toEqual(["Source", "Build", "Approval", "Deploy"]);
    expect(stages("markmail-dev-pipeline")).toEqual(["Source", "Build", "Deploy"]);
  });
});

// ---------------------------------------------------------------------------------------------
// The seed guide's AWS CLI calls
// ---------------------------------------------------------------------------------------------

/** Seed calls the project does not run as written, and what the guides use instead. */
const SEED_REPLACED: Record<string, { instead: string; why: string }> = {
  "secretsmanager create-secret": { instead: "secretsmanager put-secret-value", why: "the stacks create every secret; only values are set" },
};

/**
 * The seed guide's shell lines, kept in the repository (`__tests__/fixtures/seed-guide.json`) so the
 * checks below run for every developer; where the guide itself is beside the clone (CI, sessions
 * with shared/), a test proves the fixture is still exactly what the guide says.
 * Regenerate after the guide changes: UPDATE_SEED_FIXTURE=1 npx jest __tests__/docs.test.ts
 */
const SEED_FIXTURE = join(__dirname, "fixtures", "seed-guide.json");
type SeedFixture = { source: string; docs: { name: string; lines: string[] }[] };

function seedFromGuide(): SeedFixture {
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

function seedDocs(): Doc[] {
  const fixture: SeedFixture = JSON.parse(readFileSync(SEED_FIXTURE, "utf8"));
  return fixture.docs.map((d) => ({ name: d.name, text: d.lines.join("\n"), lines: d.lines, inline: [] }));
}

const awsCalls = (lines: string[]) =>
  commandsOf(lines)
    .map(strip)
    .filter((w) => w[0] === "aws" && w.length >= 3)
    .map((w) => ({ name: `${w[1]} ${w[2]}`, words: w }));

const seedPresent = existsSync(SEED_DIR);
if (seedPresent && process.env.UPDATE_SEED_FIXTURE === "1") writeFileSync(SEED_FIXTURE, JSON.stringify(seedFromGuide(), null, 2) + "\n");

/** A check that needs something only some machines have: skipped on a developer's machine, a failure in CI. */
function needs(what: string, present: boolean): typeof test {
  if (present) return test;
  if (process.env.CI) {
    return ((name: string) => test(name, () => { throw new Error(`${what} is missing in CI`); })) as unknown as typeof test;
  }
  return test.skip;
}

needs("the seed guide (../shared/seed beside the clone)", seedPresent)("the committed seed fixture is exactly the seed guide's shell lines", () => {
  expect(JSON.parse(readFileSync(SEED_FIXTURE, "utf8"))).toEqual(seedFromGuide());
});

describe("the seed guide's AWS CLI calls (from __tests__/fixtures/seed-guide.json)", () => {
  const facts = appFacts();
  const seeds = seedDocs();
  const guides = GUIDES.map(markdownDoc);

  test("the seed guide is there and has AWS CLI calls", () => {
    expect(seeds.length).toBeGreaterThan(0);
    expect(seeds.flatMap((s) => awsCalls(s.lines)).length).toBeGreaterThan(10);
  });

  test("every name the seed's supported calls use resolves to what the stacks create", () => {
    const problems: string[] = [];
    for (const seed of seeds) {
      const cwd = { dir: "." };
      for (const cmd of commandsOf(seed.lines)) {
        const words = strip(cmd);
        const call = words[0] === "aws" ? `${words[1]} ${words[2]}` : undefined;
        // The seed's `cd scripts/... && ./update_aws_secrets.sh` must work; `cd infrastructure` is the old layout.
        if (words[0] === "cd" && words[1] === "infrastructure") continue;
        if (words[0] === "aws" && call && SEED_REPLACED[call] === undefined) problems.push(...commandProblems(facts, cmd, new Set(), cwd, false));
        if (words[0] === "cd" || (words[0] ?? "").startsWith("./")) problems.push(...commandProblems(facts, cmd, new Set(), cwd, false));
      }
      problems.push(...nameProblems(facts, seed.lines.join("\n"), new Set()));
    }
    expect(problems).toEqual([]);
  });

  test.each(GUIDES)("%s: runs every AWS CLI command of the seed (or its stated replacement)", (guide) => {
    const ours = new Set(awsCalls(guides.find((g) => g.name === guide)!.lines).map((c) => c.name));
    const missing = [...new Set(seeds.flatMap((s) => awsCalls(s.lines).map((c) => c.name)))]
      .map((call) => SEED_REPLACED[call]?.instead ?? call)
      .filter((call) => !ours.has(call));
    expect(missing).toEqual([]);
  });

  test("no guide runs an AWS CDK command; the seed's CDK steps map to cdktf ones", () => {
    for (const g of guides) {
      const cdk = commandsOf(g.lines).map(strip).filter((w) => w[0] === "cdk" || (w[0] === "npx" && w[1] === "cdk"));
      expect(cdk).toEqual([]);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Every `aws <service> <command>` exists in the AWS CLI (botocore service models), when available
// ---------------------------------------------------------------------------------------------

/** AWS CLI commands that are customizations, not API operations. */
const CLI_CUSTOMIZATIONS = new Set(["logs tail", "ecr get-login-password", "s3 cp", "s3 ls", "s3 mv", "s3 rm", "s3 sync"]);

function findBotocorePython(): string | undefined {
  const venv = process.env.MARKMAIL_OPS_VENV ?? join(process.env.XDG_CACHE_HOME ?? join(process.env.HOME ?? "/", ".cache"), "markmail-ci/ops-venv");
  for (const py of [join(venv, "bin/python"), "python3"]) {
    const r = spawnSync(py, ["-c", "import botocore"], { encoding: "utf8" });
    if (r.status === 0) return py;
  }
  return undefined;
}

const botocorePython = findBotocorePython();
needs("python3 with botocore (scripts/tests/run.sh creates it)", botocorePython !== undefined)("every aws <service> <command> of the guides and the seed exists in the AWS CLI (botocore models)", () => {
  const docs = [...MARKDOWN.map(markdownDoc), ...(existsSync(SEED_DIR) ? seedDocs() : [])];
  const calls = new Set<string>();
  for (const d of docs) {
    for (const c of awsCalls([...d.lines, ...d.inline])) {
      if (CLI_CUSTOMIZATIONS.has(c.name)) continue;
      calls.add(c.words[2] === "wait" ? `${c.words[1]} wait ${c.words[3]}` : c.name);
    }
  }
  const script = `
import json, sys, botocore.session
from botocore import xform_name
s = botocore.session.get_session()
bad = []
for call in json.loads(sys.argv[1]):
    parts = call.split(" ")
    try:
        model = s.get_service_model(parts[0])
    except Exception:
        bad.append(call + ": unknown service"); continue
    if parts[1] == "wait":
        try:
            names = {xform_name(w, "-") for w in s.get_waiter_model(parts[0]).waiter_names}
        except Exception:
            names = set()
        if parts[2] not in names: bad.append(call + ": unknown waiter")
    elif parts[1] not in {xform_name(o, "-") for o in model.operation_names}:
        bad.append(call + ": unknown command")
print(json.dumps(bad))
`;
  const r = spawnSync(botocorePython!, ["-c", script, JSON.stringify([...calls].sort())], { encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(calls.size).toBeGreaterThan(20);
  expect(JSON.parse(r.stdout)).toEqual([]);
});

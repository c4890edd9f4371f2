#!/usr/bin/env node
// The evasion suite of the policy gate (issue 13), regenerated with one command:
//
//   node scripts/policy/evasion.js            raw fixtures only (synth, edits, patches, tests)
//   node scripts/policy/evasion.js --plan     also real plans: terraform plan of every base stack
//                                             and of every edited stack against a local moto server
//   options: --only REGEX (case ids), --jobs N (parallel plans, 1 or 2), --keep (keep the work dir)
//
// Inputs: policies/tests/evasion/cases.json — each case a minimal, deliberately bad edit of a real
// synthesized stack, written as shape-neutral operations that find resources by type and
// attributes (never by cdktf's hashed names), so the suite survives address changes.
// Outputs (committed; opa test loads them as data.tests.evasion, HCP's bundle loader ignores them
// because none is named data.json):
//   policies/tests/evasion/base-<variant>-<stack>.json  {"bases": {"<variant>/<stack>": {"raw", "plan"}}}
//   policies/tests/evasion/patches.json                 {"patches": {"<case id>": {"raw": [...], "plan": [...]}}}
//   policies/tests/evasion_cases_test.rego              one opa test per case and shape
// The raw fixture is the synthesized cdk.tf.json with the edit applied; the plan fixture is the
// trimmed `terraform show -json` of the edited stack, planned for real (scripts/engine provider,
// moto on 127.0.0.1, fake credentials, upstream outputs faked by scripts/engine/offline-plan.js).
// Both are stored as JSON patches against the base so the suite stays small. Without --plan the
// plan side of the committed files is kept (a case whose edit changed loses its plan fixture and
// the script says so).

const { spawn, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const root = path.resolve(__dirname, "../..");
const dir = path.join(root, "policies/tests/evasion");
const testsFile = path.join(root, "policies/tests/evasion_cases_test.rego");
const offline = require(path.join(root, "scripts/engine/offline-plan.js"));

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const withPlan = flag("--plan");
const only = opt("--only") ? new RegExp(opt("--only")) : null;
const jobs = Number(opt("--jobs", "2"));
const log = (...m) => process.stderr.write(`[evasion] ${m.join(" ")}\n`);

// ---- variants: the synthesized apps the cases edit ------------------------------------------

const DOMAINS = {
  DEV_DOMAIN: "dev.markmail.example.com",
  STAGING_DOMAIN: "staging.markmail.example.com",
  PROD_DOMAIN: "markmail.example.com",
};
const VARIANTS = {
  bastion: { CREATE_BASTION: "true" },
  domains: { CREATE_BASTION: "true", ...DOMAINS, NOTIFICATION_EMAIL: "ops@markmail.example.com" },
};

function synth(work, variant) {
  const out = path.join(work, "synth", variant);
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, CDKTF_OUTDIR: out, ...VARIANTS[variant] };
  const r = spawnSync(process.execPath, ["-r", "./scripts/swc-register.js", "scripts/synth.js"], { cwd: root, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`synth of ${variant} failed:\n${r.stdout}\n${r.stderr}`);
  return path.join(out, "stacks");
}

// ---- the edit language -------------------------------------------------------------------------

const clone = (x) => JSON.parse(JSON.stringify(x));
const isObj = (x) => x !== null && typeof x === "object" && !Array.isArray(x);

/** Values at a dotted path; `*` and numeric segments step into arrays; a single block object counts as [object]. */
function valuesAt(v, segs) {
  if (segs.length === 0) return [v];
  const [s, ...rest] = segs;
  if (Array.isArray(v)) {
    if (s === "*") return v.flatMap((x) => valuesAt(x, rest));
    if (/^\d+$/.test(s)) return v.length > Number(s) ? valuesAt(v[Number(s)], rest) : [];
    return v.flatMap((x) => valuesAt(x, segs));
  }
  if (!isObj(v)) return [];
  if ((s === "*" || s === "0") && !(s in v)) return valuesAt(v, rest);
  if (s === "*") return Object.values(v).flatMap((x) => valuesAt(x, rest));
  return s in v ? valuesAt(v[s], rest) : [];
}

function matches(body, where) {
  return Object.entries(where || {}).every(([p, want]) => {
    const got = valuesAt(body, p.split("."));
    if (typeof want === "string" && want.startsWith("~"))
      return got.some((g) => typeof g === "string" && new RegExp(want.slice(1)).test(g));
    return got.some((g) => JSON.stringify(g) === JSON.stringify(want));
  });
}

/** [type, name] of the resources (or data sources) a selector finds; exactly `count` (default 1) must match. */
function select(doc, sel) {
  const block = sel.mode === "data" ? doc.data || {} : doc.resource || {};
  const found = Object.entries(block[sel.type] || {}).flatMap(([name, body]) =>
    name !== "//" && (sel.name === undefined || sel.name === name) && matches(body, sel.where) ? [[sel.type, name]] : [],
  );
  const want = sel.count === "all" ? null : (sel.count ?? 1);
  if (want !== null && found.length !== want) throw new Error(`selector ${JSON.stringify(sel)} found ${found.length}, expected ${want}`);
  if (found.length === 0) throw new Error(`selector ${JSON.stringify(sel)} found nothing`);
  return found;
}

const parseConds = (conds) =>
  Object.fromEntries(
    (conds || "")
      .split(",")
      .filter(Boolean)
      .map((c) => {
        const [k, ...v] = c.split("=");
        const raw = v.join("=");
        return [k, /^-?\d+$/.test(raw) ? Number(raw) : raw === "true" ? true : raw === "false" ? false : raw];
      }),
  );

/**
 * Replaces "@{type[attr=value,...]}" / "@{data.type[...]}" in strings by the address the selector
 * finds; a whole string "@=type[attr=value].path" becomes a copy of the value at that path.
 */
function resolveRefs(doc, value) {
  if (typeof value === "string" && value.startsWith("@=")) {
    const m = /^@=(data\.)?([a-z0-9_]+)(?:\[([^\]]*)\])?(?:\.(.+))?$/.exec(value);
    if (!m) throw new Error(`bad copy ${value}`);
    const [[t, n]] = select(doc, { type: m[2], mode: m[1] ? "data" : "managed", where: parseConds(m[3]) });
    const body = (m[1] ? doc.data : doc.resource)[t][n];
    const got = m[4] ? valuesAt(body, m[4].split(".")) : [body];
    if (got.length === 0) throw new Error(`copy ${value}: nothing at the path`);
    return clone(got[0]);
  }
  if (typeof value === "string") {
    return value.replace(/@\{(data\.)?([a-z0-9_]+)(?:\[([^\]]*)\])?\}/g, (_m, data, type, conds) => {
      const where = parseConds(conds);
      const [[t, n]] = select(doc, { type, mode: data ? "data" : "managed", where });
      return `${data ? "data." : ""}${t}.${n}`;
    });
  }
  if (Array.isArray(value)) return value.map((v) => resolveRefs(doc, v));
  if (isObj(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(doc, v)]));
  return value;
}

/** Walks to the parent of the last segment, creating objects on the way; numeric segments index arrays (or the single block object). */
function parentOf(body, segs, create) {
  let cur = body;
  for (const s of segs.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(s)];
    else if (isObj(cur) && /^\d+$/.test(s) && !(s in cur))
      continue; // a single block written as an object
    else {
      if (!(s in cur)) {
        if (!create) throw new Error(`path segment ${s} missing`);
        cur[s] = {};
      }
      cur = cur[s];
    }
    if (cur === undefined || cur === null) throw new Error(`path ${segs.join(".")} does not exist`);
  }
  return cur;
}

function setPath(body, p, value) {
  const segs = p.split(".");
  const parent = parentOf(body, segs, true);
  const last = segs[segs.length - 1];
  if (Array.isArray(parent)) {
    if (last === "-") parent.push(value);
    else parent[Number(last)] = value;
  } else parent[last] = value;
}

function removePath(body, p) {
  const segs = p.split(".");
  const parent = parentOf(body, segs, false);
  const last = segs[segs.length - 1];
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else {
    if (!(last in parent)) throw new Error(`remove: ${p} is not set`);
    delete parent[last];
  }
}

/** Applies the JSON string at `field` of body through fn(parsed) → new value. */
function editJsonString(body, field, fn) {
  const parsed = JSON.parse(body[field]);
  body[field] = JSON.stringify(fn(parsed));
}

function applyEdit(doc, e) {
  const value = "value" in e ? resolveRefs(doc, e.value) : undefined;
  const bodies = () => select(doc, e.select).map(([t, n]) => (e.select.mode === "data" ? doc.data : doc.resource)[t][n]);
  switch (e.op) {
    case "set":
      for (const b of bodies()) setPath(b, e.path, clone(value));
      return;
    case "remove":
      for (const b of bodies()) removePath(b, e.path);
      return;
    case "set_root":
      return setPath(doc, e.path, clone(value));
    case "remove_root":
      return removePath(doc, e.path);
    case "add": {
      if (e.mode === "data") doc.data = doc.data || {};
      else doc.resource = doc.resource || {};
      const block = e.mode === "data" ? doc.data : doc.resource;
      block[e.type] = block[e.type] || {};
      if (e.name in block[e.type]) throw new Error(`add: ${e.type}.${e.name} exists`);
      block[e.type][e.name] = clone(value);
      return;
    }
    case "delete": {
      const block = e.select.mode === "data" ? doc.data : doc.resource;
      for (const [t, n] of select(doc, e.select)) {
        delete block[t][n];
        // Terraform refuses an empty resource type block
        if (Object.keys(block[t]).filter((k) => k !== "//").length === 0) delete block[t];
      }
      return;
    }
    case "json_set":
    case "json_remove":
      for (const b of bodies()) {
        editJsonString(b, e.field, (parsed) => {
          const holder = { v: parsed };
          if (e.op === "json_set") setPath(holder, `v.${e.path}`, clone(value));
          else removePath(holder, `v.${e.path}`);
          return holder.v;
        });
      }
      return;
    default:
      throw new Error(`unknown op ${e.op}`);
  }
}

// ---- JSON patch between a base and an edited document -----------------------------------------

const ptr = (segs) => `/${segs.map((s) => String(s).replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;
const eq = (a, b) => JSON.stringify(a) === JSON.stringify(b);

function diff(a, b, segs = [], ops = []) {
  if (eq(a, b)) return ops;
  if (isObj(a) && isObj(b)) {
    for (const k of Object.keys(a)) if (!(k in b)) ops.push({ op: "remove", path: ptr([...segs, k]) });
    for (const k of Object.keys(b)) {
      if (!(k in a)) ops.push({ op: "add", path: ptr([...segs, k]), value: b[k] });
      else diff(a[k], b[k], [...segs, k], ops);
    }
    return ops;
  }
  const keyed = (x) => Array.isArray(x) && x.length > 0 && x.every((e) => isObj(e) && typeof e.address === "string");
  if (Array.isArray(a) && Array.isArray(b) && (keyed(a) || keyed(b)) && (a.length === 0 || keyed(a)) && (b.length === 0 || keyed(b))) {
    const inB = new Map(b.map((e) => [e.address, e]));
    const kept = [];
    for (let i = a.length - 1; i >= 0; i--) if (!inB.has(a[i].address)) ops.push({ op: "remove", path: ptr([...segs, i]) });
    for (const e of a) if (inB.has(e.address)) kept.push(e);
    kept.forEach((e, i) => {
      diff(e, inB.get(e.address), [...segs, i], ops);
    });
    const inA = new Set(a.map((e) => e.address));
    for (const e of b) if (!inA.has(e.address)) ops.push({ op: "add", path: ptr([...segs, "-"]), value: e });
    return ops;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((_, i) => {
      diff(a[i], b[i], [...segs, i], ops);
    });
    return ops;
  }
  ops.push({ op: "replace", path: ptr(segs), value: b });
  return ops;
}

// ---- plans -------------------------------------------------------------------------------------

/** The keys of `terraform show -json` the policy set reads (policies/lib/resources.rego), deterministic. */
function trimPlan(plan, raw) {
  const remoteConfig = (name) => {
    const r = raw.data?.terraform_remote_state?.[name] || {};
    return { backend: r.backend || "s3", config: r.config || {} };
  };
  const rc = (plan.resource_changes || []).map((c) => {
    const change = { actions: c.change.actions, after: c.change.after, after_unknown: c.change.after_unknown || {} };
    if (c.change.actions.includes("delete")) change.before = c.change.before;
    return {
      address: c.address,
      mode: c.mode,
      type: c.type,
      name: c.name,
      ...(c.module_address ? { module_address: c.module_address } : {}),
      provider_name: c.provider_name,
      change,
    };
  });
  const cfgRes = (plan.configuration?.root_module?.resources || []).map((c) => {
    const out = { address: c.address, mode: c.mode, type: c.type, name: c.name, expressions: c.expressions || {} };
    if (c.type === "terraform_remote_state") {
      const orig = remoteConfig(c.name);
      out.expressions = { ...out.expressions, backend: { constant_value: orig.backend }, config: { constant_value: orig.config } };
    }
    return out;
  });
  const awsCfg = plan.configuration?.provider_config?.aws || {};
  const ex = awsCfg.expressions || {};
  const provider = {
    aws: {
      name: "aws",
      full_name: awsCfg.full_name,
      expressions: { ...(ex.region ? { region: ex.region } : {}), ...(ex.default_tags ? { default_tags: ex.default_tags } : {}) },
    },
  };
  const prior = (plan.prior_state?.values?.root_module?.resources || [])
    .filter((r) => r.mode === "data")
    .map((r) => {
      const values = r.type === "terraform_remote_state" ? { ...r.values, ...remoteConfig(r.name) } : r.values;
      return { address: r.address, mode: r.mode, type: r.type, name: r.name, values };
    });
  return {
    format_version: plan.format_version,
    terraform_version: plan.terraform_version,
    resource_changes: rc,
    configuration: { provider_config: provider, root_module: { resources: cfgRes } },
    prior_state: { values: { root_module: { resources: prior } } },
  };
}

function tfEnv() {
  const cache = process.env.MARKMAIL_ENGINE_CACHE || path.join(os.homedir(), ".cache/markmail-engine");
  const envFile = path.join(cache, "env.sh");
  if (!fs.existsSync(envFile)) throw new Error(`--plan needs the engine (${envFile}): scripts/engine/build.sh`);
  const text = fs.readFileSync(envFile, "utf8");
  const get = (k) => (new RegExp(`^export ${k}="([^"]*)"`, "m").exec(text) || [])[1];
  return {
    tf: get("MARKMAIL_TF"),
    env: {
      TF_CLI_CONFIG_FILE: get("TF_CLI_CONFIG_FILE"),
      CHECKPOINT_DISABLE: "1",
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      AWS_EC2_METADATA_DISABLED: "true",
    },
  };
}

async function startMoto(work) {
  const venv =
    process.env.MARKMAIL_OPS_VENV || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "markmail-ci/ops-venv");
  const moto = path.join(venv, "bin/moto_server");
  if (!fs.existsSync(moto))
    throw new Error(`--plan needs moto at ${moto} (bash scripts/tests/run.sh creates the venv; MARKMAIL_OPS_VENV selects another)`);
  const port = 40000 + Math.floor(Math.random() * 20000);
  const endpoint = `http://127.0.0.1:${port}`;
  const motoLog = fs.openSync(path.join(work, "moto.log"), "w");
  const proc = spawn("timeout", ["3600", moto, "-H", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", motoLog, motoLog] });
  for (let i = 0; i < 100; i++) {
    if (spawnSync("curl", ["-fsS", "-o", "/dev/null", `${endpoint}/moto-api/`]).status === 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const aws = (...a) =>
    spawnSync(path.join(venv, "bin/aws"), ["--endpoint-url", endpoint, "--region", "ap-northeast-1", ...a], {
      env: { ...process.env, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing" },
      encoding: "utf8",
    });
  for (const zone of Object.values(DOMAINS)) aws("route53", "create-hosted-zone", "--name", zone, "--caller-reference", `evasion-${zone}`);
  const param = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
  if (aws("ssm", "get-parameter", "--name", param).status !== 0)
    aws("ssm", "put-parameter", "--name", param, "--type", "String", "--value", "ami-0123456789abcdef0");
  // the image tags the ECS layer reads at plan time (the ecs-cluster layer creates them, the pipeline writes them)
  for (const env of ["dev", "staging", "prod"]) {
    for (const svc of ["backend", "frontend"]) {
      const name = `/markmail/${env}/${svc}/image-tag`;
      if (aws("ssm", "get-parameter", "--name", name).status !== 0)
        aws("ssm", "put-parameter", "--name", name, "--type", "String", "--value", "0123456789ab");
    }
  }
  // the upstream state objects whose existence each terraform_remote_state precondition checks (as verify.sh)
  aws(
    "s3api",
    "create-bucket",
    "--bucket",
    "markmail-terraform-state",
    "--create-bucket-configuration",
    "LocationConstraint=ap-northeast-1",
  );
  for (const env of ["dev", "staging", "prod"]) {
    for (const layer of ["network", "database", "secrets", "dns", "alb", "ecs-cluster", "ecs", "monitoring", "pipeline", "bastion"]) {
      aws("s3api", "put-object", "--bucket", "markmail-terraform-state", "--key", `markmail/${env}/${layer}.tfstate`);
    }
  }
  return { proc, endpoint };
}

/** spawn as a promise: {status, stdout, stderr} (plans run in parallel, so not spawnSync). */
function run(cmd, argv, opts) {
  return new Promise((resolve) => {
    const p = spawn(cmd, argv, { ...opts, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (b) => (stdout += b));
    p.stderr.on("data", (b) => (stderr += b));
    const timer = setTimeout(() => p.kill(), 600000);
    p.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** A state file holding resources the configuration may not have (a plan then deletes them). */
function stateFile(resources) {
  return {
    version: 4,
    terraform_version: "1.11.4",
    serial: 1,
    lineage: "00000000-0000-4000-a000-000000000013",
    outputs: {},
    check_results: null,
    resources: resources.map((r) => ({
      mode: "managed",
      type: r.type,
      name: r.name,
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [{ schema_version: 0, attributes: r.attributes, sensitive_attributes: [] }],
    })),
  };
}

async function planOne(tf, work, stacksDir, stack, doc, label, endpoint, state) {
  const d = path.join(work, "plan", label);
  fs.mkdirSync(d, { recursive: true });
  if (state?.length) fs.writeFileSync(path.join(d, "terraform.tfstate"), JSON.stringify(stateFile(state), null, 2));
  fs.writeFileSync(path.join(d, "cdk.tf.json"), JSON.stringify(doc, null, 2));
  // The stack's assets (the Lambda zips of the database and monitoring layers), as verify.sh copies them.
  const assets = path.join(stacksDir, stack, "assets");
  if (fs.existsSync(assets)) fs.cpSync(assets, path.join(d, "assets"), { recursive: true });
  // offline overrides need the (unedited) producer stacks for fake upstream outputs
  fs.writeFileSync(
    path.join(d, "offline_override.tf.json"),
    JSON.stringify(
      offline.overrides(stacksDir, stack, endpoint, path.join(work, "states", path.basename(path.dirname(stacksDir)))),
      null,
      2,
    ),
  );
  const env = { ...process.env, ...tf.env };
  for (const k of [
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_ENDPOINT_URL",
    "TF_WORKSPACE",
  ])
    delete env[k];
  const tfRun = (...a) => run(tf.tf, [`-chdir=${d}`, ...a], { env });
  let r = await tfRun("init", "-input=false", "-no-color");
  if (r.status !== 0) return { error: `init: ${(r.stdout + r.stderr).trim().split("\n").slice(-3).join(" ")}` };
  r = await tfRun("plan", "-input=false", "-lock=false", "-refresh=false", "-no-color", "-out=tfplan");
  if (r.status !== 0) {
    const msg = (r.stdout + r.stderr)
      .split("\n")
      .filter((l) => /Error/.test(l))
      .slice(0, 3)
      .join(" ")
      .replace(/\s+/g, " ")
      .trim();
    return { error: `terraform plan refuses the edit: ${msg || "(see log)"}` };
  }
  r = await tfRun("show", "-json", "tfplan");
  if (r.status !== 0) return { error: `show: ${r.stderr.trim()}` };
  return { plan: trimPlan(JSON.parse(r.stdout), doc) };
}

async function pool(items, n, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, n) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

// ---- rego tests --------------------------------------------------------------------------------

function ruleFiles() {
  const rules = {};
  for (const f of fs.readdirSync(path.join(root, "policies/rules"))) {
    const s = fs.readFileSync(path.join(root, "policies/rules", f), "utf8");
    const id = (/^# {3}id: (MM-\d{3})$/m.exec(s) || [])[1];
    const level = (/^# {3}enforcement_level: (\w+)$/m.exec(s) || [])[1];
    rules[id] = { pkg: f.replace(/\.rego$/, ""), level };
  }
  return rules;
}

function regoTests(cases, patches, rules) {
  const lines = [
    "# Generated by scripts/policy/evasion.js from policies/tests/evasion/cases.json: do not edit.",
    "# One test per evasion case and shape; the helpers are in evasion_test.rego.",
    "package markmail.tests.evasion",
    "",
    "import rego.v1",
    "",
    "# rule id → rule package (from the METADATA of policies/rules/*.rego)",
    `rule_packages := ${JSON.stringify(
      Object.fromEntries(
        Object.entries(rules)
          .sort()
          .map(([id, r]) => [id, r.pkg]),
      ),
    )}`,
    "",
  ];
  for (const c of cases) {
    const r = rules[c.rule];
    if (!r) throw new Error(`case ${c.id}: unknown rule ${c.rule}`);
    const slug = c.id.replace(/[^a-z0-9]+/g, "_");
    lines.push(`# ${c.id} (${c.class}): ${c.why}`);
    if (c.raw === false) lines.push(`# raw shape: not applicable (${c.raw_reason || "the evasion exists only in a plan"})`, "");
    else lines.push(`test_${r.pkg}_raw_fail_evasion_${slug} if caught("${c.id}", "raw")`, "");
    if (patches[c.id] && patches[c.id].plan) {
      lines.push(`test_${r.pkg}_plan_fail_evasion_${slug} if caught("${c.id}", "plan")`, "");
      lines.push(`test_${r.pkg}_hcp_fail_evasion_${slug} if caught("${c.id}", "hcp")`, "");
    } else if (patches[c.id] && patches[c.id].plan_refused) {
      lines.push(`# plan shape: not an evasion there, ${patches[c.id].plan_refused.replace(/\s+/g, " ").slice(0, 300)}`, "");
    } else if (c.plan === false) {
      lines.push(`# plan shape: not applicable (${c.plan_reason})`, "");
    } else {
      lines.push("# plan shape: no plan fixture yet (node scripts/policy/evasion.js --plan)", "");
    }
  }
  return `${lines.join("\n")}\n`;
}

// ---- main ----------------------------------------------------------------------------------------

async function main() {
  const spec = JSON.parse(fs.readFileSync(path.join(dir, "cases.json"), "utf8"));
  const allCases = spec.cases;
  const ids = new Set();
  for (const c of allCases) {
    if (ids.has(c.id)) throw new Error(`duplicate case id ${c.id}`);
    ids.add(c.id);
  }
  const cases = allCases.filter((c) => !only || only.test(c.id));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "markmail-evasion."));
  try {
    await generate(allCases, cases, work);
  } finally {
    if (!flag("--keep")) fs.rmSync(work, { recursive: true, force: true });
    else log(`kept ${work}`);
  }
}

async function generate(allCases, cases, work) {
  const stacksDirs = {};
  for (const v of new Set(allCases.map((c) => c.base.split("/")[0]))) stacksDirs[v] = synth(work, v);

  const patchesFile = path.join(dir, "patches.json");
  const previous = fs.existsSync(patchesFile) ? JSON.parse(fs.readFileSync(patchesFile, "utf8")).patches : {};
  const readBase = (base) => {
    const f = path.join(dir, `base-${base.replace("/", "-")}.json`);
    return fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, "utf8")).bases[base] : {};
  };

  // raw
  const bases = {};
  for (const base of new Set(allCases.map((c) => c.base))) {
    const [variant, stack] = base.split("/");
    const raw = JSON.parse(fs.readFileSync(path.join(stacksDirs[variant], stack, "cdk.tf.json"), "utf8"));
    bases[base] = { raw, plan: readBase(base).plan || null, rawChanged: !eq(readBase(base).raw, raw) };
  }
  const edited = {};
  const patches = {};
  const stale = [];
  for (const c of allCases) {
    const prev = previous[c.id] || {};
    if (!cases.includes(c)) {
      patches[c.id] = prev;
      continue;
    }
    const doc = clone(bases[c.base].raw);
    try {
      for (const e of c.edits) applyEdit(doc, e);
    } catch (err) {
      throw new Error(`case ${c.id}: ${err.message}`);
    }
    edited[c.id] = doc;
    const raw = diff(bases[c.base].raw, doc);
    if (raw.length === 0 && c.raw !== false) throw new Error(`case ${c.id}: the edit changes nothing`);
    const sameEdit = eq(prev.raw, raw) && !bases[c.base].rawChanged;
    patches[c.id] = {
      ...(c.raw === false ? {} : { raw }),
      ...(sameEdit && prev.plan ? { plan: prev.plan } : {}),
      ...(sameEdit && prev.plan_refused ? { plan_refused: prev.plan_refused } : {}),
    };
    if (!withPlan && !sameEdit && c.plan !== false) stale.push(c.id);
  }

  if (stale.length) log(`${stale.length} case(s) changed; their plan fixtures are gone until --plan runs: ${stale.join(" ")}`);
  if (withPlan) {
    const tf = tfEnv();
    const moto = await startMoto(work);
    try {
      // A base whose synthesized stack is unchanged keeps its plan when only some cases run
      // (the other cases' plan patches are relative to it).
      const baseList = Object.keys(bases).filter((b) => !only || bases[b].rawChanged || !bases[b].plan);
      const basePlans = await pool(baseList, jobs, async (base) => {
        const [variant, stack] = base.split("/");
        log(`plan base ${base}`);
        const r = await planOne(tf, work, stacksDirs[variant], stack, bases[base].raw, `base-${base.replace("/", "-")}`, moto.endpoint);
        if (r.error) throw new Error(`base ${base}: ${r.error}`);
        return r.plan;
      });
      baseList.forEach((b, i) => {
        bases[b].plan = basePlans[i];
      });
      await pool(
        cases.filter((c) => c.plan !== false),
        jobs,
        async (c) => {
          const [variant, stack] = c.base.split("/");
          log(`plan ${c.id}`);
          const r = await planOne(tf, work, stacksDirs[variant], stack, edited[c.id], c.id, moto.endpoint, c.state);
          const keep = c.raw === false ? {} : { raw: patches[c.id].raw };
          if (r.error) patches[c.id] = { ...keep, plan_refused: r.error };
          else patches[c.id] = { ...keep, plan: diff(bases[c.base].plan, r.plan) };
        },
      );
    } finally {
      moto.proc.kill();
    }
  }

  for (const [base, b] of Object.entries(bases)) {
    fs.writeFileSync(
      path.join(dir, `base-${base.replace("/", "-")}.json`),
      `${JSON.stringify({ bases: { [base]: { raw: b.raw, plan: b.plan } } }, null, 1)}\n`,
    );
  }
  const sorted = Object.fromEntries(allCases.map((c) => [c.id, patches[c.id]]));
  fs.writeFileSync(patchesFile, `${JSON.stringify({ patches: sorted }, null, 1)}\n`);
  fs.writeFileSync(testsFile, regoTests(allCases, sorted, ruleFiles()));
  const opa = process.env.OPA_BIN || "opa";
  spawnSync(opa, ["fmt", "-w", testsFile], { stdio: "inherit" });
  const withPlanFixture = allCases.filter((c) => sorted[c.id] && sorted[c.id].plan).length;
  const refused = allCases.filter((c) => sorted[c.id] && sorted[c.id].plan_refused).length;
  const rawFixtures = allCases.filter((c) => sorted[c.id] && sorted[c.id].raw).length;
  log(`${allCases.length} cases: ${rawFixtures} raw fixtures, ${withPlanFixture} plan fixtures, ${refused} edits terraform plan refuses`);
}

main().catch((e) => {
  process.stderr.write(`evasion.js: ${e.message}\n`);
  process.exit(1);
});

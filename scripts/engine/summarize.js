#!/usr/bin/env node
// Tables for scripts/engine/verify.sh (plain Node, no dependencies).
//   node summarize.js validate <work> <wallMs> <synthMs>   exit 1 on any invalid stack
//   node summarize.js plan <work> <wallMs>                 exit 1 on any failed plan or OPA deny

const fs = require("node:fs");
const path = require("node:path");

const sec = (ms) => (Number(ms) / 1000).toFixed(1);
const read = (file) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "");
const readJson = (file) => {
  try {
    return JSON.parse(read(file));
  } catch {
    return undefined;
  }
};

/** Every "<variant>/<stack>" directory under work/<phase>, in the order of its list (validate-list: JSON and HCL). */
function entries(work, phase) {
  return read(path.join(work, phase === "validate" ? "validate-list" : "list"))
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [variant, stack] = line.split(" ");
      const dir = path.join(work, phase, variant, stack);
      const [, , initMs = "0", runMs = "0", rc = "1"] = read(path.join(dir, "times.tsv")).trim().split("\t");
      return { variant, stack, dir, initMs: Number(initMs), runMs: Number(runMs), rc: Number(rc) };
    });
}

function table(header, rows) {
  const all = [header, ...rows].map((r) => r.map(String));
  const width = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return all
    .map((r) =>
      r
        .map((c, i) => c.padEnd(width[i]))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

function diagnosticLine(d) {
  const where = d.range
    ? ` (${d.address ? `${d.address}, ` : ""}cdk.tf.json line ${d.range.start.line})`
    : d.address
      ? ` (${d.address})`
      : "";
  return `${d.severity}: ${d.summary}${d.detail ? `: ${d.detail.replace(/\s+/g, " ").trim()}` : ""}${where}`;
}

function validate(work, wallMs, synthMs) {
  const rows = [];
  const diags = [];
  let errors = 0,
    warnings = 0,
    valid = 0,
    initMs = 0,
    runMs = 0;
  const list = entries(work, "validate");
  for (const e of list) {
    const v = readJson(path.join(e.dir, "validate.json"));
    initMs += e.initMs;
    runMs += e.runMs;
    if (!v) {
      errors += 1;
      rows.push([e.variant, e.stack, "no", 1, 0, sec(e.initMs), sec(e.runMs)]);
      diags.push(`${e.variant}/${e.stack}: error: ${read(path.join(e.dir, "validate.err")).trim() || "no validate output"}`);
      continue;
    }
    if (v.valid && e.rc === 0) valid += 1;
    errors += v.error_count;
    warnings += v.warning_count;
    rows.push([e.variant, e.stack, v.valid ? "yes" : "NO", v.error_count, v.warning_count, sec(e.initMs), sec(e.runMs)]);
    for (const d of v.diagnostics) diags.push(`${e.variant}/${e.stack}: ${diagnosticLine(d)}`);
  }
  console.log(`== terraform validate (${list.length} stack checks; synth of all variants ${sec(synthMs)} s)`);
  console.log(table(["variant", "stack", "valid", "errors", "warnings", "init s", "validate s"], rows));
  console.log(
    `totals: ${valid}/${list.length} valid, ${errors} errors, ${warnings} warnings; init ${sec(initMs)} s + validate ${sec(runMs)} s summed, ${sec(wallMs)} s wall`,
  );
  if (diags.length) console.log(["diagnostics (verbatim):", ...diags.map((d) => `  ${d}`)].join("\n"));
  return valid === list.length && errors === 0 ? 0 : 1;
}

/** The first error of a plan log: its summary line and the first lines of its detail. */
function planError(log) {
  const lines = log.split("\n");
  const i = lines.findIndex((l) => /^\W*Error: /.test(l));
  if (i < 0) return lines.filter(Boolean).slice(-3).join(" ").slice(0, 400) || "no output";
  const body = lines
    .slice(i, i + 12)
    .map((l) => l.replace(/^[│╷╵\s]+/, "").trim())
    .filter(Boolean);
  return body.join(" ").slice(0, 600);
}

function planWarnings(log) {
  const out = [];
  const lines = log.split("\n");
  lines.forEach((l, i) => {
    if (/^\W*Warning: /.test(l)) {
      const body = lines.slice(i, i + 8).map((x) => x.replace(/^[│╷╵\s]+/, "").trim());
      const end = body.findIndex((x, j) => j > 0 && x === "" && body[j - 1] !== "" && j > 2);
      out.push(
        body
          .slice(0, end > 0 ? end : body.length)
          .filter(Boolean)
          .join(" "),
      );
    }
  });
  return out;
}

function plan(work, wallMs) {
  const rows = [];
  const failures = [];
  const denies = [];
  const warnings = new Map();
  let ok = 0,
    initMs = 0,
    runMs = 0,
    denyCount = 0,
    pendingCount = 0;
  const list = entries(work, "plan");
  for (const e of list) {
    initMs += e.initMs;
    runMs += e.runMs;
    const log = read(path.join(e.dir, "plan.log"));
    for (const w of planWarnings(log)) warnings.set(w, [...(warnings.get(w) || []), `${e.variant}/${e.stack}`]);
    const p = e.rc === 0 ? readJson(path.join(e.dir, "plan.json")) : undefined;
    if (!p) {
      rows.push([e.variant, e.stack, "FAIL", "-", "-", sec(e.initMs), sec(e.runMs)]);
      failures.push(`${e.variant}/${e.stack}: ${planError(log)}`);
      continue;
    }
    ok += 1;
    const creates = (p.resource_changes || []).filter((rc) => rc.change.actions.includes("create")).length;
    const failedOpa = read(path.join(e.dir, "opa.failed")).trim();
    let deny = "-";
    if (failedOpa) {
      denies.push(`${e.variant}/${e.stack}: ${failedOpa}`);
      denyCount += 1;
      deny = "opa error";
    } else {
      const r = readJson(path.join(e.dir, "opa.json"));
      const msgs = r?.result?.[0]?.expressions[0].value || [];
      deny = msgs.length;
      denyCount += msgs.length;
      for (const m of msgs) denies.push(`${e.variant}/${e.stack}: ${m}`);
      const pend = readJson(path.join(e.dir, "opa-pending.json"));
      pendingCount += (pend?.result?.[0]?.expressions[0].value || []).length;
    }
    rows.push([e.variant, e.stack, "ok", creates, deny, sec(e.initMs), sec(e.runMs)]);
  }
  console.log(`== offline terraform plan against moto + OPA on the plan JSON (${list.length} stack checks)`);
  console.log(table(["variant", "stack", "plan", "to create", "OPA denies", "init s", "plan+show s"], rows));
  console.log(
    `totals: ${ok}/${list.length} planned, ${denyCount} OPA denies (${pendingCount} pending: scripts/policy/pending-denies.json); init ${sec(initMs)} s + plan ${sec(runMs)} s summed, ${sec(wallMs)} s wall`,
  );
  if (failures.length) console.log(["plan failures:", ...failures.map((f) => `  ${f}`)].join("\n"));
  if (denies.length) console.log(["OPA denies (verbatim):", ...denies.map((d) => `  ${d}`)].join("\n"));
  if (warnings.size) {
    console.log("plan warnings (verbatim, with the stacks that print them):");
    for (const [w, where] of warnings)
      console.log(`  ${w} [${where.length}: ${where.slice(0, 4).join(", ")}${where.length > 4 ? ", ..." : ""}]`);
  }
  return ok === list.length && denyCount === 0 ? 0 : 1;
}

const [cmd, work, wallMs, synthMs] = process.argv.slice(2);
if (cmd === "validate") process.exit(validate(work, wallMs, synthMs));
else if (cmd === "plan") process.exit(plan(work, wallMs));
else {
  process.stderr.write("usage: summarize.js validate <work> <wallMs> <synthMs> | plan <work> <wallMs>\n");
  process.exit(2);
}

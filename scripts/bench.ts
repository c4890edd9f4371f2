// `npm run bench`: synth wall time and peak RSS, the test suite, and scaling to N environments.
// Figures are measured per run on this machine; nothing here asserts, it prints a table.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? "3");

interface Sample {
  wallMs: number;
  maxRssMb: number;
  stacks?: number;
}

function runNode(args: string[], env: Record<string, string> = {}): Sample {
  const t = process.hrtime.bigint();
  const res = spawnSync(process.execPath, ["-r", "./scripts/swc-register.js", "-r", "./scripts/bench-probe.js", ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  const wallMs = Number(process.hrtime.bigint() - t) / 1e6; // whole process, node start-up included
  if (res.status !== 0) throw new Error(`${args.join(" ")} failed: ${res.stderr}`);
  const line = res.stderr.split("\n").find((l) => l.startsWith("BENCH "));
  const stacks = res.stderr.split("\n").find((l) => l.startsWith("STACKS "));
  if (line === undefined) throw new Error(`${args.join(" ")} printed no BENCH line`);
  return { wallMs, maxRssMb: JSON.parse(line.slice(6)).maxRssMb, stacks: stacks ? Number(stacks.slice(7)) : undefined };
}

function best(samples: Sample[]): Sample {
  return samples.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
}

function repeat(f: () => Sample): Sample {
  return best(Array.from({ length: RUNS }, f));
}

function timeCommand(cmd: string, args: string[]): number {
  const t = process.hrtime.bigint();
  const res = spawnSync(cmd, args, { cwd: ROOT, encoding: "utf8", env: { ...process.env, CI: "true" } });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${res.stdout}\n${res.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const rows: [string, string, string, string][] = [];
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const outdir = mkdtempSync(join(tmpdir(), "markmail-bench-app-"));
const app = repeat(() => runNode(["main.ts"], { CREATE_BASTION: "true", CDKTF_OUTDIR: outdir }));
rmSync(outdir, { recursive: true, force: true });
rows.push(["app synth, all stacks with bastion (main.ts)", fmt(app.wallMs), `${app.maxRssMb.toFixed(0)} MB`, "≤ 1.0 s, ≤ 250 MB"]);

const three = repeat(() => runNode(["scripts/bench-synth.ts", "3"]));
const ten = repeat(() => runNode(["scripts/bench-synth.ts", "10"]));
rows.push([`3 environments (${three.stacks} stacks)`, fmt(three.wallMs), `${three.maxRssMb.toFixed(0)} MB`, ""]);
rows.push([
  `10 environments (${ten.stacks} stacks)`,
  fmt(ten.wallMs),
  `${ten.maxRssMb.toFixed(0)} MB`,
  `ratio ${(ten.wallMs / three.wallMs).toFixed(2)}× (≤ 2.5×)`,
]);

if (!process.argv.includes("--no-tests")) {
  const jest = timeCommand(process.execPath, [join(ROOT, "node_modules/jest/bin/jest.js"), "--silent"]);
  rows.push(["npm test (jest, whole suite)", fmt(jest), "", "≤ 15 s"]);
  const tsc = timeCommand(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "--noEmit", "-p", "."]);
  rows.push(["typecheck (tsc --noEmit)", fmt(tsc), "", ""]);
}

const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length), ["what", "wall", "peak RSS", "target"][i].length));
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
console.log(`best of ${RUNS} runs`);
console.log(line(["what", "wall", "peak RSS", "target"]));
console.log(line(widths.map((w) => "-".repeat(w))));
for (const r of rows) console.log(line(r));

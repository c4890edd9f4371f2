#!/usr/bin/env bash
# The exit to CDK Terrain (cdktn, the maintained fork of the archived cdktf): copies the app into a
# scratch folder, swaps the imports mechanically (cdktf → cdktn, @cdktf/provider-aws →
# @cdktn/provider-aws), installs the pinned fork packages, synthesizes, and compares every stack's
# JSON with ours apart from metadata ("//" blocks) and the provider version pin. Prints the
# differences it finds; exits non-zero when the fork cannot synthesize the app or a stack differs
# in anything else.
#   bash scripts/ci/cdktn-check.sh [ours-outdir]      (default: synthesizes ours into a temp dir)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CDKTN_VERSION=0.24.0 CDKTN_AWS_VERSION=25.7.0 CONSTRUCTS_VERSION=10.6.0
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
ours="${1:-$work/ours}"
if [[ -z "${1:-}" ]]; then
  (cd "$root" && CDKTF_OUTDIR="$ours" CREATE_BASTION=true node scripts/synth.js >/dev/null)
fi

app="$work/app"
mkdir -p "$app"
(cd "$root" && tar -cf - main.ts config constructs stacks functions policies/data scripts/swc-register.js tsconfig.json) | tar -xf - -C "$app"
grep -rl --include=*.ts -e '"cdktf"' -e '@cdktf/provider-aws' "$app" | while read -r f; do
  sed -i -e 's#from "cdktf"#from "cdktn"#g' -e 's#@cdktf/provider-aws/#@cdktn/provider-aws/#g' "$f"
done
if grep -rn --include=*.ts -e 'from "cdktf' -e '@cdktf/' "$app" | grep -v node_modules; then
  echo "cdktn: imports left after the swap (above)" >&2; exit 1
fi
cat >"$app/package.json" <<JSON
{ "name": "markmail-cdktn-check", "private": true,
  "dependencies": { "cdktn": "$CDKTN_VERSION", "@cdktn/provider-aws": "$CDKTN_AWS_VERSION", "constructs": "$CONSTRUCTS_VERSION",
                    "@swc/core": "$(node -p "require('$root/node_modules/@swc/core/package.json').version")" } }
JSON
(cd "$app" && npm install --no-audit --no-fund --silent >"$work/npm.log" 2>&1) || { cat "$work/npm.log" >&2; exit 1; }
(cd "$app" && CDKTF_CONTEXT_JSON='{"targetVersions":{"terraform":">=1.11.0","opentofu":">=1.11.0"}}' CDKTF_OUTDIR="$work/fork" CREATE_BASTION=true node -r ./scripts/swc-register.js -e 'require("./main.ts").main()' >/dev/null)

node - "$ours" "$work/fork" <<'JS'
const fs = require("fs"), path = require("path");
const [ours, fork] = process.argv.slice(2);
const strip = (v) => Array.isArray(v) ? v.map(strip) : v && typeof v === "object"
  ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== "//").map(([k, x]) => [k, strip(x)])) : v;
const diffs = [];
function walk(a, b, at) {
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) walk(a[k], b[k], `${at}.${k}`);
  } else diffs.push(`${at}: ${JSON.stringify(a)?.slice(0, 120)} → ${JSON.stringify(b)?.slice(0, 120)}`);
}
const stacks = fs.readdirSync(path.join(ours, "stacks")).sort();
const forkStacks = fs.readdirSync(path.join(fork, "stacks")).sort();
if (JSON.stringify(stacks) !== JSON.stringify(forkStacks)) { console.error(`cdktn: stacks differ: ${stacks} vs ${forkStacks}`); process.exit(1); }
let unexpected = 0;
const seen = new Map();
for (const id of stacks) {
  const read = (d) => strip(JSON.parse(fs.readFileSync(path.join(d, "stacks", id, "cdk.tf.json"), "utf8")));
  const before = diffs.length;
  walk(read(ours), read(fork), id);
  for (const d of diffs.slice(before)) {
    const expected = /\.terraform\.required_providers\.aws\.(version|source): /.test(d);
    if (!expected) unexpected += 1;
    const key = d.replace(/^[^.]+/, "<stack>");
    seen.set(key, (seen.get(key) || 0) + 1);
  }
}
for (const [d, n] of seen) console.log(`  ${n}× ${d}`);
console.log(`cdktn: ${stacks.length} stacks synthesized by the fork; ${unexpected} unexpected differences (metadata ignored; the provider pin and its source address "aws" → "hashicorp/aws" differ as expected)`);
process.exit(unexpected === 0 ? 0 : 1);
JS

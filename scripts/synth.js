// `npm run synth`: runs the app directly (about 0.4 s; the cdktf CLI adds ~5 s of start-up on
// 2 cores) into ./cdktf.out, then removes the folders of stacks the app no longer has (e.g. a
// bastion), as the CLI does. Each remaining stack folder keeps its .terraform/ and
// .terraform.lock.hcl: it stays a normal Terraform working directory.
// `npx cdktf synth` runs the same app through the CLI and gives the same output.
const fs = require("node:fs");
const path = require("node:path");

const outdir = path.resolve(process.env.CDKTF_OUTDIR || path.join(__dirname, "..", "cdktf.out"));
process.env.CDKTF_OUTDIR = outdir;
require("./swc-register");
const { loadConfig } = require("../config");
// Validate first so that a bad input leaves the previous output untouched.
try {
  loadConfig(process.env);
} catch (err) {
  if (err && err.name === "ConfigError") {
    process.stderr.write(`error: ${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
fs.rmSync(path.join(outdir, "manifest.json"), { force: true });
fs.mkdirSync(outdir, { recursive: true });
require("../main").main();
const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
const stacks = Object.keys(manifest.stacks).sort();
for (const dir of fs.readdirSync(path.join(outdir, "stacks"))) {
  if (!stacks.includes(dir)) fs.rmSync(path.join(outdir, "stacks", dir), { recursive: true, force: true });
}
process.stdout.write(`synthesized ${stacks.length} stacks into ${path.relative(process.cwd(), outdir) || "."}/stacks\n`);

// `npm run synth`: runs the app directly (about 0.4 s; the cdktf CLI adds ~5 s of start-up on
// 2 cores) into ./cdktf.out, after removing stacks left from an earlier run (e.g. a bastion).
// `npx cdktf synth` runs the same app through the CLI and gives the same output.
const fs = require("fs");
const path = require("path");

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
fs.rmSync(path.join(outdir, "stacks"), { recursive: true, force: true });
fs.rmSync(path.join(outdir, "manifest.json"), { force: true });
fs.mkdirSync(outdir, { recursive: true });
require("../main").main();
const stacks = fs.readdirSync(path.join(outdir, "stacks")).sort();
process.stdout.write(`synthesized ${stacks.length} stacks into ${path.relative(process.cwd(), outdir) || "."}/stacks\n`);

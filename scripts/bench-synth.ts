// Benchmark helper: synthesizes N environments (dev, staging, prod, then synthetic copies) in one app.
import { App } from "cdktf";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AppConfig, type EnvironmentConfig, type EnvName, loadConfig } from "../config";
import { defineApp } from "../main";

const n = Number(process.argv[2] ?? "3");
const base = loadConfig({ CREATE_BASTION: "true" } as NodeJS.ProcessEnv);
const envs: EnvironmentConfig[] = [];
for (let i = 0; i < n; i++) {
  const template = base.environments[i % base.environments.length];
  if (i < base.environments.length) {
    envs.push(template);
    continue;
  }
  // Synthetic environments: unique name and CIDR, otherwise the template's settings.
  const name = `e${String(i).padStart(2, "0")}` as EnvName;
  envs.push({ ...template, name, network: { ...template.network, cidr: `10.${100 + i}.0.0/16` } });
}
const config: AppConfig = { ...base, environments: envs };
const app = new App({ outdir: mkdtempSync(join(tmpdir(), "markmail-bench-")) });
const stacks = defineApp(app, config);
for (const s of stacks) s.runAllValidations();
app.synth();
rmSync(app.outdir, { recursive: true, force: true });
process.stderr.write(`STACKS ${stacks.length}\n`);

#!/usr/bin/env node
// `npm run deploy -- <env> [--destroy] [cdktf options]`: deploys every stack of one environment
// with the cdktf CLI, one stack at a time in the guide's order (network → database → secrets →
// [dns] → alb → ecs-cluster → ecs → monitoring → pipeline, then the bastion with CREATE_BASTION=true),
// and stops at the first failure. `--destroy` destroys them in the reverse order.
//
// Which stacks exist is the app's decision (main.ts defineApp, e.g. the dns stack only with a
// domain and HOSTED_ZONE_MODE=create): the list is read from the app itself, built in memory with
// the same environment, never kept here. Stacks hold no references to each other, so each
// `cdktf deploy <stack>` is exactly what a user types for one stack. Other arguments (e.g.
// --auto-approve) go to every cdktf call.

const { spawnSync } = require("node:child_process");
const path = require("node:path");

const ENVS = ["dev", "staging", "prod"];

function usage(message) {
  if (message) process.stderr.write(`error: ${message}\n`);
  process.stderr.write("usage: npm run deploy -- <dev|staging|prod> [--destroy] [cdktf options, e.g. --auto-approve]\n");
  process.exit(2);
}

/** The stack ids the app defines for one environment and these variables, in deploy order (reverse for destroy). */
function stackOrder(env, vars = process.env, { destroy = false } = {}) {
  require("./swc-register.js");
  const { App } = require("cdktf");
  const { loadConfig } = require("../config");
  const { ConfigError } = require("../config/errors");
  const { defineApp } = require("../main");
  let ids;
  try {
    ids = defineApp(new App({ outdir: require("node:os").tmpdir() }), loadConfig({ ...vars, CDK_CONTEXT_ENVIRONMENT: env })).map(
      (s) => s.node.id,
    );
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`error: ${err.message}\n`);
    process.exit(1);
  }
  return destroy ? ids.reverse() : ids;
}

function main(argv) {
  const [env, ...rest] = argv;
  if (env === "--help" || env === "-h") usage();
  if (!ENVS.includes(env))
    usage(env === undefined ? "no environment given" : `unknown environment "${env}": expected dev, staging or prod`);
  const destroy = rest.includes("--destroy");
  const passThrough = rest.filter((a) => a !== "--destroy");
  const cdktf = path.join(__dirname, "..", "node_modules", ".bin", "cdktf");
  const childEnv = { ...process.env, CDK_CONTEXT_ENVIRONMENT: env, CHECKPOINT_DISABLE: process.env.CHECKPOINT_DISABLE || "1" };
  const done = [];
  const order = stackOrder(env, process.env, { destroy });
  for (const id of order) {
    const started = Date.now();
    process.stdout.write(`\n== ${destroy ? "destroy" : "deploy"} ${id}\n`);
    const run = spawnSync(cdktf, [destroy ? "destroy" : "deploy", id, ...passThrough], { stdio: "inherit", env: childEnv });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (run.status !== 0) {
      process.stderr.write(
        `error: ${id} failed after ${seconds} s (exit ${run.status ?? run.signal}); stopped before ${order.slice(done.length + 1).join(", ") || "nothing"}\n`,
      );
      process.exit(1);
    }
    done.push(id);
    process.stdout.write(`== ${id}: ${destroy ? "destroyed" : "deployed"} in ${seconds} s\n`);
    if (!destroy && id.endsWith("-dns")) {
      process.stdout.write(
        `   Delegate the domain to the name servers above (output name_servers of ${id}) if not done yet:\n   the next stack waits until its certificate is validated through that zone.\n`,
      );
    }
  }
}

module.exports = { stackOrder };
if (require.main === module) main(process.argv.slice(2));

#!/usr/bin/env node
// `npm run deploy -- <env> [--destroy] [cdktf options]`: deploys every stack of one environment
// with the cdktf CLI, one stack at a time in the guide's order (network → database → secrets →
// alb → ecs-cluster → ecs → monitoring → pipeline, then the bastion with CREATE_BASTION=true),
// and stops at the first failure. `--destroy` destroys them in the reverse order.
//
// Stacks hold no references to each other, so each `cdktf deploy <stack>` is exactly what a user
// types for one stack. Other arguments (e.g. --auto-approve) go to every cdktf call.
"use strict";
const { spawnSync } = require("child_process");
const path = require("path");

const ENVS = ["dev", "staging", "prod"];
const LAYERS = ["network", "database", "secrets", "alb", "ecs-cluster", "ecs", "monitoring", "pipeline"];

function usage(message) {
  if (message) process.stderr.write(`error: ${message}\n`);
  process.stderr.write("usage: npm run deploy -- <dev|staging|prod> [--destroy] [cdktf options, e.g. --auto-approve]\n");
  process.exit(2);
}

/** The stack ids of one environment in deploy order (reverse for destroy). */
function stackOrder(env, { bastion = false, destroy = false } = {}) {
  const ids = [...LAYERS, ...(bastion ? ["bastion"] : [])].map((layer) => `markmail-${env}-${layer}`);
  return destroy ? ids.reverse() : ids;
}

function main(argv) {
  const [env, ...rest] = argv;
  if (env === "--help" || env === "-h") usage();
  if (!ENVS.includes(env)) usage(env === undefined ? "no environment given" : `unknown environment "${env}": expected dev, staging or prod`);
  const destroy = rest.includes("--destroy");
  const passThrough = rest.filter((a) => a !== "--destroy");
  const bastion = process.env.CREATE_BASTION === "true";
  const cdktf = path.join(__dirname, "..", "node_modules", ".bin", "cdktf");
  const childEnv = { ...process.env, CDK_CONTEXT_ENVIRONMENT: env, CHECKPOINT_DISABLE: process.env.CHECKPOINT_DISABLE || "1" };
  const done = [];
  for (const id of stackOrder(env, { bastion, destroy })) {
    const started = Date.now();
    process.stdout.write(`\n== ${destroy ? "destroy" : "deploy"} ${id}\n`);
    const run = spawnSync(cdktf, [destroy ? "destroy" : "deploy", id, ...passThrough], { stdio: "inherit", env: childEnv });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (run.status !== 0) {
      process.stderr.write(`error: ${id} failed after ${seconds} s (exit ${run.status ?? run.signal}); stopped before ${stackOrder(env, { bastion, destroy }).slice(done.length + 1).join(", ") || "nothing"}\n`);
      process.exit(1);
    }
    done.push(id);
    process.stdout.write(`== ${id}: ${destroy ? "destroyed" : "deployed"} in ${seconds} s\n`);
  }
}

module.exports = { stackOrder, LAYERS };
if (require.main === module) main(process.argv.slice(2));

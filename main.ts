// Wiring only: configuration → one stack per layer and environment → synth.
import { App, TerraformStack } from "cdktf";
import { AppConfig, ConfigError, loadConfig } from "./config";
import { AlbStack } from "./stacks/alb-stack";
import { BastionStack } from "./stacks/bastion-stack";
import { DatabaseStack } from "./stacks/database-stack";
import { EcsClusterStack } from "./stacks/ecs-cluster-stack";
import { EcsStack } from "./stacks/ecs-stack";
import { MonitoringStack } from "./stacks/monitoring-stack";
import { NetworkStack } from "./stacks/network-stack";
import { PipelineStack } from "./stacks/pipeline-stack";
import { SecretsStack } from "./stacks/secrets-stack";

/** Creates every stack of every configured environment, in the guide's deploy order. */
export function defineApp(app: App, config: AppConfig): TerraformStack[] {
  const stacks: TerraformStack[] = [];
  for (const env of config.environments) {
    const props = { config, env };
    const network = new NetworkStack(app, props);
    const database = new DatabaseStack(app, { ...props, network: network.outputs });
    const secrets = new SecretsStack(app, props);
    const alb = new AlbStack(app, { ...props, network: network.outputs });
    const cluster = new EcsClusterStack(app, { ...props, database: database.outputs, secrets: secrets.outputs });
    const ecs = new EcsStack(app, {
      ...props,
      network: network.outputs,
      database: database.outputs,
      secrets: secrets.outputs,
      alb: alb.outputs,
      cluster: cluster.outputs,
    });
    const monitoring = new MonitoringStack(app, {
      ...props,
      database: database.outputs,
      alb: alb.outputs,
      cluster: cluster.outputs,
      ecs: ecs.outputs,
    });
    const pipeline = new PipelineStack(app, {
      ...props,
      secrets: secrets.outputs,
      cluster: cluster.outputs,
      ecs: ecs.outputs,
      monitoring: monitoring.outputs,
    });
    const ordered: TerraformStack[] = [network, database, secrets, alb, cluster, ecs, monitoring, pipeline];
    // The guide's deploy order, also where no value crosses (e.g. secrets after database).
    ordered.forEach((stack, i) => i > 0 && stack.addDependency(ordered[i - 1]));
    stacks.push(...ordered);
    if (config.createBastion) {
      const bastion = new BastionStack(app, { ...props, network: network.outputs, database: database.outputs });
      bastion.addDependency(database);
      stacks.push(bastion);
    }
  }
  return stacks;
}

export function main(): void {
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`error: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  for (const warning of config.warnings) process.stderr.write(`warning: ${warning}\n`);

  const app = new App();
  const stacks = defineApp(app, config);
  // Validate every stack before the first file is written: a bad value never leaves a half-written cdktf.out.
  try {
    for (const stack of stacks) stack.runAllValidations();
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message.split("\n").filter(Boolean).join("; ")}\n`);
    process.exit(1);
  }
  app.synth();
}

if (require.main === module) main();

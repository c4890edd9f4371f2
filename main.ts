// Wiring only: configuration → one stack per layer and environment → synth.
import { App, type TerraformStack } from "cdktf";
import { type AppConfig, loadConfig } from "./config";
import { synthOrExit } from "./config/errors";
import { AlbStack } from "./stacks/alb-stack";
import { BastionStack } from "./stacks/bastion-stack";
import { ownsZone } from "./stacks/contracts";
import { DatabaseStack } from "./stacks/database-stack";
import { DnsStack } from "./stacks/dns-stack";
import { EcsClusterStack } from "./stacks/ecs-cluster-stack";
import { EcsStack } from "./stacks/ecs-stack";
import { MonitoringStack } from "./stacks/monitoring-stack";
import { NetworkStack } from "./stacks/network-stack";
import { PipelineStack } from "./stacks/pipeline-stack";
import { SecretsStack } from "./stacks/secrets-stack";

/**
 * Creates every stack of every configured environment, in the guide's deploy order. Stacks hold
 * no references to each other: each reads its upstream layers by name from their state
 * (`stacks/contracts.ts`), so any one of them deploys alone and the manifest has no dependencies.
 */
export function defineApp(app: App, config: AppConfig): TerraformStack[] {
  const stacks: TerraformStack[] = [];
  for (const env of config.environments) {
    const props = { config, env };
    stacks.push(new NetworkStack(app, props), new DatabaseStack(app, props), new SecretsStack(app, props));
    if (ownsZone(env)) stacks.push(new DnsStack(app, props));
    stacks.push(
      new AlbStack(app, props),
      new EcsClusterStack(app, props),
      new EcsStack(app, props),
      new MonitoringStack(app, props),
      new PipelineStack(app, props),
    );
    if (config.createBastion) stacks.push(new BastionStack(app, props));
  }
  return stacks;
}

export function main(): void {
  synthOrExit(() => {
    const config = loadConfig(process.env);
    // On stdout: under the cdktf CLI, whatever the app writes to stderr is shown as [ERROR].
    for (const notice of config.notices) process.stdout.write(`${notice}\n`);
    for (const warning of config.warnings) process.stdout.write(`warning: ${warning}\n`);
    const app = new App();
    // Validate every stack before the first file is written: a bad value never leaves a half-written cdktf.out.
    for (const stack of defineApp(app, config)) stack.runAllValidations();
    return app;
  });
}

if (require.main === module) main();

import { type TerraformStack, Testing } from "cdktf";
import { DatabaseStack } from "../../stacks/database-stack";
import { NetworkStack } from "../../stacks/network-stack";
import { SecretsStack } from "../../stacks/secrets-stack";
import type { EnvironmentConfig } from "../../config";
import { configFrom, synthJson, type TfJson } from "./synth";

/**
 * The network, database and secrets stacks of the configured environments, without the later
 * layers. Keyed by stack id.
 */
export function dataLayers(
  vars: Record<string, string> = {},
  change?: (e: EnvironmentConfig) => EnvironmentConfig,
): Map<string, TerraformStack> {
  const loaded = configFrom(vars);
  const config = change ? { ...loaded, environments: loaded.environments.map(change) } : loaded;
  const app = Testing.app();
  const stacks: TerraformStack[] = [];
  for (const env of config.environments) {
    stacks.push(new NetworkStack(app, { config, env }), new DatabaseStack(app, { config, env }), new SecretsStack(app, { config, env }));
  }
  for (const s of stacks) s.prepareStack();
  return new Map(stacks.map((s) => [s.node.id, s]));
}

/** The synthesized JSON of `markmail-<env>-<layer>` (network, database or secrets) of one environment. */
export function dataLayer(
  env: "dev" | "staging" | "prod",
  layer: "network" | "database" | "secrets",
  vars: Record<string, string> = {},
  change?: (e: EnvironmentConfig) => EnvironmentConfig,
): TfJson {
  return synthJson(dataLayers({ ...vars, CDK_CONTEXT_ENVIRONMENT: env }, change).get(`markmail-${env}-${layer}`)!);
}

import { type App, Testing } from "cdktf";
import { type AppConfig, buildEnvironment, type EnvironmentConfig, type EnvName } from "../../config";
import {
  ALB,
  type AlbOutputs,
  type ContractSpec,
  type ContractValues,
  DATABASE,
  type DatabaseOutputs,
  ECS,
  ECS_CLUSTER,
  type EcsClusterOutputs,
  type EcsOutputs,
  type LayerContract,
  MONITORING,
  type MonitoringOutputs,
  NETWORK,
  type NetworkOutputs,
  outputFields,
  SECRETS_LAYER,
  type SecretsOutputs,
} from "../../stacks/contracts";

/**
 * What a consumer stack sees of an upstream layer: each contract output as the expression
 * `${data.terraform_remote_state.<layer>.outputs.<name>}` that the stack's JSON carries.
 */
export function upstreamRefs<S extends ContractSpec>(contract: LayerContract<S>, env: EnvironmentConfig): ContractValues<S> {
  const data = contract.layer.replace(/-/g, "_");
  const values: Record<string, any> = {};
  for (const [name, , group] of outputFields(contract, env)) {
    const ref = `\${data.terraform_remote_state.${data}.outputs.${name}}`;
    if (group === undefined) values[name] = ref;
    else values[group] = { ...values[group], [name]: ref };
  }
  return values as ContractValues<S>;
}

/** The upstream references of every layer for an environment (with a domain: the ALB's `tls` group too). */
export function fakeOutputs(envName: EnvName, opts: { hostedZone?: boolean } = {}) {
  const env = buildEnvironment(envName, "ap-northeast-1", { domain: opts.hostedZone ? `${envName}.example.com` : undefined });
  return {
    network: upstreamRefs(NETWORK, env) as NetworkOutputs,
    database: upstreamRefs(DATABASE, env) as DatabaseOutputs,
    secrets: upstreamRefs(SECRETS_LAYER, env) as SecretsOutputs,
    alb: upstreamRefs(ALB, env) as AlbOutputs,
    cluster: upstreamRefs(ECS_CLUSTER, env) as EcsClusterOutputs,
    ecs: upstreamRefs(ECS, env) as EcsOutputs,
    monitoring: upstreamRefs(MONITORING, env) as MonitoringOutputs,
  };
}

/** The single environment of a config built with configFor(). */
export function onlyEnv(config: AppConfig): EnvironmentConfig {
  if (config.environments.length !== 1) throw new Error(`expected one environment, got ${config.environments.length}`);
  return config.environments[0];
}

/** A fresh test app. */
export function testApp(): App {
  return Testing.app() as App;
}

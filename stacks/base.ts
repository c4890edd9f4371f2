import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { type TerraformElement, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct, Node } from "constructs";
import type { AppConfig, EnvironmentConfig, Layer } from "../config";
import { allocateReadableLogicalId } from "../constructs/addresses";
import { hclStack } from "../constructs/hcl-form";
import { physicalName, stackId, stackTags } from "../constructs/naming";
import { PreventDestroy } from "../constructs/prevent-destroy";
import { attachStateBackend, type StateLocation, UpstreamState } from "../constructs/state-backend";
import { type ContractSpec, type ContractValues, type LayerContract, outputFields } from "./contracts";

export interface LayerProps {
  readonly config: AppConfig;
  readonly env: EnvironmentConfig;
}

/**
 * Base of every layer stack: id `markmail-<env>-<layer>`, the AWS provider with the region and
 * default tags (Project, Environment, Layer, ManagedBy), the configured state backend, readable
 * resource addresses, and the typed outputs between layers (`publish`, `upstream`).
 */
export abstract class LayerStack extends TerraformStack {
  readonly config: AppConfig;
  readonly env: EnvironmentConfig;
  readonly layer: Layer;

  protected constructor(scope: Construct, layer: Layer, props: LayerProps) {
    const id = stackId(props.config.project, props.env.name, layer);
    super(scope, id);
    this.config = props.config;
    this.env = props.env;
    this.layer = layer;
    hclStack(this);

    new AwsProvider(this, "aws", {
      region: props.config.region,
      // A dev stack can never be applied in the prod account (and so on), when the ids are configured.
      allowedAccountIds: props.env.accountId ? [props.env.accountId] : undefined,
      defaultTags: [{ tags: stackTags(props.env.name, layer) }],
    });
    attachStateBackend(this, this.stateOf(layer));
    // The bastion is temporary by design (scripts/bastion.sh off): its only stateful resource is the
    // key of its root volume. Its session logs live in the database layer (protected).
    if (props.env.preventDestroy && layer !== "bastion") PreventDestroy.applyTo(this);
  }

  /** `markmail-<env>[-<component>]`, length-checked. */
  name(component?: string, maxLength?: number): string {
    return physicalName(this.config.project, this.env.name, component, maxLength);
  }

  /** Where the state of a layer of this environment lives. */
  stateOf(layer: Layer): StateLocation {
    const env = this.env.name;
    return { backend: this.config.backend, project: this.config.project, env, layer, stackId: stackId(this.config.project, env, layer) };
  }

  /** Every output of the layer's contract, named as in the contract; a missing or extra one stops synth. */
  protected publish<S extends ContractSpec>(contract: LayerContract<S>, values: ContractValues<S>): void {
    if (contract.layer !== this.layer) throw new Error(`${this.node.id}: publishes the ${contract.layer} contract`);
    const flat = flatten(values as Record<string, unknown>);
    const fields = outputFields(contract, this.env);
    for (const [name, field] of fields) {
      if (flat[name] === undefined)
        throw new Error(`${this.node.id}: the ${contract.layer} contract needs the output ${name} in ${this.env.name}`);
      new TerraformOutput(this, name, { value: flat[name], description: field.description });
    }
    const extra = Object.keys(flat).filter((k) => !fields.some(([name]) => name === k));
    if (extra.length > 0)
      throw new Error(`${this.node.id}: ${extra.join(", ")} not in the ${contract.layer} contract for ${this.env.name}`);
  }

  /** The outputs of an upstream layer of this environment, read by name from its state. */
  protected upstream<S extends ContractSpec>(contract: LayerContract<S>): ContractValues<S> {
    const fields = outputFields(contract, this.env);
    const id = contract.layer.replace(/-/g, "_");
    if (this.node.tryFindChild(id)) throw new Error(`${this.node.id}: reads the ${contract.layer} layer twice`);
    const { state } = new UpstreamState(this, id, { at: this.stateOf(contract.layer), outputs: fields.map(([name]) => name) });
    const values: Record<string, unknown> = {};
    for (const [name, field, group] of fields) {
      const value = field.kind === "list" ? state.getList(name) : state.getString(name);
      if (group === undefined) values[name] = value;
      else values[group] = { ...(values[group] as object), [name]: value };
    }
    return values as ContractValues<S>;
  }

  protected allocateLogicalId(element: TerraformElement | Node): string {
    return allocateReadableLogicalId(this, element);
  }
}

function flatten(values: Record<string, unknown>): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) Object.assign(flat, value);
    else if (value !== undefined) flat[key] = value;
  }
  return flat;
}

import { Aspects, type IAspect, TerraformResource } from "cdktf";
import type { IConstruct } from "constructs";
import { STATEFUL_TYPES } from "./stateful";

/**
 * `lifecycle.prevent_destroy = true` on every stateful resource of a scope (constructs/stateful.ts):
 * a destroy run, a replacement or a removed block then stops at plan, before anything is deleted
 * (deletion protection alone answers only for the cluster, after its instances, cache, secrets
 * and logs are gone). Existing lifecycle settings (ignore_changes, ...) are kept.
 */
export class PreventDestroy implements IAspect {
  private readonly types: ReadonlySet<string>;

  /** Adds the aspect to `scope` (a stack). */
  static applyTo(scope: IConstruct, types: readonly string[] = STATEFUL_TYPES): void {
    Aspects.of(scope).add(new PreventDestroy(types));
  }

  private constructor(types: readonly string[]) {
    this.types = new Set(types);
  }

  visit(node: IConstruct): void {
    if (!TerraformResource.isTerraformResource(node)) return;
    if (!this.types.has(node.terraformResourceType)) return;
    node.lifecycle = { ...node.lifecycle, preventDestroy: true };
  }
}

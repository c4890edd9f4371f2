import type { TerraformElement, TerraformRemoteState, TerraformStack } from "cdktf";

/**
 * `cdktf synth --hcl`: the gaps of cdktf 0.21's HCL renderer, in one place. Each fix changes only
 * the HCL form of an element or a stack; `cdk.tf.json` (what is deployed and judged) is unchanged.
 * With them, every stack's `--hcl` output validates with Terraform like its JSON (issue 14):
 * - {@link hclStack}: references in `depends_on`, `ignore_changes` and `replace_triggered_by` lists come out quoted
 *   ("Quoted references are deprecated"; refused outright in `replace_triggered_by`), and stack
 *   overrides other than `terraform` are dropped (our `ephemeral` blocks, {@link hclExtraBlock});
 * - {@link hclLifecycleAsBlocks}: a data source's pre- and postconditions come out as attributes;
 * - {@link hclNestedBlocks}: attributes the provider bindings leave untyped (WAF statements) come
 *   out as object attributes instead of nested blocks.
 */

type Scalar = string | number | boolean;
type HclStackForm = { hcl: string; metadata: unknown };

const extraBlocks = new WeakMap<TerraformStack, string[]>();

/** Installs the stack-level fixes once (the stack bases call it; idempotent). */
export function hclStack(stack: TerraformStack): void {
  if (extraBlocks.has(stack)) return;
  extraBlocks.set(stack, []);
  const render = stack.toHclTerraform.bind(stack) as () => HclStackForm;
  stack.toHclTerraform = () => {
    const form = render();
    const extra = extraBlocks.get(stack) ?? [];
    return { ...form, hcl: [unquoteReferenceLists(form.hcl), ...extra].join("\n\n") };
  };
}

/** `depends_on = ["a.b",]` → `depends_on = [a.b,]` (and `replace_triggered_by`, `ignore_changes`), as Terraform expects. */
export function unquoteReferenceLists(hcl: string): string {
  return hcl.replace(
    /^(\s*(?:depends_on|replace_triggered_by|ignore_changes) = \[\n)((?:\s*"[A-Za-z0-9_.\-[\]]+",?\n)*)(\s*\])/gm,
    (_m, open, items, close) => `${open}${items.replace(/"([^"\n]+)"/g, "$1")}${close}`,
  );
}

/**
 * A top-level block the renderer drops (it renders only `terraform` of the stack overrides): kept
 * here and appended to the stack's HCL. Literal attributes only (no references, no nesting).
 */
export function hclExtraBlock(stack: TerraformStack, kind: "ephemeral", type: string, name: string, body: Record<string, Scalar>): void {
  hclStack(stack);
  const blocks = extraBlocks.get(stack) ?? [];
  const lines = Object.entries(body).map(([k, v]) => `  ${k} = ${typeof v === "string" ? JSON.stringify(v) : String(v)}`);
  blocks.push([`${kind} "${type}" "${name}" {`, ...lines, "}"].join("\n"));
}

/**
 * A lifecycle's precondition/postcondition lists are written as attributes (`postcondition = [...]`),
 * which Terraform refuses ("a block of type postcondition"); marked here as blocks.
 */
export function hclLifecycleAsBlocks(state: TerraformRemoteState): void {
  const toHcl = state.toHclTerraform.bind(state);
  state.toHclTerraform = () => {
    const hcl = toHcl() as { data: { terraform_remote_state: Record<string, Record<string, unknown>> } };
    for (const body of Object.values(hcl.data.terraform_remote_state)) {
      const lifecycle = body.lifecycle as Record<string, unknown[]> | undefined;
      if (lifecycle === undefined) continue;
      const blocks = Object.fromEntries(
        Object.entries(lifecycle).map(([name, list]) => [name, { value: list, isBlock: true, type: "list" }]),
      );
      body.lifecycle = { value: blocks, isBlock: true, type: "simple" };
    }
    return hcl;
  };
}

/**
 * Untyped (`any`) attributes of a resource's repeated block, e.g. `rule[].statement` of
 * `aws_wafv2_web_acl`, written as nested blocks: every object (and list of objects) below them is a
 * block in the provider's schema, every scalar or list of scalars an argument.
 */
export function hclNestedBlocks(resource: TerraformElement, block: string, attribute: string): void {
  const toHcl = resource.toHclTerraform.bind(resource);
  resource.toHclTerraform = () => {
    type Attribute = { value: unknown; storageClassType?: string };
    const hcl = toHcl() as { resource: Record<string, Record<string, Record<string, { value: Record<string, Attribute | unknown>[] }>>> };
    for (const byName of Object.values(hcl.resource)) {
      for (const body of Object.values(byName)) {
        for (const item of body[block]?.value ?? []) {
          const untyped = item[attribute] as Attribute | undefined;
          if (untyped?.storageClassType === "any") item[attribute] = asBlock(untyped.value);
        }
      }
    }
    return hcl;
  };
}

function asBlock(value: unknown): unknown {
  if (Array.isArray(value) && value.every(isObject)) return { value: value.map(blockBody), isBlock: true, type: "list" };
  if (isObject(value)) return { value: blockBody(value), isBlock: true, type: "simple" };
  return value;
}

const blockBody = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, asBlock(v)]));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

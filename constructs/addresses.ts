import { TerraformDataSource, TerraformElement, TerraformResource, type TerraformStack } from "cdktf";
import type { Node } from "constructs";

/**
 * Readable Terraform addresses: `aws_ecs_service.backend`, `aws_rds_cluster.aurora`,
 * `aws_s3_bucket.alb_access_logs` instead of cdktf's `backend-service_97A8D48A`.
 *
 * The name is the construct path below the stack in snake_case, without the trailing words it
 * shares with the resource type (`access-logs/bucket` of an `aws_s3_bucket` is `access_logs`);
 * when nothing is left the name is `main` (`aws_kms_key.main`). No environment is in an address,
 * so dev, staging and prod plans read alike. Two resources of one type that would get the same
 * name stop synth with both construct paths (cdktf would otherwise merge them silently).
 */
export function readableName(terraformType: string | undefined, components: readonly string[]): string {
  const words = components
    .filter((c) => c !== "Default" && c !== "Resource")
    .flatMap(snakeWords)
    .filter((w, i, all) => w !== all[i - 1]); // vpc/vpc → vpc
  if (terraformType !== undefined) {
    const typeWords = terraformType.split("_").slice(1); // without the provider prefix
    let shared = 0;
    while (
      shared < Math.min(words.length, typeWords.length) &&
      words[words.length - 1 - shared] === typeWords[typeWords.length - 1 - shared]
    ) {
      shared++;
    }
    const rest = words.slice(0, words.length - shared);
    return rest.length > 0 ? rest.join("_") : "main";
  }
  return words.join("_");
}

/** `backend-service`, `BackendCpuHigh`, `rule-1` → `backend`/`service`, `backend`/`cpu`/`high`, `rule`/`1`. */
function snakeWords(component: string): string[] {
  return component
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** `resource`/`data`/`other` plus the Terraform type: the namespace a name must be unique in. */
function namespaceOf(element: TerraformElement): { kind: string; type?: string } {
  if (element instanceof TerraformResource) return { kind: "resource", type: element.terraformResourceType };
  if (element instanceof TerraformDataSource) return { kind: "data", type: element.terraformResourceType };
  return { kind: element.constructor.name };
}

const claimed = new WeakMap<TerraformStack, Map<string, string>>();

/**
 * The logical id of an element of `stack` (the body of `TerraformStack.allocateLogicalId`):
 * readable for resources and data sources, the plain construct id for everything else.
 */
export function allocateReadableLogicalId(stack: TerraformStack, element: TerraformElement | Node): string {
  const node = TerraformElement.isTerraformElement(element) ? element.node : element;
  const components = node.scopes.slice(node.scopes.indexOf(stack) + 1).map((c) => c.node.id);
  if (!TerraformElement.isTerraformElement(element)) return readableName(undefined, components);
  const { kind, type } = namespaceOf(element);
  const name = readableName(type, components);
  const key = `${kind}.${type ?? ""}.${name}`;
  let names = claimed.get(stack);
  if (!names) {
    names = new Map();
    claimed.set(stack, names);
  }
  const owner = names.get(key);
  if (owner === undefined) names.set(key, node.path);
  else if (owner !== node.path) {
    throw new Error(
      `${stack.node.id}: ${type ?? kind}.${name} would name both ${owner} and ${node.path}; give one of the constructs another id`,
    );
  }
  return name;
}

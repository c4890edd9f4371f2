import type { EnvName, Layer } from "../config";

/** `markmail-<env>-<layer>`: the stack id users type (`cdktf deploy markmail-dev-ecs`). */
export function stackId(project: string, env: EnvName, layer: Layer): string {
  return `${project}-${env}-${layer}`;
}

/**
 * `markmail-<env>[-<component>]`: every physical name. Throws when the name exceeds the AWS
 * limit of its resource type (ALB and target group names: 32 characters).
 */
export function physicalName(project: string, env: EnvName, component?: string, maxLength = 255): string {
  const name = component ? `${project}-${env}-${component}` : `${project}-${env}`;
  if (name.length > maxLength) {
    throw new Error(`name "${name}" is ${name.length} characters; the limit for this resource type is ${maxLength}`);
  }
  return name;
}

/** AWS limits that physical names must respect. */
export const NAME_LIMITS = {
  alb: 32,
  targetGroup: 32,
  iamRole: 64,
  elasticacheReplicationGroup: 40,
  codestarConnection: 32,
} as const;

/** The default tags of every AWS resource of a stack (provider default_tags): one set for all stacks. */
export function stackTags(environment: string, layer: string): Record<string, string> {
  return { Project: "MarkMail", Environment: environment, Layer: layer, ManagedBy: "cdktf" };
}

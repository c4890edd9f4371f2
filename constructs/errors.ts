import type { IConstruct } from "constructs";

/**
 * An AWS limit a construct enforces, in the one-line form config errors use, prefixed with the
 * construct's path (`markmail-dev-ecs/Backend: minCount=0 is not valid: expected ...`), so the
 * reader finds the construct and the value at once. Config validates inputs and prod rules; the
 * construct validates what AWS accepts, once.
 */
export class ConstructError extends Error {
  constructor(scope: IConstruct, field: string, value: unknown, expected: string) {
    const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
    super(`${scope.node.path}: ${field}=${shown} is not valid: expected ${expected}`);
    this.name = "ConstructError";
  }
}

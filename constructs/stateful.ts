import protection from "../policies/data/protection/data.json";

/**
 * Resource types that hold data or guard it: deleting or replacing one loses data (a database, a
 * bucket, a key that encrypts backups, a secret, an image repository, logs, the state store).
 * One list, the policy gate's (policies/data/protection): prod protects these types with
 * `prevent_destroy` (constructs/prevent-destroy.ts), OPA MM-047 checks it, and
 * `__tests__/addresses.test.ts` pins their addresses so a refactor cannot move them by accident.
 */
export const STATEFUL_TYPES: readonly string[] = protection.stateful_types.map((t) => t.type);

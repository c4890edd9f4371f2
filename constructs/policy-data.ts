/**
 * The policy gate's data (policies/data/<set>/data.json), for the constructs and the jest tests.
 * The OPA rules read the same files as `data.data.<set>`, so "what looks like a secret", the
 * actions allowed on `*` and the AWS-managed policies allowed on roles exist once. The patterns are
 * written RE2- and ECMAScript-compatible (policies/data/secrets/data.json says how).
 */
import iamData from "../policies/data/iam/data.json";
import networkData from "../policies/data/network/data.json";
import secretsData from "../policies/data/secrets/data.json";
import tlsData from "../policies/data/tls/data.json";

export const POLICY_DATA = { iam: iamData, network: networkData, secrets: secretsData, tls: tlsData } as const;

const anyOf = (patterns: readonly string[], flags: string) => new RegExp(patterns.map((p) => `(?:${p})`).join("|"), flags);

/** A variable or key name that looks like it holds a credential (case-insensitive). */
export const SECRET_NAME = anyOf(
  secretsData.names.patterns.map((p) => p.pattern),
  "i",
);
const POINTER_SUFFIX = new RegExp(`(${secretsData.names.pointer_suffixes.join("|")})$`, "i");
const PUBLIC_SUFFIX = new RegExp(`(${secretsData.names.public_suffixes.join("|")})$`, "i");
const VALUE_PATTERNS = secretsData.values.patterns.map((p) => ({ id: p.id, re: new RegExp(p.pattern) }));
const ENTROPY_RUNS = secretsData.values.high_entropy.map((h) => ({
  run: new RegExp(`[${h.chars}]{${h.min_length},}`, "g"),
  min: h.min_length,
}));

/** True for a name such as DB_PASSWORD or STRIPE_SK; false for pointers (JWT_SECRET_ARN) and public keys. */
export function looksSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !POINTER_SUFFIX.test(name) && !PUBLIC_SUFFIX.test(name);
}

/** Why a value looks like a credential (a pattern id or "high-entropy"), or undefined. */
export function secretValueFinding(value: string): string | undefined {
  if (secretsData.values.placeholders.includes(value)) return undefined;
  for (const p of VALUE_PATTERNS) if (p.re.test(value)) return p.id;
  if (secretsData.values.entropy_exempt_prefixes.some((prefix) => value.startsWith(prefix))) return undefined;
  const literal = value.replace(/\$\{[^}]*\}/g, " ");
  for (const { run } of ENTROPY_RUNS) {
    for (const m of literal.match(run) ?? []) if (/[a-z]/.test(m) && /[A-Z]/.test(m) && /[0-9]/.test(m)) return "high-entropy";
  }
  return undefined;
}

/** Actions AWS offers no resource-level scoping for: the only ones allowed on Resource "*". */
export const UNSCOPABLE_ACTIONS: ReadonlySet<string> = new Set(iamData.unscopable_actions.map((a) => a.action));
const UNSCOPABLE_LOWER = new Set([...UNSCOPABLE_ACTIONS].map((a) => a.toLowerCase()));

export function isUnscopableAction(action: string): boolean {
  return UNSCOPABLE_LOWER.has(action.toLowerCase());
}

/** `*`, `s3:*`, `iam:Pass*`, `s3:Get?bject`: any wildcard anywhere in the action. */
export function isWildcardAction(action: string): boolean {
  return /[*?]/.test(action);
}

/** The confused-deputy conditions a service principal sets (policies/data/iam `service_principals`). */
export interface ServicePrincipalConditions {
  readonly sourceAccount: boolean;
  readonly sourceArn: boolean;
}

/** Throws for a service principal the gate does not know (MM-043 denies it too). */
export function servicePrincipalConditions(principal: string): ServicePrincipalConditions {
  const e = iamData.service_principals.find((p) =>
    new RegExp(`^${p.principal.replace(/\./g, "\\.").replace("{region}", "[a-z0-9-]+")}$`).test(principal),
  );
  if (!e)
    throw new Error(
      `service principal ${principal} is not in policies/data/iam service_principals; add it with the conditions the service sets`,
    );
  return { sourceAccount: e.source_account, sourceArn: e.source_arn };
}

/** AWS-managed policies a role may have attached (ARN with the partition written as `aws`). */
export const ALLOWED_MANAGED_POLICIES: ReadonlySet<string> = new Set(iamData.managed_policies.map((p) => p.arn));

/** A policy ARN with its partition normalised (`arn:${partition}:iam::aws:policy/...` → `arn:aws:...`). */
export function normalisedPolicyArn(arn: string): string {
  return arn.replace(/^arn:(\$\{[^}]*\}|aws[a-z-]*):/, "arn:aws:");
}

/** SSL policies allowed on HTTPS/TLS listeners. */
export const ALLOWED_SSL_POLICIES: ReadonlySet<string> = new Set(tlsData.ssl_policies.map((p) => p.policy));

/**
 * The application contract: what the MarkMail containers expect and what the operator guide
 * relies on. Shared by the layers, the ops scripts' tests and the docs tests.
 */
export const APP = {
  /** Both containers listen on 8080 (nginx in the frontend image, the Rust server via PORT). */
  backendPort: 8080,
  frontendPort: 8080,
  backendContainer: "backend",
  frontendContainer: "frontend",
  /** The images' non-root users: backend `useradd -u 1001 appuser`, frontend nginx:alpine `nginx` (101). */
  backendUser: "1001:1001",
  frontendUser: "101:101",
  backendHealthPath: "/health",
  frontendHealthPath: "/",
  /** The guide's psql flow uses the default PostgreSQL port (no -p), database and user markmail. */
  dbPort: 5432,
  dbName: "markmail",
  dbUser: "markmail",
  redisPort: 6379,
  /** Path-based routing exactly as the guide: /api/* priority 1 → backend, /* priority 2 → frontend. */
  routes: [
    { priority: 1, paths: ["/api/*"], target: "backend" },
    { priority: 2, paths: ["/*"], target: "frontend" },
  ],
  salesforceCallbackPath: "/api/crm/oauth/salesforce/callback",
} as const;

/**
 * Secrets Manager ids (`markmail-<env>-<suffix>`) and their JSON keys. The guide reads
 * `markmail-<env>-db-secret` `.password` and writes `markmail-<env>-salesforce-secret` with
 * client_id / client_secret / redirect_url / use_sandbox.
 */
export const SECRETS = {
  db: { suffix: "db-secret", keys: ["username", "password", "engine", "host", "port", "dbname", "url"] },
  jwt: { suffix: "jwt-secret", keys: ["secret"] },
  salesforce: { suffix: "salesforce-secret", keys: ["client_id", "client_secret", "redirect_url", "use_sandbox"] },
  ai: { suffix: "ai-secret", keys: ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "AI_PROVIDER", "OPENAI_MODEL", "ANTHROPIC_MODEL"] },
  stripe: { suffix: "stripe-secret", keys: ["STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET"] },
  dockerhub: { suffix: "dockerhub", keys: ["username", "password"] },
} as const;
export type SecretName = keyof typeof SECRETS;

/**
 * The backend's secret environment variables: variable → [secret, JSON key]. The ecs layer writes
 * them into the task definition's `secrets`; the ecs-cluster layer lets the execution role read
 * exactly the secrets named here. One map, so the two cannot drift.
 */
export const BACKEND_SECRET_ENV: Readonly<Record<string, readonly [SecretName, string]>> = {
  DATABASE_URL: ["db", "url"],
  JWT_SECRET: ["jwt", "secret"],
  SALESFORCE_CLIENT_ID: ["salesforce", "client_id"],
  SALESFORCE_CLIENT_SECRET: ["salesforce", "client_secret"],
  // The guide's key; the original app read SALESFORCE_IS_SANDBOX, both carry the same value.
  SALESFORCE_USE_SANDBOX: ["salesforce", "use_sandbox"],
  SALESFORCE_IS_SANDBOX: ["salesforce", "use_sandbox"],
  ...Object.fromEntries(SECRETS.ai.keys.map((k) => [k, ["ai", k] as const])),
  ...Object.fromEntries(SECRETS.stripe.keys.map((k) => [k, ["stripe", k] as const])),
};

/** Secrets the running backend reads itself through the API (GetSecretValue): the task role's scope. */
export const BACKEND_READS_SECRETS: readonly SecretName[] = ["salesforce", "ai", "stripe", "jwt"];

/** Every secret the task definition injects, in map order, each once. */
export function injectedSecrets(): SecretName[] {
  return [...new Set(Object.values(BACKEND_SECRET_ENV).map(([name]) => name))];
}

/** The sender of an environment's mail: no-reply@<domain>, or a documented placeholder without a domain. */
export function mailSender(domain?: string): { readonly address: string; readonly identity: string } {
  return domain
    ? { address: `no-reply@${domain}`, identity: domain }
    : { address: "no-reply@example.com", identity: "no-reply@example.com" };
}

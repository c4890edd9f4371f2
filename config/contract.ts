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

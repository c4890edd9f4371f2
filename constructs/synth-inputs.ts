import type { AppConfig, EnvironmentConfig } from "../config";

/**
 * The environment variables that make `npm run synth` produce this environment's stacks exactly
 * as this synth run does (region, domain, account id, backend, sources), for the pipeline's
 * deploy project: it synthesizes and applies the ECS stack from the same inputs a developer used.
 * Values only, none secret (no token or password is a synth input).
 */
export function synthInputs(config: AppConfig, env: EnvironmentConfig): Record<string, string> {
  const E = env.name.toUpperCase();
  const vars: Record<string, string | undefined> = {
    MARKMAIL_REGION: config.region,
    CDK_CONTEXT_ENVIRONMENT: env.name,
    [`${E}_DOMAIN`]: env.domain,
    HOSTED_ZONE_MODE: env.hostedZone,
    [`${E}_ACCOUNT_ID`]: env.accountId,
    GITHUB_OWNER: config.github.owner,
    GITHUB_REPO: config.github.repo,
    GITHUB_BRANCH: env.pipeline.branch,
    GITHUB_CONNECTION_ARN: config.github.connectionArn,
    INFRA_GITHUB_REPO: `${config.github.infra.owner}/${config.github.infra.repo}`,
    INFRA_GITHUB_BRANCH: config.github.infra.branch,
    TF_BACKEND: config.backend.kind,
  };
  const b = config.backend;
  if (b.kind === "s3") {
    Object.assign(vars, {
      TF_STATE_BUCKET: b.bucket,
      TF_LOCK_TABLE: b.lockTable,
      TF_STATE_REGION: b.region,
      TF_STATE_KMS_KEY: b.kmsKeyId,
      TF_STATE_LOCKING: b.locking,
    });
  } else if (b.kind === "cloud") {
    Object.assign(vars, { TFC_ORGANIZATION: b.organization, TFC_HOSTNAME: b.hostname });
  }
  return Object.fromEntries(Object.entries(vars).filter((e): e is [string, string] => e[1] !== undefined));
}

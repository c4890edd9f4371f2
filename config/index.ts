import { BACKUP_COPY_REGIONS, DEFAULTS, zoneLetters } from "./defaults";
import { ConfigError, invalid } from "./errors";
import { REGION_ZONES, REGIONS } from "./regions";
import { type AppConfig, type BackendConfig, ENVIRONMENTS, type EnvName, type EnvironmentConfig } from "./types";
import { validateAcrossEnvironments, validateEnvironment } from "./validate";
import { bool, check, FORMS, oneOf, optional, optionalChecked } from "./validators";

export * from "./types";
export { ConfigError } from "./errors";
export { validateEnvironment, validateAcrossEnvironments, LOG_RETENTION_DAYS } from "./validate";

export const PROJECT = "markmail";
export const DEFAULT_REGION = "ap-northeast-1";

/**
 * Every environment variable the app reads, with its accepted form. `help`, README and the
 * config tests are checked against this list, so an input cannot be added silently.
 */
export const INPUTS = {
  CDK_CONTEXT_ENVIRONMENT: "restrict synth to one environment: dev, staging or prod (default: all three)",
  DEV_DOMAIN: "DNS name of dev, e.g. dev.markmail.example.com (default: none, HTTP only)",
  STAGING_DOMAIN: "DNS name of staging (default: none, HTTP only)",
  PROD_DOMAIN: "DNS name of prod (default: none, HTTP only)",
  HOSTED_ZONE_MODE: "lookup (find the Route 53 zone of the domain) or create (default: lookup)",
  NOTIFICATION_EMAIL: "alarm recipient e-mail (default: none, a warning is printed)",
  GITHUB_OWNER: "GitHub owner of the application repository (default: engineers-hub-ltd-in-house-project)",
  GITHUB_REPO: "GitHub repository name (default: markmail)",
  GITHUB_BRANCH: "pipeline branch; needs CDK_CONTEXT_ENVIRONMENT (defaults: dev→dev, staging→staging, prod→main)",
  GITHUB_CONNECTION_ARN: "reuse an existing CodeConnections connection (default: one is created per environment)",
  INFRA_GITHUB_REPO:
    "<owner>/<repository> of this infrastructure repository, the pipeline's deploy source (default: <GITHUB_OWNER>/markmail-infrastructure)",
  INFRA_GITHUB_BRANCH: "branch of the infrastructure repository the pipeline deploys from (default: main)",
  CREATE_BASTION: "true adds the markmail-<env>-bastion stacks (default: false)",
  MARKMAIL_REGION: "AWS region of every stack and, by default, of the state bucket (default: ap-northeast-1; AWS_REGION is not read)",
  DEV_ACCOUNT_ID: "12-digit AWS account id dev may be applied in (default: any; the provider's allowed_account_ids)",
  STAGING_ACCOUNT_ID: "12-digit AWS account id staging may be applied in (default: any)",
  PROD_ACCOUNT_ID: "12-digit AWS account id prod may be applied in (default: any)",
  BACKUP_COPY_REGION:
    "region prod's AWS Backup recovery points are copied to (default: ap-northeast-3 for ap-northeast-1; required for a region without a default)",
  TF_BACKEND: "s3, local or cloud (default: s3)",
  TF_STATE_BUCKET: "S3 state bucket (default: markmail-terraform-state)",
  TF_LOCK_TABLE: "DynamoDB lock table (default: markmail-terraform-locks)",
  TF_STATE_REGION: "region of the state bucket (default: MARKMAIL_REGION)",
  TF_STATE_KMS_KEY: "KMS alias encrypting the state objects (default: alias/markmail-terraform-state, made by the bootstrap)",
  TF_STATE_LOCKING: "dynamodb, lockfile or both (default: both)",
  TFC_ORGANIZATION: "HCP Terraform organization, required with TF_BACKEND=cloud",
  TFC_HOSTNAME: "HCP Terraform / Terraform Enterprise host (default: app.terraform.io)",
} as const;

/** Inputs that only one backend reads: set with another, they would be ignored silently. */
const BACKEND_INPUTS = {
  s3: ["TF_STATE_BUCKET", "TF_LOCK_TABLE", "TF_STATE_REGION", "TF_STATE_KMS_KEY", "TF_STATE_LOCKING"],
  cloud: ["TFC_ORGANIZATION", "TFC_HOSTNAME"],
  local: [],
} as const;

function readBackend(vars: NodeJS.ProcessEnv, region: string): BackendConfig {
  const kind = oneOf(vars, "TF_BACKEND", ["s3", "local", "cloud"] as const, "s3");
  for (const [other, names] of Object.entries(BACKEND_INPUTS)) {
    if (other === kind) continue;
    for (const name of names) {
      if (optional(vars, name) !== undefined) {
        throw new ConfigError(`${name} is set but TF_BACKEND=${kind} does not use it: expected it unset, or TF_BACKEND=${other}`);
      }
    }
  }
  if (kind === "local") return { kind };
  if (kind === "cloud") {
    const organization = optionalChecked(vars, "TFC_ORGANIZATION", "tfcOrganization");
    if (organization === undefined) {
      throw new ConfigError("TFC_ORGANIZATION is not set: expected an HCP Terraform organization name when TF_BACKEND=cloud");
    }
    const hostname = optional(vars, "TFC_HOSTNAME") ?? "app.terraform.io";
    check("TFC_HOSTNAME", hostname, "hostname");
    return { kind, organization, hostname };
  }
  return {
    kind,
    bucket: optionalChecked(vars, "TF_STATE_BUCKET", "bucket") ?? `${PROJECT}-terraform-state`,
    lockTable: optionalChecked(vars, "TF_LOCK_TABLE", "table") ?? `${PROJECT}-terraform-locks`,
    region: optionalChecked(vars, "TF_STATE_REGION", "region") ?? region,
    kmsKeyId: optionalChecked(vars, "TF_STATE_KMS_KEY", "kmsAlias") ?? `alias/${PROJECT}-terraform-state`,
    locking: oneOf(vars, "TF_STATE_LOCKING", ["dynamodb", "lockfile", "both"] as const, "both"),
  };
}

/** Builds one environment from the defaults plus the inputs that concern it. */
export function buildEnvironment(
  name: EnvName,
  region: string,
  inputs: { domain?: string; branch?: string; hostedZone?: "lookup" | "create"; accountId?: string; copyRegion?: string } = {},
): EnvironmentConfig {
  const d = DEFAULTS[name];
  const { azCount, ...network } = d.network;
  const { defaultBranch, ...pipeline } = d.pipeline;
  const { copy, ...backup } = d.backup;
  let copyTo: EnvironmentConfig["backup"]["copy"];
  if (copy !== undefined) {
    const copyRegion = inputs.copyRegion ?? BACKUP_COPY_REGIONS[region];
    if (copyRegion === undefined) {
      throw new ConfigError(
        `BACKUP_COPY_REGION is not set: expected the region ${name}'s backups are copied to (there is no default for ${region})`,
      );
    }
    copyTo = { region: copyRegion, retentionDays: copy.retentionDays };
  }
  return {
    ...d,
    backup: { ...backup, copy: copyTo },
    name,
    domain: inputs.domain,
    hostedZone: inputs.hostedZone ?? d.hostedZone,
    accountId: inputs.accountId,
    network: {
      ...network,
      availabilityZones: zoneLetters(region)
        .slice(0, azCount)
        .map((l) => `${region}${l}`),
    },
    pipeline: { ...pipeline, branch: inputs.branch ?? defaultBranch },
  };
}

/**
 * Reads and validates every input. Throws ConfigError (one line naming the input and the
 * accepted form) before any construct exists, so a bad value never leaves a half-written cdktf.out.
 */
export function loadConfig(vars: NodeJS.ProcessEnv = process.env): AppConfig {
  const region = optional(vars, "MARKMAIL_REGION") ?? DEFAULT_REGION;
  if (!REGIONS.includes(region)) {
    throw invalid("MARKMAIL_REGION", region, `one of ${REGIONS.join(", ")} (the regions whose availability zones config/regions.ts knows)`);
  }
  const only = optional(vars, "CDK_CONTEXT_ENVIRONMENT");
  if (only !== undefined && !(ENVIRONMENTS as readonly string[]).includes(only)) {
    throw invalid("CDK_CONTEXT_ENVIRONMENT", only, `one of ${ENVIRONMENTS.join(", ")} (or unset for all)`);
  }
  const branch = optionalChecked(vars, "GITHUB_BRANCH", "branch");
  if (branch !== undefined && only === undefined) {
    throw new ConfigError(
      "GITHUB_BRANCH is set but CDK_CONTEXT_ENVIRONMENT is not: expected CDK_CONTEXT_ENVIRONMENT=dev|staging|prod so the branch applies to one environment",
    );
  }
  const hostedZone = oneOf(vars, "HOSTED_ZONE_MODE", ["lookup", "create"] as const, "lookup");
  const copyRegion = optional(vars, "BACKUP_COPY_REGION");
  if (copyRegion !== undefined && !REGIONS.includes(copyRegion)) {
    throw invalid("BACKUP_COPY_REGION", copyRegion, `one of ${REGIONS.join(", ")} (the regions config/regions.ts knows)`);
  }

  const all = ENVIRONMENTS.map((name) => {
    const azCount = DEFAULTS[name].network.azCount;
    if (REGION_ZONES[region].length < azCount) {
      throw new ConfigError(
        `MARKMAIL_REGION=${region} has ${REGION_ZONES[region].length} usable availability zones (${REGION_ZONES[region].join(", ")}) but ${name} needs ${azCount}: expected a region with at least ${azCount}`,
      );
    }
    return buildEnvironment(name, region, {
      domain: optionalChecked(vars, `${name.toUpperCase()}_DOMAIN`, "domain"),
      branch: name === only ? branch : undefined,
      hostedZone,
      accountId: optionalChecked(vars, `${name.toUpperCase()}_ACCOUNT_ID`, "accountId"),
      copyRegion,
    });
  });
  for (const env of all) validateEnvironment(env, region);
  validateAcrossEnvironments(all);
  const environments = all.filter((e) => only === undefined || e.name === only);

  const notificationEmail = optionalChecked(vars, "NOTIFICATION_EMAIL", "email");
  const warnings: string[] = [];
  for (const env of environments) {
    if (env.domain === undefined && env.name === "prod") {
      warnings.push(
        "prod: no PROD_DOMAIN set, so markmail-prod-alb serves NO application traffic: prod is HTTPS only, its HTTP listener answers every request with 503 and the ecs services cannot attach to the target groups (set PROD_DOMAIN)",
      );
    } else if (env.domain === undefined) {
      warnings.push(
        `${env.name}: no ${env.name.toUpperCase()}_DOMAIN set, so markmail-${env.name}-alb serves plain HTTP only (set the domain for HTTPS with TLS 1.3)`,
      );
    }
  }
  if (notificationEmail === undefined) {
    warnings.push("NOTIFICATION_EMAIL is not set: alarms go to the SNS topic but no person is subscribed");
  }
  const awsRegion = optional(vars, "AWS_REGION");
  if (awsRegion !== undefined && awsRegion !== region) {
    warnings.push(`AWS_REGION=${awsRegion} is not used by synth: the stacks are in ${region} (set MARKMAIL_REGION to move them)`);
  }
  const backend = readBackend(vars, region);
  const notices = [
    `region: ${region} (MARKMAIL_REGION); state: ${
      backend.kind === "s3"
        ? `s3://${backend.bucket} in ${backend.region}`
        : backend.kind === "cloud"
          ? `HCP Terraform organization ${backend.organization}`
          : "local files in terraform-state/"
    }`,
  ];

  const owner = optionalChecked(vars, "GITHUB_OWNER", "githubOwner") ?? "engineers-hub-ltd-in-house-project";
  const infraRepo = optional(vars, "INFRA_GITHUB_REPO") ?? `${owner}/markmail-infrastructure`;
  const [infraOwner, infraName, ...more] = infraRepo.split("/");
  if (more.length > 0 || !FORMS.githubOwner.re.test(infraOwner ?? "") || !FORMS.githubRepo.re.test(infraName ?? "")) {
    throw invalid("INFRA_GITHUB_REPO", infraRepo, "<owner>/<repository> of this infrastructure repository on GitHub");
  }
  const infraBranch = optionalChecked(vars, "INFRA_GITHUB_BRANCH", "branch") ?? "main";
  // The pipeline's deploy stage fetches this repository: a wrong name fails only when it runs, so say which.
  notices.push(
    `pipeline deploy source: github.com/${infraRepo} (${infraBranch})${optional(vars, "INFRA_GITHUB_REPO") ? "" : ": the default; set INFRA_GITHUB_REPO if this repository lives elsewhere"}`,
  );

  return {
    project: PROJECT,
    region,
    environments,
    backend,
    github: {
      owner,
      repo: optionalChecked(vars, "GITHUB_REPO", "githubRepo") ?? "markmail",
      connectionArn: optionalChecked(vars, "GITHUB_CONNECTION_ARN", "connectionArn"),
      infra: { owner: infraOwner, repo: infraName, branch: infraBranch },
    },
    notificationEmail,
    createBastion: bool(vars, "CREATE_BASTION", false),
    warnings,
    notices,
  };
}

import { ConfigError, INPUTS, loadConfig, validateAcrossEnvironments, validateEnvironment } from "../config";
import { buildApp, configFor, configFrom } from "./helpers/synth";

const load = (vars: Record<string, string>) => () => loadConfig(vars as NodeJS.ProcessEnv);

describe("configuration defaults", () => {
  test("a fresh machine with no variables gets all three environments in ap-northeast-1 with S3 state", () => {
    const cfg = configFrom();
    expect(cfg.environments.map((e) => e.name)).toEqual(["dev", "staging", "prod"]);
    expect(cfg.region).toBe("ap-northeast-1");
    expect(cfg.backend).toEqual({
      kind: "s3",
      bucket: "markmail-terraform-state",
      lockTable: "markmail-terraform-locks",
      region: "ap-northeast-1",
      kmsKeyId: "alias/markmail-terraform-state",
      locking: "both",
    });
    expect(cfg.createBastion).toBe(false);
    expect(cfg.github).toEqual({
      owner: "engineers-hub-ltd-in-house-project",
      repo: "markmail",
      connectionArn: undefined,
      infra: { owner: "engineers-hub-ltd-in-house-project", repo: "markmail-infrastructure", branch: "main" },
    });
  });

  test("pipeline branches default per environment: dev→dev, staging→staging, prod→main", () => {
    const branches = Object.fromEntries(configFrom().environments.map((e) => [e.name, e.pipeline.branch]));
    expect(branches).toEqual({ dev: "dev", staging: "staging", prod: "main" });
  });

  test("Tokyo uses zones a/c/d: two in dev and staging, three in prod", () => {
    const azs = Object.fromEntries(configFrom().environments.map((e) => [e.name, e.network.availabilityZones]));
    expect(azs).toEqual({
      dev: ["ap-northeast-1a", "ap-northeast-1c"],
      staging: ["ap-northeast-1a", "ap-northeast-1c"],
      prod: ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"],
    });
  });

  test("environment CIDRs do not overlap", () => {
    const cidrs = configFrom().environments.map((e) => e.network.cidr);
    expect(new Set(cidrs).size).toBe(3);
    expect(() => validateAcrossEnvironments(configFrom().environments)).not.toThrow();
  });

  test("sizes follow the original stacks: backend 512/1024 ×1, ×2, and 1024/2048 ×3 in prod", () => {
    const b = Object.fromEntries(configFrom().environments.map((e) => [e.name, e.services.backend]));
    expect([b.dev.cpu, b.dev.memory, b.dev.desiredCount]).toEqual([512, 1024, 1]);
    expect([b.staging.cpu, b.staging.memory, b.staging.desiredCount]).toEqual([512, 1024, 2]);
    expect([b.prod.cpu, b.prod.memory, b.prod.desiredCount]).toEqual([1024, 2048, 3]);
  });

  test("rotation and backup schedules per environment: rotation 7/14/30 days, backups 7/14/35 days, prod copied, locked and restore-tested", () => {
    const envs = Object.fromEntries(configFrom().environments.map((e) => [e.name, e]));
    expect(Object.fromEntries(Object.entries(envs).map(([n, e]) => [n, e.database.rotation]))).toEqual({
      dev: { days: 7, windowHours: 4, strategy: "alternating" },
      staging: { days: 14, windowHours: 4, strategy: "alternating" },
      prod: { days: 30, windowHours: 4, strategy: "alternating" },
    });
    expect(envs.dev.backup).toEqual({ schedule: "cron(0 20 * * ? *)", retentionDays: 7, vaultLock: "none", lockGraceDays: 7 });
    expect(envs.staging.backup).toMatchObject({
      retentionDays: 14,
      vaultLock: "none",
      restoreTest: { schedule: "cron(0 1 ? * MON *)", validationWindowHours: 1 },
    });
    expect(envs.staging.backup.copy).toBeUndefined();
    expect(envs.prod.backup).toEqual({
      schedule: "cron(0 20 * * ? *)",
      retentionDays: 35,
      copy: { region: "ap-northeast-3", retentionDays: 35 },
      vaultLock: "compliance",
      lockGraceDays: 7,
      restoreTest: { schedule: "cron(0 1 ? * MON *)", validationWindowHours: 1 },
    });
    expect(configFrom({ BACKUP_COPY_REGION: "us-west-2" }).environments[2].backup.copy).toEqual({ region: "us-west-2", retentionDays: 35 });
    expect(configFrom({ MARKMAIL_REGION: "us-east-1" }).environments[2].backup.copy!.region).toBe("us-west-2");
  });

  test("prod protects its data by default", () => {
    const prod = configFor("prod").environments[0];
    expect(prod.database.deletionProtection).toBe(true);
    expect(prod.database.finalSnapshot).toBe(true);
    expect(prod.database.backupRetentionDays).toBeGreaterThanOrEqual(14);
    expect(prod.alb.deletionProtection).toBe(true);
    expect(prod.forceDestroy).toBe(false);
    expect(prod.secrets.recoveryWindowDays).toBe(30);
  });

  test("inputs are read: domains, e-mail, GitHub, bastion, region, backend", () => {
    const cfg = configFrom({
      DEV_DOMAIN: "dev.markmail.example.com",
      NOTIFICATION_EMAIL: "ops@example.com",
      GITHUB_OWNER: "acme",
      GITHUB_REPO: "mail.app",
      CREATE_BASTION: "TRUE",
      MARKMAIL_REGION: "us-east-1",
      TF_BACKEND: "s3",
      TF_STATE_BUCKET: "acme-state",
      TF_LOCK_TABLE: "acme-locks",
      TF_STATE_LOCKING: "lockfile",
    });
    expect(cfg.environments[0].domain).toBe("dev.markmail.example.com");
    expect(cfg.environments[1].domain).toBeUndefined();
    expect(cfg.notificationEmail).toBe("ops@example.com");
    expect(cfg.github.owner).toBe("acme");
    expect(cfg.github.repo).toBe("mail.app");
    expect(cfg.createBastion).toBe(true);
    expect(cfg.environments[2].network.availabilityZones).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
    expect(cfg.backend).toEqual({
      kind: "s3",
      bucket: "acme-state",
      lockTable: "acme-locks",
      region: "us-east-1",
      kmsKeyId: "alias/markmail-terraform-state",
      locking: "lockfile",
    });
  });

  test("DEV_DOMAIN never falls back to PROD_DOMAIN (the original's bug)", () => {
    const cfg = configFrom({ PROD_DOMAIN: "markmail.example.com" });
    expect(cfg.environments.find((e) => e.name === "dev")!.domain).toBeUndefined();
    expect(cfg.environments.find((e) => e.name === "prod")!.domain).toBe("markmail.example.com");
  });

  test("CDK_CONTEXT_ENVIRONMENT restricts to one environment and GITHUB_BRANCH applies to it", () => {
    const cfg = configFrom({ CDK_CONTEXT_ENVIRONMENT: "staging", GITHUB_BRANCH: "release/2026-11" });
    expect(cfg.environments.map((e) => e.name)).toEqual(["staging"]);
    expect(cfg.environments[0].pipeline.branch).toBe("release/2026-11");
  });

  test("HTTP-only environments and a missing alarm recipient are warned about, not fatal", () => {
    const cfg = configFrom({ PROD_DOMAIN: "markmail.example.com" });
    expect(cfg.warnings.some((w) => w.startsWith("dev: no DEV_DOMAIN"))).toBe(true);
    expect(cfg.warnings.some((w) => w.startsWith("prod:"))).toBe(false);
    expect(cfg.warnings.some((w) => w.startsWith("NOTIFICATION_EMAIL"))).toBe(true);
  });

  test("local and cloud backends", () => {
    expect(configFrom({ TF_BACKEND: "local" }).backend).toEqual({ kind: "local" });
    expect(configFrom({ TF_BACKEND: "cloud", TFC_ORGANIZATION: "acme-platform" }).backend).toEqual({
      kind: "cloud",
      organization: "acme-platform",
      hostname: "app.terraform.io",
    });
  });
});

describe("every input rejects a bad value with one line naming it and the accepted form", () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    [
      "CDK_CONTEXT_ENVIRONMENT",
      { CDK_CONTEXT_ENVIRONMENT: "qa" },
      /^CDK_CONTEXT_ENVIRONMENT="qa" is not valid: expected one of dev, staging, prod/,
    ],
    ["DEV_DOMAIN", { DEV_DOMAIN: "not a domain" }, /^DEV_DOMAIN="not a domain" is not valid: expected a lower-case DNS name/],
    [
      "STAGING_DOMAIN",
      { STAGING_DOMAIN: "https://staging.example.com" },
      /^STAGING_DOMAIN=.* is not valid: expected a lower-case DNS name/,
    ],
    ["PROD_DOMAIN", { PROD_DOMAIN: "Markmail.Example.com" }, /^PROD_DOMAIN=.* is not valid/],
    [
      "the same domain twice",
      { DEV_DOMAIN: "markmail.example.com", PROD_DOMAIN: "markmail.example.com" },
      /^PROD_DOMAIN=.* expected a domain different from DEV_DOMAIN/,
    ],
    ["HOSTED_ZONE_MODE", { HOSTED_ZONE_MODE: "auto" }, /^HOSTED_ZONE_MODE="auto" is not valid: expected one of lookup, create$/],
    [
      "NOTIFICATION_EMAIL",
      { NOTIFICATION_EMAIL: "admin-at-example.com" },
      /^NOTIFICATION_EMAIL=.* is not valid: expected an e-mail address/,
    ],
    ["GITHUB_OWNER", { GITHUB_OWNER: "-acme" }, /^GITHUB_OWNER=.* is not valid: expected a GitHub user or organization/],
    ["GITHUB_REPO", { GITHUB_REPO: "mark mail" }, /^GITHUB_REPO=.* is not valid: expected a GitHub repository name/],
    [
      "GITHUB_BRANCH (malformed)",
      { CDK_CONTEXT_ENVIRONMENT: "dev", GITHUB_BRANCH: "feature..x" },
      /^GITHUB_BRANCH=.* is not valid: expected a git branch name/,
    ],
    ["GITHUB_BRANCH (no environment)", { GITHUB_BRANCH: "develop" }, /^GITHUB_BRANCH is set but CDK_CONTEXT_ENVIRONMENT is not/],
    [
      "GITHUB_CONNECTION_ARN",
      { GITHUB_CONNECTION_ARN: "arn:aws:iam::123:role/x" },
      /^GITHUB_CONNECTION_ARN=.* is not valid: expected a CodeStar\/CodeConnections connection ARN/,
    ],
    [
      "INFRA_GITHUB_REPO",
      { INFRA_GITHUB_REPO: "markmail-infrastructure" },
      /^INFRA_GITHUB_REPO="markmail-infrastructure" is not valid: expected <owner>\/<repository>/,
    ],
    [
      "INFRA_GITHUB_REPO (three parts)",
      { INFRA_GITHUB_REPO: "acme/infra/x" },
      /^INFRA_GITHUB_REPO=.* is not valid: expected <owner>\/<repository>/,
    ],
    [
      "INFRA_GITHUB_REPO (.git)",
      { INFRA_GITHUB_REPO: "acme/infra.git" },
      /^INFRA_GITHUB_REPO=.* is not valid: expected <owner>\/<repository>/,
    ],
    ["INFRA_GITHUB_BRANCH", { INFRA_GITHUB_BRANCH: "refs/heads/main" }, /^INFRA_GITHUB_BRANCH=.* is not valid: expected a git branch name/],
    ["CREATE_BASTION", { CREATE_BASTION: "yes" }, /^CREATE_BASTION="yes" is not valid: expected true or false$/],
    [
      "MARKMAIL_REGION",
      { MARKMAIL_REGION: "tokyo" },
      /^MARKMAIL_REGION="tokyo" is not valid: expected one of ap-northeast-1, .* \(the regions whose availability zones/,
    ],
    [
      "MARKMAIL_REGION (a real region the zone table lacks)",
      { MARKMAIL_REGION: "me-south-1" },
      /^MARKMAIL_REGION="me-south-1" is not valid: expected one of /,
    ],
    [
      "MARKMAIL_REGION (too few zones for prod)",
      { MARKMAIL_REGION: "us-west-1" },
      /^MARKMAIL_REGION=us-west-1 has 2 usable availability zones \(a, c\) but prod needs 3/,
    ],
    ["DEV_ACCOUNT_ID", { DEV_ACCOUNT_ID: "1234" }, /^DEV_ACCOUNT_ID="1234" is not valid: expected a 12-digit AWS account id/],
    ["STAGING_ACCOUNT_ID", { STAGING_ACCOUNT_ID: "12345678901a" }, /^STAGING_ACCOUNT_ID=.* is not valid: expected a 12-digit/],
    ["PROD_ACCOUNT_ID", { PROD_ACCOUNT_ID: "1234567890123" }, /^PROD_ACCOUNT_ID=.* is not valid: expected a 12-digit/],
    [
      "DEV_DOMAIN (derived names too long: the ACM name is 64 characters at most)",
      { DEV_DOMAIN: `${"a".repeat(60)}.example.com` },
      /^DEV_DOMAIN=.* is not valid: expected a lower-case DNS name of at most 64 characters/,
    ],
    [
      "GITHUB_OWNER (double hyphen)",
      { GITHUB_OWNER: "acme--corp" },
      /^GITHUB_OWNER=.* is not valid: expected a GitHub user or organization/,
    ],
    [
      "GITHUB_REPO (.git)",
      { GITHUB_REPO: "markmail.git" },
      /^GITHUB_REPO="markmail.git" is not valid: expected a GitHub repository name without .git/,
    ],
    [
      "GITHUB_BRANCH (refs/heads/)",
      { CDK_CONTEXT_ENVIRONMENT: "dev", GITHUB_BRANCH: "refs/heads/main" },
      /^GITHUB_BRANCH=.* is not valid: expected a git branch name .*without refs\/heads\//,
    ],
    [
      "TF_STATE_BUCKET (reserved prefix)",
      { TF_STATE_BUCKET: "sthree-state" },
      /^TF_STATE_BUCKET=.* is not valid: expected an S3 bucket name .*reserved/,
    ],
    [
      "TF_STATE_BUCKET (reserved suffix)",
      { TF_STATE_BUCKET: "state--ol-s3" },
      /^TF_STATE_BUCKET=.* is not valid: expected an S3 bucket name/,
    ],
    [
      "TF_STATE_BUCKET with another backend",
      { TF_BACKEND: "local", TF_STATE_BUCKET: "acme-state" },
      /^TF_STATE_BUCKET is set but TF_BACKEND=local does not use it: expected it unset, or TF_BACKEND=s3$/,
    ],
    ["TFC_ORGANIZATION with the S3 backend", { TFC_ORGANIZATION: "acme" }, /^TFC_ORGANIZATION is set but TF_BACKEND=s3 does not use it/],
    [
      "BACKUP_COPY_REGION (unknown)",
      { BACKUP_COPY_REGION: "osaka" },
      /^BACKUP_COPY_REGION="osaka" is not valid: expected one of ap-northeast-1, /,
    ],
    [
      "BACKUP_COPY_REGION (the primary region)",
      { BACKUP_COPY_REGION: "ap-northeast-1" },
      /^environments\.prod\.backup\.copy\.region="ap-northeast-1" is not valid: expected a region other than ap-northeast-1/,
    ],
    [
      "BACKUP_COPY_REGION (missing where no default exists)",
      { MARKMAIL_REGION: "sa-east-1" },
      /^BACKUP_COPY_REGION is not set: expected the region prod's backups are copied to \(there is no default for sa-east-1\)/,
    ],
    ["TF_BACKEND", { TF_BACKEND: "gcs" }, /^TF_BACKEND="gcs" is not valid: expected one of s3, local, cloud$/],
    ["TF_STATE_BUCKET", { TF_STATE_BUCKET: "My_Bucket" }, /^TF_STATE_BUCKET=.* is not valid: expected an S3 bucket name/],
    ["TF_LOCK_TABLE", { TF_LOCK_TABLE: "a" }, /^TF_LOCK_TABLE="a" is not valid: expected a DynamoDB table name/],
    ["TF_STATE_REGION", { TF_STATE_REGION: "eu" }, /^TF_STATE_REGION="eu" is not valid: expected an AWS region code/],
    ["TF_STATE_KMS_KEY", { TF_STATE_KMS_KEY: "alias/aws/s3" }, /^TF_STATE_KMS_KEY="alias\/aws\/s3" is not valid: expected a KMS alias/],
    ["TF_STATE_LOCKING", { TF_STATE_LOCKING: "none" }, /^TF_STATE_LOCKING="none" is not valid: expected one of dynamodb, lockfile, both$/],
    ["TFC_ORGANIZATION (missing)", { TF_BACKEND: "cloud" }, /^TFC_ORGANIZATION is not set: expected an HCP Terraform organization/],
    ["TFC_ORGANIZATION (malformed)", { TF_BACKEND: "cloud", TFC_ORGANIZATION: "a b" }, /^TFC_ORGANIZATION="a b" is not valid/],
    [
      "TFC_HOSTNAME",
      { TF_BACKEND: "cloud", TFC_ORGANIZATION: "acme", TFC_HOSTNAME: "http://tfe" },
      /^TFC_HOSTNAME=.* is not valid: expected a host name such as app.terraform.io/,
    ],
  ];

  test.each(cases)("%s", (_name, vars, message) => {
    const run = load(vars);
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message);
    try {
      run();
    } catch (e) {
      expect((e as Error).message).not.toContain("\n");
    }
  });

  test("every documented input has a rejection case above or is free text", () => {
    const covered = new Set(cases.flatMap(([, vars]) => Object.keys(vars)));
    for (const input of Object.keys(INPUTS)) expect(covered).toContain(input);
  });
});

describe("environment guardrails", () => {
  const prod = () => configFor("prod").environments[0];
  const dev = () => configFor("dev").environments[0];
  const region = "ap-northeast-1";
  const rejects: [string, () => any, RegExp][] = [
    [
      "prod without deletion protection",
      () => ({ ...prod(), database: { ...prod().database, deletionProtection: false } }),
      /environments\.prod\.database\.deletionProtection=false is not valid: expected true in prod/,
    ],
    [
      "prod without final snapshot",
      () => ({ ...prod(), database: { ...prod().database, finalSnapshot: false } }),
      /database\.finalSnapshot/,
    ],
    [
      "prod with 7-day backups",
      () => ({ ...prod(), database: { ...prod().database, backupRetentionDays: 7 } }),
      /at least 14 days in prod/,
    ],
    [
      "prod with a single DB instance",
      () => ({ ...prod(), database: { ...prod().database, instanceCount: 1 } }),
      /database\.instanceCount/,
    ],
    ["prod with a single cache node", () => ({ ...prod(), cache: { ...prod().cache, nodeCount: 1 } }), /cache\.nodeCount/],
    [
      "prod ALB without deletion protection",
      () => ({ ...prod(), alb: { ...prod().alb, deletionProtection: false } }),
      /alb\.deletionProtection/,
    ],
    ["prod with forceDestroy", () => ({ ...prod(), forceDestroy: true }), /forceDestroy=true is not valid/],
    [
      "prod with a 7-day key deletion window",
      () => ({ ...prod(), keyDeletionWindowDays: 7 }),
      /^environments\.prod\.keyDeletionWindowDays=7 is not valid: expected 30 in prod/,
    ],
    [
      "a key deletion window KMS refuses",
      () => ({ ...dev(), keyDeletionWindowDays: 3 }),
      /^environments\.dev\.keyDeletionWindowDays=3 is not valid: expected 7 to 30 days/,
    ],
    [
      "prod without prevent_destroy",
      () => ({ ...prod(), preventDestroy: false }),
      /^environments\.prod\.preventDestroy=false is not valid: expected true in prod/,
    ],
    [
      "prod with a short secret recovery window",
      () => ({ ...prod(), secrets: { ...prod().secrets, recoveryWindowDays: 7 } }),
      /recoveryWindowDays=7 is not valid: expected 30 in prod/,
    ],
    [
      "prod with short log retention",
      () => ({ ...prod(), logRetentionDays: 30 }),
      /logRetentionDays=30 is not valid: expected at least 365 days in prod/,
    ],
    ["prod with a single NAT", () => ({ ...prod(), network: { ...prod().network, natGateways: "single" } }), /natGateways="single"/],
    ["prod with ECS Exec", () => ({ ...prod(), services: { ...prod().services, executeCommand: true } }), /executeCommand=true/],
    [
      "any env with 1-day backups",
      () => ({ ...dev(), database: { ...dev().database, backupRetentionDays: 1 } }),
      /backupRetentionDays=1 is not valid: expected 7 to 35 days/,
    ],
    [
      "a public CIDR",
      () => ({ ...dev(), network: { ...dev().network, cidr: "8.8.0.0/16" } }),
      /network\.cidr="8\.8\.0\.0\/16" is not valid: expected a private \/16/,
    ],
    ["a /24 VPC", () => ({ ...dev(), network: { ...dev().network, cidr: "10.10.0.0/24" } }), /network\.cidr/],
    [
      "one AZ",
      () => ({ ...dev(), network: { ...dev().network, availabilityZones: ["ap-northeast-1a"] } }),
      /expected 2 or 3 availability zones/,
    ],
    [
      "an AZ of another region",
      () => ({ ...dev(), network: { ...dev().network, availabilityZones: ["ap-northeast-1a", "us-east-1a"] } }),
      /expected a zone of ap-northeast-1/,
    ],
    [
      "an invalid Fargate size",
      () => ({ ...dev(), services: { ...dev().services, backend: { ...dev().services.backend, memory: 4096, cpu: 256 } } }),
      /services\.backend\.memory=4096 is not valid: expected a Fargate memory size for 256 CPU/,
    ],
    [
      "a log retention CloudWatch does not offer",
      () => ({ ...dev(), logRetentionDays: 45 }),
      /logRetentionDays=45 is not valid: expected a CloudWatch retention value/,
    ],
    [
      "prod rotating the db secret every 60 days",
      () => ({ ...prod(), database: { ...prod().database, rotation: { ...prod().database.rotation, days: 60 } } }),
      /^environments\.prod\.database\.rotation\.days=60 is not valid: expected at most 30 days in prod$/,
    ],
    [
      "a rotation window into the next UTC day",
      () => ({ ...dev(), database: { ...dev().database, rotation: { ...dev().database.rotation, windowHours: 24 } } }),
      /rotation\.windowHours=24 is not valid: expected 1 to 12 hours/,
    ],
    [
      "a rotation strategy that does not exist",
      () => ({ ...dev(), database: { ...dev().database, rotation: { ...dev().database.rotation, strategy: "dual" } } }),
      /rotation\.strategy="dual" is not valid: expected alternating or single/,
    ],
    [
      "prod keeping backups 14 days",
      () => ({ ...prod(), backup: { ...prod().backup, retentionDays: 14 } }),
      /^environments\.prod\.backup\.retentionDays=14 is not valid: expected at least 35 days in prod/,
    ],
    [
      "prod without a copy to a second region",
      () => ({ ...prod(), backup: { ...prod().backup, copy: undefined } }),
      /^environments\.prod\.backup\.copy=undefined is not valid: expected a copy to a second region in prod/,
    ],
    [
      "prod keeping the copy 7 days",
      () => ({ ...prod(), backup: { ...prod().backup, copy: { region: "ap-northeast-3", retentionDays: 7 } } }),
      /backup\.copy\.retentionDays=7 is not valid: expected at least 35 days in prod/,
    ],
    [
      "a copy in the primary region",
      () => ({ ...dev(), backup: { ...dev().backup, copy: { region: "ap-northeast-1", retentionDays: 7 } } }),
      /^environments\.dev\.backup\.copy\.region="ap-northeast-1" is not valid: expected a region other than ap-northeast-1/,
    ],
    [
      "prod without a vault lock",
      () => ({ ...prod(), backup: { ...prod().backup, vaultLock: "none" } }),
      /^environments\.prod\.backup\.vaultLock="none" is not valid: expected governance or compliance in prod/,
    ],
    [
      "prod without restore tests",
      () => ({ ...prod(), backup: { ...prod().backup, restoreTest: undefined } }),
      /^environments\.prod\.backup\.restoreTest=undefined is not valid: expected a restore testing schedule in prod/,
    ],
    [
      "a backup schedule that is not cron()",
      () => ({ ...dev(), backup: { ...dev().backup, schedule: "daily" } }),
      /^environments\.dev\.backup\.schedule="daily" is not valid: expected a cron\(\) expression/,
    ],
    [
      "a restore test schedule of five fields",
      () => ({ ...prod(), backup: { ...prod().backup, restoreTest: { schedule: "cron(0 1 ? * MON)", validationWindowHours: 1 } } }),
      /backup\.restoreTest\.schedule=.* is not valid: expected a cron\(\) expression/,
    ],
    [
      "a lock grace period below AWS's 3 days",
      () => ({ ...prod(), backup: { ...prod().backup, lockGraceDays: 1 } }),
      /backup\.lockGraceDays=1 is not valid: expected 3 to 365 days/,
    ],
    [
      "any env keeping backups 3 days",
      () => ({ ...dev(), backup: { ...dev().backup, retentionDays: 3 } }),
      /backup\.retentionDays=3 is not valid: expected 7 to 36500 days/,
    ],
    [
      "prod reminding about secrets after 400 days",
      () => ({ ...prod(), secrets: { ...prod().secrets, maxAgeDays: 400 } }),
      /^environments\.prod\.secrets\.maxAgeDays=400 is not valid: expected at most 365 days in prod$/,
    ],
  ];
  test.each(rejects)("rejects %s", (_name, make, message) => {
    expect(() => validateEnvironment(make(), region)).toThrow(message);
  });

  // AWS limits are checked once, by the construct that meets them; the error names its path.
  test.each([
    [
      "a recovery window of 0",
      (e: any) => ({ ...e, secrets: { ...e.secrets, recoveryWindowDays: 0 } }),
      /^markmail-dev-database\/db-secret: recoveryWindowDays=0 is not valid: expected 7 to 30 days/,
    ],
    [
      "min above max",
      (e: any) => ({ ...e, services: { ...e.services, frontend: { ...e.services.frontend, minCount: 3, maxCount: 2 } } }),
      /^markmail-dev-ecs\/Frontend: minCount\/desiredCount\/maxCount="3\/1\/2" is not valid/,
    ],
    [
      "a bounce alarm above SES's pause level",
      (e: any) => ({ ...e, monitoring: { ...e.monitoring, bounceRatePercent: 12 } }),
      /^markmail-dev-monitoring\/.+: alarms\.bounceRatePercent=12 is not valid: expected a percentage above 0 and below 10/,
    ],
  ])("an AWS limit stops the app at the construct: %s", (_name, change, message) => {
    expect(() => buildApp(configFor("dev", {}, change))).toThrow(message);
  });

  test("the defaults pass", () => {
    for (const env of configFrom().environments) expect(() => validateEnvironment(env, region)).not.toThrow();
  });

  test("overlapping CIDRs are rejected across environments", () => {
    const envs = configFrom().environments.map((e) =>
      e.name === "staging" ? { ...e, network: { ...e.network, cidr: "10.10.0.0/16" } } : e,
    );
    expect(() => validateAcrossEnvironments(envs)).toThrow(
      /environments\.staging\.network\.cidr="10\.10\.0\.0\/16" is not valid: expected a \/16 that does not overlap dev/,
    );
  });
});

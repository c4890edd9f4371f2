import { cidrsOverlap, isPrivate, parseCidr } from "./cidr";
import { invalid } from "./errors";
import type { EnvironmentConfig, ServiceSizing } from "./types";
import { FORMS } from "./validators";

/** CloudWatch Logs accepts only these retention values. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Valid Fargate memory (MiB) per CPU unit value. */
const FARGATE_MEMORY: Record<number, readonly number[]> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
};

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/** An AWS cron() expression: six fields (minutes hours day-of-month month day-of-week year). */
const CRON = /^cron\((\S+ ){5}\S+\)$/;

/** Throws the one-line ConfigError for `path` unless `ok`. */
function must(ok: boolean, path: string, value: unknown, form: string): void {
  if (!ok) throw invalid(path, value, form);
}

function sizing(path: string, s: ServiceSizing): void {
  const memories = FARGATE_MEMORY[s.cpu];
  must(memories !== undefined, `${path}.cpu`, s.cpu, "one of 256, 512, 1024, 2048, 4096");
  must(
    memories.includes(s.memory),
    `${path}.memory`,
    s.memory,
    `a Fargate memory size for ${s.cpu} CPU: ${memories[0]}-${memories[memories.length - 1]} MiB`,
  );
  // Task counts (1 <= min <= desired <= max <= 100) are an ECS limit: constructs/fargate-service.ts.
}

/**
 * Checks one environment. Every rule throws a one-line ConfigError naming the field
 * (`environments.<env>.<field>`) and the accepted form. Prod rules are the data-loss guardrails.
 */
export function validateEnvironment(env: EnvironmentConfig, region: string): void {
  const p = `environments.${env.name}`;
  const prod = env.name === "prod";

  if (env.domain !== undefined) must(FORMS.domain.re.test(env.domain), `${p}.domain`, env.domain, FORMS.domain.form);

  // Network
  const net = env.network;
  const cidr = parseCidr(net.cidr);
  must(cidr !== undefined && cidr[1] === 16 && isPrivate(cidr[0]), `${p}.network.cidr`, net.cidr, "a private /16 such as 10.10.0.0/16");
  const azs = net.availabilityZones;
  must(azs.length >= 2 && azs.length <= 3, `${p}.network.availabilityZones`, azs.join(","), "2 or 3 availability zones");
  must(new Set(azs).size === azs.length, `${p}.network.availabilityZones`, azs.join(","), "distinct availability zones");
  for (const az of azs)
    must(new RegExp(`^${region}[a-z]$`).test(az), `${p}.network.availabilityZones`, az, `a zone of ${region} such as ${region}a`);
  must(
    LOG_RETENTION_DAYS.includes(net.flowLogRetentionDays as never),
    `${p}.network.flowLogRetentionDays`,
    net.flowLogRetentionDays,
    "a CloudWatch retention value such as 30, 90 or 365",
  );

  // Database
  const db = env.database;
  must(/^\d{2}\.\d+$/.test(db.engineVersion), `${p}.database.engineVersion`, db.engineVersion, "an aurora-postgresql version such as 16.6");
  must(
    /^db\.[a-z0-9]+\.[a-z0-9]+$/.test(db.instanceClass),
    `${p}.database.instanceClass`,
    db.instanceClass,
    "an RDS instance class such as db.t4g.medium",
  );
  must(
    Number.isInteger(db.instanceCount) && db.instanceCount >= 1 && db.instanceCount <= 15,
    `${p}.database.instanceCount`,
    db.instanceCount,
    "an integer from 1 to 15",
  );
  must(
    Number.isInteger(db.backupRetentionDays) && db.backupRetentionDays >= 7 && db.backupRetentionDays <= 35,
    `${p}.database.backupRetentionDays`,
    db.backupRetentionDays,
    "7 to 35 days",
  );
  must(
    [0, 1, 5, 10, 15, 30, 60].includes(db.monitoringIntervalSeconds),
    `${p}.database.monitoringIntervalSeconds`,
    db.monitoringIntervalSeconds,
    "one of 0, 1, 5, 10, 15, 30, 60",
  );
  must(
    db.performanceInsightsRetentionDays === 7 ||
      db.performanceInsightsRetentionDays === 731 ||
      (db.performanceInsightsRetentionDays % 31 === 0 &&
        db.performanceInsightsRetentionDays <= 713 &&
        db.performanceInsightsRetentionDays > 0),
    `${p}.database.performanceInsightsRetentionDays`,
    db.performanceInsightsRetentionDays,
    "7, 731 or a multiple of 31 up to 713",
  );
  must(
    Number.isInteger(db.passwordVersion) && db.passwordVersion >= 1,
    `${p}.database.passwordVersion`,
    db.passwordVersion,
    "an integer >= 1",
  );
  must(/^\d{2}:\d{2}-\d{2}:\d{2}$/.test(db.backupWindow), `${p}.database.backupWindow`, db.backupWindow, "hh:mm-hh:mm in UTC");
  must(
    /^(mon|tue|wed|thu|fri|sat|sun):\d{2}:\d{2}-(mon|tue|wed|thu|fri|sat|sun):\d{2}:\d{2}$/.test(db.maintenanceWindow),
    `${p}.database.maintenanceWindow`,
    db.maintenanceWindow,
    "ddd:hh:mm-ddd:hh:mm in UTC",
  );

  // Rotation of the db secret
  const rot = db.rotation;
  must(Number.isInteger(rot.days) && rot.days >= 1 && rot.days <= 365, `${p}.database.rotation.days`, rot.days, "1 to 365 days");
  must(
    Number.isInteger(rot.windowHours) && rot.windowHours >= 1 && rot.windowHours <= 12,
    `${p}.database.rotation.windowHours`,
    rot.windowHours,
    "1 to 12 hours (the window opens at 00:00 UTC and must close the same UTC day)",
  );
  must(
    rot.strategy === "alternating" || rot.strategy === "single",
    `${p}.database.rotation.strategy`,
    rot.strategy,
    "alternating or single",
  );

  // AWS Backup
  const bk = env.backup;
  must(CRON.test(bk.schedule), `${p}.backup.schedule`, bk.schedule, "a cron() expression in UTC such as cron(0 20 * * ? *)");
  must(
    Number.isInteger(bk.retentionDays) && bk.retentionDays >= 7 && bk.retentionDays <= 36500,
    `${p}.backup.retentionDays`,
    bk.retentionDays,
    "7 to 36500 days",
  );
  if (bk.copy !== undefined) {
    must(FORMS.region.re.test(bk.copy.region), `${p}.backup.copy.region`, bk.copy.region, FORMS.region.form);
    must(
      bk.copy.region !== region,
      `${p}.backup.copy.region`,
      bk.copy.region,
      `a region other than ${region} (a copy in the same region does not survive a regional outage)`,
    );
    must(
      Number.isInteger(bk.copy.retentionDays) && bk.copy.retentionDays >= 7 && bk.copy.retentionDays <= 36500,
      `${p}.backup.copy.retentionDays`,
      bk.copy.retentionDays,
      "7 to 36500 days",
    );
  }
  must(
    ["none", "governance", "compliance"].includes(bk.vaultLock),
    `${p}.backup.vaultLock`,
    bk.vaultLock,
    "none, governance or compliance",
  );
  must(
    Number.isInteger(bk.lockGraceDays) && bk.lockGraceDays >= 3 && bk.lockGraceDays <= 365,
    `${p}.backup.lockGraceDays`,
    bk.lockGraceDays,
    "3 to 365 days (AWS Backup's minimum grace time is 3 days)",
  );
  if (bk.restoreTest !== undefined) {
    must(
      CRON.test(bk.restoreTest.schedule),
      `${p}.backup.restoreTest.schedule`,
      bk.restoreTest.schedule,
      "a cron() expression in UTC such as cron(0 1 ? * MON *)",
    );
    const vw = bk.restoreTest.validationWindowHours;
    must(Number.isInteger(vw) && vw >= 1 && vw <= 168, `${p}.backup.restoreTest.validationWindowHours`, vw, "1 to 168 hours");
  }

  // Cache
  const cache = env.cache;
  must(
    /^cache\.[a-z0-9]+\.[a-z0-9]+$/.test(cache.nodeType),
    `${p}.cache.nodeType`,
    cache.nodeType,
    "an ElastiCache node type such as cache.t4g.micro",
  );
  must(
    Number.isInteger(cache.nodeCount) && cache.nodeCount >= 1 && cache.nodeCount <= 6,
    `${p}.cache.nodeCount`,
    cache.nodeCount,
    "an integer from 1 to 6",
  );
  must(
    Number.isInteger(cache.snapshotRetentionDays) && cache.snapshotRetentionDays >= 0 && cache.snapshotRetentionDays <= 35,
    `${p}.cache.snapshotRetentionDays`,
    cache.snapshotRetentionDays,
    "0 to 35 days",
  );

  // Secrets
  // The recovery window's 7-30 days are a Secrets Manager limit: constructs/secret.ts (prod's 30 below).
  must(
    Number.isInteger(env.secrets.jwtSecretVersion) && env.secrets.jwtSecretVersion >= 1,
    `${p}.secrets.jwtSecretVersion`,
    env.secrets.jwtSecretVersion,
    "an integer >= 1",
  );
  must(
    Number.isInteger(env.secrets.maxAgeDays) && env.secrets.maxAgeDays >= 30 && env.secrets.maxAgeDays <= 3650,
    `${p}.secrets.maxAgeDays`,
    env.secrets.maxAgeDays,
    "30 to 3650 days",
  );

  // ALB and WAF
  must(
    LOG_RETENTION_DAYS.includes(env.alb.accessLogRetentionDays as never) ||
      (Number.isInteger(env.alb.accessLogRetentionDays) && env.alb.accessLogRetentionDays >= 1),
    `${p}.alb.accessLogRetentionDays`,
    env.alb.accessLogRetentionDays,
    "a number of days >= 1",
  );
  must(
    Number.isInteger(env.alb.idleTimeoutSeconds) && env.alb.idleTimeoutSeconds >= 1 && env.alb.idleTimeoutSeconds <= 4000,
    `${p}.alb.idleTimeoutSeconds`,
    env.alb.idleTimeoutSeconds,
    "1 to 4000 seconds",
  );
  must(
    Number.isInteger(env.alb.waf.rateLimitPer5Minutes) &&
      env.alb.waf.rateLimitPer5Minutes >= 100 &&
      env.alb.waf.rateLimitPer5Minutes <= 2000000000,
    `${p}.alb.waf.rateLimitPer5Minutes`,
    env.alb.waf.rateLimitPer5Minutes,
    "an integer from 100 to 2000000000",
  );

  // Services
  sizing(`${p}.services.backend`, env.services.backend);
  sizing(`${p}.services.frontend`, env.services.frontend);
  const dep = env.services.deployment;
  must(
    dep.strategy === "ROLLING" || dep.strategy === "BLUE_GREEN",
    `${p}.services.deployment.strategy`,
    dep.strategy,
    "ROLLING or BLUE_GREEN",
  );
  // bakeTimeMinutes 0-1440 is an ECS limit: constructs/fargate-service.ts (prod's >= 5 below).

  must(
    LOG_RETENTION_DAYS.includes(env.logRetentionDays as never),
    `${p}.logRetentionDays`,
    env.logRetentionDays,
    "a CloudWatch retention value such as 30, 90 or 365",
  );
  must(
    Number.isInteger(env.keyDeletionWindowDays) && env.keyDeletionWindowDays >= 7 && env.keyDeletionWindowDays <= 30,
    `${p}.keyDeletionWindowDays`,
    env.keyDeletionWindowDays,
    "7 to 30 days (the KMS range)",
  );
  must(
    Number.isInteger(env.keepImages) && env.keepImages >= 1 && env.keepImages <= 1000,
    `${p}.keepImages`,
    env.keepImages,
    "an integer from 1 to 1000",
  );

  // Monitoring thresholds
  const m = env.monitoring;
  for (const [key, value] of [
    ["cpuHighPercent", m.cpuHighPercent],
    ["memoryHighPercent", m.memoryHighPercent],
    ["dbCpuHighPercent", m.dbCpuHighPercent],
  ] as const) {
    must(value > 0 && value <= 100, `${p}.monitoring.${key}`, value, "a percentage from 1 to 100");
  }
  must(m.target5xxCount >= 1, `${p}.monitoring.target5xxCount`, m.target5xxCount, "a count >= 1");
  must(m.responseTimeP95Seconds > 0, `${p}.monitoring.responseTimeP95Seconds`, m.responseTimeP95Seconds, "seconds > 0");
  must(m.dbFreeableMemoryLowMiB > 0, `${p}.monitoring.dbFreeableMemoryLowMiB`, m.dbFreeableMemoryLowMiB, "MiB > 0");
  must(m.dbConnectionsHigh >= 1, `${p}.monitoring.dbConnectionsHigh`, m.dbConnectionsHigh, "a count >= 1");
  // Bounce and complaint thresholds below SES's pause levels: constructs/mail.ts.

  must(FORMS.branch.re.test(env.pipeline.branch), `${p}.pipeline.branch`, env.pipeline.branch, FORMS.branch.form);
  must(
    /^[a-z][a-z0-9]*\.[a-z0-9]+$/.test(env.bastionInstanceType),
    `${p}.bastionInstanceType`,
    env.bastionInstanceType,
    "an EC2 instance type such as t3.micro",
  );

  // Prod guardrails: losing data is the worst bug we can ship.
  if (prod) {
    const keep = "true in prod (losing data is the worst bug we can ship)";
    must(db.deletionProtection, `${p}.database.deletionProtection`, db.deletionProtection, keep);
    must(db.finalSnapshot, `${p}.database.finalSnapshot`, db.finalSnapshot, keep);
    must(db.backupRetentionDays >= 14, `${p}.database.backupRetentionDays`, db.backupRetentionDays, "at least 14 days in prod");
    must(db.instanceCount >= 2, `${p}.database.instanceCount`, db.instanceCount, "at least 2 in prod (writer and a reader in another AZ)");
    must(cache.nodeCount >= 2, `${p}.cache.nodeCount`, cache.nodeCount, "at least 2 in prod (Multi-AZ failover)");
    must(cache.snapshotRetentionDays >= 1, `${p}.cache.snapshotRetentionDays`, cache.snapshotRetentionDays, "at least 1 day in prod");
    must(env.alb.deletionProtection, `${p}.alb.deletionProtection`, env.alb.deletionProtection, keep);
    must(!env.forceDestroy, `${p}.forceDestroy`, env.forceDestroy, "false in prod (never delete non-empty buckets or repositories)");
    must(
      env.keyDeletionWindowDays === 30,
      `${p}.keyDeletionWindowDays`,
      env.keyDeletionWindowDays,
      "30 in prod (the longest time to notice and cancel a key deletion)",
    );
    must(
      env.preventDestroy,
      `${p}.preventDestroy`,
      env.preventDestroy,
      "true in prod (a run never destroys or replaces a stateful resource)",
    );
    must(env.secrets.recoveryWindowDays === 30, `${p}.secrets.recoveryWindowDays`, env.secrets.recoveryWindowDays, "30 in prod");
    must(env.logRetentionDays >= 365, `${p}.logRetentionDays`, env.logRetentionDays, "at least 365 days in prod");
    must(net.natGateways === "one-per-az", `${p}.network.natGateways`, net.natGateways, "one-per-az in prod (no single point of failure)");
    must(
      !env.services.executeCommand,
      `${p}.services.executeCommand`,
      env.services.executeCommand,
      "false in prod (no interactive shells in production tasks)",
    );
    must(
      !env.services.fargateSpot,
      `${p}.services.fargateSpot`,
      env.services.fargateSpot,
      "false in prod (Spot capacity can be reclaimed)",
    );
    must(
      dep.strategy === "BLUE_GREEN" && dep.bakeTimeMinutes >= 5,
      `${p}.services.deployment`,
      JSON.stringify(dep),
      "BLUE_GREEN with bakeTimeMinutes >= 5 in prod (instant rollback while the old set still runs)",
    );
    must(rot.days <= 30, `${p}.database.rotation.days`, rot.days, "at most 30 days in prod");
    must(
      bk.retentionDays >= 35,
      `${p}.backup.retentionDays`,
      bk.retentionDays,
      "at least 35 days in prod (longer than Aurora's own 30-day point-in-time window)",
    );
    must(bk.copy !== undefined, `${p}.backup.copy`, bk.copy, "a copy to a second region in prod (BACKUP_COPY_REGION)");
    must(
      bk.copy === undefined || bk.copy.retentionDays >= 35,
      `${p}.backup.copy.retentionDays`,
      bk.copy?.retentionDays,
      "at least 35 days in prod",
    );
    must(
      bk.vaultLock !== "none",
      `${p}.backup.vaultLock`,
      bk.vaultLock,
      "governance or compliance in prod (recovery points must not be deletable early)",
    );
    must(
      bk.restoreTest !== undefined,
      `${p}.backup.restoreTest`,
      bk.restoreTest,
      "a restore testing schedule in prod (a backup is only proven by a restore)",
    );
    must(env.secrets.maxAgeDays <= 365, `${p}.secrets.maxAgeDays`, env.secrets.maxAgeDays, "at most 365 days in prod");
  }
}

/** Checks rules that span environments: CIDRs must not overlap, domains must be distinct. */
export function validateAcrossEnvironments(envs: readonly EnvironmentConfig[]): void {
  for (let i = 0; i < envs.length; i++) {
    for (let j = i + 1; j < envs.length; j++) {
      const [a, b] = [envs[i], envs[j]];
      if (cidrsOverlap(a.network.cidr, b.network.cidr)) {
        throw invalid(`environments.${b.name}.network.cidr`, b.network.cidr, `a /16 that does not overlap ${a.name} (${a.network.cidr})`);
      }
      if (a.domain !== undefined && a.domain === b.domain) {
        throw invalid(
          `${b.name.toUpperCase()}_DOMAIN`,
          b.domain,
          `a domain different from ${a.name.toUpperCase()}_DOMAIN (each environment owns its certificate and zone records)`,
        );
      }
    }
  }
}

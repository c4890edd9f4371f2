import type { BackupSettings, EnvName, EnvironmentConfig } from "./types";
import { REGION_ZONES } from "./regions";

/**
 * AZ letters per region. ap-northeast-1b is not offered to new accounts, so Tokyo uses a/c/d
 * (the original stacks used 1a and 1c). Other regions default to a/b/c.
 */
export function zoneLetters(region: string): readonly string[] {
  const letters = REGION_ZONES[region];
  if (letters === undefined) throw new Error(`no availability zones known for ${region} (config/regions.ts)`);
  return letters;
}

/**
 * The region prod's backups are copied to, by primary region: the nearest other region, so a
 * regional outage or a deleted vault leaves a copy. BACKUP_COPY_REGION overrides it.
 */
export const BACKUP_COPY_REGIONS: Readonly<Record<string, string>> = {
  "ap-northeast-1": "ap-northeast-3",
  "ap-northeast-3": "ap-northeast-1",
  "ap-northeast-2": "ap-northeast-1",
  "ap-southeast-1": "ap-southeast-2",
  "ap-southeast-2": "ap-southeast-1",
  "ap-south-1": "ap-southeast-1",
  "ca-central-1": "us-east-1",
  "eu-central-1": "eu-west-1",
  "eu-north-1": "eu-central-1",
  "eu-west-1": "eu-central-1",
  "eu-west-2": "eu-west-1",
  "eu-west-3": "eu-west-1",
  "us-east-1": "us-west-2",
  "us-east-2": "us-west-2",
  "us-west-1": "us-west-2",
  "us-west-2": "us-east-1",
};

type Defaults = Omit<EnvironmentConfig, "name" | "domain" | "network" | "pipeline" | "backup"> & {
  readonly network: Omit<EnvironmentConfig["network"], "availabilityZones"> & { readonly azCount: number };
  readonly pipeline: Omit<EnvironmentConfig["pipeline"], "branch"> & { readonly defaultBranch: string };
  /** The copy's region comes from BACKUP_COPY_REGION or BACKUP_COPY_REGIONS. */
  readonly backup: Omit<BackupSettings, "copy"> & { readonly copy?: { readonly retentionDays: number } };
};

const shared = {
  hostedZone: "lookup",
  cache: { engine: "redis", engineVersion: "7.1", snapshotRetentionDays: 0 },
  database: {
    engineVersion: "16.6",
    performanceInsightsRetentionDays: 7,
    monitoringIntervalSeconds: 60,
    passwordVersion: 1,
    backupWindow: "17:00-18:00", // 02:00-03:00 JST
    maintenanceWindow: "sun:18:30-sun:19:30", // Monday 03:30-04:30 JST
    rotation: { windowHours: 4, strategy: "alternating" }, // 09:00-13:00 JST
  },
  backup: {
    schedule: "cron(0 20 * * ? *)", // 05:00 JST: after the Aurora backup window and Monday's maintenance window
    vaultLock: "none",
    lockGraceDays: 7,
  },
  alb: { idleTimeoutSeconds: 60 },
  monitoring: {
    cpuHighPercent: 80,
    memoryHighPercent: 80,
    target5xxCount: 10,
    responseTimeP95Seconds: 1,
    dbCpuHighPercent: 80,
    dbFreeableMemoryLowMiB: 256,
    bounceRatePercent: 5,
    complaintRatePercent: 0.1,
  },
  bastionInstanceType: "t3.micro",
} as const;

/** Per-environment sizing and protection. Sizes follow the original stacks (reference §1.3). */
export const DEFAULTS: Record<EnvName, Defaults> = {
  dev: {
    ...shared,
    network: { cidr: "10.10.0.0/16", azCount: 2, natGateways: "single", interfaceEndpoints: false, flowLogRetentionDays: 30 },
    database: {
      ...shared.database,
      instanceClass: "db.t4g.medium",
      instanceCount: 1,
      backupRetentionDays: 7,
      deletionProtection: false,
      finalSnapshot: false,
      // Non-prod rotates more often: a broken rotation shows up there first.
      rotation: { ...shared.database.rotation, days: 7 },
    },
    backup: { ...shared.backup, retentionDays: 7 },
    cache: { ...shared.cache, nodeType: "cache.t4g.micro", nodeCount: 1 },
    secrets: { recoveryWindowDays: 7, jwtSecretVersion: 1, maxAgeDays: 365 },
    alb: { ...shared.alb, deletionProtection: false, accessLogRetentionDays: 30, waf: { enabled: false, rateLimitPer5Minutes: 2000 } },
    services: {
      backend: { cpu: 512, memory: 1024, desiredCount: 1, minCount: 1, maxCount: 3 },
      frontend: { cpu: 256, memory: 512, desiredCount: 1, minCount: 1, maxCount: 3 },
      executeCommand: true,
      fargateSpot: true,
      deployment: { strategy: "ROLLING", bakeTimeMinutes: 0 },
    },
    logRetentionDays: 30,
    keepImages: 10,
    forceDestroy: true,
    preventDestroy: false,
    keyDeletionWindowDays: 7,
    monitoring: { ...shared.monitoring, dbConnectionsHigh: 300 },
    pipeline: { defaultBranch: "dev", manualApproval: false },
  },
  staging: {
    ...shared,
    network: { cidr: "10.20.0.0/16", azCount: 2, natGateways: "single", interfaceEndpoints: false, flowLogRetentionDays: 90 },
    database: {
      ...shared.database,
      instanceClass: "db.t4g.medium",
      instanceCount: 1,
      backupRetentionDays: 7,
      deletionProtection: true,
      finalSnapshot: true,
      rotation: { ...shared.database.rotation, days: 14 },
    },
    backup: {
      ...shared.backup,
      retentionDays: 14,
      restoreTest: { schedule: "cron(0 1 ? * MON *)", validationWindowHours: 1 }, // Monday 10:00 JST
    },
    cache: { ...shared.cache, nodeType: "cache.t4g.small", nodeCount: 1 },
    secrets: { recoveryWindowDays: 7, jwtSecretVersion: 1, maxAgeDays: 365 },
    alb: { ...shared.alb, deletionProtection: false, accessLogRetentionDays: 90, waf: { enabled: false, rateLimitPer5Minutes: 2000 } },
    services: {
      backend: { cpu: 512, memory: 1024, desiredCount: 2, minCount: 2, maxCount: 4 },
      frontend: { cpu: 256, memory: 512, desiredCount: 2, minCount: 2, maxCount: 4 },
      executeCommand: true,
      fargateSpot: true,
      deployment: { strategy: "BLUE_GREEN", bakeTimeMinutes: 5 },
    },
    logRetentionDays: 90,
    keepImages: 20,
    forceDestroy: true,
    preventDestroy: true,
    keyDeletionWindowDays: 7,
    monitoring: { ...shared.monitoring, dbConnectionsHigh: 300 },
    pipeline: { defaultBranch: "staging", manualApproval: false },
  },
  prod: {
    ...shared,
    network: { cidr: "10.30.0.0/16", azCount: 3, natGateways: "one-per-az", interfaceEndpoints: true, flowLogRetentionDays: 365 },
    database: {
      ...shared.database,
      instanceClass: "db.r7g.large",
      instanceCount: 2,
      backupRetentionDays: 30,
      deletionProtection: true,
      finalSnapshot: true,
      performanceInsightsRetentionDays: 7,
      rotation: { ...shared.database.rotation, days: 30 },
    },
    backup: {
      ...shared.backup,
      retentionDays: 35,
      copy: { retentionDays: 35 },
      vaultLock: "compliance",
      restoreTest: { schedule: "cron(0 1 ? * MON *)", validationWindowHours: 1 }, // Monday 10:00 JST
    },
    cache: { ...shared.cache, nodeType: "cache.r7g.large", nodeCount: 2, snapshotRetentionDays: 7 },
    secrets: { recoveryWindowDays: 30, jwtSecretVersion: 1, maxAgeDays: 180 },
    alb: { ...shared.alb, deletionProtection: true, accessLogRetentionDays: 365, waf: { enabled: true, rateLimitPer5Minutes: 2000 } },
    services: {
      backend: { cpu: 1024, memory: 2048, desiredCount: 3, minCount: 3, maxCount: 6 },
      frontend: { cpu: 256, memory: 512, desiredCount: 3, minCount: 3, maxCount: 6 },
      executeCommand: false,
      fargateSpot: false,
      deployment: { strategy: "BLUE_GREEN", bakeTimeMinutes: 15 },
    },
    logRetentionDays: 365,
    keepImages: 30,
    forceDestroy: false,
    preventDestroy: true,
    keyDeletionWindowDays: 30,
    monitoring: { ...shared.monitoring, dbConnectionsHigh: 800 },
    pipeline: { defaultBranch: "main", manualApproval: true },
  },
};

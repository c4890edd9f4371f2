/** The environments this app knows, in promotion order. */
export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type EnvName = (typeof ENVIRONMENTS)[number];

/** The layers, one Terraform stack each, in deploy order (the operator guide's order). */
export const LAYERS = ["network", "database", "secrets", "alb", "ecs-cluster", "ecs", "monitoring", "pipeline"] as const;
export type CoreLayer = (typeof LAYERS)[number];
/**
 * Optional layers: `dns` (the domain's hosted zone, only with a domain and HOSTED_ZONE_MODE=create)
 * and the temporary `bastion` (CREATE_BASTION=true).
 */
export type Layer = CoreLayer | "dns" | "bastion";
/** Every layer, optional ones included, in deploy order: `dns` before the alb that validates in it. */
export const STACK_ORDER: readonly Layer[] = [
  "network",
  "database",
  "secrets",
  "dns",
  "alb",
  "ecs-cluster",
  "ecs",
  "monitoring",
  "pipeline",
  "bastion",
];

/** NAT strategy, a closed choice (mirrors terraform-aws-vpc single_nat_gateway / one_nat_gateway_per_az). */
export type NatStrategy = "single" | "one-per-az";

/** Where Terraform keeps state. */
export type BackendConfig =
  | {
      readonly kind: "s3";
      readonly bucket: string;
      readonly lockTable: string;
      readonly region: string;
      /** KMS key that encrypts the state objects (`alias/<name>`); created by the bootstrap stack. */
      readonly kmsKeyId: string;
      /** dynamodb: lock table only; lockfile: S3-native `<key>.tflock` (Terraform >= 1.10); both: migration path. */
      readonly locking: "dynamodb" | "lockfile" | "both";
    }
  | { readonly kind: "local" }
  | { readonly kind: "cloud"; readonly organization: string; readonly hostname: string };

export interface ServiceSizing {
  /** Fargate task CPU units (256, 512, 1024, 2048, 4096). */
  readonly cpu: number;
  /** Fargate task memory in MiB; must be a valid combination with cpu. */
  readonly memory: number;
  /** Initial task count; autoscaling owns it afterwards. */
  readonly desiredCount: number;
  readonly minCount: number;
  readonly maxCount: number;
}

export interface NetworkSettings {
  /** The VPC CIDR, a /16; environments must not overlap so they can be peered later. */
  readonly cidr: string;
  /** Full AZ names, e.g. ap-northeast-1a. 2 or 3. */
  readonly availabilityZones: readonly string[];
  readonly natGateways: NatStrategy;
  /** Interface endpoints (Secrets Manager, ECR api/dkr, Logs, SSM); the S3 gateway endpoint is always on. */
  readonly interfaceEndpoints: boolean;
  readonly flowLogRetentionDays: number;
}

export interface DatabaseSettings {
  /** aurora-postgresql engine version. */
  readonly engineVersion: string;
  readonly instanceClass: string;
  /** 1 = writer only; 2+ = writer and readers spread over the AZs. */
  readonly instanceCount: number;
  readonly backupRetentionDays: number;
  readonly deletionProtection: boolean;
  /** Take a final snapshot when the cluster is destroyed. */
  readonly finalSnapshot: boolean;
  readonly performanceInsightsRetentionDays: number;
  /** Enhanced monitoring interval: 0 (off), 1, 5, 10, 15, 30 or 60 seconds. */
  readonly monitoringIntervalSeconds: number;
  /**
   * Bump to have Terraform set a new master password and write it to the secret (write-only
   * attribute version); the scheduled rotation below needs no bump.
   */
  readonly passwordVersion: number;
  /** Automatic rotation of `markmail-<env>-db-secret` by functions/db-rotation. */
  readonly rotation: RotationSettings;
  readonly backupWindow: string;
  readonly maintenanceWindow: string;
}

export interface RotationSettings {
  /** Days between rotations (Secrets Manager `rate(<days> days)`); at most 30 in prod. */
  readonly days: number;
  /**
   * Hours the rotation window stays open from 00:00 UTC, i.e. from 09:00 JST: a failed rotation
   * alarms while people are at work (a rotation is harmless to running tasks, see strategy).
   */
  readonly windowHours: number;
  /**
   * alternating: users markmail and markmail_clone take turns; the previous login stays valid until
   * the next rotation, so running tasks never see a rejected login. single: one user, password
   * changed in place; new connections of running tasks fail until the backend has redeployed.
   */
  readonly strategy: "alternating" | "single";
}

export interface BackupSettings {
  /** Daily AWS Backup of the Aurora cluster: a cron() in UTC, outside the backup and maintenance windows. */
  readonly schedule: string;
  /** Days the vault keeps each recovery point. */
  readonly retentionDays: number;
  /** A copy of every recovery point in a vault of another region (the guide's regular export); none when unset. */
  readonly copy?: { readonly region: string; readonly retentionDays: number };
  /**
   * none; governance (recovery points cannot be deleted early, but an IAM principal allowed to
   * can remove the lock); compliance (after `lockGraceDays` nobody can, not even the account root).
   */
  readonly vaultLock: "none" | "governance" | "compliance";
  /** Compliance mode: days after setting the lock during which it can still be removed (AWS minimum 3). */
  readonly lockGraceDays: number;
  /**
   * An AWS Backup restore testing plan restores the newest recovery point into a throw-away
   * cluster on this schedule (cron() in UTC) and deletes it after `validationWindowHours`; none when unset.
   */
  readonly restoreTest?: { readonly schedule: string; readonly validationWindowHours: number };
}

export interface CacheSettings {
  readonly engine: "redis" | "valkey";
  readonly engineVersion: string;
  readonly nodeType: string;
  /** Number of cache nodes; 2+ enables Multi-AZ with automatic failover. */
  readonly nodeCount: number;
  readonly snapshotRetentionDays: number;
}

export interface SecretsSettings {
  /** Days a deleted secret can still be restored (7-30; never 0). */
  readonly recoveryWindowDays: number;
  /** Bump to rotate the JWT signing key (write-only attribute version); rotating it signs everyone out. */
  readonly jwtSecretVersion: number;
  /**
   * The operator-owned secrets (Salesforce, Stripe, AI, Docker Hub) and the JWT key alarm when
   * their value has not changed for this many days: the reminder to rotate them at the provider.
   */
  readonly maxAgeDays: number;
}

export interface AlbSettings {
  readonly deletionProtection: boolean;
  readonly accessLogRetentionDays: number;
  readonly idleTimeoutSeconds: number;
  readonly waf: {
    readonly enabled: boolean;
    /** Requests per 5 minutes per client IP before the rate rule blocks. */
    readonly rateLimitPer5Minutes: number;
  };
}

export interface ServicesSettings {
  readonly backend: ServiceSizing;
  readonly frontend: ServiceSizing;
  /** ECS Exec (aws ecs execute-command); off in prod. */
  readonly executeCommand: boolean;
  /** Put part of the capacity on Fargate Spot (non-prod cost saving). */
  readonly fargateSpot: boolean;
  /**
   * ROLLING: new tasks replace old ones in the one target group. BLUE_GREEN: ECS starts the new
   * revision in the alternate target group, shifts the listener rules to it, keeps the old set for
   * `bakeTimeMinutes` to roll back instantly, then stops it.
   */
  readonly deployment: { readonly strategy: "ROLLING" | "BLUE_GREEN"; readonly bakeTimeMinutes: number };
}

export interface MonitoringSettings {
  readonly cpuHighPercent: number;
  readonly memoryHighPercent: number;
  /** The guide's HighErrorRate: HTTPCode_Target_5XX_Count over 2 periods. */
  readonly target5xxCount: number;
  readonly responseTimeP95Seconds: number;
  readonly dbCpuHighPercent: number;
  readonly dbFreeableMemoryLowMiB: number;
  readonly dbConnectionsHigh: number;
  /** SES bounce rate alarm (AWS reviews accounts at 5 % and pauses at 10 %). */
  readonly bounceRatePercent: number;
  /** SES complaint rate alarm (AWS reviews at 0.1 % and pauses at 0.5 %). */
  readonly complaintRatePercent: number;
}

export interface PipelineSettings {
  readonly branch: string;
  /** A manual approval stage before deploy. */
  readonly manualApproval: boolean;
}

/** Everything that differs per environment. One object per environment, validated at load. */
export interface EnvironmentConfig {
  readonly name: EnvName;
  /** The public DNS name of the environment; without it the ALB serves plain HTTP (stated loudly). */
  readonly domain?: string;
  /** How the Route 53 zone of `domain` is found: looked up by name, or created by the alb layer. */
  readonly hostedZone: "lookup" | "create";
  /** The only AWS account the environment's stacks may be applied in (provider allowed_account_ids). */
  readonly accountId?: string;
  readonly network: NetworkSettings;
  readonly database: DatabaseSettings;
  /** AWS Backup of the database: vault, plan, copy, lock, restore tests. */
  readonly backup: BackupSettings;
  readonly cache: CacheSettings;
  readonly secrets: SecretsSettings;
  readonly alb: AlbSettings;
  readonly services: ServicesSettings;
  /** Log retention for application and service logs, in days (CloudWatch-allowed values). */
  readonly logRetentionDays: number;
  /** ECR: images kept per repository. */
  readonly keepImages: number;
  /**
   * Allow `terraform destroy` to delete non-empty buckets and repositories.
   * Never in prod (guardrail).
   */
  readonly forceDestroy: boolean;
  /**
   * `lifecycle.prevent_destroy` on every stateful resource (constructs/stateful.ts): a destroy,
   * replacement or removed block of one stops the run at plan. staging and prod; always in prod (guardrail).
   */
  readonly preventDestroy: boolean;
  /** Waiting period before a deleted KMS key is gone, 7-30 days; 30 in prod (guardrail). */
  readonly keyDeletionWindowDays: number;
  readonly monitoring: MonitoringSettings;
  readonly pipeline: PipelineSettings;
  readonly bastionInstanceType: string;
}

export interface GithubSettings {
  readonly owner: string;
  readonly repo: string;
  /** Reuse an existing connection instead of creating one per environment. */
  readonly connectionArn?: string;
  /**
   * This infrastructure repository: the pipeline's second source. Its deploy stage synthesizes the
   * ECS stack from it and applies it (INFRA_GITHUB_REPO owner/name, INFRA_GITHUB_BRANCH).
   */
  readonly infra: { readonly owner: string; readonly repo: string; readonly branch: string };
}

/** The whole, validated configuration of one synth run. */
export interface AppConfig {
  /** Lower-case prefix of every physical name: `markmail-<env>-<component>`. */
  readonly project: string;
  readonly region: string;
  readonly environments: readonly EnvironmentConfig[];
  readonly backend: BackendConfig;
  readonly github: GithubSettings;
  /** Alarm recipient; unset means no e-mail subscription (a warning is printed). */
  readonly notificationEmail?: string;
  readonly createBastion: boolean;
  /** Lines to print once on every synth (the region, where state goes); never fatal. */
  readonly notices: readonly string[];
  /** Warnings to print once (e.g. HTTP-only environments); never fatal. */
  readonly warnings: readonly string[];
}

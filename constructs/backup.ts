import { BackupPlan } from "@cdktf/provider-aws/lib/backup-plan";
import { BackupRestoreTestingPlan } from "@cdktf/provider-aws/lib/backup-restore-testing-plan";
import { BackupRestoreTestingSelection } from "@cdktf/provider-aws/lib/backup-restore-testing-selection";
import { BackupSelection } from "@cdktf/provider-aws/lib/backup-selection";
import { BackupVault } from "@cdktf/provider-aws/lib/backup-vault";
import { BackupVaultLockConfiguration } from "@cdktf/provider-aws/lib/backup-vault-lock-configuration";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import type { BackupSettings } from "../config";
import { AccountContext, regionOf } from "./account";
import { CustomerKey } from "./kms-key";
import { ServiceRole } from "./service-role";

export interface DatabaseBackupProps {
  /** `markmail-<env>`: vault `<name>-backup`, plan and selection `<name>-aurora`, role `<name>-backup`. */
  readonly name: string;
  readonly settings: BackupSettings;
  /** The Aurora cluster backed up and restore-tested. */
  readonly clusterArn: string;
  /** The cluster's CMK: its snapshots stay encrypted with it, a cross-region copy decrypts with it. */
  readonly clusterKeyArn: string;
  /** Where a restore test puts the throw-away cluster (no default VPC is assumed). */
  readonly restoreInto: { readonly dbSubnetGroupName: string; readonly securityGroupIds: string[] };
  /** KMS deletion window of the vault keys (7-30). */
  readonly keyDeletionWindowDays: number;
  /** Terraform refuses to destroy the vaults and their keys (prod). */
  readonly protect: boolean;
}

/** A vault name is 2-50 letters, digits, hyphens and underscores. */
const VAULT_NAME = /^[A-Za-z0-9_-]{2,50}$/;

/**
 * AWS Backup of the Aurora cluster, the backup the guide asks to export and to test:
 * - a vault encrypted with its own customer-managed key, a daily plan with the configured retention;
 * - optionally a copy of every recovery point to a vault (with its own key) in a second region;
 * - optionally a vault lock on both vaults: recovery points cannot be deleted before their retention
 *   (compliance mode: not even by the account root once the grace days have passed);
 * - optionally a restore testing plan: the newest recovery point of the last week is restored on a
 *   schedule into a throw-away cluster in the database subnets, and deleted after the validation
 *   window; jobs and failures are visible with `aws backup list-restore-jobs`.
 * One role (backup.amazonaws.com from this account) does backups, copies and restores.
 */
export class DatabaseBackup extends Construct {
  readonly vault: BackupVault;
  readonly copyVault?: BackupVault;
  readonly plan: BackupPlan;
  readonly role: ServiceRole;
  readonly restoreTestingPlan?: BackupRestoreTestingPlan;
  readonly vaultName: string;

  constructor(scope: Construct, id: string, props: DatabaseBackupProps) {
    super(scope, id);
    const s = props.settings;
    this.vaultName = `${props.name}-backup`;
    if (!VAULT_NAME.test(this.vaultName)) throw new Error(`backup vault ${this.vaultName}: 2-50 letters, digits, '-' or '_'`);
    if (s.copy !== undefined && s.copy.region === regionOf(this)) {
      throw new Error(`backup ${props.name}: the copy must go to another region than ${regionOf(this)}`);
    }
    const account = AccountContext.of(this);
    const lifecycle = props.protect ? { preventDestroy: true } : undefined;

    const key = new CustomerKey(this, "key", {
      alias: `${props.name}-backup`,
      description: `${props.name}: AWS Backup vault ${this.vaultName}`,
      deletionWindowDays: props.keyDeletionWindowDays,
      preventDestroy: props.protect,
    });
    // Unprotected environments (dev, staging) can be destroyed with their recovery points.
    this.vault = new BackupVault(this, "vault", { name: this.vaultName, kmsKeyArn: key.arn, forceDestroy: !props.protect, lifecycle });

    let copyKey: CustomerKey | undefined;
    if (s.copy !== undefined) {
      copyKey = new CustomerKey(this, "copy-key", {
        alias: `${props.name}-backup-copy`,
        description: `${props.name}: AWS Backup copy vault ${this.vaultName} in ${s.copy.region}`,
        placementRegion: s.copy.region,
        deletionWindowDays: props.keyDeletionWindowDays,
        preventDestroy: props.protect,
      });
      this.copyVault = new BackupVault(this, "copy-vault", {
        name: this.vaultName,
        kmsKeyArn: copyKey.arn,
        region: s.copy.region,
        forceDestroy: !props.protect,
        lifecycle,
      });
    }

    if (s.vaultLock !== "none") {
      const lock = (vaultId: string, vault: BackupVault, minRetentionDays: number, region?: string) =>
        new BackupVaultLockConfiguration(this, vaultId, {
          backupVaultName: vault.name,
          // Shorter retention than this cannot be stored in the vault, so it equals the plan's.
          minRetentionDays,
          // Compliance: immutable after the grace days. Governance: no changeable_for_days.
          changeableForDays: s.vaultLock === "compliance" ? s.lockGraceDays : undefined,
          region,
        });
      lock("vault-lock", this.vault, s.retentionDays);
      if (this.copyVault && s.copy) lock("copy-vault-lock", this.copyVault, s.copy.retentionDays, s.copy.region);
    }

    const keys = [key.arn, props.clusterKeyArn, ...(copyKey ? [copyKey.arn] : [])];
    this.role = new ServiceRole(this, "role", {
      name: `${props.name}-backup`,
      description: `AWS Backup of ${props.name}: backups, copies to ${s.copy?.region ?? "no other region"}, restore tests`,
      service: "backup.amazonaws.com",
      statements: [
        {
          sid: "UseTheBackupKeys",
          effect: "Allow",
          actions: [
            "kms:Decrypt",
            "kms:Encrypt",
            "kms:GenerateDataKey",
            "kms:GenerateDataKeyWithoutPlaintext",
            "kms:ReEncryptFrom",
            "kms:ReEncryptTo",
            "kms:DescribeKey",
          ],
          resources: keys,
        },
        {
          sid: "GrantsForAwsResourcesOnly",
          effect: "Allow",
          actions: ["kms:CreateGrant"],
          resources: keys,
          condition: [{ test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] }],
        },
      ],
    });
    // AWS's managed policies for AWS Backup: the RDS/Aurora snapshot, copy and restore calls change with
    // the service, and a hand-written copy that lags behind fails a backup only when it runs.
    for (const [attachId, policy] of [
      ["backup-policy", "AWSBackupServiceRolePolicyForBackup"],
      ["restore-policy", "AWSBackupServiceRolePolicyForRestores"],
    ]) {
      new IamRolePolicyAttachment(this, attachId, {
        role: this.role.name,
        policyArn: `arn:${account.partition}:iam::aws:policy/service-role/${policy}`,
        dependsOn: [this.role.role],
      });
    }

    this.plan = new BackupPlan(this, "plan", {
      name: `${props.name}-aurora`,
      rule: [
        {
          ruleName: "daily",
          targetVaultName: this.vault.name,
          schedule: s.schedule,
          startWindow: 60,
          completionWindow: 360,
          lifecycle: { deleteAfter: s.retentionDays },
          copyAction:
            this.copyVault && s.copy
              ? [{ destinationVaultArn: this.copyVault.arn, lifecycle: { deleteAfter: s.copy.retentionDays } }]
              : undefined,
          recoveryPointTags: { Backup: "daily" },
        },
      ],
    });
    new BackupSelection(this, "selection", {
      name: `${props.name}-aurora`,
      planId: this.plan.id,
      iamRoleArn: this.role.arn,
      resources: [props.clusterArn],
    });

    if (s.restoreTest !== undefined) {
      // Names of restore testing plans and selections: letters, digits and underscores only.
      const planName = `${props.name.replace(/-/g, "_")}_restore_test`;
      this.restoreTestingPlan = new BackupRestoreTestingPlan(this, "restore-testing-plan", {
        name: planName,
        scheduleExpression: s.restoreTest.schedule,
        startWindowHours: 1,
        recoveryPointSelection: [
          {
            algorithm: "LATEST_WITHIN_WINDOW",
            includeVaults: [this.vault.arn],
            recoveryPointTypes: ["SNAPSHOT"],
            selectionWindowDays: 7,
          },
        ],
      });
      new BackupRestoreTestingSelection(this, "restore-testing-selection", {
        name: "aurora",
        restoreTestingPlanName: this.restoreTestingPlan.name,
        protectedResourceType: "Aurora",
        protectedResourceArns: [props.clusterArn],
        iamRoleArn: this.role.arn,
        validationWindowHours: s.restoreTest.validationWindowHours,
        restoreMetadataOverrides: {
          dbsubnetgroupname: props.restoreInto.dbSubnetGroupName,
          vpcsecuritygroupids: Fn.jsonencode(props.restoreInto.securityGroupIds),
        },
      });
    }
  }
}

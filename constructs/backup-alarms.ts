import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { Construct } from "constructs";
import { MetricAlarm } from "./alarm";
import { jsonAttribute } from "./json-attribute";

export interface BackupAlarmsProps {
  /** `markmail-<env>`: rule and alarm names start with it (the topic policy admits `rule/<prefix>-*`). */
  readonly namePrefix: string;
  readonly vaultName: string;
  readonly vaultArn: string;
  /** The copy vault in the second region, when there is one. */
  readonly copyVaultArn?: string;
  /** The environment has a restore testing plan (weekly). */
  readonly restoreTesting: boolean;
  /** The environment's alarm topic (encrypted; its policy must let events.amazonaws.com publish). */
  readonly topicArn: string;
}

interface Watch {
  readonly id: string;
  readonly description: string;
  readonly pattern: Record<string, unknown>;
}

/**
 * Backups that fail or do not happen reach the alarm topic:
 * - EventBridge rules on a failed, aborted or expired backup job of this vault, a failed copy job
 *   to this environment's copy vault, and a failed or aborted Aurora restore job (restore tests;
 *   restore events carry no vault, so this rule sees every Aurora restore of the account and region);
 * - a missed schedule, which emits no event: an alarm when the vault completed no backup job for two
 *   days, and (with restore tests) when no Aurora restore job completed for seven days. Missing data
 *   counts as breaching: silence is the failure these alarms exist for.
 */
export class BackupAlarms extends Construct {
  readonly rules: CloudwatchEventRule[] = [];

  constructor(scope: Construct, id: string, props: BackupAlarmsProps) {
    super(scope, id);
    const p = props.namePrefix;
    const watches: Watch[] = [
      {
        id: "backup-job-failed",
        description: `AWS Backup: a backup job of ${props.vaultName} failed, was aborted or expired`,
        pattern: {
          source: ["aws.backup"],
          "detail-type": ["Backup Job State Change"],
          detail: { state: ["FAILED", "ABORTED", "EXPIRED"], backupVaultName: [props.vaultName] },
        },
      },
    ];
    if (props.copyVaultArn !== undefined) {
      watches.push({
        id: "copy-job-failed",
        description: `AWS Backup: copying a recovery point of ${props.vaultName} to the second region failed`,
        pattern: {
          source: ["aws.backup"],
          "detail-type": ["Copy Job State Change"],
          detail: { state: ["FAILED", "ABORTED", "EXPIRED"], destinationBackupVaultArn: [props.copyVaultArn] },
        },
      });
    }
    if (props.restoreTesting) {
      watches.push({
        id: "restore-job-failed",
        description: "AWS Backup: an Aurora restore job (restore test) failed or was aborted",
        pattern: {
          source: ["aws.backup"],
          "detail-type": ["Restore Job State Change"],
          detail: { status: ["FAILED", "ABORTED"], resourceType: ["Aurora"] },
        },
      });
    }
    for (const w of watches) {
      const rule = new CloudwatchEventRule(this, w.id, {
        name: `${p}-${w.id}`,
        description: w.description,
        eventPattern: jsonAttribute(w.pattern),
      });
      new CloudwatchEventTarget(this, `${w.id}-target`, {
        rule: rule.name,
        targetId: "alarm-topic",
        // The whole event: job id, state, status message and resource, as AWS Backup wrote them.
        arn: props.topicArn,
      });
      this.rules.push(rule);
    }

    const daily = {
      namespace: "AWS/Backup",
      statistic: "Sum" as const,
      comparison: "LessThanThreshold" as const,
      threshold: 1,
      periodSeconds: 86400,
      treatMissingData: "breaching" as const,
      actions: [props.topicArn],
    };
    new MetricAlarm(this, "backup-missing", {
      ...daily,
      alarmName: `${p}-backup-missing`,
      description: `No backup job of ${props.vaultName} completed for two days (a missed or broken schedule emits no failure event)`,
      metricName: "NumberOfBackupJobsCompleted",
      dimensions: { BackupVaultName: props.vaultName },
      evaluationPeriods: 2,
    });
    if (props.restoreTesting) {
      new MetricAlarm(this, "restore-test-missing", {
        ...daily,
        alarmName: `${p}-restore-test-missing`,
        description: "No Aurora restore job completed for seven days: the weekly restore test did not run",
        metricName: "NumberOfRestoreJobsCompleted",
        dimensions: { ResourceType: "Aurora" },
        evaluationPeriods: 7,
      });
    }
  }
}

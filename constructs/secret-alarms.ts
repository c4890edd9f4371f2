import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { Construct } from "constructs";
import { AccountContext } from "./account";
import { MetricAlarm } from "./alarm";
import { PythonFunction } from "./python-function";

export interface WatchedSecret {
  /** `markmail-<env>-<suffix>`. */
  readonly name: string;
  /** Alarm when the value is older than this. */
  readonly maxAgeDays: number;
  /** What to do when it alarms (the alarm description). */
  readonly action: string;
}

export interface SecretAlarmsProps {
  /** `markmail-<env>`. */
  readonly namePrefix: string;
  readonly watched: readonly WatchedSecret[];
  /** The rotation function whose failed steps alarm at once. */
  readonly rotationFunctionName: string;
  readonly topicArn: string;
  readonly vpcId: string;
  readonly subnetIds: string[];
  /** CMK of the checker's log group and environment (its policy must admit CloudWatch Logs). */
  readonly kmsKeyArn: string;
  readonly logRetentionDays: number;
}

export const SECRET_AGE_NAMESPACE = "MarkMail/Secrets";

/**
 * Secrets that nobody rotates do not stay silent:
 * - `functions/secret-age` runs every six hours and publishes each watched secret's days since its
 *   value changed (metadata only; it cannot read a value);
 * - one alarm per secret when that age passes its limit, or when the metric stops (the checker broke);
 *   for the database secret the limit is the rotation interval plus two days, so a rotation that
 *   stopped happening alarms even though no step failed;
 * - an alarm on any failed step of the rotation function (Lambda Errors).
 */
export class SecretAlarms extends Construct {
  readonly checker: PythonFunction;

  constructor(scope: Construct, id: string, props: SecretAlarmsProps) {
    super(scope, id);
    if (props.watched.length === 0) throw new Error(`${props.namePrefix}: no secret to watch`);
    const account = AccountContext.of(this);
    const name = `${props.namePrefix}-secret-age`;

    const sg = new SecurityGroup(this, "security-group", {
      name,
      description: `${name}: HTTPS to Secrets Manager and CloudWatch only`,
      vpcId: props.vpcId,
      tags: { Name: name },
      lifecycle: { createBeforeDestroy: true },
    });
    new VpcSecurityGroupEgressRule(this, "to-aws-apis", {
      securityGroupId: sg.id,
      description: "HTTPS to Secrets Manager and CloudWatch (NAT or interface endpoints)",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
    });

    this.checker = new PythonFunction(this, "checker", {
      name,
      description: "Publishes the days since each watched secret's value changed (MarkMail/Secrets DaysSinceChange)",
      source: "secret-age",
      files: ["secret_age.py"],
      handler: "secret_age.handler",
      environment: { WATCH: props.watched.map((w) => w.name).join(",") },
      statements: [
        // Metadata only: DescribeSecret never returns a value. `-??????` is the suffix Secrets Manager appends.
        {
          sid: "DescribeWatchedSecrets",
          effect: "Allow",
          actions: ["secretsmanager:DescribeSecret"],
          resources: props.watched.map((w) => account.arn("secretsmanager", `secret:${w.name}-??????`)),
        },
        {
          sid: "PublishTheAge",
          effect: "Allow",
          actions: ["cloudwatch:PutMetricData"],
          resources: ["*"],
          condition: [{ test: "StringEquals", variable: "cloudwatch:namespace", values: [SECRET_AGE_NAMESPACE] }],
        },
      ],
      vpc: { subnetIds: props.subnetIds, securityGroupId: sg.id },
      kmsKeyArn: props.kmsKeyArn,
      logRetentionDays: props.logRetentionDays,
      timeoutSeconds: 30,
    });

    const schedule = new CloudwatchEventRule(this, "schedule", {
      name,
      description: "Every six hours: publish the age of the watched secrets",
      scheduleExpression: "rate(6 hours)",
    });
    new CloudwatchEventTarget(this, "schedule-target", { rule: schedule.name, targetId: "secret-age", arn: this.checker.arn });
    new LambdaPermission(this, "invoke", {
      statementId: "EventBridgeSchedule",
      action: "lambda:InvokeFunction",
      functionName: this.checker.name,
      principal: "events.amazonaws.com",
      sourceArn: schedule.arn,
      sourceAccount: account.accountId,
    });

    for (const w of props.watched) {
      const suffix = w.name.startsWith(`${props.namePrefix}-`) ? w.name.slice(props.namePrefix.length + 1) : w.name;
      new MetricAlarm(this, `age-${suffix}`, {
        alarmName: `${props.namePrefix}-${suffix}-age`,
        description: `${w.name} has kept its value for more than ${w.maxAgeDays} days (or the age check stopped): ${w.action}`,
        namespace: SECRET_AGE_NAMESPACE,
        metricName: "DaysSinceChange",
        dimensions: { ResourceName: w.name },
        statistic: "Maximum",
        comparison: "GreaterThanThreshold",
        threshold: w.maxAgeDays,
        periodSeconds: 86400,
        evaluationPeriods: 1,
        treatMissingData: "breaching",
        actions: [props.topicArn],
      });
    }

    new MetricAlarm(this, "rotation-errors", {
      alarmName: `${props.namePrefix}-db-rotation-errors`,
      description: `A step of ${props.rotationFunctionName} failed: AWSCURRENT is unchanged and Secrets Manager retries; see the function's log group`,
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions: { FunctionName: props.rotationFunctionName },
      statistic: "Sum",
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      periodSeconds: 300,
      evaluationPeriods: 1,
      treatMissingData: "notBreaching",
      actions: [props.topicArn],
    });
  }
}

import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { AccountContext } from "../constructs/account";
import { ApplicationAlarms } from "../constructs/alarms";
import { BackupAlarms } from "../constructs/backup-alarms";
import { applicationWidgets, Dashboard, guideDashboardName } from "../constructs/dashboard";
import { CustomerKey } from "../constructs/kms-key";
import { MailSending } from "../constructs/mail";
import { NotificationTopic, type TopicPublisher, topicKeyStatement } from "../constructs/notification-topic";
import { SecretAlarms } from "../constructs/secret-alarms";
import { SECRETS } from "../config/contract";
import { ALB, DATABASE, ECS, ECS_CLUSTER, MONITORING, NETWORK } from "./contracts";
import { type LayerProps, LayerStack } from "./base";

/**
 * `markmail-<env>-monitoring`: alarm topic, dashboard `MarkMail-<env>`, alarms and SES; the alarms
 * on backups (failed jobs, missed schedules) and on secrets (failed rotation, age).
 */
export class MonitoringStack extends LayerStack {
  constructor(scope: Construct, props: LayerProps) {
    super(scope, "monitoring", props);
    const database = this.upstream(DATABASE);
    const alb = this.upstream(ALB);
    const cluster = this.upstream(ECS_CLUSTER);
    const ecs = this.upstream(ECS);
    const network = this.upstream(NETWORK);
    const region = this.config.region;
    const account = AccountContext.of(this);
    const prefix = this.name();

    // Only this environment's alarms and configuration set may use the key and publish.
    const cloudwatch: TopicPublisher = {
      service: "cloudwatch.amazonaws.com",
      sourceArns: [account.arn("cloudwatch", `alarm:${prefix}-*`)],
    };
    // This environment's EventBridge rules (backup job events) publish to the alarm topic too.
    const events: TopicPublisher = {
      service: "events.amazonaws.com",
      sourceArns: [account.arn("events", `rule/${prefix}-*`)],
    };
    // SES publishes bounce and complaint events of this environment's configuration set (MailSending below).
    const ses: TopicPublisher = { service: "ses.amazonaws.com", sourceArns: [account.arn("ses", `configuration-set/${prefix}`)] };
    const key = new CustomerKey(this, "key", {
      alias: this.name("monitoring"),
      description: `${prefix}: alarm, bounce and complaint topics; the secret-age function's logs`,
      deletionWindowDays: this.env.keyDeletionWindowDays,
      serviceStatements: [
        topicKeyStatement(this, cloudwatch),
        topicKeyStatement(this, ses),
        topicKeyStatement(this, events),
        CustomerKey.logsStatement(this, this.name()),
      ],
    });

    const topic = new NotificationTopic(this, "alarm-topic", {
      name: this.name("alarms"),
      displayName: `MarkMail ${this.env.name} alarms`,
      kmsKeyArn: key.arn,
      publishers: [cloudwatch, events],
      email: this.config.notificationEmail,
    });

    const targets = {
      clusterName: cluster.cluster_name,
      services: { backend: ecs.backend_service_name, frontend: ecs.frontend_service_name },
      loadBalancer: alb.alb_arn_suffix,
      targetGroups: { backend: alb.backend_target_group_arn_suffix, frontend: alb.frontend_target_group_arn_suffix },
      alternateTargetGroups: alb.blue_green
        ? {
            backend: alb.blue_green.backend_alternate_target_group_arn_suffix,
            frontend: alb.blue_green.frontend_alternate_target_group_arn_suffix,
          }
        : undefined,
      dbClusterIdentifier: database.cluster_identifier,
    };
    new ApplicationAlarms(this, "alarms", { namePrefix: prefix, targets, thresholds: this.env.monitoring, topicArn: topic.arn });

    new BackupAlarms(this, "backup-alarms", {
      namePrefix: prefix,
      vaultName: database.backup_vault_name,
      vaultArn: database.backup_vault_arn,
      copyVaultArn: database.backup_copy?.backup_copy_vault_arn,
      restoreTesting: database.restore_testing !== undefined,
      topicArn: topic.arn,
    });
    const secrets = this.env.secrets;
    const operator = "rotate it at the provider, then write it with put-secret-value (guide: secrets)";
    new SecretAlarms(this, "secret-alarms", {
      namePrefix: prefix,
      watched: [
        // A scheduled rotation changes it every rotation.days: older means rotations stopped.
        {
          name: this.name(SECRETS.db.suffix),
          maxAgeDays: this.env.database.rotation.days + 2,
          action: "the scheduled rotation stopped; see the rotation function's log group and rotate by hand",
        },
        {
          name: this.name(SECRETS.jwt.suffix),
          maxAgeDays: secrets.maxAgeDays,
          action: "bump secrets.jwtSecretVersion when signing everyone out is acceptable",
        },
        { name: this.name(SECRETS.salesforce.suffix), maxAgeDays: secrets.maxAgeDays, action: operator },
        { name: this.name(SECRETS.stripe.suffix), maxAgeDays: secrets.maxAgeDays, action: operator },
        { name: this.name(SECRETS.ai.suffix), maxAgeDays: secrets.maxAgeDays, action: operator },
        { name: this.name(SECRETS.dockerhub.suffix), maxAgeDays: secrets.maxAgeDays, action: operator },
      ],
      rotationFunctionName: database.db_rotation_function_name,
      topicArn: topic.arn,
      vpcId: network.vpc_id,
      subnetIds: network.private_subnet_ids,
      kmsKeyArn: key.arn,
      logRetentionDays: this.env.logRetentionDays,
    });

    const mail = new MailSending(this, "mail", {
      configurationSetName: prefix,
      kmsKeyArn: key.arn,
      topicNames: { bounces: this.name("bounces"), complaints: this.name("complaints") },
      notificationEmail: this.config.notificationEmail,
      domain: this.env.domain !== undefined && alb.tls ? { domain: this.env.domain, hostedZoneId: alb.tls.hosted_zone_id } : undefined,
      alarms: {
        topicArn: topic.arn,
        bounceRatePercent: this.env.monitoring.bounceRatePercent,
        complaintRatePercent: this.env.monitoring.complaintRatePercent,
      },
    });

    const dashboard = new Dashboard(this, "dashboard", {
      name: guideDashboardName(this.env.name),
      widgets: applicationWidgets(targets, mail.configurationSetName),
    });

    new TerraformOutput(this, "dashboard_url", {
      description: "The guide's CloudWatch dashboard",
      value: `https://console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${dashboard.name}`,
    });
    this.publish(MONITORING, {
      alarm_topic_arn: topic.arn,
      alarm_topic_kms_key_arn: key.arn,
      dashboard_name: dashboard.name,
      ses_configuration_set: mail.configurationSetName,
    });
  }
}

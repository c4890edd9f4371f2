import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { AccountContext } from "../constructs/account";
import { ApplicationAlarms } from "../constructs/alarms";
import { applicationWidgets, Dashboard, guideDashboardName } from "../constructs/dashboard";
import { CustomerKey } from "../constructs/kms-key";
import { MailSending } from "../constructs/mail";
import { NotificationTopic, TopicPublisher, topicKeyStatement } from "../constructs/notification-topic";
import { ALB, DATABASE, ECS, ECS_CLUSTER, MONITORING } from "./contracts";
import { LayerProps, LayerStack } from "./base";

/** `markmail-<env>-monitoring`: alarm topic, dashboard `MarkMail-<env>`, alarms and SES. */
export class MonitoringStack extends LayerStack {
  constructor(scope: Construct, props: LayerProps) {
    super(scope, "monitoring", props);
    const database = this.upstream(DATABASE);
    const alb = this.upstream(ALB);
    const cluster = this.upstream(ECS_CLUSTER);
    const ecs = this.upstream(ECS);
    const region = this.config.region;
    const account = AccountContext.of(this, region);
    const prefix = this.name();

    // Only this environment's alarms and configuration set may use the key and publish.
    const cloudwatch: TopicPublisher = {
      service: "cloudwatch.amazonaws.com",
      sourceArns: [account.arn("cloudwatch", `alarm:${prefix}-*`)],
    };
    const key = new CustomerKey(this, "key", {
      alias: this.name("monitoring"),
      description: `${prefix}: alarm, bounce and complaint topics`,
      region,
      deletionWindowDays: this.env.forceDestroy ? 7 : 30,
      serviceStatements: [topicKeyStatement(this, region, cloudwatch), topicKeyStatement(this, region, { service: "ses.amazonaws.com" })],
    });

    const topic = new NotificationTopic(this, "alarm-topic", {
      name: this.name("alarms"),
      displayName: `MarkMail ${this.env.name} alarms`,
      kmsKeyArn: key.arn,
      publishers: [cloudwatch],
      email: this.config.notificationEmail,
      region,
    });

    const targets = {
      clusterName: cluster.cluster_name,
      services: { backend: ecs.backend_service_name, frontend: ecs.frontend_service_name },
      loadBalancer: alb.alb_arn_suffix,
      targetGroups: { backend: alb.backend_target_group_arn_suffix, frontend: alb.frontend_target_group_arn_suffix },
      dbClusterIdentifier: database.cluster_identifier,
    };
    new ApplicationAlarms(this, "alarms", { namePrefix: prefix, targets, thresholds: this.env.monitoring, topicArn: topic.arn });

    const mail = new MailSending(this, "mail", {
      configurationSetName: prefix,
      region,
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
      region,
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

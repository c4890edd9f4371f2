import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { AccountContext } from "../constructs/account";
import { ApplicationAlarms } from "../constructs/alarms";
import { applicationWidgets, Dashboard, guideDashboardName } from "../constructs/dashboard";
import { CustomerKey } from "../constructs/kms-key";
import { MailSending } from "../constructs/mail";
import { NotificationTopic, TopicPublisher, topicKeyStatement } from "../constructs/notification-topic";
import { AlbOutputs, DatabaseOutputs, EcsClusterOutputs, EcsOutputs, MonitoringOutputs } from "./contracts";
import { LayerProps, LayerStack } from "./base";

export interface MonitoringStackProps extends LayerProps {
  readonly database: DatabaseOutputs;
  readonly alb: AlbOutputs;
  readonly cluster: EcsClusterOutputs;
  readonly ecs: EcsOutputs;
}

/** `markmail-<env>-monitoring`: alarm topic, dashboard `MarkMail-<env>`, alarms and SES. */
export class MonitoringStack extends LayerStack {
  readonly outputs: MonitoringOutputs;

  constructor(scope: Construct, props: MonitoringStackProps) {
    super(scope, "monitoring", props);
    const region = this.config.region;
    const account = AccountContext.of(this, region);
    const prefix = this.name();

    if (this.env.domain !== undefined && props.alb.hostedZoneId === undefined) {
      throw new Error(`${prefix}-monitoring: ${this.env.name} has the domain ${this.env.domain} but the alb layer passed no hostedZoneId for the SES DNS records`);
    }

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
      clusterName: props.cluster.clusterName,
      services: { backend: props.ecs.backendServiceName, frontend: props.ecs.frontendServiceName },
      loadBalancer: props.alb.albArnSuffix,
      targetGroups: { backend: props.alb.backendTargetGroupArnSuffix, frontend: props.alb.frontendTargetGroupArnSuffix },
      dbClusterIdentifier: props.database.clusterIdentifier,
    };
    new ApplicationAlarms(this, "alarms", { namePrefix: prefix, targets, thresholds: this.env.monitoring, topicArn: topic.arn });

    const mail = new MailSending(this, "mail", {
      configurationSetName: prefix,
      region,
      kmsKeyArn: key.arn,
      topicNames: { bounces: this.name("bounces"), complaints: this.name("complaints") },
      notificationEmail: this.config.notificationEmail,
      domain: this.env.domain !== undefined ? { domain: this.env.domain, hostedZoneId: props.alb.hostedZoneId! } : undefined,
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
    new TerraformOutput(this, "alarm_topic_arn", { value: topic.arn });
    new TerraformOutput(this, "ses_configuration_set", { value: mail.configurationSetName });

    this.outputs = {
      alarmTopicArn: topic.arn,
      dashboardName: dashboard.name,
      sesConfigurationSetName: mail.configurationSetName,
      alarmTopicKmsKeyArn: key.arn,
    };
  }
}

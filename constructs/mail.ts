import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Sesv2ConfigurationSet } from "@cdktf/provider-aws/lib/sesv2-configuration-set";
import { Sesv2ConfigurationSetEventDestination } from "@cdktf/provider-aws/lib/sesv2-configuration-set-event-destination";
import { Sesv2EmailIdentity } from "@cdktf/provider-aws/lib/sesv2-email-identity";
import { Sesv2EmailIdentityMailFromAttributes } from "@cdktf/provider-aws/lib/sesv2-email-identity-mail-from-attributes";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { AccountContext, regionOf } from "./account";
import { MetricAlarm } from "./alarm";
import { NotificationTopic } from "./notification-topic";
import { ConstructError } from "./errors";

export type SuppressionReason = "BOUNCE" | "COMPLAINT";

/** The SES sending domain of an environment and the Route 53 zone its records go to. */
export interface MailDomain {
  readonly domain: string;
  readonly hostedZoneId: string;
}

export interface MailSendingProps {
  /** Configuration set name, `markmail-<env>` (the backend's AWS_SES_CONFIGURATION_SET). */
  readonly configurationSetName: string;
  /** CMK of the bounce and complaint topics; its policy must let ses.amazonaws.com use it. */
  readonly kmsKeyArn: string;
  /** `markmail-<env>-bounces` and `markmail-<env>-complaints`. */
  readonly topicNames: { readonly bounces: string; readonly complaints: string };
  /** @default no e-mail subscription */
  readonly notificationEmail?: string;
  /**
   * Reasons for which SES stops sending to an address through this set. A marketing sender must
   * suppress both; anything else throws.
   * @default ["BOUNCE", "COMPLAINT"]
   */
  readonly suppressedReasons?: SuppressionReason[];
  /** @default no domain identity and no DNS records (nothing that needs a zone at plan time) */
  readonly domain?: MailDomain;
  /** Reputation alarms to the alarm topic, thresholds in percent. */
  readonly alarms: { readonly topicArn: string; readonly bounceRatePercent: number; readonly complaintRatePercent: number };
}

/** Every event type the CloudWatch destination counts (OPEN/CLICK need tracking, which is off). */
const CLOUDWATCH_EVENTS = ["SEND", "REJECT", "BOUNCE", "COMPLAINT", "DELIVERY", "DELIVERY_DELAY", "RENDERING_FAILURE"];

/**
 * Amazon SES for one environment: the configuration set (sending on, suppression of bounces and
 * complaints, reputation metrics), its event destinations (CloudWatch metrics per configuration set;
 * SNS topics for bounces and complaints), reputation alarms and, with a domain, the domain identity
 * with Easy DKIM and a custom MAIL FROM domain whose DNS records are written to the zone.
 */
export class MailSending extends Construct {
  readonly configurationSet: Sesv2ConfigurationSet;
  readonly configurationSetName: string;
  readonly bounces: NotificationTopic;
  readonly complaints: NotificationTopic;
  readonly identity?: Sesv2EmailIdentity;

  constructor(scope: Construct, id: string, props: MailSendingProps) {
    super(scope, id);
    const reasons = props.suppressedReasons ?? ["BOUNCE", "COMPLAINT"];
    if (!reasons.includes("BOUNCE") || !reasons.includes("COMPLAINT")) {
      throw new Error(
        `SES configuration set ${props.configurationSetName}: suppression must cover BOUNCE and COMPLAINT (got [${reasons.join(", ")}]); mailing bounced or complaining addresses gets the account paused`,
      );
    }
    const account = AccountContext.of(this);
    const setArn = account.arn("ses", `configuration-set/${props.configurationSetName}`);

    this.configurationSetName = props.configurationSetName;
    this.configurationSet = new Sesv2ConfigurationSet(this, "configuration-set", {
      configurationSetName: props.configurationSetName,
      sendingOptions: { sendingEnabled: true },
      reputationOptions: { reputationMetricsEnabled: true },
      suppressionOptions: { suppressedReasons: [...reasons].sort() },
    });

    new Sesv2ConfigurationSetEventDestination(this, "cloudwatch", {
      configurationSetName: this.configurationSet.configurationSetName,
      eventDestinationName: "cloudwatch",
      eventDestination: {
        enabled: true,
        matchingEventTypes: CLOUDWATCH_EVENTS,
        cloudWatchDestination: {
          dimensionConfiguration: [
            {
              // SES tags every message with its configuration set: one metric series per environment.
              dimensionName: "ses:configuration-set",
              dimensionValueSource: "MESSAGE_TAG",
              defaultDimensionValue: props.configurationSetName,
            },
          ],
        },
      },
    });

    const topic = (tid: string, name: string, display: string) =>
      new NotificationTopic(this, tid, {
        name,
        displayName: display,
        kmsKeyArn: props.kmsKeyArn,
        publishers: [{ service: "ses.amazonaws.com", sourceArns: [setArn] }],
        email: props.notificationEmail,
      });
    this.bounces = topic("bounces", props.topicNames.bounces, `MarkMail ${props.configurationSetName} bounces`);
    this.complaints = topic("complaints", props.topicNames.complaints, `MarkMail ${props.configurationSetName} complaints`);
    for (const [tid, type, t] of [
      ["bounces-sns", "BOUNCE", this.bounces],
      ["complaints-sns", "COMPLAINT", this.complaints],
    ] as const) {
      new Sesv2ConfigurationSetEventDestination(this, tid, {
        configurationSetName: this.configurationSet.configurationSetName,
        eventDestinationName: type.toLowerCase(),
        eventDestination: { enabled: true, matchingEventTypes: [type], snsDestination: { topicArn: t.arn } },
      });
    }

    // Reputation metrics: AWS reviews the account at 5 % bounces / 0.1 % complaints and pauses
    // sending at 10 % / 0.5 %. The metric is a ratio (0.05 = 5 %). No sending means no datapoint,
    // which is fine: notBreaching.
    for (const [cid, what, metricName, percent, pause] of [
      ["BounceRate", "ses-bounce-rate", "Reputation.BounceRate", props.alarms.bounceRatePercent, 10],
      ["ComplaintRate", "ses-complaint-rate", "Reputation.ComplaintRate", props.alarms.complaintRatePercent, 0.5],
    ] as const) {
      if (!(percent > 0 && percent < pause))
        throw new ConstructError(
          this,
          `alarms.${cid === "BounceRate" ? "bounce" : "complaint"}RatePercent`,
          percent,
          `a percentage above 0 and below ${pause} (SES pauses sending at ${pause} %)`,
        );
      new MetricAlarm(this, cid, {
        alarmName: `${props.configurationSetName}-${what}`,
        description: `SES ${metricName} of the account at or above ${percent} % (AWS pauses sending at ${pause} %)`,
        namespace: "AWS/SES",
        metricName,
        dimensions: {},
        statistic: "Maximum",
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: percent / 100,
        periodSeconds: 3600,
        evaluationPeriods: 1,
        treatMissingData: "notBreaching",
        actions: [props.alarms.topicArn],
      });
    }

    if (props.domain !== undefined) this.identity = this.domainIdentity(props.domain, regionOf(this));
  }

  /** Domain identity with Easy DKIM (3 CNAMEs) and MAIL FROM `mail.<domain>` (MX + SPF). */
  private domainIdentity(d: MailDomain, region: string): Sesv2EmailIdentity {
    const identity = new Sesv2EmailIdentity(this, "identity", {
      emailIdentity: d.domain,
      configurationSetName: this.configurationSet.configurationSetName,
      dkimSigningAttributes: { nextSigningKeyLength: "RSA_2048_BIT" },
    });
    // Easy DKIM always returns three tokens; each becomes <token>._domainkey.<domain> CNAME.
    for (let i = 0; i < 3; i++) {
      const token = Fn.element(identity.dkimSigningAttributes.tokens, i);
      new Route53Record(this, `dkim-${i}`, {
        zoneId: d.hostedZoneId,
        name: `${token}._domainkey.${d.domain}`,
        type: "CNAME",
        ttl: 1800,
        records: [`${token}.dkim.amazonses.com`],
      });
    }
    const mailFrom = `mail.${d.domain}`;
    new Sesv2EmailIdentityMailFromAttributes(this, "mail-from", {
      emailIdentity: identity.emailIdentity,
      mailFromDomain: mailFrom,
      // Until the MX record resolves, fall back to amazonses.com rather than rejecting mail.
      behaviorOnMxFailure: "USE_DEFAULT_VALUE",
    });
    new Route53Record(this, "mail-from-mx", {
      zoneId: d.hostedZoneId,
      name: mailFrom,
      type: "MX",
      ttl: 1800,
      records: [`10 feedback-smtp.${region}.amazonses.com`],
    });
    new Route53Record(this, "mail-from-spf", {
      zoneId: d.hostedZoneId,
      name: mailFrom,
      type: "TXT",
      ttl: 1800,
      records: ["v=spf1 include:amazonses.com ~all"],
    });
    return identity;
  }
}

/** SES actions an application may hold; anything else (ses:*, identity management) is refused. */
const SEND_ACTIONS = ["ses:SendEmail", "ses:SendRawEmail"] as const;

export interface SesSendStatementProps {
  readonly configurationSetName: string;
  /** Verified identities the app sends from: a domain or e-mail addresses. Never `*`. */
  readonly identities: string[];
}

/**
 * The only SES grant the application gets: SendEmail/SendRawEmail on this configuration set and
 * these identities (SES authorizes a send against both). Throws on wildcards.
 */
export function sesSendStatement(scope: Construct, props: SesSendStatementProps): DataAwsIamPolicyDocumentStatement {
  if (props.identities.length === 0) throw new Error("SES send permission: at least one identity is required");
  for (const i of [props.configurationSetName, ...props.identities]) {
    if (i.includes("*")) throw new Error(`SES send permission: "${i}" contains a wildcard; name the identity and configuration set`);
  }
  const account = AccountContext.of(scope);
  const statement: DataAwsIamPolicyDocumentStatement = {
    sid: "SendThroughConfigurationSet",
    effect: "Allow",
    actions: [...SEND_ACTIONS],
    resources: [
      account.arn("ses", `configuration-set/${props.configurationSetName}`),
      ...props.identities.map((i) => account.arn("ses", `identity/${i}`)),
    ],
  };
  assertScopedSes([statement]);
  return statement;
}

/**
 * Guardrail for any policy that mentions SES: no `ses:*`/`sesv2:*` wildcard actions (and no
 * `sesv2:` prefix, which IAM does not know: it silently grants nothing) and no `*` resource.
 */
export function assertScopedSes(statements: DataAwsIamPolicyDocumentStatement[]): void {
  for (const s of statements) {
    const ses = (s.actions ?? []).filter((a) => /^(ses|sesv2):/i.test(a) || a === "*");
    if (ses.length === 0 || s.effect === "Deny") continue;
    const bad = ses.find((a) => a === "*" || a.includes("*") || /^sesv2:/i.test(a));
    if (bad) throw new Error(`SES permission "${bad}" is not allowed: grant ${SEND_ACTIONS.join(" / ")} by name`);
    if ((s.resources ?? ["*"]).some((r) => r === "*" || /identity\/\*$|configuration-set\/\*$/.test(r))) {
      throw new Error(`SES permission ${ses.join(", ")} on an unscoped resource; name the configuration set and identity`);
    }
  }
}

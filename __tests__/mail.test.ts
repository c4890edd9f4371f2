import { assertScopedSes, MailSending, type MailSendingProps, sesSendStatement } from "../constructs/mail";
import { MonitoringStack } from "../stacks/monitoring-stack";
import type { AppConfig } from "../config";
import { onlyEnv, testApp } from "./helpers/fake-outputs";
import { configFor, onlyResource, resources, synthInRegion, synthJson, type TfJson } from "./helpers/synth";

function synthMonitoring(config: AppConfig): TfJson {
  const env = onlyEnv(config);
  return synthJson(new MonitoringStack(testApp(), { config, env }));
}
const refOf = (json: TfJson, type: string, pred: (b: any) => boolean, attr: string) => {
  const [id] = resources(json, type).find(([, b]) => pred(b))!;
  return `\${${type}.${id}.${attr}}`;
};

describe("SES without a domain (dev)", () => {
  const json = synthMonitoring(configFor("dev", { NOTIFICATION_EMAIL: "ops@example.com" }));

  test("configuration set markmail-dev: sending on, suppression of bounces and complaints, reputation metrics", () => {
    expect(onlyResource(json, "aws_sesv2_configuration_set")).toEqual({
      configuration_set_name: "markmail-dev",
      sending_options: { sending_enabled: true },
      reputation_options: { reputation_metrics_enabled: true },
      suppression_options: { suppressed_reasons: ["BOUNCE", "COMPLAINT"] },
    });
  });

  test("event destinations: CloudWatch per configuration set, bounces and complaints to their topics", () => {
    const dests = new Map(resources(json, "aws_sesv2_configuration_set_event_destination").map(([, b]) => [b.event_destination_name, b]));
    expect([...dests.keys()].sort()).toEqual(["bounce", "cloudwatch", "complaint"]);
    const set = refOf(json, "aws_sesv2_configuration_set", () => true, "configuration_set_name");
    for (const d of dests.values()) expect(d.configuration_set_name).toBe(set);
    expect(dests.get("cloudwatch")!.event_destination.cloud_watch_destination.dimension_configuration).toEqual([
      { dimension_name: "ses:configuration-set", dimension_value_source: "MESSAGE_TAG", default_dimension_value: "markmail-dev" },
    ]);
    expect(dests.get("cloudwatch")!.event_destination.matching_event_types).toEqual(
      expect.arrayContaining(["SEND", "BOUNCE", "COMPLAINT", "DELIVERY", "REJECT"]),
    );
    expect(dests.get("bounce")!.event_destination).toEqual({
      enabled: true,
      matching_event_types: ["BOUNCE"],
      sns_destination: { topic_arn: refOf(json, "aws_sns_topic", (b) => b.name === "markmail-dev-bounces", "arn") },
    });
    expect(dests.get("complaint")!.event_destination.sns_destination.topic_arn).toBe(
      refOf(json, "aws_sns_topic", (b) => b.name === "markmail-dev-complaints", "arn"),
    );
  });

  test("SES may publish to the bounce topic only for this configuration set", () => {
    const docs = Object.values(json.data!.aws_iam_policy_document) as any[];
    const ses = docs
      .flatMap((d) => d.statement)
      .filter(
        (s: any) => s.effect === "Allow" && s.actions.includes("sns:Publish") && s.principals[0].identifiers[0] === "ses.amazonaws.com",
      );
    expect(ses).toHaveLength(2);
    for (const s of ses) {
      expect(s.condition).toContainEqual(
        expect.objectContaining({
          variable: "aws:SourceArn",
          values: [expect.stringMatching(/:ses:ap-northeast-1:.*:configuration-set\/markmail-dev$/)],
        }),
      );
    }
  });

  test("reputation alarms: 5 % bounces and 0.1 % complaints as ratios, to the alarm topic", () => {
    const alarms = new Map(resources(json, "aws_cloudwatch_metric_alarm").map(([, b]) => [b.alarm_name, b]));
    const topic = refOf(json, "aws_sns_topic", (b) => b.name === "markmail-dev-alarms", "arn");
    expect(alarms.get("markmail-dev-ses-bounce-rate")).toMatchObject({
      namespace: "AWS/SES",
      metric_name: "Reputation.BounceRate",
      threshold: 0.05,
      alarm_actions: [topic],
      ok_actions: [topic],
      treat_missing_data: "notBreaching",
    });
    expect(alarms.get("markmail-dev-ses-complaint-rate")).toMatchObject({ metric_name: "Reputation.ComplaintRate", threshold: 0.001 });
    expect(alarms.get("markmail-dev-ses-bounce-rate")!.dimensions).toBeUndefined();
  });

  test("nothing that needs a domain or zone at plan time", () => {
    expect(resources(json, "aws_sesv2_email_identity")).toHaveLength(0);
    expect(resources(json, "aws_sesv2_email_identity_mail_from_attributes")).toHaveLength(0);
    expect(resources(json, "aws_route53_record")).toHaveLength(0);
    expect(json.data!.aws_route53_zone).toBeUndefined();
  });

  test("the dashboard shows the configuration set's mail events", () => {
    const body = JSON.parse(onlyResource(json, "aws_cloudwatch_dashboard").dashboard_body);
    const rows = body.widgets.flatMap((w: any) => w.properties.metrics);
    expect(rows).toContainEqual(["AWS/SES", "Bounce", "ses:configuration-set", "markmail-dev", { label: "bounce" }]);
  });
});

describe("SES with a domain (prod)", () => {
  const json = synthMonitoring(configFor("prod", { PROD_DOMAIN: "markmail.example.com" }));
  const records = resources(json, "aws_route53_record").map(([, b]) => b);
  const identity = refOf(json, "aws_sesv2_email_identity", () => true, "dkim_signing_attributes[0].tokens");

  test("domain identity with Easy DKIM 2048 bit, bound to the configuration set", () => {
    expect(onlyResource(json, "aws_sesv2_email_identity")).toMatchObject({
      email_identity: "markmail.example.com",
      dkim_signing_attributes: { next_signing_key_length: "RSA_2048_BIT" },
    });
  });

  test("the three DKIM CNAMEs go into the zone from the alb layer", () => {
    const dkim = records.filter((r) => r.type === "CNAME");
    expect(dkim).toHaveLength(3);
    dkim.forEach((r, i) => {
      expect(r.zone_id).toBe("${data.terraform_remote_state.alb.outputs.hosted_zone_id}");
      expect(r.name).toBe(`\${element(${identity.slice(2, -1)}, ${i})}._domainkey.markmail.example.com`);
      expect(r.records).toEqual([`\${element(${identity.slice(2, -1)}, ${i})}.dkim.amazonses.com`]);
    });
  });

  test("custom MAIL FROM mail.<domain> with MX to the regional feedback endpoint and SPF", () => {
    expect(onlyResource(json, "aws_sesv2_email_identity_mail_from_attributes")).toMatchObject({
      mail_from_domain: "mail.markmail.example.com",
      behavior_on_mx_failure: "USE_DEFAULT_VALUE",
    });
    expect(records).toContainEqual(
      expect.objectContaining({
        name: "mail.markmail.example.com",
        type: "MX",
        records: ["10 feedback-smtp.ap-northeast-1.amazonses.com"],
      }),
    );
    expect(records).toContainEqual(
      expect.objectContaining({ name: "mail.markmail.example.com", type: "TXT", records: ["v=spf1 include:amazonses.com ~all"] }),
    );
  });
});

describe("SES guardrails", () => {
  const props: MailSendingProps = {
    configurationSetName: "markmail-dev",
    kmsKeyArn: "arn:aws:kms:ap-northeast-1:111122223333:key/k",
    topicNames: { bounces: "b", complaints: "c" },
    alarms: { topicArn: "arn:aws:sns:ap-northeast-1:111122223333:a", bounceRatePercent: 5, complaintRatePercent: 0.1 },
  };

  test("a configuration set without full suppression throws", () => {
    expect(() => synthInRegion((s) => new MailSending(s, "m", { ...props, suppressedReasons: [] }))).toThrow(
      /suppression must cover BOUNCE and COMPLAINT/,
    );
    expect(() => synthInRegion((s) => new MailSending(s, "m", { ...props, suppressedReasons: ["BOUNCE"] }))).toThrow(
      /suppression must cover/,
    );
  });

  test("a reputation threshold at or above the AWS pause level throws", () => {
    expect(() =>
      synthInRegion((s) => new MailSending(s, "m", { ...props, alarms: { ...props.alarms, complaintRatePercent: 0.5 } })),
    ).toThrow(
      /\/m: alarms\.complaintRatePercent=0\.5 is not valid: expected a percentage above 0 and below 0\.5 \(SES pauses sending at 0\.5 %\)$/,
    );
  });

  test("the send statement names the configuration set and identities; wildcards throw", () => {
    let statement: any;
    synthInRegion((s) => {
      statement = sesSendStatement(s, { configurationSetName: "markmail-dev", identities: ["dev.markmail.example.com"] });
    });
    expect(statement.actions).toEqual(["ses:SendEmail", "ses:SendRawEmail"]);
    expect(statement.resources).toHaveLength(2);
    expect(statement.resources[0]).toMatch(/:ses:ap-northeast-1:.*:configuration-set\/markmail-dev$/);
    expect(statement.resources[1]).toMatch(/:identity\/dev\.markmail\.example\.com$/);
    expect(() => synthInRegion((s) => sesSendStatement(s, { configurationSetName: "markmail-dev", identities: ["*"] }))).toThrow(
      /wildcard/,
    );
    expect(() => synthInRegion((s) => sesSendStatement(s, { configurationSetName: "markmail-dev", identities: [] }))).toThrow(
      /at least one identity/,
    );
  });

  test("unscoped SES grants are impossible: ses:*, sesv2:*, invalid sesv2: actions, * resources", () => {
    const arn = "arn:aws:ses:ap-northeast-1:111122223333:identity/x";
    expect(() => assertScopedSes([{ effect: "Allow", actions: ["ses:*"], resources: [arn] }])).toThrow(/"ses:\*" is not allowed/);
    expect(() => assertScopedSes([{ effect: "Allow", actions: ["sesv2:SendEmail"], resources: [arn] }])).toThrow(/not allowed/);
    expect(() => assertScopedSes([{ effect: "Allow", actions: ["ses:SendEmail"], resources: ["*"] }])).toThrow(/unscoped resource/);
    expect(() =>
      assertScopedSes([{ effect: "Allow", actions: ["ses:SendEmail"], resources: ["arn:aws:ses:ap-northeast-1:111122223333:identity/*"] }]),
    ).toThrow(/unscoped/);
    expect(() => assertScopedSes([{ effect: "Allow", actions: ["ses:SendEmail"], resources: [arn] }])).not.toThrow();
  });
});

import { Token } from "cdktf";
import { MetricAlarm } from "../constructs/alarm";
import { renderDashboardBody } from "../constructs/dashboard";
import type { Construct } from "constructs";
import { CustomerKey } from "../constructs/kms-key";
import { NotificationTopic, topicKeyStatement } from "../constructs/notification-topic";
import { MonitoringStack } from "../stacks/monitoring-stack";
import { fakeOutputs, onlyEnv, testApp } from "./helpers/fake-outputs";

const f = fakeOutputs("dev");
import { configFor, resources, synthInRegion, synthJson, type TfJson } from "./helpers/synth";
import type { AppConfig, EnvName } from "../config";

function synthMonitoring(config: AppConfig): TfJson {
  return synthJson(new MonitoringStack(testApp(), { config, env: onlyEnv(config) }));
}

const byName = (json: TfJson, type: string, key: string) => new Map(resources(json, type).map(([, body]) => [body[key] as string, body]));
const policyDocs = (json: TfJson) => Object.values(json.data?.aws_iam_policy_document ?? {}) as any[];
const accountRef = (json: TfJson) => `\${data.aws_caller_identity.${Object.keys(json.data!.aws_caller_identity)[0]}.account_id}`;
const partitionRef = (json: TfJson) => `\${data.aws_partition.${Object.keys(json.data!.aws_partition)[0]}.partition}`;

describe("monitoring layer (dev, NOTIFICATION_EMAIL set)", () => {
  const json = synthMonitoring(configFor("dev", { NOTIFICATION_EMAIL: "ops@example.com" }));
  const topics = byName(json, "aws_sns_topic", "name");
  const alarms = byName(json, "aws_cloudwatch_metric_alarm", "alarm_name");
  const alarmTopicRef = () => {
    const [id] = resources(json, "aws_sns_topic").find(([, b]) => b.name === "markmail-dev-alarms")!;
    return `\${aws_sns_topic.${id}.arn}`;
  };

  test("alarm, bounce and complaint topics are KMS-encrypted with this layer's key", () => {
    expect([...topics.keys()].sort()).toEqual(["markmail-dev-alarms", "markmail-dev-bounces", "markmail-dev-complaints"]);
    const [keyId] = resources(json, "aws_kms_key")[0];
    for (const t of topics.values()) expect(t.kms_master_key_id).toBe(`\${aws_kms_key.${keyId}.arn}`);
    expect(resources(json, "aws_kms_key")).toHaveLength(1);
    expect(resources(json, "aws_kms_alias")[0][1].name).toBe("alias/markmail-dev-monitoring");
  });

  test("topic policies: only CloudWatch (own alarms), EventBridge (own rules, alarm topic) or SES (own configuration set) may publish, for this account, over TLS", () => {
    const topicPolicies = resources(json, "aws_sns_topic_policy");
    expect(topicPolicies).toHaveLength(3);
    const docs = policyDocs(json).filter((d) => d.statement.some((s: any) => s.actions.includes("sns:Publish")));
    expect(docs).toHaveLength(3);
    for (const doc of docs) {
      const allows = doc.statement.filter((s: any) => s.effect === "Allow");
      const services = allows.map((a: any) => a.principals[0].identifiers[0]).sort();
      expect([["cloudwatch.amazonaws.com", "events.amazonaws.com"], ["ses.amazonaws.com"]]).toContainEqual(services);
      for (const allow of allows) {
        expect(allow.actions).toEqual(["sns:Publish"]);
        expect(allow.principals).toEqual([
          { type: "Service", identifiers: [expect.stringMatching(/^(cloudwatch|events|ses)\.amazonaws\.com$/)] },
        ]);
        expect(allow.condition).toContainEqual({ test: "StringEquals", variable: "aws:SourceAccount", values: [accountRef(json)] });
      }
      expect(doc.statement).toContainEqual(
        expect.objectContaining({ effect: "Deny", condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }] }),
      );
    }
    const cw = docs.flatMap((d) => d.statement).find((s: any) => s.principals[0].identifiers[0] === "cloudwatch.amazonaws.com");
    expect(cw.condition).toContainEqual({
      test: "ArnLike",
      variable: "aws:SourceArn",
      values: [`arn:${partitionRef(json)}:cloudwatch:ap-northeast-1:${accountRef(json)}:alarm:markmail-dev-*`],
    });
    const events = docs.flatMap((d) => d.statement).find((s: any) => s.principals[0].identifiers[0] === "events.amazonaws.com");
    expect(events.condition).toContainEqual({
      test: "ArnLike",
      variable: "aws:SourceArn",
      values: [`arn:${partitionRef(json)}:events:ap-northeast-1:${accountRef(json)}:rule/markmail-dev-*`],
    });
  });

  test("the key policy lets CloudWatch, EventBridge and SES encrypt for this account only (and Logs for the secret-age function)", () => {
    const keyDoc = policyDocs(json).find((d) => d.statement.some((s: any) => s.sid === "AccountAdministersKey"));
    const all = keyDoc.statement.filter((s: any) => s.principals?.[0].type === "Service");
    expect(all.map((s: any) => s.principals[0].identifiers[0]).sort()).toEqual([
      "cloudwatch.amazonaws.com",
      "events.amazonaws.com",
      "logs.ap-northeast-1.amazonaws.com",
      "ses.amazonaws.com",
    ]);
    const services = all.filter((s: any) => !s.principals[0].identifiers[0].startsWith("logs."));
    for (const s of services) {
      expect(s.actions).toEqual(["kms:GenerateDataKey", "kms:Decrypt"]);
      expect(s.condition.map((c: any) => c.variable).sort()).toEqual(["aws:SourceAccount", "aws:SourceArn"]);
    }
    const ses = services.find((s: any) => s.principals[0].identifiers[0] === "ses.amazonaws.com");
    expect(ses.condition).toContainEqual({
      test: "ArnLike",
      variable: "aws:SourceArn",
      values: [`arn:${partitionRef(json)}:ses:ap-northeast-1:${accountRef(json)}:configuration-set/markmail-dev`],
    });
    const logs = all.find((s: any) => s.principals[0].identifiers[0].startsWith("logs."));
    expect(logs.actions.filter((a: string) => /[*?]/.test(a))).toEqual([]);
  });

  test("one e-mail subscription per topic to NOTIFICATION_EMAIL", () => {
    const subs = resources(json, "aws_sns_topic_subscription").map(([, b]) => b);
    expect(subs).toHaveLength(3);
    for (const s of subs) expect(s).toMatchObject({ protocol: "email", endpoint: "ops@example.com" });
  });

  test("every alarm notifies the alarm topic on ALARM and OK and is named markmail-dev-<what>", () => {
    // 13 application alarms + 2 SES reputation alarms + backup missing + 6 secret ages + rotation errors
    expect(alarms.size).toBe(23);
    for (const [name, a] of alarms) {
      expect(name).toMatch(/^markmail-dev-[a-z0-9-]+$/);
      expect(a.actions_enabled).toBe(true);
      expect(a.alarm_actions).toEqual([alarmTopicRef()]);
      expect(a.ok_actions).toEqual([alarmTopicRef()]);
      expect(["breaching", "notBreaching", "missing"]).toContain(a.treat_missing_data);
    }
  });

  test("the guide's HighErrorRate: ALB target 5XX, LoadBalancer dimension, Sum >= 10 over 2 periods", () => {
    expect(alarms.get("markmail-dev-high-error-rate")).toMatchObject({
      namespace: "AWS/ApplicationELB",
      metric_name: "HTTPCode_Target_5XX_Count",
      dimensions: { LoadBalancer: f.alb.alb_arn_suffix },
      statistic: "Sum",
      threshold: 10,
      comparison_operator: "GreaterThanOrEqualToThreshold",
      evaluation_periods: 2,
      datapoints_to_alarm: 2,
      period: 300,
      treat_missing_data: "notBreaching",
    });
  });

  test("ECS, target, latency and Aurora alarms use the right dimensions and env thresholds", () => {
    expect(alarms.get("markmail-dev-backend-cpu-high")).toMatchObject({
      namespace: "AWS/ECS",
      metric_name: "CPUUtilization",
      dimensions: { ClusterName: f.cluster.cluster_name, ServiceName: f.ecs.backend_service_name },
      threshold: 80,
    });
    expect(alarms.get("markmail-dev-frontend-memory-high")).toMatchObject({
      metric_name: "MemoryUtilization",
      dimensions: { ServiceName: f.ecs.frontend_service_name },
    });
    expect(alarms.get("markmail-dev-backend-unhealthy-hosts")).toMatchObject({
      metric_name: "UnHealthyHostCount",
      dimensions: { LoadBalancer: f.alb.alb_arn_suffix, TargetGroup: f.alb.backend_target_group_arn_suffix },
      treat_missing_data: "notBreaching",
    });
    // No datapoint for HealthyHostCount means nothing is registered: an outage, so breaching.
    expect(alarms.get("markmail-dev-frontend-no-healthy-hosts")).toMatchObject({
      metric_name: "HealthyHostCount",
      comparison_operator: "LessThanThreshold",
      threshold: 1,
      treat_missing_data: "breaching",
    });
    const p95 = alarms.get("markmail-dev-response-time-p95")!;
    expect(p95).toMatchObject({ metric_name: "TargetResponseTime", extended_statistic: "p95", threshold: 1 });
    expect(p95.statistic).toBeUndefined();
    expect(alarms.get("markmail-dev-db-cpu-high")).toMatchObject({
      namespace: "AWS/RDS",
      dimensions: { DBClusterIdentifier: f.database.cluster_identifier },
      treat_missing_data: "missing",
    });
    expect(alarms.get("markmail-dev-db-freeable-memory-low")).toMatchObject({
      metric_name: "FreeableMemory",
      comparison_operator: "LessThanThreshold",
      threshold: 256 * 1024 * 1024,
    });
    expect(alarms.get("markmail-dev-db-connections-high")).toMatchObject({ metric_name: "DatabaseConnections", threshold: 300 });
  });

  test("dashboard MarkMail-dev carries the guide's metrics", () => {
    const [dash] = resources(json, "aws_cloudwatch_dashboard").map(([, b]) => b);
    expect(dash.dashboard_name).toBe("MarkMail-dev");
    const body = JSON.parse(dash.dashboard_body);
    const rows: any[][] = body.widgets.flatMap((w: any) => w.properties.metrics);
    const has = (...prefix: string[]) => rows.some((r) => prefix.every((p, i) => r[i] === p));
    expect(has("AWS/ECS", "CPUUtilization", "ClusterName", f.cluster.cluster_name, "ServiceName", f.ecs.backend_service_name)).toBe(true);
    expect(has("AWS/ECS", "MemoryUtilization", "ClusterName", f.cluster.cluster_name, "ServiceName", f.ecs.frontend_service_name)).toBe(
      true,
    );
    expect(has("AWS/ApplicationELB", "RequestCount", "LoadBalancer", f.alb.alb_arn_suffix)).toBe(true);
    expect(has("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count")).toBe(true);
    expect(
      has(
        "AWS/ApplicationELB",
        "HealthyHostCount",
        "LoadBalancer",
        f.alb.alb_arn_suffix,
        "TargetGroup",
        f.alb.frontend_target_group_arn_suffix,
      ),
    ).toBe(true);
    expect(has("AWS/RDS", "DatabaseConnections", "DBClusterIdentifier", f.database.cluster_identifier)).toBe(true);
    const latency = rows.filter((r) => r[1] === "TargetResponseTime").map((r) => r[r.length - 1].stat);
    expect(latency).toEqual(["p50", "p95"]);
    for (const w of body.widgets) {
      expect(w.properties.region).toBe("ap-northeast-1");
      expect(w.x + w.width).toBeLessThanOrEqual(24);
    }
  });

  test("outputs: the guide's dashboard URL", () => {
    expect(json.output!.dashboard_url.value).toBe(
      "https://console.aws.amazon.com/cloudwatch/home?region=ap-northeast-1#dashboards:name=MarkMail-dev",
    );
  });
});

describe("monitoring environment matrix", () => {
  test("no NOTIFICATION_EMAIL: no subscription at all", () => {
    const json = synthMonitoring(configFor("dev"));
    expect(resources(json, "aws_sns_topic_subscription")).toHaveLength(0);
  });

  test.each<[EnvName, number, number]>([
    ["dev", 7, 300],
    ["prod", 30, 800],
  ])("%s: key deletion window %i days, connections threshold %i", (env, window, connections) => {
    const json = synthMonitoring(configFor(env));
    expect(resources(json, "aws_kms_key")[0][1]).toMatchObject({ deletion_window_in_days: window, enable_key_rotation: true });
    const conn = resources(json, "aws_cloudwatch_metric_alarm").find(([, b]) => b.alarm_name === `markmail-${env}-db-connections-high`)!;
    expect(conn[1].threshold).toBe(connections);
    expect(resources(json, "aws_cloudwatch_dashboard")[0][1].dashboard_name).toBe(`MarkMail-${env}`);
  });

  test("thresholds come from the environment config", () => {
    const config = configFor("staging", {}, (e) => ({ ...e, monitoring: { ...e.monitoring, target5xxCount: 25, cpuHighPercent: 65 } }));
    const alarms = byName(synthMonitoring(config), "aws_cloudwatch_metric_alarm", "alarm_name");
    expect(alarms.get("markmail-staging-high-error-rate")!.threshold).toBe(25);
    expect(alarms.get("markmail-staging-frontend-cpu-high")!.threshold).toBe(65);
  });

  test("with a domain, the SES DNS records go into the zone the alb layer publishes (tls group of its contract)", () => {
    const json = synthMonitoring(configFor("dev", { DEV_DOMAIN: "dev.markmail.example.com" }));
    const records = resources(json, "aws_route53_record").map(([, r]) => r);
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) expect(r.zone_id).toBe("${data.terraform_remote_state.alb.outputs.hosted_zone_id}");
    expect(json.data!.terraform_remote_state.alb.lifecycle.postcondition[0].condition).toContain('"hosted_zone_id"');
  });
});

describe("target alarms under blue/green (prod): each deployment moves the tasks to the other group", () => {
  const alarms = byName(synthMonitoring(configFor("prod")), "aws_cloudwatch_metric_alarm", "alarm_name");
  const alt = (svc: string) => `\${data.terraform_remote_state.alb.outputs.${svc}_alternate_target_group_arn_suffix}`;
  const main = (svc: string) => `\${data.terraform_remote_state.alb.outputs.${svc}_target_group_arn_suffix}`;

  test.each(["backend", "frontend"])("%s: an unhealthy-hosts alarm per group", (svc) => {
    expect(alarms.get(`markmail-prod-${svc}-unhealthy-hosts`)!.dimensions.TargetGroup).toBe(main(svc));
    expect(alarms.get(`markmail-prod-${svc}-alternate-unhealthy-hosts`)).toMatchObject({
      metric_name: "UnHealthyHostCount",
      dimensions: { TargetGroup: alt(svc) },
      treat_missing_data: "notBreaching",
    });
  });

  test.each(["backend", "frontend"])("%s: no-healthy-hosts sums both groups, so the idle group's silence is no outage", (svc) => {
    const a = alarms.get(`markmail-prod-${svc}-no-healthy-hosts`)!;
    expect(a.metric_name).toBeUndefined();
    expect(a.period).toBeUndefined();
    const [expr, ...metrics] = a.metric_query;
    expect(expr).toMatchObject({ id: "e", expression: "FILL(primary, 0) + FILL(alternate, 0)", return_data: true });
    expect(Object.fromEntries(metrics.map((q: any) => [q.id, q.metric.dimensions.TargetGroup]))).toEqual({
      primary: main(svc),
      alternate: alt(svc),
    });
    expect(
      metrics.every((q: any) => q.metric.metric_name === "HealthyHostCount" && q.metric.stat === "Minimum" && q.metric.period === 60),
    ).toBe(true);
    expect(a).toMatchObject({ comparison_operator: "LessThanThreshold", threshold: 1, treat_missing_data: "breaching" });
  });

  test("dev (rolling) keeps one group: a plain HealthyHostCount alarm and no alternate alarms", () => {
    const dev = byName(synthMonitoring(configFor("dev")), "aws_cloudwatch_metric_alarm", "alarm_name");
    expect(dev.get("markmail-dev-backend-no-healthy-hosts")!.metric_name).toBe("HealthyHostCount");
    expect([...dev.keys()].filter((n) => n.includes("alternate"))).toEqual([]);
  });

  test("a metric-math alarm cannot also name a metric", () => {
    const base = {
      alarmName: "x",
      description: "d",
      comparison: "LessThanThreshold" as const,
      threshold: 1,
      treatMissingData: "breaching" as const,
      actions: ["t"],
    };
    const math = {
      expression: "FILL(a, 0)",
      label: "l",
      metrics: { a: { namespace: "N", metricName: "M", dimensions: {}, statistic: "Minimum" as const } },
    };
    expect(() => synthInRegion((s) => new MetricAlarm(s, "a", { ...base, math, namespace: "N", metricName: "M" }))).toThrow(
      /names its metrics in math\.metrics/,
    );
    expect(() => synthInRegion((s) => new MetricAlarm(s, "b", { ...base, math: { ...math, metrics: { A: math.metrics.a } } }))).toThrow(
      /lower-case/,
    );
    expect(() => synthInRegion((s) => new MetricAlarm(s, "c", base))).toThrow(/set namespace and metricName/);
  });
});

describe("upstream values inside the dashboard JSON", () => {
  test("the alb layer's arn suffix is a terraform_remote_state read inside dashboard_body", () => {
    const json = synthMonitoring(configFor("dev"));
    const body: string = resources(json, "aws_cloudwatch_dashboard")[0][1].dashboard_body;
    const metrics = JSON.parse(body).widgets.flatMap((w: any) => w.properties.metrics);
    expect(metrics).toContainEqual(expect.arrayContaining(["LoadBalancer", "${data.terraform_remote_state.alb.outputs.alb_arn_suffix}"]));
  });
});

describe("monitoring guardrails", () => {
  const base = {
    alarmName: "markmail-dev-x",
    description: "x",
    namespace: "AWS/ECS",
    metricName: "CPUUtilization",
    dimensions: {},
    statistic: "Average" as const,
    comparison: "GreaterThanThreshold" as const,
    threshold: 1,
    treatMissingData: "notBreaching" as const,
    actions: ["arn:aws:sns:ap-northeast-1:111122223333:t"],
  };

  test("an alarm without an action throws", () => {
    expect(() => synthInRegion((s) => new MetricAlarm(s, "a", { ...base, actions: [] }))).toThrow(/no alarm action/);
  });

  test("an alarm with both or neither statistic throws; a bad percentile or period throws", () => {
    expect(() => synthInRegion((s) => new MetricAlarm(s, "a", { ...base, extendedStatistic: "p95" }))).toThrow(/exactly one/);
    expect(() => synthInRegion((s) => new MetricAlarm(s, "a", { ...base, statistic: undefined }))).toThrow(/exactly one/);
    expect(() => synthInRegion((s) => new MetricAlarm(s, "a", { ...base, statistic: undefined, extendedStatistic: "95th" }))).toThrow(
      /percentile/,
    );
    expect(() => synthInRegion((s) => new MetricAlarm(s, "a", { ...base, periodSeconds: 90 }))).toThrow(/period 90s/);
  });

  test("a topic publisher that is not an AWS service principal, or no publisher, throws", () => {
    const props = { name: "t", displayName: "t", kmsKeyArn: "k", region: "ap-northeast-1" };
    expect(() => synthInRegion((s) => new NotificationTopic(s, "t", { ...props, publishers: [{ service: "*" }] }))).toThrow(
      /not an AWS service principal/,
    );
    expect(() => synthInRegion((s) => new NotificationTopic(s, "t", { ...props, publishers: [] }))).toThrow(/at least one publisher/);
  });

  test("MM-043: a publisher that sets aws:SourceArn without its source ARNs throws (topic policy and key statement)", () => {
    const props = { name: "t", displayName: "t", kmsKeyArn: "k", region: "ap-northeast-1" };
    expect(() => synthInRegion((s) => new NotificationTopic(s, "t", { ...props, publishers: [{ service: "ses.amazonaws.com" }] }))).toThrow(
      /sets aws:SourceArn/,
    );
    expect(() => synthInRegion((s) => topicKeyStatement(s, { service: "cloudwatch.amazonaws.com" }))).toThrow(/sets aws:SourceArn/);
    expect(() =>
      synthInRegion((s) =>
        topicKeyStatement(s, {
          service: "cloudwatch.amazonaws.com",
          sourceArns: ["arn:aws:cloudwatch:ap-northeast-1:111122223333:alarm:x"],
        }),
      ),
    ).not.toThrow();
  });

  test("MM-025: a key-policy service statement with a wildcard action throws; the logs statement names its actions", () => {
    const key = (actions: string[]) => (s: Construct) =>
      new CustomerKey(s, "k", {
        alias: "a",
        description: "d",
        deletionWindowDays: 7,
        serviceStatements: [{ sid: "S", effect: "Allow", actions, resources: ["*"] }],
      });
    expect(() => synthInRegion(key(["kms:GenerateDataKey*", "kms:Decrypt"]))).toThrow(/wildcard actions kms:GenerateDataKey\*/);
    expect(() => synthInRegion(key(["kms:GenerateDataKey", "kms:Decrypt"]))).not.toThrow();
    synthInRegion((s) => {
      expect(CustomerKey.logsStatement(s, "markmail-dev").actions!.filter((a) => /[*?]/.test(a))).toEqual([]);
    });
  });

  test("a number token in the dashboard body throws (it would render as a garbage float)", () => {
    const width = Token.asNumber("${var.width}");
    expect(() =>
      renderDashboardBody(
        [{ title: "x", stat: "Sum", width, metrics: [{ namespace: "n", metricName: "m", dimensions: {} }] }],
        "ap-northeast-1",
      ),
    ).toThrow(/numbers must be literals/);
  });
});

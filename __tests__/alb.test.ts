import { TerraformStack, Testing } from "cdktf";
import type { AppConfig } from "../config";
import { APP } from "../config/contract";
import { assertRoutes, PublicLoadBalancer, type TargetSpec, TLS_POLICY } from "../constructs/load-balancer";
import { BODY_SIZE_LABEL, WebAcl } from "../constructs/waf";
import { AlbStack } from "../stacks/alb-stack";
import { onlyEnv, testApp } from "./helpers/fake-outputs";
import { buildApp, configFor, configFrom, onlyResource, synthApp, regionalStack, resources, synthJson, type TfJson } from "./helpers/synth";

type LbProps = ConstructorParameters<typeof PublicLoadBalancer>[2];
/** A small load balancer for construct-level tests: one target "a" behind /*, two subnets, no TLS. */
const smallLb = (over: Partial<LbProps> = {}): LbProps => ({
  name: "lb",
  vpcId: "v",
  subnetIds: ["a", "b"],
  securityGroupId: "g",
  idleTimeoutSeconds: 60,
  deletionProtection: false,
  accessLogs: { bucketName: "logs", retentionDays: 7, forceDestroy: true },
  targets: { a: { name: "a", port: 80, healthCheckPath: "/" } },
  routes: [{ priority: 1, paths: ["/*"], target: "a" }],
  ...over,
});

const DOMAIN = "dev.markmail.example.com";

function albJson(config: AppConfig): TfJson {
  const env = onlyEnv(config);
  return synthJson(new AlbStack(testApp(), { config, env }));
}

const byName = (json: TfJson, type: string, name: string) => resources(json, type).find(([, b]) => b.name === name);
const idOf = (json: TfJson, type: string, name: string) => `${type}.${byName(json, type, name)![0]}`;

describe("alb layer, dev without a domain (HTTP only)", () => {
  const json = albJson(configFor("dev"));
  const lb = onlyResource(json, "aws_lb");

  test("internet-facing ALB markmail-dev-alb in the public subnets with the network's ALB group", () => {
    expect(lb).toMatchObject({
      name: "markmail-dev-alb",
      load_balancer_type: "application",
      internal: false,
      subnets: "${data.terraform_remote_state.network.outputs.public_subnet_ids}",
      security_groups: ["${data.terraform_remote_state.network.outputs.alb_security_group_id}"],
    });
    expect(lb.name.length).toBeLessThanOrEqual(32);
    expect(resources(json, "aws_security_group")).toHaveLength(0);
  });

  test("drops invalid headers, defensive desync mitigation, idle timeout from config, no deletion protection in dev", () => {
    expect(lb).toMatchObject({
      drop_invalid_header_fields: true,
      desync_mitigation_mode: "defensive",
      idle_timeout: 60,
      enable_deletion_protection: false,
    });
  });

  test("access logs to an SSE-S3, private, TLS-only bucket that expires logs after accessLogRetentionDays", () => {
    const [bucketId, bucket] = resources(json, "aws_s3_bucket")[0];
    expect(lb.access_logs).toEqual({
      bucket: `\${aws_s3_bucket.${bucketId}.id}`,
      prefix: "alb",
      enabled: true,
    });
    expect(bucket.bucket).toMatch(/^markmail-dev-alb-logs-\$\{data\.aws_caller_identity\.[^}]+\.account_id\}$/);
    expect(bucket.force_destroy).toBe(true);
    const sse = onlyResource(json, "aws_s3_bucket_server_side_encryption_configuration");
    expect(sse.rule[0].apply_server_side_encryption_by_default).toEqual({
      sse_algorithm: "AES256",
    });
    expect(onlyResource(json, "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      restrict_public_buckets: true,
    });
    const lifecycle = onlyResource(json, "aws_s3_bucket_lifecycle_configuration");
    expect(lifecycle.rule.find((r: any) => r.id === "expire-current-objects").expiration).toEqual([{ days: 30 }]);
    expect(lb.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_policy\./)]);
  });

  test("bucket policy: the Tokyo ELB account may put objects under alb/AWSLogs/<account>/ only", () => {
    const doc = Object.values(json.data!.aws_iam_policy_document).find((d: any) =>
      d.statement.some((s: any) => s.sid === "AlbAccessLogDelivery"),
    ) as any;
    const grant = doc.statement.find((s: any) => s.sid === "AlbAccessLogDelivery");
    expect(grant.principals[0].identifiers[0]).toMatch(/:iam::582318560864:root$/);
    expect(grant.actions).toEqual(["s3:PutObject"]);
    expect(grant.resources[0]).toMatch(
      /:s3:::markmail-dev-alb-logs-\$\{[^}]+\}\/alb\/AWSLogs\/\$\{data\.aws_caller_identity\.[^}]+\.account_id\}\/\*$/,
    );
    expect(doc.statement.map((s: any) => s.sid)).toEqual(expect.arrayContaining(["DenyInsecureTransport", "DenyOutdatedTls"]));
  });

  test("HTTP:80 only, default fixed 503; no certificate, zone or HTTPS", () => {
    const listener = onlyResource(json, "aws_lb_listener");
    expect(listener).toMatchObject({ port: 80, protocol: "HTTP" });
    expect(listener.default_action).toEqual([
      {
        type: "fixed-response",
        fixed_response: {
          content_type: "text/plain",
          message_body: "Service Unavailable",
          status_code: "503",
        },
      },
    ]);
    expect(resources(json, "aws_acm_certificate")).toHaveLength(0);
    expect(resources(json, "aws_route53_record")).toHaveLength(0);
    expect(json.data?.aws_route53_zone).toBeUndefined();
  });

  test("says loudly that the environment is HTTP only", () => {
    expect(json.output!.transport.value).toMatch(/^HTTP ONLY: dev has no domain \(set DEV_DOMAIN/);
    expect(json.output!.public_url.value).toMatch(/^http:\/\/\$\{aws_lb\.[^}]+\.dns_name\}$/);
  });

  test("target groups: ip, HTTP:8080 in the VPC, the guide's health checks, 30 s deregistration delay", () => {
    const backend = byName(json, "aws_lb_target_group", "markmail-dev-backend")![1];
    const frontend = byName(json, "aws_lb_target_group", "markmail-dev-frontend")![1];
    for (const tg of [backend, frontend]) {
      expect(tg).toMatchObject({
        target_type: "ip",
        protocol: "HTTP",
        port: APP.backendPort,
        vpc_id: "${data.terraform_remote_state.network.outputs.vpc_id}",
        deregistration_delay: "30",
      });
      expect(tg.name.length).toBeLessThanOrEqual(32);
    }
    const timings = {
      interval: 30,
      timeout: 5,
      healthy_threshold: 2,
      unhealthy_threshold: 3,
      matcher: "200",
    };
    expect(backend.health_check).toMatchObject({ path: "/health", ...timings });
    expect(frontend.health_check).toMatchObject({ path: "/", ...timings });
  });

  test("routing exactly as the guide, on the HTTP listener: /api/* priority 1 → backend, /* priority 2 → frontend", () => {
    const listener = `\${aws_lb_listener.${resources(json, "aws_lb_listener")[0][0]}.arn}`;
    const rules = resources(json, "aws_lb_listener_rule")
      .map(([, r]) => r)
      .sort((a, b) => a.priority - b.priority);
    expect(rules.map((r) => [r.priority, r.condition[0].path_pattern.values, r.action[0].target_group_arn, r.listener_arn])).toEqual([
      [1, ["/api/*"], `\${${idOf(json, "aws_lb_target_group", "markmail-dev-backend")}.arn}`, listener],
      [2, ["/*"], `\${${idOf(json, "aws_lb_target_group", "markmail-dev-frontend")}.arn}`, listener],
    ]);
    expect(rules.every((r) => r.action[0].type === "forward")).toBe(true);
  });

  test("no WAF in dev (config default)", () => {
    expect(resources(json, "aws_wafv2_web_acl")).toHaveLength(0);
    expect(resources(json, "aws_kms_key")).toHaveLength(0);
  });
});

describe("alb layer, dev with DEV_DOMAIN (zone looked up)", () => {
  const json = albJson(configFor("dev", { DEV_DOMAIN: DOMAIN }));
  const [zoneId, zone] = Object.entries(json.data!.aws_route53_zone)[0] as [string, any];
  const zoneRef = `\${data.aws_route53_zone.${zoneId}.zone_id}`;

  test("zone looked up by the domain name; ACM certificate for the domain and *.domain, DNS-validated", () => {
    expect(zone).toEqual({ name: DOMAIN, private_zone: false });
    const cert = onlyResource(json, "aws_acm_certificate");
    expect(cert).toMatchObject({
      domain_name: DOMAIN,
      subject_alternative_names: [`*.${DOMAIN}`],
      validation_method: "DNS",
    });
    const [recId, rec] = resources(json, "aws_route53_record").find(([, r]) => r.for_each)!;
    expect(rec).toMatchObject({
      zone_id: zoneRef,
      allow_overwrite: true,
      name: "${each.value.resource_record_name}",
      records: ["${each.value.resource_record_value}"],
    });
    expect(rec.for_each).toContain("domain_validation_options");
    const validation = onlyResource(json, "aws_acm_certificate_validation");
    expect(validation.validation_record_fqdns).toContain(`aws_route53_record.${recId}`);
  });

  test("HTTPS:443 with the TLS 1.3 policy and the validated certificate, default 503; HTTP:80 redirects 301", () => {
    const https = resources(json, "aws_lb_listener").find(([, l]) => l.protocol === "HTTPS")![1];
    expect(https).toMatchObject({
      port: 443,
      ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
    });
    expect(TLS_POLICY).toBe(https.ssl_policy);
    expect(https.certificate_arn).toMatch(/^\$\{aws_acm_certificate_validation\.[^}]+\.certificate_arn\}$/);
    expect(https.default_action[0].fixed_response.status_code).toBe("503");
    const http = resources(json, "aws_lb_listener").find(([, l]) => l.protocol === "HTTP")![1];
    expect(http.default_action).toEqual([
      {
        type: "redirect",
        redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" },
      },
    ]);
  });

  test("listener rules sit on the HTTPS listener", () => {
    const [httpsId] = resources(json, "aws_lb_listener").find(([, l]) => l.protocol === "HTTPS")!;
    for (const [, r] of resources(json, "aws_lb_listener_rule")) expect(r.listener_arn).toBe(`\${aws_lb_listener.${httpsId}.arn}`);
  });

  test("A alias record for the domain to the ALB; https public URL; no HTTP-only notice", () => {
    const alias = resources(json, "aws_route53_record").find(([, r]) => r.type === "A")![1];
    const [lbId] = resources(json, "aws_lb")[0];
    expect(alias).toEqual({
      zone_id: zoneRef,
      name: DOMAIN,
      type: "A",
      alias: {
        name: `\${aws_lb.${lbId}.dns_name}`,
        zone_id: `\${aws_lb.${lbId}.zone_id}`,
        evaluate_target_health: true,
      },
    });
    expect(json.output!.public_url.value).toBe(`https://${DOMAIN}`);
    expect(json.output!.transport).toBeUndefined();
  });

  test("hostedZone=create: the certificate validates in the dns layer's zone, read by name; the alb creates no zone", () => {
    const created = albJson(configFor("dev", { DEV_DOMAIN: DOMAIN }, (e) => ({ ...e, hostedZone: "create" })));
    expect(created.resource?.aws_route53_zone).toBeUndefined();
    expect(created.data?.aws_route53_zone).toBeUndefined();
    expect(created.data?.terraform_remote_state?.dns?.config.key).toBe("markmail/dev/dns.tfstate");
    const zoneIds = new Set(resources(created, "aws_route53_record").map(([, r]) => r.zone_id));
    expect([...zoneIds]).toEqual(["${data.terraform_remote_state.dns.outputs.zone_id}"]);
    expect(created.output!.hosted_zone_id.value).toBe("${data.terraform_remote_state.dns.outputs.zone_id}");
  });
});

describe("alb layer, prod (deletion protection, WAF)", () => {
  const json = albJson(configFor("prod"));
  const acl = onlyResource(json, "aws_wafv2_web_acl");
  const rule = (name: string) => acl.rule.find((r: any) => r.name === name);

  test("deletion protection and a year of access logs, no force_destroy", () => {
    expect(onlyResource(json, "aws_lb").enable_deletion_protection).toBe(true);
    expect(resources(json, "aws_s3_bucket")[0][1].force_destroy).toBe(false);
    const lifecycle = onlyResource(json, "aws_s3_bucket_lifecycle_configuration");
    expect(lifecycle.rule.find((r: any) => r.id === "expire-current-objects").expiration).toEqual([{ days: 365 }]);
  });

  test("web ACL markmail-prod-waf: regional, default allow, visibility on the ACL and every rule", () => {
    expect(acl).toMatchObject({
      name: "markmail-prod-waf",
      scope: "REGIONAL",
      default_action: { allow: {} },
    });
    for (const r of [acl, ...acl.rule]) {
      expect(r.visibility_config).toMatchObject({
        cloudwatch_metrics_enabled: true,
        sampled_requests_enabled: true,
        metric_name: expect.stringMatching(/^markmail-prod-waf/),
      });
    }
    expect(acl.rule.map((r: any) => [r.priority, r.name])).toEqual([
      [1, "RateLimitPerIp"],
      [2, "AWSManagedRulesCommonRuleSet"],
      [3, "OversizedBodyOutsideApi"],
      [4, "AWSManagedRulesKnownBadInputsRuleSet"],
      [5, "AWSManagedRulesAnonymousIpList"],
    ]);
  });

  test("rate-based rule per IP at the configured limit blocks", () => {
    expect(rule("RateLimitPerIp")).toMatchObject({
      action: { block: {} },
      statement: {
        rate_based_statement: {
          limit: 2000,
          aggregate_key_type: "IP",
          evaluation_window_sec: 300,
        },
      },
    });
  });

  test("managed rule sets; the body-size rule is counted in the group and re-blocked outside /api/ (webhooks pass)", () => {
    expect(rule("AWSManagedRulesCommonRuleSet")).toMatchObject({
      override_action: { none: {} },
      statement: {
        managed_rule_group_statement: {
          vendor_name: "AWS",
          name: "AWSManagedRulesCommonRuleSet",
          rule_action_override: [{ name: "SizeRestrictions_BODY", action_to_use: { count: {} } }],
        },
      },
    });
    const [label, not] = rule("OversizedBodyOutsideApi").statement.and_statement.statement;
    expect(rule("OversizedBodyOutsideApi").action).toEqual({ block: {} });
    expect(label).toEqual({
      label_match_statement: { scope: "LABEL", key: BODY_SIZE_LABEL },
    });
    expect(not.not_statement.statement[0].byte_match_statement).toMatchObject({
      search_string: "/api/",
      positional_constraint: "STARTS_WITH",
      field_to_match: { uri_path: {} },
    });
    expect(rule("AWSManagedRulesKnownBadInputsRuleSet").statement).toEqual({
      managed_rule_group_statement: {
        vendor_name: "AWS",
        name: "AWSManagedRulesKnownBadInputsRuleSet",
      },
    });
    // Webhook senders (Stripe, Salesforce) run on cloud hosts: hosting-provider IPs are only counted.
    expect(rule("AWSManagedRulesAnonymousIpList").statement.managed_rule_group_statement.rule_action_override).toEqual([
      { name: "HostingProviderIPList", action_to_use: { count: {} } },
    ]);
  });

  test("associated with the ALB", () => {
    const [aclId] = resources(json, "aws_wafv2_web_acl")[0];
    const [lbId] = resources(json, "aws_lb")[0];
    expect(onlyResource(json, "aws_wafv2_web_acl_association")).toEqual({
      resource_arn: `\${aws_lb.${lbId}.arn}`,
      web_acl_arn: `\${aws_wafv2_web_acl.${aclId}.arn}`,
    });
  });

  test("logs to aws-waf-logs-markmail-prod (CMK, retention) with Authorization and Cookie redacted", () => {
    const [groupId, group] = resources(json, "aws_cloudwatch_log_group")[0];
    const [keyId] = resources(json, "aws_kms_key")[0];
    expect(group).toEqual({
      name: "aws-waf-logs-markmail-prod",
      retention_in_days: 365,
      kms_key_id: `\${aws_kms_key.${keyId}.arn}`,
      lifecycle: { prevent_destroy: true },
    });
    const logging = onlyResource(json, "aws_wafv2_web_acl_logging_configuration");
    expect(logging.log_destination_configs).toEqual([`\${aws_cloudwatch_log_group.${groupId}.arn}`]);
    expect(logging.redacted_fields).toEqual([{ single_header: { name: "authorization" } }, { single_header: { name: "cookie" } }]);
    const policy = onlyResource(json, "aws_cloudwatch_log_resource_policy");
    expect(policy.policy_name).toBe("markmail-prod-waf-logs");
    expect(logging.depends_on).toEqual([expect.stringMatching(/^aws_cloudwatch_log_resource_policy\./)]);
  });

  test("WAF can be switched on per environment (staging) and off in prod", () => {
    const staging = albJson(
      configFor("staging", {}, (e) => ({
        ...e,
        alb: { ...e.alb, waf: { enabled: true, rateLimitPer5Minutes: 500 } },
      })),
    );
    expect(onlyResource(staging, "aws_wafv2_web_acl").rule[0].statement.rate_based_statement.limit).toBe(500);
    const off = albJson(
      configFor("prod", {}, (e) => ({
        ...e,
        alb: { ...e.alb, waf: { ...e.alb.waf, enabled: false } },
      })),
    );
    expect(resources(off, "aws_wafv2_web_acl")).toHaveLength(0);
  });
});

describe("alb guardrails", () => {
  const targets: Record<string, TargetSpec> = {
    backend: {
      name: "markmail-dev-backend",
      port: 8080,
      healthCheckPath: "/health",
    },
    frontend: {
      name: "markmail-dev-frontend",
      port: 8080,
      healthCheckPath: "/",
    },
  };
  const stack = () => regionalStack("s");
  const lbProps = (over: Partial<ConstructorParameters<typeof PublicLoadBalancer>[2]> = {}) => ({
    name: "markmail-dev-alb",
    vpcId: "vpc-1",
    subnetIds: ["subnet-a", "subnet-b"],
    securityGroupId: "sg-1",
    idleTimeoutSeconds: 60,
    deletionProtection: false,
    accessLogs: { bucketName: "b", retentionDays: 30, forceDestroy: true },
    targets,
    routes: APP.routes,
    ...over,
  });

  test("malformed routes throw: duplicate priority, unknown target, rule shadowed by the catch-all, no routes", () => {
    expect(() => assertRoutes("a", [APP.routes[0], { ...APP.routes[1], priority: 1 }], targets)).toThrow(/duplicate rule priority 1/);
    expect(() => assertRoutes("a", [{ priority: 1, paths: ["/x"], target: "admin" }], targets)).toThrow(/unknown target "admin"/);
    expect(() =>
      assertRoutes(
        "a",
        [
          { priority: 1, paths: ["/*"], target: "frontend" },
          { priority: 2, paths: ["/api/*"], target: "backend" },
        ],
        targets,
      ),
    ).toThrow(/can never match/);
    expect(() => assertRoutes("a", [], targets)).toThrow(/no routes/);
  });

  test("names over 32 characters and a single subnet throw", () => {
    expect(() => new PublicLoadBalancer(stack(), "lb", lbProps({ name: "markmail-staging-alb-with-a-long-name" }))).toThrow(/limit is 32/);
    expect(
      () =>
        new PublicLoadBalancer(
          stack(),
          "lb",
          lbProps({
            targets: {
              ...targets,
              backend: {
                ...targets.backend,
                name: "markmail-staging-backend-service-x",
              },
            },
          }),
        ),
    ).toThrow(/target group name .* limit is 32/);
    expect(() => new PublicLoadBalancer(stack(), "lb", lbProps({ subnetIds: ["subnet-a"] }))).toThrow(/at least two AZs/);
  });

  test("a web ACL that is not associated with the load balancer throws", () => {
    const props = {
      name: "markmail-prod-waf",
      region: "ap-northeast-1",
      rateLimitPer5Minutes: 2000,
      logRetentionDays: 365,
      kmsKeyArn: "arn:aws:kms:ap-northeast-1:1:key/k",
    };
    expect(() => new WebAcl(stack(), "waf", { ...props, protectedResourceArns: [] })).toThrow(/must be associated with the load balancer/);
    expect(
      () =>
        new WebAcl(stack(), "waf", {
          ...props,
          protectedResourceArns: ["arn:aws:apigateway:ap-northeast-1::/restapis/x"],
        }),
    ).toThrow(/must be associated/);
    expect(
      () =>
        new WebAcl(stack(), "waf", {
          ...props,
          protectedResourceArns: ["arn:aws:elasticloadbalancing:x"],
          rateLimitPer5Minutes: 10,
        }),
    ).toThrow(/rateLimitPer5Minutes/);
    expect(
      () =>
        new WebAcl(stack(), "waf", {
          ...props,
          protectedResourceArns: ["arn:aws:elasticloadbalancing:x"],
          logGroupName: "/waf/x",
        }),
    ).toThrow(/aws-waf-logs-/);
  });

  test("regions opened after August 2022 use the log-delivery service principal", () => {
    const s = stack();
    const st = PublicLoadBalancer.logDeliveryStatement(s, "ap-southeast-4", "bucket", "alb");
    expect(st.principals).toEqual([
      {
        type: "Service",
        identifiers: ["logdelivery.elasticloadbalancing.amazonaws.com"],
      },
    ]);
  });
});

describe("alb layer across environments (full app)", () => {
  test("every environment synthesizes; ALB and target group names stay within 32 characters; upstream values read by name", () => {
    const stacks = synthApp({ DEV_DOMAIN: DOMAIN });
    for (const env of ["dev", "staging", "prod"]) {
      const json = stacks.get(`markmail-${env}-alb`)!;
      expect(onlyResource(json, "aws_lb").name).toBe(`markmail-${env}-alb`);
      expect(onlyResource(json, "aws_lb").subnets).toBe("${data.terraform_remote_state.network.outputs.public_subnet_ids}");
      for (const [, tg] of resources(json, "aws_lb_target_group")) expect(tg.name.length).toBeLessThanOrEqual(32);
      expect(resources(json, "aws_lb_listener").some(([, l]) => l.protocol === "HTTPS")).toBe(env === "dev");
      expect(resources(json, "aws_wafv2_web_acl")).toHaveLength(env === "prod" ? 1 : 0);
    }
  });
});

describe("blue/green load balancing (prod)", () => {
  const json = synthJson(buildApp(configFor("prod", { PROD_DOMAIN: "markmail.example.com" })).get("markmail-prod-alb")!);
  const dev = synthJson(buildApp(configFor("dev")).get("markmail-dev-alb")!);

  test("a second target group per service with the same health check; a test listener on 9443 with the guide's routes", () => {
    const names = resources(json, "aws_lb_target_group")
      .map(([, t]) => t.name)
      .sort();
    expect(names).toEqual(["markmail-prod-backend", "markmail-prod-backend-alt", "markmail-prod-frontend", "markmail-prod-frontend-alt"]);
    const [, alt] = byName(json, "aws_lb_target_group", "markmail-prod-backend-alt")!;
    const [, blue] = byName(json, "aws_lb_target_group", "markmail-prod-backend")!;
    expect(alt.health_check).toEqual(blue.health_check);
    const listeners = resources(json, "aws_lb_listener")
      .map(([, l]) => l.port)
      .sort((a, b) => a - b);
    expect(listeners).toEqual([80, 443, 9443]);
    expect(resources(dev, "aws_lb_target_group")).toHaveLength(2);
    expect(resources(dev, "aws_lb_listener").map(([, l]) => l.port)).toEqual([80]);
  });

  test("production and test rules forward to both groups (100/0) and leave the action to ECS; dev rules forward plainly and are fully owned", () => {
    const rules = resources(json, "aws_lb_listener_rule");
    expect(rules).toHaveLength(4);
    for (const [, r] of rules) {
      expect(r.action[0].forward.target_group.map((t: any) => t.weight)).toEqual([100, 0]);
      expect(r.lifecycle).toEqual({ ignore_changes: ["action"] });
    }
    for (const [, r] of resources(dev, "aws_lb_listener_rule")) {
      expect(r.lifecycle).toBeUndefined();
      expect(r.action[0].target_group_arn).toBeDefined();
    }
    expect(Object.keys(json.output!)).toEqual(
      expect.arrayContaining([
        "backend_alternate_target_group_arn",
        "backend_production_listener_rule_arn",
        "frontend_test_listener_rule_arn",
        "listener_rule_ids",
        "target_group_ids",
      ]),
    );
    expect(Object.keys(dev.output!)).not.toContain("listener_rule_ids");
  });

  test("blue/green with two routes to one target throws (ECS shifts one production rule per service)", () => {
    const targets: Record<string, TargetSpec> = {
      a: { name: "a", port: 80, healthCheckPath: "/" },
    };
    const routes = [
      { priority: 1, paths: ["/x/*"], target: "a" },
      { priority: 2, paths: ["/*"], target: "a" },
    ];
    const mk = (blueGreen: boolean) => () => new PublicLoadBalancer(regionalStack("s"), "lb", smallLb({ targets, routes, blueGreen }));
    expect(mk(true)).toThrow(/blue\/green needs exactly one route per target; a has 2/);
    expect(mk(false)).not.toThrow();
  });
});

describe("internet ingress on the ALB group (MM-011: next to the aws_lb that attaches it)", () => {
  const world = (json: TfJson) => resources(json, "aws_vpc_security_group_ingress_rule").map(([, r]) => r);

  test("without a domain only TCP 80 from 0.0.0.0/0, on the group expression the aws_lb uses", () => {
    const json = albJson(configFor("dev"));
    const [group] = onlyResource(json, "aws_lb").security_groups;
    expect(world(json)).toEqual([
      expect.objectContaining({
        security_group_id: group,
        ip_protocol: "tcp",
        from_port: 80,
        to_port: 80,
        cidr_ipv4: "0.0.0.0/0",
      }),
    ]);
    expect(group).toBe("${data.terraform_remote_state.network.outputs.alb_security_group_id}");
  });

  test("with a domain 443 and 80 (the redirect), nothing else; the test listener port stays closed", () => {
    const json = albJson(configFor("dev", { DEV_DOMAIN: DOMAIN }));
    const [group] = onlyResource(json, "aws_lb").security_groups;
    expect(
      world(json)
        .map((r) => [r.security_group_id, r.from_port, r.to_port, r.cidr_ipv4])
        .sort(),
    ).toEqual([
      [group, 443, 443, "0.0.0.0/0"],
      [group, 80, 80, "0.0.0.0/0"],
    ]);
  });
});

describe("prod without PROD_DOMAIN (MM-041: no application traffic over plain HTTP)", () => {
  const json = synthJson(buildApp(configFor("prod")).get("markmail-prod-alb")!);
  const refusal = {
    type: "fixed-response",
    fixed_response: {
      content_type: "text/plain",
      message_body: "markmail-prod requires PROD_DOMAIN: HTTPS only",
      status_code: "503",
    },
  };
  const forwards = (actions: any[]) => actions.some((a) => a.type !== "fixed-response" && a.type !== "redirect");

  test("every listener answers the fixed 503 and no listener rule forwards (production and test rules alike)", () => {
    const listeners = resources(json, "aws_lb_listener").map(([, l]) => l);
    expect(listeners.map((l) => [l.port, l.protocol]).sort()).toEqual([
      [80, "HTTP"],
      [9443, "HTTP"],
    ]);
    for (const l of listeners) expect(l.default_action).toEqual([refusal]);
    const rules = resources(json, "aws_lb_listener_rule").map(([, r]) => r);
    expect(rules).toHaveLength(4);
    for (const r of rules) expect(r.action).toEqual([refusal]);
    // the bad case: the rules of dev without a domain forward on plain HTTP
    const dev = albJson(configFor("dev"));
    expect(resources(dev, "aws_lb_listener_rule").every(([, r]) => forwards(r.action))).toBe(true);
  });

  test("the rule ARNs still exist for the ecs layer; only port 80 is open; the outputs and the synth warning say prod serves nothing", () => {
    expect(Object.keys(json.output!)).toEqual(
      expect.arrayContaining(["backend_production_listener_rule_arn", "frontend_test_listener_rule_arn"]),
    );
    expect(resources(json, "aws_vpc_security_group_ingress_rule").map(([, r]) => r.from_port)).toEqual([80]);
    expect(json.output!.transport.value).toMatch(/^NOT SERVING: prod has no domain \(set PROD_DOMAIN\)/);
    expect(configFrom({}).warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^prod: no PROD_DOMAIN set, so markmail-prod-alb serves NO application traffic: prod is HTTPS only/),
        expect.stringMatching(/^dev: .*serves plain HTTP only/),
      ]),
    );
  });

  test("with a certificate the refusal is ignored: the rules forward on HTTPS", () => {
    const lb = new PublicLoadBalancer(
      regionalStack("s"),
      "lb",
      smallLb({ tls: { certificateArn: "arn:aws:acm:ap-northeast-1:111122223333:certificate/x" }, refusePlainHttp: "HTTPS only" }),
    );
    const out: TfJson = JSON.parse(Testing.synth(TerraformStack.of(lb)));
    const [, rule] = resources(out, "aws_lb_listener_rule")[0];
    expect(rule.action[0].type).toBe("forward");
    expect(rule.listener_arn).toMatch(/^\$\{aws_lb_listener\.lb_https_[A-F0-9]+\.arn\}$/);
  });
});

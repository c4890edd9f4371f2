import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogResourcePolicy } from "@cdktf/provider-aws/lib/cloudwatch-log-resource-policy";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { Wafv2WebAcl, type Wafv2WebAclRule } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { hclNestedBlocks } from "./hcl-form";
import { AccountContext } from "./account";

/** The label AWSManagedRulesCommonRuleSet puts on requests whose body exceeds 8 KB. */
export const BODY_SIZE_LABEL = "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body";

export interface WebAclProps {
  /** `markmail-<env>-waf`; also the metric-name prefix. */
  readonly name: string;
  /** Requests per 5 minutes from one client IP before the rate rule blocks (100-2e9). */
  readonly rateLimitPer5Minutes: number;
  /** What the ACL protects: the ALB ARN(s). At least one; an unassociated ACL protects nothing. */
  readonly protectedResourceArns: string[];
  /**
   * URI path prefix whose request bodies may exceed the common rule set's 8 KB limit (webhooks
   * from Stripe and Salesforce, imports). Elsewhere oversized bodies stay blocked.
   * @default "/api/"
   */
  readonly largeBodyPathPrefix?: string;
  /** Log group name; WAF only delivers to names starting with `aws-waf-logs-`. @default `aws-waf-logs-<name>` */
  readonly logGroupName?: string;
  /** Log group retention in days. */
  readonly logRetentionDays: number;
  /** CMK of the log group (its policy must let CloudWatch Logs use it). */
  readonly kmsKeyArn: string;
}

/**
 * A regional WAFv2 web ACL in front of an ALB: default allow; a per-IP rate limit (block);
 * AWSManagedRulesCommonRuleSet with its body-size rule counted and re-applied by a label rule
 * outside `largeBodyPathPrefix`; AWSManagedRulesKnownBadInputsRuleSet (Log4j and other exploit
 * payloads); AWSManagedRulesAnonymousIpList with hosting-provider addresses only counted (webhook
 * senders run in clouds). Sampled requests and
 * CloudWatch metrics on every rule, full logs to `aws-waf-logs-<name>` (KMS) with the
 * Authorization and Cookie headers redacted.
 */
export class WebAcl extends Construct {
  readonly acl: Wafv2WebAcl;
  readonly logGroup: CloudwatchLogGroup;
  readonly associations: Wafv2WebAclAssociation[];

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    if (
      props.protectedResourceArns.length === 0 ||
      props.protectedResourceArns.some((a) => !Token.isUnresolved(a) && !/^arn:[^:]+:elasticloadbalancing:/.test(a))
    ) {
      throw new Error(
        `web ACL ${props.name}: must be associated with the load balancer (protectedResourceArns: [${props.protectedResourceArns.join(", ")}]); an unassociated ACL filters nothing`,
      );
    }
    const limit = props.rateLimitPer5Minutes;
    if (!Number.isInteger(limit) || limit < 100 || limit > 2_000_000_000)
      throw new Error(`web ACL ${props.name}: rateLimitPer5Minutes must be 100-2000000000, got ${limit}`);
    const largeBodies = props.largeBodyPathPrefix ?? "/api/";
    if (!largeBodies.startsWith("/"))
      throw new Error(`web ACL ${props.name}: largeBodyPathPrefix must start with "/", got "${largeBodies}"`);

    const visibility = (metric: string) => ({
      cloudwatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${props.name}-${metric}`,
    });
    // The provider types `statement` as `any` (the schema is too deep to generate), so statements are
    // written in Terraform's snake_case and checked in the tests.
    const rules: Wafv2WebAclRule[] = [
      {
        name: "RateLimitPerIp",
        priority: 1,
        action: { block: {} },
        statement: { rate_based_statement: { limit, aggregate_key_type: "IP", evaluation_window_sec: 300 } },
        visibilityConfig: visibility("rate-limit"),
      },
      {
        name: "AWSManagedRulesCommonRuleSet",
        priority: 2,
        overrideAction: { none: {} },
        statement: {
          managed_rule_group_statement: {
            vendor_name: "AWS",
            name: "AWSManagedRulesCommonRuleSet",
            // Webhook payloads (Stripe events, Salesforce outbound messages) and imports under /api/
            // exceed the 8 KB body limit: count here, re-block outside the prefix below.
            rule_action_override: [{ name: "SizeRestrictions_BODY", action_to_use: { count: {} } }],
          },
        },
        visibilityConfig: visibility("common"),
      },
      {
        name: "OversizedBodyOutsideApi",
        priority: 3,
        action: { block: {} },
        statement: {
          and_statement: {
            statement: [
              { label_match_statement: { scope: "LABEL", key: BODY_SIZE_LABEL } },
              {
                not_statement: {
                  statement: [
                    {
                      byte_match_statement: {
                        search_string: largeBodies,
                        positional_constraint: "STARTS_WITH",
                        field_to_match: { uri_path: {} },
                        text_transformation: [{ priority: 0, type: "NONE" }],
                      },
                    },
                  ],
                },
              },
            ],
          },
        },
        visibilityConfig: visibility("oversized-body"),
      },
      {
        name: "AWSManagedRulesKnownBadInputsRuleSet",
        priority: 4,
        overrideAction: { none: {} },
        statement: { managed_rule_group_statement: { vendor_name: "AWS", name: "AWSManagedRulesKnownBadInputsRuleSet" } },
        visibilityConfig: visibility("known-bad-inputs"),
      },
      {
        name: "AWSManagedRulesAnonymousIpList",
        priority: 5,
        overrideAction: { none: {} },
        statement: {
          managed_rule_group_statement: {
            vendor_name: "AWS",
            name: "AWSManagedRulesAnonymousIpList",
            // Stripe and Salesforce call the webhooks from cloud-provider addresses: count, never block,
            // hosting-provider IPs; anonymizers (Tor, anonymous proxies) stay blocked.
            rule_action_override: [{ name: "HostingProviderIPList", action_to_use: { count: {} } }],
          },
        },
        visibilityConfig: visibility("anonymous-ip"),
      },
    ];

    this.acl = new Wafv2WebAcl(this, "acl", {
      name: props.name,
      description: `${props.name}: rate limit, AWS common, known-bad-inputs and anonymous-IP rule sets`,
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      rule: rules,
      visibilityConfig: visibility("acl"),
    });
    // The untyped statements as nested blocks in `cdktf synth --hcl` too.
    hclNestedBlocks(this.acl, "rule", "statement");
    this.associations = props.protectedResourceArns.map(
      (arn, i) => new Wafv2WebAclAssociation(this, `association-${i}`, { resourceArn: arn, webAclArn: this.acl.arn }),
    );

    const logGroupName = props.logGroupName ?? `aws-waf-logs-${props.name}`;
    if (!logGroupName.startsWith("aws-waf-logs-"))
      throw new Error(`web ACL ${props.name}: log group "${logGroupName}" must start with aws-waf-logs- (WAF delivers nowhere else)`);
    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: logGroupName,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    const account = AccountContext.of(this);
    const delivery = new DataAwsIamPolicyDocument(this, "log-delivery", {
      statement: [
        {
          sid: "WafLogDelivery",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["delivery.logs.amazonaws.com"] }],
          actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
          resources: [`${this.logGroup.arn}:*`],
          condition: [
            { test: "StringEquals", variable: "aws:SourceAccount", values: [account.accountId] },
            { test: "ArnLike", variable: "aws:SourceArn", values: [account.arn("logs", "*")] },
          ],
        },
      ],
    });
    const resourcePolicy = new CloudwatchLogResourcePolicy(this, "log-policy", {
      policyName: `${props.name}-logs`,
      policyDocument: delivery.json,
    });
    new Wafv2WebAclLoggingConfiguration(this, "logging", {
      resourceArn: this.acl.arn,
      logDestinationConfigs: [this.logGroup.arn],
      redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
      dependsOn: [resourcePolicy],
    });
  }
}

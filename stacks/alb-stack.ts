import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { APP } from "../config/contract";
import { AccountContext } from "../constructs/account";
import { DnsValidatedCertificate } from "../constructs/certificate";
import { CustomerKey } from "../constructs/kms-key";
import { PublicLoadBalancer, type TargetSpec } from "../constructs/load-balancer";
import { NAME_LIMITS } from "../constructs/naming";
import { WebAcl } from "../constructs/waf";
import { ALB, DNS, isBlueGreen, NETWORK, ownsZone } from "./contracts";
import { type LayerProps, LayerStack } from "./base";

/**
 * `markmail-<env>-alb`: the public load balancer (access logs, target groups, the guide's routing),
 * with a domain the certificate (validated in the domain's zone: looked up, or the dns layer's),
 * HTTPS and alias record; WAF where configured.
 */
export class AlbStack extends LayerStack {
  constructor(scope: Construct, props: LayerProps) {
    super(scope, "alb", props);
    const network = this.upstream(NETWORK);
    const env = this.env;
    const account = AccountContext.of(this);
    const domain = env.domain;

    const targets: Record<string, TargetSpec> = {
      backend: { name: this.name("backend", NAME_LIMITS.targetGroup), port: APP.backendPort, healthCheckPath: APP.backendHealthPath },
      frontend: { name: this.name("frontend", NAME_LIMITS.targetGroup), port: APP.frontendPort, healthCheckPath: APP.frontendHealthPath },
    };

    const certificate = domain
      ? new DnsValidatedCertificate(this, "certificate", { domain, zoneId: ownsZone(env) ? this.upstream(DNS).zone_id : undefined })
      : undefined;

    const alb = new PublicLoadBalancer(this, "alb", {
      name: this.name("alb", NAME_LIMITS.alb),
      vpcId: network.vpc_id,
      subnetIds: network.public_subnet_ids,
      securityGroupId: network.alb_security_group_id,
      idleTimeoutSeconds: env.alb.idleTimeoutSeconds,
      deletionProtection: env.alb.deletionProtection,
      accessLogs: {
        bucketName: `${this.name("alb-logs")}-${account.accountId}`,
        retentionDays: env.alb.accessLogRetentionDays,
        forceDestroy: env.forceDestroy,
      },
      tls: certificate ? { certificateArn: certificate.certificateArn } : undefined,
      // prod never carries application traffic over plain HTTP (MM-041): without a domain it answers 503.
      refusePlainHttp: env.name === "prod" ? prodHttpRefusal(this.name()) : undefined,
      targets,
      routes: APP.routes,
      blueGreen: isBlueGreen(env),
    });

    if (certificate && domain) {
      alb.addAliasRecord(certificate.zoneId, domain);
    }

    if (env.alb.waf.enabled) {
      const key = new CustomerKey(this, "key", {
        alias: this.name("alb"),
        description: `${this.name()}: WAF logs`,
        deletionWindowDays: env.keyDeletionWindowDays,
        serviceStatements: [CustomerKey.logsStatement(this, this.name())],
      });
      new WebAcl(this, "waf", {
        name: this.name("waf"),
        rateLimitPer5Minutes: env.alb.waf.rateLimitPer5Minutes,
        protectedResourceArns: [alb.lb.arn],
        logGroupName: `aws-waf-logs-${this.name()}`,
        logRetentionDays: env.logRetentionDays,
        kmsKeyArn: key.arn,
      });
    }

    const publicUrl = domain ? `https://${domain}` : `http://${alb.lb.dnsName}`;
    if (!domain) {
      new TerraformOutput(this, "transport", {
        value:
          env.name === "prod"
            ? `NOT SERVING: prod has no domain (set PROD_DOMAIN); the ALB answers every plain-HTTP request with 503 "${prodHttpRefusal(this.name())}"`
            : `HTTP ONLY: ${env.name} has no domain (set ${env.name.toUpperCase()}_DOMAIN for HTTPS); traffic to the ALB is unencrypted`,
        description: "WARNING: no TLS on this environment",
      });
    }

    this.publish(ALB, {
      alb_arn: alb.lb.arn,
      alb_arn_suffix: alb.lb.arnSuffix,
      alb_dns_name: alb.lb.dnsName,
      alb_zone_id: alb.lb.zoneId,
      http_listener_arn: alb.httpListener.arn,
      backend_target_group_arn: alb.targetGroups.backend.arn,
      frontend_target_group_arn: alb.targetGroups.frontend.arn,
      backend_target_group_arn_suffix: alb.targetGroups.backend.arnSuffix,
      frontend_target_group_arn_suffix: alb.targetGroups.frontend.arnSuffix,
      public_url: publicUrl,
      tls: certificate && alb.httpsListener ? { https_listener_arn: alb.httpsListener.arn, hosted_zone_id: certificate.zoneId } : undefined,
      blue_green: alb.blueGreen
        ? {
            backend_alternate_target_group_arn: alb.blueGreen.alternateTargetGroups.backend.arn,
            frontend_alternate_target_group_arn: alb.blueGreen.alternateTargetGroups.frontend.arn,
            backend_alternate_target_group_arn_suffix: alb.blueGreen.alternateTargetGroups.backend.arnSuffix,
            frontend_alternate_target_group_arn_suffix: alb.blueGreen.alternateTargetGroups.frontend.arnSuffix,
            backend_production_listener_rule_arn: alb.blueGreen.productionRules.backend.arn,
            frontend_production_listener_rule_arn: alb.blueGreen.productionRules.frontend.arn,
            backend_test_listener_rule_arn: alb.blueGreen.testRules.backend.arn,
            frontend_test_listener_rule_arn: alb.blueGreen.testRules.frontend.arn,
            listener_rule_ids: [...alb.rules, ...Object.values(alb.blueGreen.testRules)].map((r) => r.id),
            target_group_ids: [...Object.values(alb.targetGroups), ...Object.values(alb.blueGreen.alternateTargetGroups)].map((t) => t.id),
          }
        : undefined,
    });
  }
}

/** What prod's plain-HTTP listener answers without PROD_DOMAIN (503). */
export function prodHttpRefusal(stackPrefix: string): string {
  return `${stackPrefix} requires PROD_DOMAIN: HTTPS only`;
}

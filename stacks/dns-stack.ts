import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import type { Construct } from "constructs";
import { DNS } from "./contracts";
import { type LayerProps, LayerStack } from "./base";

/**
 * `markmail-<env>-dns` (a domain and HOSTED_ZONE_MODE=create): the domain's public hosted zone, in
 * a stack of its own so it exists, and can be delegated, before the alb layer waits for the
 * certificate's DNS validation in it; and so the zone, whose name servers the parent delegation
 * names, never shares a destroy or a replacement with the load balancer.
 */
export class DnsStack extends LayerStack {
  constructor(scope: Construct, props: LayerProps) {
    super(scope, "dns", props);
    const domain = this.env.domain;
    if (domain === undefined || this.env.hostedZone !== "create") {
      throw new Error(`${this.node.id}: only with a domain and HOSTED_ZONE_MODE=create`);
    }
    const zone = new Route53Zone(this, "zone", { name: domain, comment: `MarkMail application domain for ${this.env.name}` });
    this.publish(DNS, { zone_id: zone.zoneId, name_servers: zone.nameServers });
  }
}

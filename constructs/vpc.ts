import { DefaultNetworkAcl, type DefaultNetworkAclIngress } from "@cdktf/provider-aws/lib/default-network-acl";
import { DefaultRouteTable } from "@cdktf/provider-aws/lib/default-route-table";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Construct } from "constructs";
import type { NatStrategy } from "../config";
import { parseCidr } from "../config/cidr";

export type SubnetTier = "public" | "private" | "isolated";

/**
 * Tier layout inside the /16 (deterministic, leaves room to grow):
 * public /24 at x.y.0-2.0, isolated /24 at x.y.8-10.0, private /20 at x.y.16.0, .32.0, .48.0.
 */
const LAYOUT: Record<SubnetTier, { prefix: number; firstIndex: number }> = {
  public: { prefix: 24, firstIndex: 0 },
  isolated: { prefix: 24, firstIndex: 8 },
  private: { prefix: 20, firstIndex: 1 },
};

/** The CIDR of the n-th block of size /prefix inside the VPC CIDR (like Terraform's cidrsubnet). */
export function subnetCidr(vpcCidr: string, prefix: number, index: number): string {
  const parsed = parseCidr(vpcCidr);
  if (!parsed) throw new Error(`invalid VPC CIDR ${vpcCidr}`);
  const [base, basePrefix] = parsed;
  if (prefix < basePrefix) throw new Error(`/${prefix} does not fit in ${vpcCidr}`);
  const ip = base + index * 2 ** (32 - prefix);
  if (ip >= base + 2 ** (32 - basePrefix)) throw new Error(`subnet ${index} of /${prefix} is outside ${vpcCidr}`);
  const octets = [24, 16, 8, 0].map((s) => Math.floor(ip / 2 ** s) % 256);
  return `${octets.join(".")}/${prefix}`;
}

/** The subnet CIDR of a tier in the n-th AZ. */
export function tierCidr(vpcCidr: string, tier: SubnetTier, azIndex: number): string {
  const { prefix, firstIndex } = LAYOUT[tier];
  return subnetCidr(vpcCidr, prefix, firstIndex + azIndex);
}

export interface NetworkVpcProps {
  /** `markmail-<env>`, prefix of every Name tag. */
  readonly namePrefix: string;
  readonly cidr: string;
  readonly availabilityZones: readonly string[];
  /** single: one NAT in the first public subnet; one-per-az: a NAT per AZ (no cross-AZ dependency). */
  readonly natGateways: NatStrategy;
}

/**
 * VPC with public / private (egress through NAT) / isolated (no route out) subnets, one per AZ
 * and tier, an internet gateway, NATs per the strategy, and the default security group, network
 * ACL and route table adopted and emptied (mirrors terraform-aws-vpc manage_default_*).
 */
/** Internet sources the default NACL refuses on SSH and RDP (the VPC has no IPv6 range). */
export const NACL_ADMIN_PORTS = [22, 3389] as const;

/**
 * Ingress of the default NACL: SSH and RDP denied from anywhere first (EC2.21), then everything
 * else as before (all TCP around those ports, UDP, ICMP; every protocol from inside the VPC).
 * The allow entries themselves exclude 22/3389, so no entry admits the internet to them.
 */
export function defaultNaclIngress(vpcCidr: string): DefaultNetworkAclIngress[] {
  const world = "0.0.0.0/0";
  return [
    ...NACL_ADMIN_PORTS.map((port, i) => ({
      protocol: "tcp",
      ruleNo: 10 * (i + 1),
      action: "deny",
      cidrBlock: world,
      fromPort: port,
      toPort: port,
    })),
    { protocol: "tcp", ruleNo: 100, action: "allow", cidrBlock: world, fromPort: 0, toPort: 21 },
    { protocol: "tcp", ruleNo: 101, action: "allow", cidrBlock: world, fromPort: 23, toPort: 3388 },
    { protocol: "tcp", ruleNo: 102, action: "allow", cidrBlock: world, fromPort: 3390, toPort: 65535 },
    { protocol: "udp", ruleNo: 103, action: "allow", cidrBlock: world, fromPort: 0, toPort: 65535 },
    { protocol: "icmp", ruleNo: 104, action: "allow", cidrBlock: world, fromPort: 0, toPort: 0, icmpType: -1, icmpCode: -1 },
    { protocol: "-1", ruleNo: 105, action: "allow", cidrBlock: vpcCidr, fromPort: 0, toPort: 0 },
  ];
}

export class NetworkVpc extends Construct {
  readonly vpc: Vpc;
  readonly subnets: Record<SubnetTier, Subnet[]>;
  readonly routeTables: Record<SubnetTier, RouteTable[]>;
  readonly natGateways: NatGateway[];

  constructor(scope: Construct, id: string, props: NetworkVpcProps) {
    super(scope, id);
    const azs = props.availabilityZones;
    const tag = (suffix: string) => ({ Name: `${props.namePrefix}-${suffix}` });

    this.vpc = new Vpc(this, "vpc", {
      cidrBlock: props.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: tag("vpc"),
    });

    // Nothing may use the default SG, no default routes; the default NACL (every subnet's) is managed.
    new DefaultSecurityGroup(this, "default-sg", { vpcId: this.vpc.id, tags: tag("default-locked") });
    new DefaultRouteTable(this, "default-rt", { defaultRouteTableId: this.vpc.defaultRouteTableId, tags: tag("default-unused") });
    new DefaultNetworkAcl(this, "default-nacl", {
      defaultNetworkAclId: this.vpc.defaultNetworkAclId,
      ingress: defaultNaclIngress(props.cidr),
      egress: [{ protocol: "-1", ruleNo: 100, action: "allow", cidrBlock: "0.0.0.0/0", fromPort: 0, toPort: 0 }],
      tags: tag("default-nacl"),
      lifecycle: { ignoreChanges: ["subnet_ids"] },
    });

    const igw = new InternetGateway(this, "igw", { vpcId: this.vpc.id, tags: tag("igw") });

    const makeSubnets = (tier: SubnetTier) =>
      azs.map(
        (az, i) =>
          new Subnet(this, `${tier}-${i}`, {
            vpcId: this.vpc.id,
            availabilityZone: az,
            cidrBlock: tierCidr(props.cidr, tier, i),
            // No tier auto-assigns public IPs (EC2.15, CKV_AWS_130): the ALB and the NATs (EIPs)
            // get theirs explicitly and nothing else may launch with one.
            mapPublicIpOnLaunch: false,
            tags: { ...tag(`${tier}-${az.slice(-1)}`), Tier: tier },
          }),
      );
    this.subnets = { public: makeSubnets("public"), private: makeSubnets("private"), isolated: makeSubnets("isolated") };

    const natCount = props.natGateways === "one-per-az" ? azs.length : 1;
    this.natGateways = Array.from({ length: natCount }, (_, i) => {
      const eip = new Eip(this, `nat-eip-${i}`, { domain: "vpc", tags: tag(`nat-${azs[i].slice(-1)}`) });
      return new NatGateway(this, `nat-${i}`, {
        allocationId: eip.allocationId,
        subnetId: this.subnets.public[i].id,
        tags: tag(`nat-${azs[i].slice(-1)}`),
        dependsOn: [igw],
      });
    });

    const publicRt = new RouteTable(this, "public-rt", { vpcId: this.vpc.id, tags: tag("public") });
    new Route(this, "public-default", { routeTableId: publicRt.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });
    const privateRts = azs.map((az, i) => {
      const rt = new RouteTable(this, `private-rt-${i}`, { vpcId: this.vpc.id, tags: tag(`private-${az.slice(-1)}`) });
      const nat = this.natGateways[Math.min(i, this.natGateways.length - 1)];
      new Route(this, `private-default-${i}`, { routeTableId: rt.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id });
      return rt;
    });
    // Isolated: local routes only (and the S3 gateway endpoint, added by the endpoints construct).
    const isolatedRt = new RouteTable(this, "isolated-rt", { vpcId: this.vpc.id, tags: tag("isolated") });

    this.routeTables = { public: [publicRt], private: privateRts, isolated: [isolatedRt] };
    azs.forEach((_, i) => {
      new RouteTableAssociation(this, `public-assoc-${i}`, { subnetId: this.subnets.public[i].id, routeTableId: publicRt.id });
      new RouteTableAssociation(this, `private-assoc-${i}`, { subnetId: this.subnets.private[i].id, routeTableId: privateRts[i].id });
      new RouteTableAssociation(this, `isolated-assoc-${i}`, { subnetId: this.subnets.isolated[i].id, routeTableId: isolatedRt.id });
    });
  }

  subnetIds(tier: SubnetTier): string[] {
    return this.subnets[tier].map((s) => s.id);
  }
}

import type { Construct } from "constructs";
import { APP } from "../config/contract";
import { VpcFlowLog } from "../constructs/flow-log";
import { CustomerKey } from "../constructs/kms-key";
import { SecurityGroups } from "../constructs/security-groups";
import { DataSubnetGroups } from "../constructs/subnet-groups";
import { NetworkVpc } from "../constructs/vpc";
import { VpcEndpoints } from "../constructs/vpc-endpoints";
import { NETWORK } from "./contracts";
import { type LayerProps, LayerStack } from "./base";

/** `markmail-<env>-network`: VPC, subnets, NAT, flow logs, endpoints, security groups, subnet groups. */
export class NetworkStack extends LayerStack {
  constructor(scope: Construct, props: LayerProps) {
    super(scope, "network", props);
    const net = this.env.network;
    const prefix = this.name();

    const vpc = new NetworkVpc(this, "vpc", {
      namePrefix: prefix,
      cidr: net.cidr,
      availabilityZones: net.availabilityZones,
      natGateways: net.natGateways,
    });
    const key = new CustomerKey(this, "key", {
      alias: this.name("network"),
      description: `${prefix}: VPC flow logs`,
      deletionWindowDays: this.env.keyDeletionWindowDays,
      serviceStatements: [CustomerKey.logsStatement(this, this.name())],
    });
    new VpcFlowLog(this, "flow-log", {
      vpcId: vpc.vpc.id,
      namePrefix: prefix,
      retentionDays: net.flowLogRetentionDays,
      kmsKeyArn: key.arn,
    });
    new VpcEndpoints(this, "endpoints", {
      namePrefix: prefix,
      vpcId: vpc.vpc.id,
      vpcCidr: net.cidr,
      gatewayRouteTableIds: [...vpc.routeTables.private, ...vpc.routeTables.isolated].map((rt) => rt.id),
      interfaceSubnetIds: net.interfaceEndpoints ? vpc.subnetIds("private") : undefined,
    });
    const sgs = new SecurityGroups(this, "sg", {
      namePrefix: prefix,
      vpcId: vpc.vpc.id,
      ports: { app: APP.backendPort, db: APP.dbPort, redis: APP.redisPort },
    });

    const subnetGroups = new DataSubnetGroups(this, "subnet-groups", { namePrefix: prefix, subnetIds: vpc.subnetIds("isolated") });

    this.publish(NETWORK, {
      vpc_id: vpc.vpc.id,
      vpc_cidr: net.cidr,
      public_subnet_ids: vpc.subnetIds("public"),
      private_subnet_ids: vpc.subnetIds("private"),
      isolated_subnet_ids: vpc.subnetIds("isolated"),
      alb_security_group_id: sgs.id("alb"),
      ecs_security_group_id: sgs.id("ecs"),
      frontend_security_group_id: sgs.id("frontend"),
      database_security_group_id: sgs.id("database"),
      cache_security_group_id: sgs.id("cache"),
      bastion_security_group_id: sgs.id("bastion"),
      db_subnet_group_name: subnetGroups.db.name,
      cache_subnet_group_name: subnetGroups.cache.name,
    });
  }
}

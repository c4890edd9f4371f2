import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";

/** Interface endpoints for private Fargate tasks and the SSM bastion (EC2.10, EC2.55-57). */
export const INTERFACE_ENDPOINT_SERVICES = ["secretsmanager", "ecr.api", "ecr.dkr", "logs", "ssm", "ssmmessages", "ec2messages"] as const;

export interface VpcEndpointsProps {
  readonly namePrefix: string;
  readonly region: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** Route tables that get the S3 gateway endpoint (ECR image layers come from S3). */
  readonly gatewayRouteTableIds: string[];
  /** Subnets for the interface endpoints; none = gateway endpoint only. */
  readonly interfaceSubnetIds?: string[];
}

/** The S3 gateway endpoint always; interface endpoints (private DNS, own SG) when subnets are given. */
export class VpcEndpoints extends Construct {
  readonly securityGroup?: SecurityGroup;
  readonly interfaceEndpoints: VpcEndpoint[] = [];

  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    new VpcEndpoint(this, "s3", {
      vpcId: props.vpcId,
      serviceName: `com.amazonaws.${props.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: props.gatewayRouteTableIds,
      tags: { Name: `${props.namePrefix}-s3` },
    });
    if (!props.interfaceSubnetIds || props.interfaceSubnetIds.length === 0) return;

    this.securityGroup = new SecurityGroup(this, "sg", {
      name: `${props.namePrefix}-endpoints`,
      description: "Interface VPC endpoints: HTTPS from inside the VPC only",
      vpcId: props.vpcId,
      tags: { Name: `${props.namePrefix}-endpoints` },
    });
    new VpcSecurityGroupIngressRule(this, "https-from-vpc", {
      securityGroupId: this.securityGroup.id,
      description: "HTTPS to AWS APIs from resources in this VPC",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: props.vpcCidr,
    });
    for (const service of INTERFACE_ENDPOINT_SERVICES) {
      this.interfaceEndpoints.push(
        new VpcEndpoint(this, service.replace(".", "-"), {
          vpcId: props.vpcId,
          serviceName: `com.amazonaws.${props.region}.${service}`,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: props.interfaceSubnetIds,
          securityGroupIds: [this.securityGroup.id],
          tags: { Name: `${props.namePrefix}-${service}` },
        }),
      );
    }
  }
}

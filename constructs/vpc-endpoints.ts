import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { AccountContext, regionOf } from "./account";

/** Interface endpoints for private Fargate tasks and the SSM bastion (EC2.55-57), and the EC2 API (EC2.10). */
export const INTERFACE_ENDPOINT_SERVICES = [
  "secretsmanager",
  "ecr.api",
  "ecr.dkr",
  "logs",
  "ssm",
  "ssmmessages",
  "ec2messages",
  "ec2",
] as const;

/**
 * AWS-owned buckets reached through the S3 gateway endpoint (the `{region}` is the stack's):
 * ECR image layers, the SSM agent's documents, updates and packages, AL2023 package repositories.
 * The policy gate lists the same buckets (policies/data/iam aws_owned_resources).
 */
export const AWS_OWNED_BUCKETS = [
  "prod-{region}-starport-layer-bucket",
  "aws-ssm-{region}",
  "amazon-ssm-{region}",
  "amazon-ssm-packages-{region}",
  "{region}-birdwatcher-prod",
  "aws-ssm-distributor-file-{region}",
  "aws-ssm-document-attachments-{region}",
  "patch-baseline-snapshot-{region}",
  "al2023-repos-{region}-*",
] as const;

export interface VpcEndpointsProps {
  readonly namePrefix: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** Route tables that get the S3 gateway endpoint (ECR image layers come from S3). */
  readonly gatewayRouteTableIds: string[];
  /** Subnets for the interface endpoints; none = gateway endpoint only. */
  readonly interfaceSubnetIds?: string[];
}

/**
 * The S3 gateway endpoint always; interface endpoints (private DNS, own SG) when subnets are given.
 * Every endpoint has a policy: S3 this account's buckets plus AWS_OWNED_BUCKETS (read only), the
 * interface endpoints callers of this account only.
 */
export class VpcEndpoints extends Construct {
  readonly securityGroup?: SecurityGroup;
  readonly interfaceEndpoints: VpcEndpoint[] = [];

  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    const account = AccountContext.of(this);
    const anyone = [{ type: "*", identifiers: ["*"] }];
    // Without a policy an endpoint passes any request to any account (an upload to a foreign bucket).
    const s3Policy = new DataAwsIamPolicyDocument(this, "s3-policy", {
      statement: [
        {
          sid: "ThisAccountsBuckets",
          effect: "Allow",
          principals: anyone,
          actions: ["s3:*"],
          resources: ["*"],
          condition: [{ test: "StringEquals", variable: "aws:ResourceAccount", values: [account.accountId] }],
        },
        {
          sid: "AwsOwnedBuckets",
          effect: "Allow",
          principals: anyone,
          actions: ["s3:GetObject"],
          resources: AWS_OWNED_BUCKETS.map((b) => `arn:${account.partition}:s3:::${b.replace("{region}", regionOf(this))}/*`),
        },
      ],
    });
    new VpcEndpoint(this, "s3", {
      vpcId: props.vpcId,
      serviceName: `com.amazonaws.${regionOf(this)}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: props.gatewayRouteTableIds,
      policy: s3Policy.json,
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
    // Callers of this account only (not aws:ResourceAccount: SSM sessions use AWS-owned documents),
    // and only the endpoint's own service (ecr.api and ecr.dkr both serve ecr:*).
    const interfacePolicy = (id: string, service: string) =>
      new DataAwsIamPolicyDocument(this, `${id}-policy`, {
        statement: [
          {
            sid: "ThisAccountsPrincipals",
            effect: "Allow",
            principals: anyone,
            actions: [`${service.split(".")[0]}:*`],
            resources: ["*"],
            condition: [{ test: "StringEquals", variable: "aws:PrincipalAccount", values: [account.accountId] }],
          },
        ],
      });
    for (const service of INTERFACE_ENDPOINT_SERVICES) {
      const id = service.replace(".", "-");
      this.interfaceEndpoints.push(
        new VpcEndpoint(this, id, {
          vpcId: props.vpcId,
          serviceName: `com.amazonaws.${regionOf(this)}.${service}`,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: props.interfaceSubnetIds,
          securityGroupIds: [this.securityGroup.id],
          policy: interfacePolicy(id, service).json,
          tags: { Name: `${props.namePrefix}-${service}` },
        }),
      );
    }
  }
}

import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { Construct } from "constructs";
import { AccountContext } from "./account";
import { ServiceRole } from "./service-role";

export interface VpcFlowLogProps {
  readonly vpcId: string;
  /** `markmail-<env>`. */
  readonly namePrefix: string;
  readonly retentionDays: number;
  readonly kmsKeyArn: string;
}

/**
 * VPC flow logs (all traffic) to an encrypted CloudWatch log group `/vpc/markmail-<env>/flow-logs`,
 * delivered by a role that may write only to that group (EC2.6, CKV2_AWS_11).
 */
export class VpcFlowLog extends Construct {
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: VpcFlowLogProps) {
    super(scope, id);
    const account = AccountContext.of(this);
    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: `/vpc/${props.namePrefix}/flow-logs`,
      retentionInDays: props.retentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    const role = new ServiceRole(this, "role", {
      name: `${props.namePrefix}-flow-logs`,
      description: `Delivers VPC flow logs of ${props.namePrefix} to CloudWatch Logs`,
      service: "vpc-flow-logs.amazonaws.com",
      sourceArns: [account.arn("ec2", "vpc-flow-log/*")],
      policyName: "WriteFlowLogs",
      statements: [
        {
          effect: "Allow",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          resources: [`${this.logGroup.arn}:*`],
        },
        { effect: "Allow", actions: ["logs:DescribeLogGroups"], resources: [account.arn("logs", "log-group:*")] },
      ],
    });
    new FlowLog(this, "flow-log", {
      vpcId: props.vpcId,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: this.logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: { Name: `${props.namePrefix}-flow-logs` },
    });
  }
}

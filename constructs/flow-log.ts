import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { AccountContext } from "./account";

export interface VpcFlowLogProps {
  readonly vpcId: string;
  /** `markmail-<env>`. */
  readonly namePrefix: string;
  readonly region: string;
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
    const account = AccountContext.of(this, props.region);
    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: `/vpc/${props.namePrefix}/flow-logs`,
      retentionInDays: props.retentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["vpc-flow-logs.amazonaws.com"] }],
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [account.accountId] }],
        },
      ],
    });
    const role = new IamRole(this, "role", {
      name: `${props.namePrefix}-flow-logs`,
      description: `Delivers VPC flow logs of ${props.namePrefix} to CloudWatch Logs`,
      assumeRolePolicy: trust.json,
    });
    const write = new DataAwsIamPolicyDocument(this, "write", {
      statement: [
        {
          effect: "Allow",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          resources: [`${this.logGroup.arn}:*`],
        },
        { effect: "Allow", actions: ["logs:DescribeLogGroups"], resources: [account.arn("logs", "log-group:*")] },
      ],
    });
    new IamRolePolicy(this, "policy", { name: "WriteFlowLogs", role: role.id, policy: write.json });
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

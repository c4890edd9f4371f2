import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Construct } from "constructs";

export interface EncryptedLogGroupProps {
  readonly name: string;
  /** One of the values CloudWatch Logs accepts (every retention is an input, checked once in config/validate.ts). */
  readonly retentionDays: number;
  /** CMK whose policy lets CloudWatch Logs use it (CustomerKey.logsStatement). */
  readonly kmsKeyArn: string;
}

/** A CloudWatch log group with a retention period and CMK encryption (CKV_AWS_66, CKV_AWS_158). */
export class EncryptedLogGroup extends Construct {
  readonly group: CloudwatchLogGroup;
  readonly name: string;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: EncryptedLogGroupProps) {
    super(scope, id);
    this.group = new CloudwatchLogGroup(this, "group", {
      name: props.name,
      retentionInDays: props.retentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    this.name = props.name;
    this.arn = this.group.arn;
  }
}

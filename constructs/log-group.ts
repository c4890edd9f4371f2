import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Construct } from "constructs";
import { LOG_RETENTION_DAYS } from "../config/validate";

export interface EncryptedLogGroupProps {
  readonly name: string;
  /** One of the values CloudWatch Logs accepts. */
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
    if (!LOG_RETENTION_DAYS.includes(props.retentionDays as never)) {
      throw new Error(`log group ${props.name}: retention ${props.retentionDays} days is not a CloudWatch Logs value (${LOG_RETENTION_DAYS.join(", ")})`);
    }
    this.group = new CloudwatchLogGroup(this, "group", { name: props.name, retentionInDays: props.retentionDays, kmsKeyId: props.kmsKeyArn });
    this.name = props.name;
    this.arn = this.group.arn;
  }
}

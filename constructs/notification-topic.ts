import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import { AccountContext } from "./account";
import { servicePrincipalConditions } from "./policy-data";

/** An AWS service allowed to publish to the topic, always on behalf of this account only. */
export interface TopicPublisher {
  /** Service principal, e.g. cloudwatch.amazonaws.com or ses.amazonaws.com. */
  readonly service: string;
  /**
   * ARN patterns of the publishing resources (`aws:SourceArn`, ArnLike), e.g. this environment's
   * alarms `arn:...:alarm:markmail-dev-*`. Required for a service that sets aws:SourceArn
   * (policies/data/iam service_principals).
   */
  readonly sourceArns?: string[];
}

export interface NotificationTopicProps {
  /** Physical name, `markmail-<env>-<purpose>`. */
  readonly name: string;
  readonly displayName: string;
  /** The customer-managed key that encrypts messages at rest; its policy must let the publishers use it. */
  readonly kmsKeyArn: string;
  /** The AWS services that may publish. Nobody else gets an Allow in the topic policy. */
  readonly publishers: TopicPublisher[];
  /**
   * E-mail recipient; the subscription stays PendingConfirmation until the link in the mail is clicked.
   * @default no subscription
   */
  readonly email?: string;
}

/**
 * An SNS topic encrypted with a CMK whose policy lets only the named AWS services publish, only for
 * this account (confused-deputy protection), and only over TLS; optionally an e-mail subscription.
 * IAM principals of the account (e.g. the pipeline role sending approval notices) still publish
 * through their own identity policies.
 */
export class NotificationTopic extends Construct {
  readonly topic: SnsTopic;
  readonly arn: string;
  readonly name: string;

  constructor(scope: Construct, id: string, props: NotificationTopicProps) {
    super(scope, id);
    if (props.publishers.length === 0) {
      throw new Error(`SNS topic ${props.name}: at least one publisher is required (a topic nobody can publish to alerts nobody)`);
    }
    for (const p of props.publishers) {
      if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/.test(p.service)) {
        throw new Error(
          `SNS topic ${props.name}: publisher "${p.service}" is not an AWS service principal; only AWS services get a topic-policy Allow`,
        );
      }
      requireSourceArns(`SNS topic ${props.name}`, p);
    }
    const account = AccountContext.of(this);
    this.name = props.name;
    this.topic = new SnsTopic(this, "topic", {
      name: props.name,
      displayName: props.displayName,
      kmsMasterKeyId: props.kmsKeyArn,
    });
    this.arn = this.topic.arn;

    const publish: DataAwsIamPolicyDocumentStatement[] = props.publishers.map((p) => ({
      sid: `Allow${serviceWord(p.service)}Publish`,
      effect: "Allow",
      principals: [{ type: "Service", identifiers: [p.service] }],
      actions: ["sns:Publish"],
      resources: [this.topic.arn],
      condition: [
        { test: "StringEquals", variable: "aws:SourceAccount", values: [account.accountId] },
        ...(p.sourceArns ? [{ test: "ArnLike", variable: "aws:SourceArn", values: p.sourceArns }] : []),
      ],
    }));
    const policy = new DataAwsIamPolicyDocument(this, "policy", {
      statement: [
        ...publish,
        {
          sid: "DenyInsecureTransport",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["sns:Publish"],
          resources: [this.topic.arn],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ],
    });
    new SnsTopicPolicy(this, "topic-policy", { arn: this.topic.arn, policy: policy.json });

    if (props.email !== undefined) {
      new SnsTopicSubscription(this, "email", { topicArn: this.topic.arn, protocol: "email", endpoint: props.email });
    }
  }
}

/**
 * Key-policy statement letting an AWS service use a CMK to publish to encrypted topics of this
 * account (kms:GenerateDataKey and kms:Decrypt: what the SNS guide's kms:GenerateDataKey* needs for a
 * symmetric key, named explicitly, MM-025).
 */
export function topicKeyStatement(scope: Construct, publisher: TopicPublisher): DataAwsIamPolicyDocumentStatement {
  requireSourceArns("topic key statement", publisher);
  const account = AccountContext.of(scope);
  return {
    sid: `${serviceWord(publisher.service)}PublishToEncryptedTopics`,
    effect: "Allow",
    principals: [{ type: "Service", identifiers: [publisher.service] }],
    actions: ["kms:GenerateDataKey", "kms:Decrypt"],
    resources: ["*"],
    condition: [
      { test: "StringEquals", variable: "aws:SourceAccount", values: [account.accountId] },
      ...(publisher.sourceArns ? [{ test: "ArnLike", variable: "aws:SourceArn", values: publisher.sourceArns }] : []),
    ],
  };
}

/** A publisher whose service sets aws:SourceArn (policies/data/iam service_principals) must name its resources (MM-043). */
function requireSourceArns(owner: string, p: TopicPublisher): void {
  if (servicePrincipalConditions(p.service).sourceArn && (p.sourceArns ?? []).length === 0) {
    throw new Error(`${owner}: publisher ${p.service} sets aws:SourceArn; name the publishing resources (sourceArns)`);
  }
}

/** cloudwatch.amazonaws.com → Cloudwatch (a statement-id word). */
function serviceWord(principal: string): string {
  return principal.split(".")[0].replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
}

import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { SsmDocument } from "@cdktf/provider-aws/lib/ssm-document";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { DefaultTokenResolver, StringConcat, TerraformStack, Tokenization } from "cdktf";
import { Construct, type IConstruct } from "constructs";
import { AccountContext } from "./account";
import { jsonAttribute } from "./json-attribute";

/** The current Amazon Linux 2023 AMI, published by AWS as a public SSM parameter. */
export const AL2023_AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

export interface BastionHostProps {
  /** `markmail-<env>-bastion`: the Name tag the guide's describe-instances filter uses. */
  readonly name: string;
  /** A private subnet (egress through NAT or VPC endpoints, no route from the internet). */
  readonly subnetId: string;
  /** The network layer's bastion security group: no ingress at all, egress to the database port (and HTTPS for SSM). */
  readonly securityGroupId: string;
  readonly instanceType: string;
  /** CMK for the root volume. */
  readonly kmsKeyArn: string;
  /** Must stay false: access is through SSM only. @default false */
  readonly associatePublicIpAddress?: boolean;
  /**
   * Session Manager shell sessions are logged: the session document `<name>-session` streams every
   * session to this encrypted log group (the database layer's, so it outlives the bastion).
   */
  readonly sessionLogs: { readonly logGroupName: string; readonly logGroupArn: string };
  /** Packages installed at first boot (no secrets: user data is readable by anyone with ec2:Describe*). @default ["postgresql15"] */
  readonly packages?: string[];
}

/**
 * A temporary EC2 jump host reachable only through SSM Session Manager: private subnet, no public
 * IP, a security group without inbound rules, IMDSv2 only, encrypted gp3 root volume, the current
 * Amazon Linux 2023 AMI and an instance profile with AmazonSSMManagedInstanceCore. psql reaches
 * Aurora through port forwarding (AWS-StartPortForwardingSessionToRemoteHost).
 *
 * Guardrail: synth validation fails when any construct in the stack adds an inbound rule to the
 * bastion's security group.
 */
export class BastionHost extends Construct {
  readonly instance: Instance;
  readonly role: IamRole;
  readonly name: string;
  readonly sessionDocument: SsmDocument;
  /** The session document's name as plain text (for descriptions, which Terraform does not interpolate). */
  readonly sessionDocumentName: string;

  constructor(scope: Construct, id: string, props: BastionHostProps) {
    super(scope, id);
    if (props.associatePublicIpAddress) {
      throw new Error(`bastion ${props.name}: a public IP is not allowed; connect with aws ssm start-session`);
    }
    const packages = props.packages ?? ["postgresql15"];
    for (const p of packages) {
      if (!/^[a-z0-9][a-z0-9.+_-]*$/.test(p)) throw new Error(`bastion ${props.name}: "${p}" is not a package name`);
    }
    const account = AccountContext.of(this);
    this.name = props.name;

    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [{ effect: "Allow", principals: [{ type: "Service", identifiers: ["ec2.amazonaws.com"] }], actions: ["sts:AssumeRole"] }],
    });
    this.role = new IamRole(this, "role", {
      name: `${props.name}-role`,
      description: `${props.name}: SSM Session Manager only`,
      assumeRolePolicy: trust.json,
    });
    // The AWS-maintained policy for the SSM agent (ssm, ssmmessages, ec2messages); nothing else.
    new IamRolePolicyAttachment(this, "ssm-core", {
      role: this.role.name,
      policyArn: `arn:${account.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
    });
    // Shell sessions: a Session document of our own that streams to the encrypted log group (the
    // account-wide SSM-SessionManagerRunShell preferences are shared by every environment, so they
    // are not set here). The agent writes the logs with the instance role.
    this.sessionDocumentName = `${props.name}-session`;
    this.sessionDocument = new SsmDocument(this, "session", {
      name: this.sessionDocumentName,
      documentType: "Session",
      documentFormat: "JSON",
      content: jsonAttribute({
        schemaVersion: "1.0",
        description: `Shell sessions on ${props.name}, logged to CloudWatch Logs (encrypted)`,
        sessionType: "Standard_Stream",
        inputs: {
          cloudWatchLogGroupName: props.sessionLogs.logGroupName,
          cloudWatchEncryptionEnabled: true,
          cloudWatchStreamingEnabled: true,
          idleSessionTimeout: "20",
          // Session data encrypted end to end with the bastion's key (CKV_AWS_112): the agent
          // decrypts with the instance role, the operator's client needs kms:GenerateDataKey on it.
          kmsKeyId: props.kmsKeyArn,
          runAsEnabled: false,
          shellProfile: { linux: "" },
        },
      }),
    });
    const logsDoc = new DataAwsIamPolicyDocument(this, "session-logs-policy", {
      statement: [
        {
          sid: "SessionLogStreams",
          effect: "Allow",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
          resources: [`${props.sessionLogs.logGroupArn}:*`],
        },
        { sid: "SessionDataKey", effect: "Allow", actions: ["kms:Decrypt"], resources: [props.kmsKeyArn] },
        // The agent checks that the group exists and is encrypted before it streams.
        { sid: "SessionLogGroups", effect: "Allow", actions: ["logs:DescribeLogGroups"], resources: [account.arn("logs", "log-group:*")] },
      ],
    });
    new IamRolePolicy(this, "session-logs-inline", { role: this.role.id, name: "SessionLogs", policy: logsDoc.json });
    const profile = new IamInstanceProfile(this, "profile", { name: `${props.name}-profile`, role: this.role.name });

    const ami = new DataAwsSsmParameter(this, "ami", { name: AL2023_AMI_PARAMETER });
    this.instance = new Instance(this, "instance", {
      // An AMI id is public, so the non-sensitive attribute keeps it readable in the plan.
      ami: ami.insecureValue,
      instanceType: props.instanceType,
      subnetId: props.subnetId,
      vpcSecurityGroupIds: [props.securityGroupId],
      associatePublicIpAddress: false,
      iamInstanceProfile: profile.name,
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
      monitoring: true,
      ebsOptimized: true,
      rootBlockDevice: { volumeType: "gp3", encrypted: true, kmsKeyId: props.kmsKeyArn, deleteOnTermination: true },
      userData: ["#!/bin/bash", "set -euo pipefail", `dnf install -y ${packages.join(" ")}`, ""].join("\n"),
      tags: { Name: props.name },
      volumeTags: { Name: props.name },
      // A newer AMI is published every few weeks; the temporary host is not replaced for it
      // (recreate the stack to pick one up).
      lifecycle: { ignoreChanges: ["ami"] },
    });

    this.node.addValidation({
      validate: () => inboundRulesOn(TerraformStack.of(this), props.securityGroupId).map((why) => `bastion ${props.name}: ${why}`),
    });
  }
}

/** Constructs of `scope` that would open the security group `sgId` to inbound traffic. */
export function inboundRulesOn(scope: IConstruct, sgId: string): string[] {
  const found: string[] = [];
  // Compared as resolved expressions: the same upstream output read twice is two different tokens.
  const stack = TerraformStack.of(scope);
  const resolver = new DefaultTokenResolver(new StringConcat());
  const resolved = (v: string) => Tokenization.resolve(v, { scope: stack, resolver, preparing: false });
  const target = resolved(sgId);
  const isTarget = (id: string | undefined) => id !== undefined && resolved(id) === target;
  for (const c of scope.node.findAll()) {
    if (c instanceof VpcSecurityGroupIngressRule && isTarget(c.securityGroupIdInput))
      found.push(`inbound rule ${c.node.path} on its security group`);
    if (c instanceof SecurityGroupRule && c.typeInput === "ingress" && isTarget(c.securityGroupIdInput))
      found.push(`inbound rule ${c.node.path} on its security group`);
  }
  return found;
}

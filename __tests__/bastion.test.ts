import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { AL2023_AMI_PARAMETER, BastionHost } from "../constructs/bastion";
import { BastionStack } from "../stacks/bastion-stack";
import type { AppConfig } from "../config";
import { onlyEnv, testApp } from "./helpers/fake-outputs";
import { configFor, deref, onlyResource, resources, synthInRegion, synthJson } from "./helpers/synth";

const BASTION_SG = "${data.terraform_remote_state.network.outputs.bastion_security_group_id}";

function bastionStack(config: AppConfig): BastionStack {
  const env = onlyEnv(config);
  return new BastionStack(testApp(), { config, env });
}

describe("bastion layer (dev)", () => {
  const json = synthJson(bastionStack(configFor("dev", { CREATE_BASTION: "true" })));
  const instance = onlyResource(json, "aws_instance");

  test("tagged Name=markmail-dev-bastion, as the guide's describe-instances filter expects", () => {
    expect(instance.tags).toEqual({ Name: "markmail-dev-bastion" });
  });

  test("private subnet, no public IP, only the network's bastion security group", () => {
    expect(instance.subnet_id).toBe("${element(data.terraform_remote_state.network.outputs.private_subnet_ids, 0)}");
    expect(instance.associate_public_ip_address).toBe(false);
    expect(instance.vpc_security_group_ids).toEqual(["${data.terraform_remote_state.network.outputs.bastion_security_group_id}"]);
    expect(resources(json, "aws_security_group")).toHaveLength(0);
    expect(resources(json, "aws_vpc_security_group_ingress_rule")).toHaveLength(0);
    expect(resources(json, "aws_security_group_rule")).toHaveLength(0);
  });

  test("IMDSv2 only, hop limit 1; encrypted gp3 root volume with the layer CMK; monitoring; EBS-optimized", () => {
    expect(instance.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1, http_endpoint: "enabled" });
    const [keyId] = resources(json, "aws_kms_key")[0];
    expect(instance.root_block_device).toMatchObject({ volume_type: "gp3", encrypted: true, kms_key_id: `\${aws_kms_key.${keyId}.arn}` });
    expect(instance.monitoring).toBe(true);
    expect(instance.ebs_optimized).toBe(true);
    expect(instance.instance_type).toBe("t3.micro");
  });

  test("current Amazon Linux 2023 AMI resolved at plan time from the public SSM parameter", () => {
    const [id, param] = Object.entries(json.data!.aws_ssm_parameter)[0] as [string, any];
    expect(param.name).toBe("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
    expect(AL2023_AMI_PARAMETER).toBe(param.name);
    expect(instance.ami).toBe(`\${data.aws_ssm_parameter.${id}.insecure_value}`);
    expect(instance.lifecycle.ignore_changes).toEqual(["ami"]);
  });

  test("user data installs the psql client and holds no secret", () => {
    expect(instance.user_data).toContain("dnf install -y postgresql15");
    expect(instance.user_data).not.toMatch(/password|secret|PGPASSWORD|aws_access/i);
  });

  test("instance profile with AmazonSSMManagedInstanceCore and, beyond it, only writing its own session logs", () => {
    const [roleId, role] = resources(json, "aws_iam_role")[0];
    expect(role.name).toBe("markmail-dev-bastion-role");
    expect(onlyResource(json, "aws_iam_role_policy_attachment")).toEqual({
      role: `\${aws_iam_role.${roleId}.name}`,
      policy_arn: expect.stringMatching(/^arn:\$\{data\.aws_partition\.[^}]+\}:iam::aws:policy\/AmazonSSMManagedInstanceCore$/),
    });
    const [inline] = resources(json, "aws_iam_role_policy").map(([, p]) => p);
    expect(resources(json, "aws_iam_role_policy")).toHaveLength(1);
    expect(inline).toMatchObject({ role: `\${aws_iam_role.${roleId}.id}`, name: "SessionLogs" });
    expect(deref(json, inline.policy).statement).toEqual([
      {
        sid: "SessionLogStreams",
        effect: "Allow",
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: ["${data.terraform_remote_state.database.outputs.bastion_session_log_group_arn}:*"],
      },
      { sid: "SessionDataKey", effect: "Allow", actions: ["kms:Decrypt"], resources: ["${aws_kms_key.bastion.arn}"] },
      expect.objectContaining({ sid: "SessionLogGroups", actions: ["logs:DescribeLogGroups"] }),
    ]);
    expect(onlyResource(json, "aws_iam_instance_profile").role).toBe(`\${aws_iam_role.${roleId}.name}`);
    const trust = Object.values(json.data!.aws_iam_policy_document).find((d: any) =>
      d.statement[0].actions.includes("sts:AssumeRole"),
    ) as any;
    expect(trust.statement[0].principals).toEqual([{ type: "Service", identifiers: ["ec2.amazonaws.com"] }]);
  });

  test("shell sessions are logged: a Session document streams to the database layer's encrypted log group", () => {
    const doc = onlyResource(json, "aws_ssm_document");
    expect(doc).toMatchObject({ name: "markmail-dev-bastion-session", document_type: "Session", document_format: "JSON" });
    expect(JSON.parse(doc.content).inputs).toMatchObject({
      cloudWatchLogGroupName: "${data.terraform_remote_state.database.outputs.bastion_session_log_group_name}",
      cloudWatchEncryptionEnabled: true,
      cloudWatchStreamingEnabled: true,
      runAsEnabled: false,
      kmsKeyId: expect.stringMatching(/^\$\{aws_kms_key\.bastion\.arn\}$/),
    });
    // No log group here: the temporary stack's destroy must not take the audit trail with it.
    expect(resources(json, "aws_cloudwatch_log_group")).toEqual([]);
    expect(json.output!.session_document.value).toBe(`\${aws_ssm_document.${resources(json, "aws_ssm_document")[0][0]}.name}`);
  });

  test("outputs: the instance id and a ready port-forward command to the Aurora writer", () => {
    const [id] = resources(json, "aws_instance")[0];
    expect(json.output!.bastion_instance_id.value).toBe(`\${aws_instance.${id}.id}`);
    expect(json.output!.db_port_forward_command.value).toBe(
      `aws ssm start-session --region ap-northeast-1 --target \${aws_instance.${id}.id} --document-name AWS-StartPortForwardingSessionToRemoteHost ` +
        "--parameters host=${data.terraform_remote_state.database.outputs.cluster_endpoint},portNumber=5432,localPortNumber=5432",
    );
  });
});

describe("bastion environment matrix", () => {
  test("prod: instance type from config, 30-day key deletion window", () => {
    const config = configFor("prod", { CREATE_BASTION: "true" }, (e) => ({ ...e, bastionInstanceType: "t3.small" }));
    const json = synthJson(bastionStack(config));
    expect(onlyResource(json, "aws_instance")).toMatchObject({ instance_type: "t3.small", tags: { Name: "markmail-prod-bastion" } });
    expect(onlyResource(json, "aws_kms_key").deletion_window_in_days).toBe(30);
  });
});

describe("bastion guardrails", () => {
  const props = {
    name: "markmail-dev-bastion",
    subnetId: "subnet-0priv1",
    securityGroupId: "sg-0bastion",
    instanceType: "t3.micro",
    kmsKeyArn: "arn:aws:kms:ap-northeast-1:111122223333:key/k",
    sessionLogs: {
      logGroupName: "/ssm/markmail-dev-bastion-sessions",
      logGroupArn: "arn:aws:logs:ap-northeast-1:111122223333:log-group:/ssm/markmail-dev-bastion-sessions",
    },
  };

  test("a public IP throws", () => {
    expect(() => synthInRegion((s) => new BastionHost(s, "b", { ...props, associatePublicIpAddress: true }))).toThrow(
      /public IP is not allowed/,
    );
  });

  test("an inbound rule on the bastion security group fails validation (either rule resource)", () => {
    const withSsh = bastionStack(configFor("dev"));
    new VpcSecurityGroupIngressRule(withSsh, "ssh", {
      securityGroupId: BASTION_SG,
      ipProtocol: "tcp",
      fromPort: 22,
      toPort: 22,
      cidrIpv4: "0.0.0.0/0",
    });
    expect(() => withSsh.runAllValidations()).toThrow(/bastion markmail-dev-bastion: inbound rule .*ssh/);
    const withRule = bastionStack(configFor("dev"));
    new SecurityGroupRule(withRule, "rdp", {
      securityGroupId: BASTION_SG,
      type: "ingress",
      protocol: "tcp",
      fromPort: 3389,
      toPort: 3389,
      cidrBlocks: ["10.0.0.0/8"],
    });
    expect(() => withRule.runAllValidations()).toThrow(/inbound rule/);
    expect(() => bastionStack(configFor("dev")).runAllValidations()).not.toThrow();
  });

  test("a package list that would inject shell throws", () => {
    expect(() => synthInRegion((s) => new BastionHost(s, "b", { ...props, packages: ["postgresql15; curl evil"] }))).toThrow(
      /not a package name/,
    );
  });
});

import { Testing } from "cdktf";
import { POLICY_DATA } from "../constructs/policy-data";
import { SecurityGroups } from "../constructs/security-groups";
import { AWS_OWNED_BUCKETS, INTERFACE_ENDPOINT_SERVICES } from "../constructs/vpc-endpoints";
import { subnetCidr, tierCidr } from "../constructs/vpc";
import { NetworkStack } from "../stacks/network-stack";
import { configFor, ownArn, regionalStack, resources, synthJson, type TfJson, trustOf } from "./helpers/synth";

function network(env: "dev" | "staging" | "prod"): TfJson {
  const config = configFor(env);
  return synthJson(new NetworkStack(Testing.app(), { config, env: config.environments[0] }));
}

const dev = network("dev");
const staging = network("staging");
const prod = network("prod");
const values = (json: TfJson, type: string) => resources(json, type).map(([, v]) => v);

describe("VPC and subnets", () => {
  test("VPC markmail-<env>-vpc with DNS on and the environment's CIDR", () => {
    expect(values(dev, "aws_vpc")).toEqual([
      expect.objectContaining({
        cidr_block: "10.10.0.0/16",
        enable_dns_hostnames: true,
        enable_dns_support: true,
        tags: { Name: "markmail-dev-vpc" },
      }),
    ]);
    expect(values(prod, "aws_vpc")[0].cidr_block).toBe("10.30.0.0/16");
  });

  test("three tiers per AZ: 2 AZs in dev (6 subnets), 3 in prod (9), in a/c/d", () => {
    expect(values(dev, "aws_subnet")).toHaveLength(6);
    expect(values(prod, "aws_subnet")).toHaveLength(9);
    expect(new Set(values(prod, "aws_subnet").map((s) => s.availability_zone))).toEqual(
      new Set(["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"]),
    );
  });

  test("no subnet auto-assigns public IPs, not even the public tier (EC2.15, CKV_AWS_130): the ALB and the NAT EIPs get theirs explicitly", () => {
    for (const json of [dev, prod]) for (const s of values(json, "aws_subnet")) expect(s.map_public_ip_on_launch).toBe(false);
    expect(values(prod, "aws_subnet").filter((s) => s.tags.Tier === "public")).toHaveLength(3);
  });

  test("tier CIDRs are deterministic and do not overlap", () => {
    expect(tierCidr("10.30.0.0/16", "public", 0)).toBe("10.30.0.0/24");
    expect(tierCidr("10.30.0.0/16", "isolated", 2)).toBe("10.30.10.0/24");
    expect(tierCidr("10.30.0.0/16", "private", 2)).toBe("10.30.48.0/20");
    expect(() => subnetCidr("10.30.0.0/16", 24, 256)).toThrow(/outside/);
    const cidrs = values(prod, "aws_subnet").map((s) => s.cidr_block);
    expect(new Set(cidrs).size).toBe(9);
  });

  test("NAT: one in dev, one per AZ in prod; private route tables point at them; isolated has no default route", () => {
    expect(values(dev, "aws_nat_gateway")).toHaveLength(1);
    expect(values(prod, "aws_nat_gateway")).toHaveLength(3);
    const routes = values(prod, "aws_route");
    expect(routes.filter((r) => r.nat_gateway_id)).toHaveLength(3);
    expect(routes.filter((r) => r.gateway_id)).toHaveLength(1);
    const isolated = resources(prod, "aws_route_table").find(([, rt]) => rt.tags.Name === "markmail-prod-isolated")![0];
    expect(routes.some((r) => r.route_table_id.includes(`.${isolated}.`))).toBe(false);
  });

  test("the default security group is adopted with no rules (EC2.2, CKV2_AWS_12)", () => {
    const [sg] = values(dev, "aws_default_security_group");
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
  });

  test("the default route table is adopted without routes; every subnet is associated with its tier's table", () => {
    const [rt] = values(dev, "aws_default_route_table");
    expect(rt.route).toBeUndefined();
    const assoc = values(prod, "aws_route_table_association");
    expect(assoc).toHaveLength(9);
    expect(new Set(assoc.map((a) => a.subnet_id)).size).toBe(9);
  });
});

describe("environment matrix", () => {
  const row = (json: TfJson) => ({
    cidr: values(json, "aws_vpc")[0].cidr_block,
    azs: new Set(values(json, "aws_subnet").map((s) => s.availability_zone)).size,
    nats: values(json, "aws_nat_gateway").length,
    eips: values(json, "aws_eip").length,
    interfaceEndpoints: values(json, "aws_vpc_endpoint").filter((e) => e.vpc_endpoint_type === "Interface").length,
    flowLogDays: values(json, "aws_cloudwatch_log_group")[0].retention_in_days,
  });

  test.each([
    ["dev", dev, { cidr: "10.10.0.0/16", azs: 2, nats: 1, eips: 1, interfaceEndpoints: 0, flowLogDays: 30 }],
    ["staging", staging, { cidr: "10.20.0.0/16", azs: 2, nats: 1, eips: 1, interfaceEndpoints: 0, flowLogDays: 90 }],
    ["prod", prod, { cidr: "10.30.0.0/16", azs: 3, nats: 3, eips: 3, interfaceEndpoints: 8, flowLogDays: 365 }],
  ])("%s", (_, json, expected) => {
    expect(row(json)).toEqual(expected);
  });

  test("a single NAT serves every private route table; one-per-az keeps each AZ on its own NAT", () => {
    const natOf = (json: TfJson) =>
      values(json, "aws_route")
        .filter((r) => r.nat_gateway_id)
        .map((r) => r.nat_gateway_id);
    expect(new Set(natOf(dev)).size).toBe(1);
    expect(natOf(dev)).toHaveLength(2);
    expect(new Set(natOf(prod)).size).toBe(3);
    // Each NAT sits in the public subnet of its own AZ.
    const subnetAz = Object.fromEntries(resources(prod, "aws_subnet").map(([n, s]) => [n, s.availability_zone]));
    const natAzs = values(prod, "aws_nat_gateway").map((n) => subnetAz[/aws_subnet\.([^.]+)\.id/.exec(n.subnet_id)![1]]);
    expect(natAzs.sort()).toEqual(["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"]);
  });
});

describe("flow logs and endpoints", () => {
  test("flow-log role: trusted by vpc-flow-logs for this account's flow logs only, writes only to its own log group", () => {
    const trust = trustOf(dev, "markmail-dev-flow-logs");
    expect(trust.principals).toEqual([{ type: "Service", identifiers: ["vpc-flow-logs.amazonaws.com"] }]);
    expect(trust.condition).toEqual([
      { test: "StringEquals", variable: "aws:SourceAccount", values: [expect.stringMatching(/^\$\{data\.aws_caller_identity\./)] },
      { test: "ArnLike", variable: "aws:SourceArn", values: [expect.stringMatching(ownArn("ec2", "ap-northeast-1", "vpc-flow-log/*"))] },
    ]);
    const [policy] = values(dev, "aws_iam_role_policy");
    const doc = /data\.aws_iam_policy_document\.([^.]+)\.json/.exec(policy.policy)![1];
    const write = dev.data!.aws_iam_policy_document[doc].statement[0];
    expect(write.actions).toEqual(["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]);
    expect(write.resources).toEqual([expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.[^.]+\.arn\}:\*$/)]);
    expect(values(dev, "aws_flow_log")[0].iam_role_arn).toMatch(/^\$\{aws_iam_role\./);
  });

  test("the flow-log key lets CloudWatch Logs use it for this account's log groups only, rotation on", () => {
    const [key] = values(dev, "aws_kms_key");
    expect(key.enable_key_rotation).toBe(true);
    const doc = /data\.aws_iam_policy_document\.([^.]+)\.json/.exec(key.policy)![1];
    const logs = dev.data!.aws_iam_policy_document[doc].statement.find((s: any) => s.sid === "CloudWatchLogsUseKey");
    expect(logs.principals[0].identifiers).toEqual(["logs.ap-northeast-1.amazonaws.com"]);
    expect(logs.condition[0].variable).toBe("kms:EncryptionContext:aws:logs:arn");
  });

  test("the S3 gateway endpoint is on the private and isolated route tables (image layers without NAT)", () => {
    const [s3] = values(prod, "aws_vpc_endpoint").filter((e) => e.vpc_endpoint_type === "Gateway");
    const names = s3.route_table_ids.map(
      (id: string) => prod.resource!.aws_route_table[/aws_route_table\.([^.]+)\.id/.exec(id)![1]].tags.Name,
    );
    expect(names.sort()).toEqual([
      "markmail-prod-isolated",
      "markmail-prod-private-a",
      "markmail-prod-private-c",
      "markmail-prod-private-d",
    ]);
  });

  test("interface endpoints: private subnets, their own SG taking HTTPS from the VPC CIDR only", () => {
    const eps = values(prod, "aws_vpc_endpoint").filter((e) => e.vpc_endpoint_type === "Interface");
    const sgRef = eps[0].security_group_ids[0];
    for (const e of eps) {
      expect(e.security_group_ids).toEqual([sgRef]);
      expect(e.subnet_ids).toHaveLength(3);
    }
    const sgName = /aws_security_group\.([^.]+)\.id/.exec(sgRef)![1];
    expect(prod.resource!.aws_security_group[sgName].name).toBe("markmail-prod-endpoints");
    const rules = values(prod, "aws_vpc_security_group_ingress_rule").filter((r) => r.security_group_id === sgRef);
    expect(rules).toEqual([expect.objectContaining({ from_port: 443, to_port: 443, ip_protocol: "tcp", cidr_ipv4: "10.30.0.0/16" })]);
    expect(values(dev, "aws_security_group").map((g) => g.name)).not.toContain("markmail-dev-endpoints");
  });

  test("flow logs of all traffic to a KMS-encrypted log group with per-env retention, own role", () => {
    expect(values(dev, "aws_flow_log")).toEqual([
      expect.objectContaining({ traffic_type: "ALL", log_destination_type: "cloud-watch-logs" }),
    ]);
    const [devLogs] = values(dev, "aws_cloudwatch_log_group");
    const [prodLogs] = values(prod, "aws_cloudwatch_log_group");
    expect(devLogs).toMatchObject({ name: "/vpc/markmail-dev/flow-logs", retention_in_days: 30 });
    expect(prodLogs.retention_in_days).toBe(365);
    expect(devLogs.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
    expect(values(dev, "aws_iam_role")[0].name).toBe("markmail-dev-flow-logs");
  });

  test("S3 gateway endpoint always; interface endpoints only where enabled (prod)", () => {
    const kinds = (json: TfJson) =>
      values(json, "aws_vpc_endpoint").map((e) => `${e.vpc_endpoint_type}:${e.service_name.split(".").slice(3).join(".")}`);
    expect(kinds(dev)).toEqual(["Gateway:s3"]);
    expect(kinds(prod)).toEqual(
      expect.arrayContaining([
        "Gateway:s3",
        "Interface:secretsmanager",
        "Interface:ecr.api",
        "Interface:ecr.dkr",
        "Interface:logs",
        "Interface:ssm",
        "Interface:ssmmessages",
        "Interface:ec2messages",
        "Interface:ec2",
      ]),
    );
    for (const e of values(prod, "aws_vpc_endpoint").filter((e) => e.vpc_endpoint_type === "Interface"))
      expect(e.private_dns_enabled).toBe(true);
  });
});

describe("security groups", () => {
  const ingress = values(prod, "aws_vpc_security_group_ingress_rule");
  const egress = values(prod, "aws_vpc_security_group_egress_rule");
  const sgName = (ref: string) => {
    const name = /aws_security_group\.([^.]+)\.id/.exec(ref)![1];
    return prod.resource!.aws_security_group[name].name;
  };

  test("every group and rule has a description (CKV_AWS_23)", () => {
    for (const sg of values(prod, "aws_security_group")) expect(sg.description.length).toBeGreaterThan(10);
    for (const r of [...ingress, ...egress]) expect(r.description.length).toBeGreaterThan(10);
  });

  test("nothing in the network stack is open to the world: the ALB group's 80/443 live in the alb stack, next to its aws_lb (MM-011)", () => {
    for (const json of [dev, staging, prod]) {
      const world = values(json, "aws_vpc_security_group_ingress_rule").filter(
        (r) => r.cidr_ipv4 !== undefined && !/^10\./.test(r.cidr_ipv4),
      );
      expect(world).toEqual([]);
      expect(values(json, "aws_vpc_security_group_ingress_rule").some((r) => r.cidr_ipv6 !== undefined)).toBe(false);
    }
    // the group itself stays here: its egress and the ECS group's ingress reference it
    expect(values(prod, "aws_security_group").map((g) => g.name)).toContain("markmail-prod-alb");
  });

  test("database from ECS and bastion only; cache from ECS only; ECS from the ALB only; bastion has no inbound", () => {
    const sources = (group: string) =>
      ingress
        .filter((r) => sgName(r.security_group_id) === group)
        .map((r) => [r.from_port, r.referenced_security_group_id ? sgName(r.referenced_security_group_id) : r.cidr_ipv4]);
    expect(sources("markmail-prod-database").sort()).toEqual([
      [5432, "markmail-prod-bastion"],
      [5432, "markmail-prod-ecs"],
    ]);
    expect(sources("markmail-prod-cache")).toEqual([[6379, "markmail-prod-ecs"]]);
    expect(sources("markmail-prod-ecs")).toEqual([[8080, "markmail-prod-alb"]]);
    expect(sources("markmail-prod-frontend")).toEqual([[8080, "markmail-prod-alb"]]);
    expect(sources("markmail-prod-bastion")).toEqual([]);
  });

  test("egress per group: ALB to the two task groups on 8080; backend to HTTPS, Aurora, Redis; frontend to HTTPS only; bastion to Aurora and HTTPS; data tiers none", () => {
    const targets = (group: string) =>
      egress
        .filter((r) => sgName(r.security_group_id) === group)
        .map((r) => `${r.from_port}:${r.referenced_security_group_id ? sgName(r.referenced_security_group_id) : r.cidr_ipv4}`)
        .sort();
    expect(targets("markmail-prod-alb")).toEqual(["8080:markmail-prod-ecs", "8080:markmail-prod-frontend"]);
    // Least privilege: the frontend has no path to the data stores.
    expect(targets("markmail-prod-frontend")).toEqual(["443:0.0.0.0/0"]);
    expect(targets("markmail-prod-ecs")).toEqual(["443:0.0.0.0/0", "5432:markmail-prod-database", "6379:markmail-prod-cache"]);
    expect(targets("markmail-prod-bastion")).toEqual(["443:0.0.0.0/0", "5432:markmail-prod-database"]);
    expect(targets("markmail-prod-cache")).toEqual([]);
  });

  test("egress is scoped to single ports; no all-ports egress (CKV_AWS_382)", () => {
    for (const r of egress) {
      expect(r.ip_protocol).toBe("tcp");
      expect(r.from_port).toBe(r.to_port);
    }
    expect(egress.filter((r) => sgName(r.security_group_id) === "markmail-prod-database")).toEqual([]);
  });

  test("guardrails: world-open database, world-open ALB port, bastion inbound are refused", () => {
    const sgs = new SecurityGroups(regionalStack("t"), "x", {
      namePrefix: "markmail-dev",
      vpcId: "vpc-1",
      ports: { app: 8080, db: 5432, redis: 6379 },
    });
    expect(() => sgs.ingress("database", 5432, { cidr: "0.0.0.0/0" }, "bad")).toThrow(/only the ALB may be reachable from the internet/);
    expect(() => sgs.ingress("alb", 22, { cidr: "0.0.0.0/0" }, "bad")).toThrow(/port 22 open to 0\.0\.0\.0\/0/);
    expect(() => sgs.ingress("alb", 443, { cidr: "0.0.0.0/0" }, "bad")).toThrow(/its rules live in the alb stack/);
    expect(() => sgs.ingress("ecs", 8080, { cidr: "::/0" }, "bad")).toThrow(/only the ALB/);
    expect(() => sgs.ingress("bastion", 22, { group: "ecs" }, "bad")).toThrow(/no inbound rule is allowed/);
  });
});

test("outputs: subnet ids per tier, SG ids and subnet groups for the later layers, by name and not sensitive", () => {
  const config = configFor("dev");
  const stack = new NetworkStack(Testing.app(), { config, env: config.environments[0] });
  const json = synthJson(stack);
  const out = json.output!;
  expect(out.isolated_subnet_ids.value).toEqual(["${aws_subnet.vpc_isolated_0.id}", "${aws_subnet.vpc_isolated_1.id}"]);
  for (const sg of ["alb", "bastion", "cache", "database", "ecs"])
    expect(out[`${sg}_security_group_id`].value).toMatch(/^\$\{aws_security_group\.sg_/);
  expect(Object.values(out).some((o: any) => o.sensitive)).toBe(false);
  expect(values(json, "aws_db_subnet_group")[0]).toMatchObject({ name: "markmail-dev-db" });
  expect(values(json, "aws_elasticache_subnet_group")[0]).toMatchObject({ name: "markmail-dev-cache" });
});

describe("default network ACL (MM-054: no internet to SSH/RDP)", () => {
  type Entry = {
    protocol: string;
    rule_no: number;
    action: string;
    cidr_block?: string;
    ipv6_cidr_block?: string;
    from_port?: number;
    to_port?: number;
  };
  /** The gate's test: an allow entry from outside the VPC ranges whose protocol/ports cover 22 or 3389. */
  const admitsAdmin = (e: Entry) =>
    e.action === "allow" &&
    !/^10\./.test(e.cidr_block ?? e.ipv6_cidr_block ?? "") &&
    (["-1", "all"].includes(String(e.protocol)) ||
      (["tcp", "6"].includes(String(e.protocol)) && [22, 3389].some((p) => (e.from_port ?? 0) <= p && p <= (e.to_port ?? 65535))));
  const ingressOf = (json: TfJson): Entry[] => values(json, "aws_default_network_acl")[0].ingress;

  test("no allow entry admits the internet to 22 or 3389; explicit denies for both come first", () => {
    for (const json of [dev, prod]) {
      const entries = ingressOf(json);
      expect(entries.filter(admitsAdmin)).toEqual([]);
      const denies = entries.filter((e) => e.action === "deny");
      expect(denies.map((e) => [e.protocol, e.from_port, e.to_port, e.cidr_block])).toEqual([
        ["tcp", 22, 22, "0.0.0.0/0"],
        ["tcp", 3389, 3389, "0.0.0.0/0"],
      ]);
      const firstAllow = Math.min(...entries.filter((e) => e.action === "allow").map((e) => e.rule_no));
      for (const d of denies) expect(d.rule_no).toBeLessThan(firstAllow);
    }
    // the bad case: AWS's default "allow everything from 0.0.0.0/0" (the old rule 100)
    expect(admitsAdmin({ protocol: "-1", rule_no: 100, action: "allow", cidr_block: "0.0.0.0/0", from_port: 0, to_port: 0 })).toBe(true);
    expect(admitsAdmin({ protocol: "tcp", rule_no: 100, action: "allow", cidr_block: "0.0.0.0/0", from_port: 1024, to_port: 65535 })).toBe(
      true,
    );
  });

  test("everything else still passes: all other TCP ports, UDP and ICMP from anywhere, every protocol inside the VPC; egress unchanged", () => {
    const allows = ingressOf(prod).filter((e) => e.action === "allow");
    const tcp = allows.filter((e) => e.protocol === "tcp" && e.cidr_block === "0.0.0.0/0").map((e) => [e.from_port, e.to_port]);
    expect(tcp).toEqual([
      [0, 21],
      [23, 3388],
      [3390, 65535],
    ]);
    expect(allows.map((e) => `${e.protocol}:${e.cidr_block}`)).toEqual(
      expect.arrayContaining(["udp:0.0.0.0/0", "icmp:0.0.0.0/0", "-1:10.30.0.0/16"]),
    );
    expect(values(prod, "aws_default_network_acl")[0].egress).toEqual([
      expect.objectContaining({ protocol: "-1", action: "allow", cidr_block: "0.0.0.0/0" }),
    ]);
  });
});

describe("endpoint policies (MM-046) and the EC2 API endpoint (MM-053)", () => {
  const docOf = (json: TfJson, ref: string) =>
    json.data!.aws_iam_policy_document[/data\.aws_iam_policy_document\.([^.]+)\.json/.exec(ref)![1]] as any;
  const ownAccount = (v: string) => /^\$\{data\.aws_caller_identity\.[^}]+\.account_id\}$/.test(v);
  const globRe = (g: string) => new RegExp(`^${g.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
  const awsOwned = (arn: string) =>
    POLICY_DATA.iam.aws_owned_resources.some((o) => globRe(o.pattern).test(arn.replace(/^arn:\$\{[^}]*\}:/, "arn:aws:")));
  /** The gate's test: an account condition with this account's id, or resources all AWS-owned (policies/data/iam). */
  const bounded = (s: any) =>
    (s.condition ?? []).some(
      (c: any) =>
        ["aws:PrincipalAccount", "aws:ResourceAccount"].includes(c.variable) &&
        c.test === "StringEquals" &&
        c.values.length > 0 &&
        c.values.every(ownAccount),
    ) ||
    (s.resources?.length > 0 && s.resources.every((r: string) => r !== "*" && awsOwned(r)));

  test("every endpoint has a policy whose every Allow statement is bounded to this account or the AWS-owned buckets", () => {
    for (const json of [dev, prod]) {
      const endpoints = values(json, "aws_vpc_endpoint");
      expect(endpoints.length).toBeGreaterThan(0);
      for (const e of endpoints) {
        const statements = docOf(json, e.policy).statement;
        expect(statements.length).toBeGreaterThan(0);
        for (const s of statements) expect([e.service_name, s.sid, bounded(s)]).toEqual([e.service_name, s.sid, true]);
      }
    }
    // the bad cases: Principal * without a condition, a foreign bucket, a foreign account id
    expect(bounded({ principals: [{ type: "*", identifiers: ["*"] }], actions: ["*"], resources: ["*"] })).toBe(false);
    expect(bounded({ actions: ["s3:PutObject"], resources: ["arn:aws:s3:::someone-elses-bucket/*"] })).toBe(false);
    expect(
      bounded({ resources: ["*"], condition: [{ test: "StringEquals", variable: "aws:PrincipalAccount", values: ["111122223333"] }] }),
    ).toBe(false);
  });

  test("S3: this account's buckets (aws:ResourceAccount) plus read-only the AWS-owned buckets the gate lists, built for the region", () => {
    const [s3] = values(prod, "aws_vpc_endpoint").filter((e) => e.vpc_endpoint_type === "Gateway");
    const [own, owned] = docOf(prod, s3.policy).statement;
    expect(own.condition).toEqual([expect.objectContaining({ test: "StringEquals", variable: "aws:ResourceAccount" })]);
    expect(own.actions).toEqual(["s3:*"]);
    expect(owned.actions).toEqual(["s3:GetObject"]);
    expect(owned.resources).toContain("arn:${data.aws_partition.account.partition}:s3:::prod-ap-northeast-1-starport-layer-bucket/*");
    const asAws = owned.resources.map((r: string) => r.replace(/^arn:\$\{[^}]*\}:/, "arn:aws:")).sort();
    expect(asAws).toEqual(POLICY_DATA.iam.aws_owned_resources.map((o) => o.pattern).sort());
    expect(AWS_OWNED_BUCKETS.map((b) => b.replace("{region}", "us-east-1"))).toContain("prod-us-east-1-starport-layer-bucket");
  });

  test("interface endpoints: callers of this account only (aws:PrincipalAccount; AWS-owned SSM documents stay usable)", () => {
    for (const e of values(prod, "aws_vpc_endpoint").filter((x) => x.vpc_endpoint_type === "Interface")) {
      const [s] = docOf(prod, e.policy).statement;
      expect(s.condition).toEqual([expect.objectContaining({ test: "StringEquals", variable: "aws:PrincipalAccount" })]);
      expect(s.condition[0].variable).not.toBe("aws:ResourceAccount");
      // only the endpoint's own service (ecr.api and ecr.dkr: ecr:*), never Action "*" (CKV_AWS_1, CKV_AWS_49)
      expect(s.actions).toEqual([`${e.service_name.split(".")[3]}:*`]);
    }
  });

  test("prod has the com.amazonaws.<region>.ec2 interface endpoint with the others; dev/staging have no interface endpoints (excepted, cost)", () => {
    const ec2 = values(prod, "aws_vpc_endpoint").filter((e) => e.service_name === "com.amazonaws.ap-northeast-1.ec2");
    expect(ec2).toEqual([expect.objectContaining({ vpc_endpoint_type: "Interface", private_dns_enabled: true })]);
    expect(INTERFACE_ENDPOINT_SERVICES).toContain("ec2");
    for (const json of [dev, staging]) expect(values(json, "aws_vpc_endpoint").some((e) => /\.ec2$/.test(e.service_name))).toBe(false);
  });
});

import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";

/** `ecs` is the backend's group (the only one that reaches the data stores); `frontend` reaches nothing but AWS APIs. */
export type GroupName = "alb" | "ecs" | "frontend" | "database" | "cache" | "bastion";

const DESCRIPTIONS: Record<GroupName, string> = {
  alb: "Application Load Balancer: HTTP/HTTPS from the internet",
  ecs: "ECS backend tasks: container port from the ALB only",
  frontend: "ECS frontend tasks: container port from the ALB only, no path to the data stores",
  database: "Aurora PostgreSQL: from ECS tasks and the bastion only",
  cache: "ElastiCache Redis: from ECS tasks only",
  bastion: "SSM bastion: no inbound at all",
};

const WORLD = ["0.0.0.0/0", "::/0"];

export interface SecurityGroupsProps {
  readonly namePrefix: string;
  readonly vpcId: string;
  readonly ports: { readonly app: number; readonly db: number; readonly redis: number };
}

export interface Peer {
  readonly group?: GroupName;
  readonly cidr?: string;
}

/**
 * The application's security groups and every rule between them, each with a description.
 * Rules are separate resources; `ingress()` refuses world-open rules (the ALB's internet ingress
 * lives in the alb stack, next to the aws_lb that attaches the group: PublicLoadBalancer) and any
 * inbound rule on the bastion.
 */
export class SecurityGroups extends Construct {
  readonly groups: Record<GroupName, SecurityGroup>;
  private readonly prefix: string;

  constructor(scope: Construct, id: string, props: SecurityGroupsProps) {
    super(scope, id);
    this.prefix = props.namePrefix;
    const make = (name: GroupName) =>
      new SecurityGroup(this, name, {
        name: `${props.namePrefix}-${name}`,
        description: DESCRIPTIONS[name],
        vpcId: props.vpcId,
        tags: { Name: `${props.namePrefix}-${name}` },
        // Terraform removes AWS's default allow-all egress; rules below are the only ones.
        lifecycle: { createBeforeDestroy: true },
      });
    this.groups = {
      alb: make("alb"),
      ecs: make("ecs"),
      frontend: make("frontend"),
      database: make("database"),
      cache: make("cache"),
      bastion: make("bastion"),
    };
    const { app, db, redis } = props.ports;

    this.egress("alb", app, { group: "ecs" }, "To the backend tasks' container port");
    this.egress("alb", app, { group: "frontend" }, "To the frontend tasks' container port");

    this.ingress("frontend", app, { group: "alb" }, "Container port from the ALB");
    this.egress("frontend", 443, { cidr: "0.0.0.0/0" }, "HTTPS to AWS APIs and ECR (image pulls, logs)");

    this.ingress("ecs", app, { group: "alb" }, "Container port from the ALB");
    this.egress("ecs", 443, { cidr: "0.0.0.0/0" }, "HTTPS to AWS APIs, ECR and external APIs (Salesforce, Stripe, AI providers)");
    this.egress("ecs", db, { group: "database" }, "PostgreSQL to Aurora");
    this.egress("ecs", redis, { group: "cache" }, "Redis (TLS) to ElastiCache");

    this.ingress("database", db, { group: "ecs" }, "PostgreSQL from the ECS tasks");
    this.ingress("database", db, { group: "bastion" }, "PostgreSQL from the SSM bastion (port forwarding)");
    this.ingress("cache", redis, { group: "ecs" }, "Redis from the ECS tasks");

    this.egress("bastion", db, { group: "database" }, "PostgreSQL to Aurora");
    this.egress("bastion", 443, { cidr: "0.0.0.0/0" }, "HTTPS to Systems Manager and package repositories");
  }

  /** Adds an inbound rule; throws on world-open ingress and on any bastion ingress. */
  ingress(to: GroupName, port: number, from: Peer, description: string): VpcSecurityGroupIngressRule {
    if (to === "bastion") throw new Error(`${this.prefix}-bastion: no inbound rule is allowed (access is through SSM only)`);
    if (from.cidr !== undefined && WORLD.includes(from.cidr)) {
      throw new Error(
        `${this.prefix}-${to}: port ${port} open to ${from.cidr}; only the ALB may be reachable from the internet, and its rules live in the alb stack (PublicLoadBalancer)`,
      );
    }
    return new VpcSecurityGroupIngressRule(this, `${to}-in-${port}-${from.group ?? "cidr"}`, {
      securityGroupId: this.groups[to].id,
      description,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      ...this.peer(from),
    });
  }

  /** Adds an outbound rule (single TCP port; no all-ports egress anywhere, CKV_AWS_382). */
  egress(from: GroupName, port: number, to: Peer, description: string): VpcSecurityGroupEgressRule {
    return new VpcSecurityGroupEgressRule(this, `${from}-out-${port}-${to.group ?? "cidr"}`, {
      securityGroupId: this.groups[from].id,
      description,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      ...this.peer(to),
    });
  }

  private peer(p: Peer): { referencedSecurityGroupId?: string; cidrIpv4?: string; cidrIpv6?: string } {
    if ((p.group === undefined) === (p.cidr === undefined)) throw new Error("a rule needs exactly one of group or cidr");
    if (p.group !== undefined) return { referencedSecurityGroupId: this.groups[p.group].id };
    const cidr = p.cidr ?? "";
    return cidr.includes(":") ? { cidrIpv6: cidr } : { cidrIpv4: cidr };
  }

  id(name: GroupName): string {
    return this.groups[name].id;
  }
}

import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { AccountContext } from "./account";
import { NAME_LIMITS } from "./naming";
import { isUnscopableAction } from "./policy-data";

/** Actions that may be granted on `*`: policies/data/iam/data.json (`unscopable_actions`, with reasons), shared with the OPA gate. */
export { UNSCOPABLE_ACTIONS } from "./policy-data";

export interface ServiceRoleProps {
  /** Role name, `markmail-<env>-<purpose>`. */
  readonly name: string;
  readonly description: string;
  /** The service principal that assumes the role, e.g. codebuild.amazonaws.com. */
  readonly service: string;
  readonly region: string;
  /** The inline policy; `*` resources only for UNSCOPABLE_ACTIONS or with a condition. */
  readonly statements: DataAwsIamPolicyDocumentStatement[];
  /** Name of the inline policy. @default "least-privilege" */
  readonly policyName?: string;
}

/**
 * An IAM role for one AWS service acting for this account only (`aws:SourceAccount` in the trust
 * policy), with one inline least-privilege policy. Throws when a statement grants a scopable
 * action on `*` without a condition.
 */
export class ServiceRole extends Construct {
  readonly role: IamRole;
  readonly arn: string;
  readonly name: string;
  /** The inline policy; depend on it when a resource needs the permissions at creation. */
  readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    if (props.name.length > NAME_LIMITS.iamRole) throw new Error(`role ${props.name}: longer than ${NAME_LIMITS.iamRole} characters`);
    assertLeastPrivilege(props.name, props.statements);
    const account = AccountContext.of(this, props.region);
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          effect: "Allow",
          principals: [{ type: "Service", identifiers: [props.service] }],
          actions: ["sts:AssumeRole"],
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [account.accountId] }],
        },
      ],
    });
    this.role = new IamRole(this, "role", {
      name: props.name,
      description: props.description,
      assumeRolePolicy: trust.json,
    });
    const policy = new DataAwsIamPolicyDocument(this, "policy", { statement: props.statements });
    this.policy = new IamRolePolicy(this, "inline", { role: this.role.id, name: props.policyName ?? "least-privilege", policy: policy.json });
    this.arn = this.role.arn;
    this.name = props.name;
  }
}

/** Throws on `*` actions, service-wide wildcards (`s3:*`) and unconditioned `*` resources for scopable actions. */
export function assertLeastPrivilege(role: string, statements: DataAwsIamPolicyDocumentStatement[]): void {
  for (const s of statements) {
    if (s.effect === "Deny") continue;
    for (const a of s.actions ?? []) {
      if (a === "*" || /^[a-z0-9-]+:\*$/.test(a)) throw new Error(`role ${role}: action "${a}" is a wildcard; name the actions`);
    }
    const star = (s.resources ?? []).includes("*");
    const unscopable = (s.actions ?? []).every((a) => isUnscopableAction(a));
    const conditions = Array.isArray(s.condition) ? s.condition : [];
    if (star && !unscopable && conditions.length === 0) {
      throw new Error(`role ${role}: ${(s.actions ?? []).join(", ")} on "*" without a condition; scope the resources`);
    }
  }
}

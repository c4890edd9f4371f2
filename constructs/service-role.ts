import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { AccountContext, regionOf } from "./account";
import { NAME_LIMITS } from "./naming";
import { isUnscopableAction, isWildcardAction, servicePrincipalConditions } from "./policy-data";

/** Actions that may be granted on `*`: policies/data/iam/data.json (`unscopable_actions`, with reasons), shared with the OPA gate. */
export { UNSCOPABLE_ACTIONS } from "./policy-data";

export interface ServiceRoleProps {
  /** Role name, `markmail-<env>-<purpose>`. */
  readonly name: string;
  readonly description: string;
  /** The service principal that assumes the role, e.g. codebuild.amazonaws.com. */
  readonly service: string;
  /**
   * ARN patterns of the resources the service assumes the role for (ArnLike `aws:SourceArn`), built
   * from names, never from the resource's own attribute (that would be a cycle). Required for a
   * service that sets aws:SourceArn (policies/data/iam service_principals).
   */
  readonly sourceArns?: string[];
  /** The inline policy; `*` resources only for UNSCOPABLE_ACTIONS or with a condition. */
  readonly statements: DataAwsIamPolicyDocumentStatement[];
  /** Name of the inline policy. @default "least-privilege" */
  readonly policyName?: string;
}

/**
 * An IAM role for one AWS service acting for this account only (`aws:SourceAccount` and
 * `aws:SourceArn` in the trust policy, serviceTrustStatement), with one inline least-privilege policy. Throws when a statement grants a scopable
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
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        serviceTrustStatement(this, {
          service: props.service,
          region: regionOf(this),
          sourceArns: props.sourceArns,
          owner: `role ${props.name}`,
        }),
      ],
    });
    this.role = new IamRole(this, "role", {
      name: props.name,
      description: props.description,
      assumeRolePolicy: trust.json,
    });
    const policy = new DataAwsIamPolicyDocument(this, "policy", { statement: props.statements });
    this.policy = new IamRolePolicy(this, "inline", {
      role: this.role.id,
      name: props.policyName ?? "least-privilege",
      policy: policy.json,
    });
    this.arn = this.role.arn;
    this.name = props.name;
  }
}

/**
 * The trust statement for an AWS service acting for this account: `aws:SourceAccount` and ArnLike
 * `aws:SourceArn` as policies/data/iam service_principals says the service sets them (MM-043).
 * Throws when the service sets aws:SourceArn and no ARN pattern (in this account) is given.
 */
export function serviceTrustStatement(
  scope: Construct,
  props: { readonly service: string; readonly region: string; readonly sourceArns?: string[]; readonly owner: string },
): DataAwsIamPolicyDocumentStatement {
  const account = AccountContext.of(scope);
  const sets = servicePrincipalConditions(props.service);
  const arns = props.sourceArns ?? [];
  if (sets.sourceArn && arns.length === 0)
    throw new Error(`${props.owner}: ${props.service} sets aws:SourceArn; name the resources it acts for (sourceArns)`);
  if (!sets.sourceArn && arns.length > 0)
    throw new Error(`${props.owner}: ${props.service} sets no aws:SourceArn; a condition on it would lock the service out`);
  for (const a of arns) {
    if (!a.includes(account.accountId))
      throw new Error(`${props.owner}: source ARN ${a} is not in this account (build it with AccountContext.arn)`);
  }
  return {
    effect: "Allow",
    principals: [{ type: "Service", identifiers: [props.service] }],
    actions: ["sts:AssumeRole"],
    condition: [
      ...(sets.sourceAccount ? [{ test: "StringEquals", variable: "aws:SourceAccount", values: [account.accountId] }] : []),
      ...(arns.length > 0 ? [{ test: "ArnLike", variable: "aws:SourceArn", values: arns }] : []),
    ],
  };
}

/** Throws on any wildcard in an action (`*`, `s3:*`, `kms:GenerateDataKey*`) and unconditioned `*` resources for scopable actions. */
export function assertLeastPrivilege(role: string, statements: DataAwsIamPolicyDocumentStatement[]): void {
  for (const s of statements) {
    if (s.effect === "Deny") continue;
    for (const a of s.actions ?? []) {
      if (isWildcardAction(a)) throw new Error(`role ${role}: action "${a}" is a wildcard; name the actions`);
    }
    const star = (s.resources ?? []).includes("*");
    const unscopable = (s.actions ?? []).every((a) => isUnscopableAction(a));
    const conditions = Array.isArray(s.condition) ? s.condition : [];
    if (star && !unscopable && conditions.length === 0) {
      throw new Error(`role ${role}: ${(s.actions ?? []).join(", ")} on "*" without a condition; scope the resources`);
    }
  }
}

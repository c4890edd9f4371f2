import { TerraformStack, Testing } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { PreventDestroy } from "../constructs/prevent-destroy";
import { STATEFUL_TYPES } from "../constructs/stateful";
import protection from "../policies/data/protection/data.json";
import { FULL, synthApp, type TfJson } from "./helpers/synth";

function stateful(json: TfJson): [string, any][] {
  return STATEFUL_TYPES.flatMap((type) =>
    Object.entries(json.resource?.[type] ?? {}).map(([name, r]) => [`${type}.${name}`, r] as [string, any]),
  );
}

describe("staging and prod: every stateful resource refuses a destroy (lifecycle.prevent_destroy)", () => {
  // Every layer and optional resource (bastion, created zones, TLS, SES).
  const stacks = [...synthApp(FULL)].map(([id, json]) => ({ id, json }));

  test("one list: the policy gate's protection data is the type list the constructs protect and the address guard pins", () => {
    expect(STATEFUL_TYPES).toEqual(protection.stateful_types.map((t) => t.type));
    expect(STATEFUL_TYPES).toEqual(
      expect.arrayContaining([
        "aws_rds_cluster",
        "aws_rds_cluster_instance",
        "aws_kms_key",
        "aws_s3_bucket",
        "aws_secretsmanager_secret",
        "aws_backup_vault",
      ]),
    );
  });

  test.each(["staging", "prod"])("%s: all of them, in every layer but the temporary bastion", (env) => {
    const prod = stacks.filter((s) => s.id.startsWith(`markmail-${env}-`) && !s.id.endsWith("-bastion"));
    const all = prod.flatMap(({ id, json }) =>
      stateful(json).map(([addr, r]) => ({ at: `${id}: ${addr}`, protect: r.lifecycle?.prevent_destroy })),
    );
    // The prod database layer alone has a cluster, instances, secrets, keys, logs and vaults.
    expect(all.length).toBeGreaterThan(30);
    expect(all.filter((r) => r.protect !== true).map((r) => r.at)).toEqual([]);
  });

  test("the bastion stays destroyable everywhere (scripts/bastion.sh off): its only stateful resource is its volume key; its session logs are the database layer's", () => {
    const bastions = stacks.filter((s) => s.id.endsWith("-bastion"));
    expect(bastions.map((b) => stateful(b.json).map(([a, r]) => [a, r.lifecycle?.prevent_destroy ?? false]))).toEqual([
      [["aws_kms_key.bastion", false]],
      [["aws_kms_key.bastion", false]],
      [["aws_kms_key.bastion", false]],
    ]);
    const db = stacks.find((s) => s.id === "markmail-prod-database")!.json;
    const [, sessions] = Object.entries<any>(db.resource!.aws_cloudwatch_log_group).find(
      ([, g]) => g.name === "/ssm/markmail-prod-bastion-sessions",
    )!;
    expect(sessions.lifecycle).toEqual({ prevent_destroy: true });
  });

  test("dev stays destroyable (npm run deploy -- dev --destroy)", () => {
    const others = stacks.filter((s) => s.id.startsWith("markmail-dev-"));
    const protectedOnes = others.flatMap(({ id, json }) =>
      stateful(json)
        .filter(([, r]) => r.lifecycle?.prevent_destroy)
        .map(([a]) => `${id}: ${a}`),
    );
    expect(protectedOnes).toEqual([]);
  });

  test("lifecycle settings a construct already has are kept (the image-tag parameter's ignore_changes)", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "t");
    new CloudwatchLogGroup(stack, "logs", { name: "l", lifecycle: { ignoreChanges: ["tags"] } });
    new SsmParameter(stack, "tag", { name: "p", type: "String", value: "v", lifecycle: { ignoreChanges: ["value"] } });
    PreventDestroy.applyTo(stack);
    const json = JSON.parse(Testing.synth(stack));
    expect(json.resource.aws_cloudwatch_log_group.logs.lifecycle).toEqual({ ignore_changes: ["tags"], prevent_destroy: true });
    // Not a stateful type: untouched.
    expect(json.resource.aws_ssm_parameter.tag.lifecycle).toEqual({ ignore_changes: ["value"] });
  });
});

import { Testing } from "cdktf";
// The HCL parser cdktf-cli itself uses (Go's hashicorp/hcl compiled to wasm): offline, no terraform binary.
import { parse } from "@cdktf/hcl2json";
import { unquoteReferenceLists } from "../constructs/hcl-form";
import { jsonAttribute } from "../constructs/json-attribute";
import { buildFreshApp, configFrom } from "./helpers/synth";

// `cdktf synth --hcl` writes main.tf instead of cdk.tf.json: a reviewer's or a converter's input.
// Every stack must be HCL that Terraform's own parser accepts, in both variants.
// dev without a domain (plain HTTP, rolling) and prod with one (TLS, blue/green, zone, SES) between
// them hold every resource shape the app writes.
const VARIANTS: [string, string, Record<string, string>][] = [
  ["dev without domains", "markmail-dev-", { CREATE_BASTION: "true" }],
  [
    "prod with domains",
    "markmail-prod-",
    { CREATE_BASTION: "true", PROD_DOMAIN: "markmail.example.com", HOSTED_ZONE_MODE: "create", NOTIFICATION_EMAIL: "ops@example.com" },
  ],
];

describe.each(VARIANTS)("cdktf synth --hcl, %s", (_name, prefix, vars) => {
  // Only that environment's stacks are built.
  const stacks = [...buildFreshApp(configFrom({ ...vars, CDK_CONTEXT_ENVIRONMENT: prefix.split("-")[1] })).entries()];

  test.each(stacks.map(([id, stack]) => [id, stack] as const))(
    "%s parses as HCL, with what Terraform's validate needs",
    async (id, stack) => {
      const hcl = Testing.synthHcl(stack, false, false);
      const parsed = await parse(`${id}.tf`, hcl);
      const json = JSON.parse(Testing.synth(stack));
      // Bare references in the lists that take only references (hcl2json reads a bare one as "${...}").
      for (const [address, list] of referenceLists(parsed)) {
        expect({ address, list }).toEqual({ address, list: list.map(() => expect.stringMatching(/^\$\{[a-z][\w.-]*\}$/)) });
      }
      // The ephemeral blocks the JSON has (cdktf drops stack overrides from HCL).
      expect(Object.keys(parsed.ephemeral?.aws_secretsmanager_random_password ?? {}).sort()).toEqual(
        Object.keys(json.ephemeral?.aws_secretsmanager_random_password ?? {}).sort(),
      );
      // Untyped WAF statements as nested blocks, with the JSON's content.
      for (const [name, acl] of Object.entries<any>(json.resource?.aws_wafv2_web_acl ?? {})) {
        const rules = parsed.resource.aws_wafv2_web_acl[name][0].rule;
        expect(rules.map((r: any) => r.statement)).toEqual(acl.rule.map((r: any) => asBlocks(r.statement)));
      }
    },
  );
});

/** Every depends_on / ignore_changes / replace_triggered_by list of the parsed HCL, by address. */
function referenceLists(parsed: any): [string, unknown[]][] {
  const found: [string, unknown[]][] = [];
  for (const [kind, byType] of Object.entries<any>({ resource: parsed.resource, data: parsed.data })) {
    for (const [type, byName] of Object.entries<any>(byType ?? {})) {
      for (const [name, [body]] of Object.entries<any>(byName)) {
        const lists = [body.depends_on, ...(body.lifecycle ?? []).flatMap((l: any) => [l.ignore_changes, l.replace_triggered_by])];
        for (const list of lists) if (list !== undefined) found.push([`${kind}.${type}.${name}`, list]);
      }
    }
  }
  return found;
}

/** A JSON object in the shape hcl2json gives a nested block: every object a one-element list. */
function asBlocks(value: unknown): unknown {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  const body = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, asBlocks(v)]));
  if (isObject(value)) return [body(value)];
  if (Array.isArray(value) && value.every(isObject)) return value.map(body);
  return value;
}

describe("constructs/hcl-form: the HCL renderer's gaps", () => {
  test("quoted references in depends_on, ignore_changes and replace_triggered_by lose their quotes; other lists keep theirs", () => {
    const hcl = [
      "depends_on = [",
      '"aws_s3_bucket.logs",',
      "]",
      "  ignore_changes = [",
      '"tags["x"]",',
      '"desired_count",',
      "]",
      "replace_triggered_by = [",
      '"aws_rds_cluster.aurora.id",',
      "]",
      "subnet_ids = [",
      '"subnet-1",',
      "]",
    ].join("\n");
    expect(unquoteReferenceLists(hcl).split("\n")).toEqual([
      "depends_on = [",
      "aws_s3_bucket.logs,",
      "]",
      "  ignore_changes = [",
      // Not a plain address: left for Terraform to report rather than guessed at.
      '"tags["x"]",',
      '"desired_count",',
      "]",
      "replace_triggered_by = [",
      "aws_rds_cluster.aurora.id,",
      "]",
      "subnet_ids = [",
      '"subnet-1",',
      "]",
    ]);
  });
});

test("upstream reads keep their pre- and postconditions as blocks in HCL (Terraform refuses them as attributes); the JSON is unchanged", () => {
  const [, stack] = [...buildFreshApp(configFrom({ CDK_CONTEXT_ENVIRONMENT: "dev" })).entries()].find(([id]) => id === "markmail-dev-ecs")!;
  const hcl = Testing.synthHcl(stack, false, false);
  expect(hcl).not.toMatch(/(pre|post)condition\s*=/);
  expect(hcl.match(/^\s*postcondition \{$/gm)?.length).toBe(5);
  expect(hcl.match(/^\s*precondition \{$/gm)?.length).toBe(5);
  const json = JSON.parse(Testing.synth(stack));
  expect(json.data.terraform_remote_state.network.lifecycle.postcondition).toHaveLength(1);
});

test("a JSON attribute with a reference renders as a heredoc (a one-line string with quotes and ${} would not parse)", async () => {
  const doc = jsonAttribute({ name: "backend", image: "${aws_ecr_repository.backend.repository_url}:1" });
  expect(JSON.parse(doc)).toEqual({ name: "backend", image: "${aws_ecr_repository.backend.repository_url}:1" });
  expect(doc.split("\n").length).toBeGreaterThan(1);
  // The failure this guards against: the same document on one line, as cdktf renders it.
  const oneLine = `resource "x" "y" {\n  v = "${JSON.stringify({ a: "${b.c}" })}"\n}\n`;
  await expect(parse("one-line.tf", oneLine)).rejects.toBeDefined();
  await expect(parse("heredoc.tf", `resource "x" "y" {\n  v = <<EOF\n${doc}\nEOF\n}\n`)).resolves.toBeDefined();
});

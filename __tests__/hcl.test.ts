import { Testing } from "cdktf";
// The HCL parser cdktf-cli itself uses (Go's hashicorp/hcl compiled to wasm): offline, no terraform binary.
import { parse } from "@cdktf/hcl2json";
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

  test.each(stacks.map(([id, stack]) => [id, stack] as const))("%s parses as HCL", async (id, stack) => {
    const hcl = Testing.synthHcl(stack, false, false);
    await expect(parse(`${id}.tf`, hcl)).resolves.toBeDefined();
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

import { readFileSync } from "node:fs";
import { join } from "node:path";
// The HCL parser cdktf-cli itself uses (Go's hashicorp/hcl compiled to wasm): offline, no terraform binary.
import { parse } from "@cdktf/hcl2json";
import { Testing } from "cdktf";
import { stateKey } from "../constructs/state-backend";
import { BootstrapStack } from "../stacks/bootstrap-stack";
import { NetworkStack } from "../stacks/network-stack";
import { configFrom } from "./helpers/synth";

const FILE = join(__dirname, "..", "backend.tf.example");
const text = readFileSync(FILE, "utf8");

/** The backend block a real layer stack synthesizes for the given inputs. */
function layerBackend(vars: Record<string, string> = {}): any {
  const config = configFrom({ ...vars, CDK_CONTEXT_ENVIRONMENT: "dev" });
  const stack = new NetworkStack(Testing.app(), { config, env: config.environments[0] });
  return JSON.parse(Testing.synth(stack, false)).terraform;
}

/** The commented-out alternative block, uncommented. */
function commentedCloudBlock(): string {
  const lines = text.split("\n");
  const start = lines.indexOf("# terraform {");
  const end = lines.findIndex((l, i) => i > start && l === "# }");
  if (start < 0 || end < 0) throw new Error("no commented `# terraform { ... # }` block in backend.tf.example");
  return lines
    .slice(start, end + 1)
    .map((l) => l.replace(/^# ?/, ""))
    .join("\n");
}

describe("backend.tf.example", () => {
  let hcl: any;
  beforeAll(async () => {
    hcl = await parse("backend.tf.example", text);
  });

  test("parses as HCL: exactly one terraform block with one s3 backend", () => {
    expect(Object.keys(hcl)).toEqual(["terraform"]);
    expect(hcl.terraform).toHaveLength(1);
    expect(Object.keys(hcl.terraform[0].backend)).toEqual(["s3"]);
    expect(hcl.terraform[0].backend.s3).toHaveLength(1);
  });

  test("the parser is a real check: a broken copy is rejected", async () => {
    await expect(parse("broken.tf", text.replace('bucket = "markmail-terraform-state"', "bucket = "))).rejects.toThrow(/broken\.tf/);
    await expect(parse("broken.tf", text.replace(/\n}\n/, "\n"))).rejects.toThrow();
  });

  test("its values are the ones the cdktf app writes into every layer stack; the key is the bootstrap's CMK", () => {
    const s3 = hcl.terraform[0].backend.s3[0];
    const app = layerBackend().backend.s3;
    const bootstrap = JSON.parse(Testing.synth(new BootstrapStack(Testing.app(), { config: configFrom() }), false));
    expect(bootstrap.output.state_key_alias.value).toBe("alias/markmail-terraform-state");
    expect(s3).toEqual({
      bucket: app.bucket,
      key: stateKey("markmail", "dev", "network"),
      region: app.region,
      encrypt: app.encrypt,
      kms_key_id: bootstrap.output.state_key_alias.value,
      dynamodb_table: app.dynamodb_table,
      use_lockfile: app.use_lockfile,
    });
    expect(s3.key).toBe(app.key);
    // The app's backends may not name the key yet; when they do, it must be the same one.
    if (app.kms_key_id !== undefined) expect(app.kms_key_id).toBe(s3.kms_key_id);
  });

  test("it shows both lock mechanisms: the Terraform >= 1.10 lockfile and the DynamoDB table (migration path)", () => {
    const s3 = hcl.terraform[0].backend.s3[0];
    expect(s3.use_lockfile).toBe(true);
    expect(s3.dynamodb_table).toBe("markmail-terraform-locks");
    expect(text).toMatch(/Terraform >= 1\.10/);
    expect(text).toMatch(/Terraform 1\.11\s+(#\s+)?deprecated/);
  });

  test("every argument of the s3 backend is explained by the comment right above it", () => {
    const lines = text.split("\n");
    for (const arg of Object.keys(hcl.terraform[0].backend.s3[0])) {
      const i = lines.findIndex((l) => new RegExp(`^\\s+${arg}\\s+=`).test(l));
      expect(i).toBeGreaterThan(0);
      expect(lines[i - 1]).toMatch(/^\s+#\s+\S/);
    }
  });

  test("the commented cloud {} alternative parses and matches TF_BACKEND=cloud (one workspace per stack)", async () => {
    const cloudHcl: any = await parse("cloud.tf", commentedCloudBlock());
    const cloud = cloudHcl.terraform[0].cloud[0];
    const app = layerBackend({ TF_BACKEND: "cloud", TFC_ORGANIZATION: "your-organization" }).cloud;
    expect(cloud).toEqual({
      hostname: app.hostname,
      organization: app.organization,
      workspaces: [{ name: app.workspaces.name }],
    });
    expect(cloud.workspaces[0].name).toBe("markmail-dev-network");
  });
});

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type App, Testing } from "cdktf";
import type { AppConfig } from "../config";
import { DatabaseStack } from "../stacks/database-stack";
import { NetworkStack } from "../stacks/network-stack";
import { configFrom, synthJson } from "./helpers/synth";

// The real network (producer) and database (consumer) stacks of dev.
function pair(config: AppConfig) {
  const app = Testing.app() as App;
  const env = config.environments[0];
  return { producer: synthJson(new NetworkStack(app, { config, env })), consumer: synthJson(new DatabaseStack(app, { config, env })) };
}

const CLOUD = { CDK_CONTEXT_ENVIRONMENT: "dev", TF_BACKEND: "cloud", TFC_ORGANIZATION: "acme" };

describe("TF_BACKEND=cloud: outputs between layers through HCP Terraform workspaces", () => {
  const { producer, consumer } = pair(configFrom(CLOUD));
  const remote = consumer.data!.terraform_remote_state;

  test("each stack is its own workspace, named like the stack", () => {
    expect(producer.terraform.cloud).toEqual({
      hostname: "app.terraform.io",
      organization: "acme",
      workspaces: { name: "markmail-dev-network" },
    });
    expect(consumer.terraform.cloud.workspaces).toEqual({ name: "markmail-dev-database" });
    expect(producer.terraform.backend).toBeUndefined();
  });

  test("the consumer reads the producer workspace's outputs with terraform_remote_state (backend remote), checked after the read", () => {
    expect(Object.keys(remote)).toEqual(["network"]);
    const { lifecycle, ...reader } = remote.network;
    expect(reader).toEqual({
      backend: "remote",
      config: { hostname: "app.terraform.io", organization: "acme", workspaces: { name: "markmail-dev-network" } },
    });
    // No precondition (the S3 object / local file checks do not apply); the postcondition names the workspace.
    expect(lifecycle.precondition).toBeUndefined();
    expect(lifecycle.postcondition[0].error_message).toContain("npx cdktf deploy markmail-dev-network");
    expect(consumer.data!.aws_s3_objects).toBeUndefined();
  });

  test("the value flows from a named producer output to the consumer's resource", () => {
    expect(producer.output!.db_subnet_group_name.value).toBe("${aws_db_subnet_group.subnet_groups_db.name}");
    expect(producer.output!.db_subnet_group_name.sensitive).toBeUndefined();
    const cluster = Object.values(consumer.resource!.aws_rds_cluster)[0] as any;
    expect(cluster.db_subnet_group_name).toBe("${data.terraform_remote_state.network.outputs.db_subnet_group_name}");
  });

  test("no token or credential is written into the remote-state config", () => {
    expect(JSON.stringify(remote)).not.toMatch(/token/i);
  });

  test("TFC_HOSTNAME (Terraform Enterprise) reaches both the backend and the remote-state reader", () => {
    const tfe = pair(configFrom({ ...CLOUD, TFC_HOSTNAME: "tfe.example.com" }));
    expect(tfe.producer.terraform.cloud.hostname).toBe("tfe.example.com");
    expect(tfe.consumer.data!.terraform_remote_state.network.config.hostname).toBe("tfe.example.com");
  });

  test("TF_BACKEND=cloud without TFC_ORGANIZATION is rejected", () => {
    expect(() => configFrom({ TF_BACKEND: "cloud" })).toThrow(/TFC_ORGANIZATION is not set/);
  });

  test("for comparison, TF_BACKEND=s3 reads the producer's state object in the shared bucket, after checking it exists", () => {
    const s3 = pair(configFrom({ CDK_CONTEXT_ENVIRONMENT: "dev" }));
    const reader = s3.consumer.data!.terraform_remote_state.network;
    expect(reader.backend).toBe("s3");
    expect(reader.config).toEqual({ bucket: "markmail-terraform-state", key: "markmail/dev/network.tfstate", region: "ap-northeast-1" });
    expect(reader.lifecycle.precondition[0]).toEqual({
      condition: '${contains(data.aws_s3_objects.network_state.keys, "markmail/dev/network.tfstate")}',
      error_message:
        "markmail-dev-network is not deployed (no state at s3://markmail-terraform-state/markmail/dev/network.tfstate): deploy it first: npx cdktf deploy markmail-dev-network",
    });
    expect(s3.consumer.data!.aws_s3_objects.network_state).toMatchObject({
      bucket: "markmail-terraform-state",
      prefix: "markmail/dev/network.tfstate",
      max_keys: 1,
    });
  });
});

describe("docs/terraform-cloud.md", () => {
  const doc = readFileSync(join(__dirname, "..", "docs", "terraform-cloud.md"), "utf8");

  test("names the switch, the remote-state mechanism and the sharing setting the consumer needs", () => {
    for (const term of [
      "TF_BACKEND=cloud",
      "TFC_ORGANIZATION",
      "TFC_HOSTNAME",
      "terraform_remote_state",
      "Remote state sharing",
      "tfe_outputs",
    ]) {
      expect(doc).toContain(term);
    }
  });

  test("its example data source is the one the app synthesizes", () => {
    expect(doc).toContain('"network": {');
    expect(doc).toMatch(/"backend":\s*"remote"/);
  });
});

import { readFileSync } from "fs";
import { join } from "path";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { App, Testing } from "cdktf";
import { Construct } from "constructs";
import { AppConfig } from "../config";
import { LayerProps, LayerStack } from "../stacks/base";
import { configFrom, synthJson } from "./helpers/synth";

// Two tiny layer stacks built on the project's real LayerStack (provider + configured backend),
// with one cross-stack value: the way database consumes network's outputs.
class Producer extends LayerStack {
  readonly vpc: Vpc;
  constructor(scope: Construct, props: LayerProps) {
    super(scope, "network", props);
    this.vpc = new Vpc(this, "vpc", { cidrBlock: "10.0.0.0/16" });
  }
}

class Consumer extends LayerStack {
  constructor(scope: Construct, props: LayerProps & { vpcId: string }) {
    super(scope, "database", props);
    new SecurityGroup(this, "sg", { name: this.name("db"), description: "test consumer", vpcId: props.vpcId });
  }
}

function pair(config: AppConfig) {
  const app = Testing.app() as App;
  const env = config.environments[0];
  const producer = new Producer(app, { config, env });
  const consumer = new Consumer(app, { config, env, vpcId: producer.vpc.id });
  // As App.synth does: the preparing resolve adds the output and the remote-state reader.
  for (const stack of [producer, consumer]) stack.prepareStack();
  return { producer: synthJson(producer), consumer: synthJson(consumer) };
}

const CLOUD = { CDK_CONTEXT_ENVIRONMENT: "dev", TF_BACKEND: "cloud", TFC_ORGANIZATION: "acme" };

describe("TF_BACKEND=cloud: cross-stack outputs through HCP Terraform workspaces", () => {
  const { producer, consumer } = pair(configFrom(CLOUD));
  const remote = consumer.data!.terraform_remote_state;

  test("each stack is its own workspace, named like the stack", () => {
    expect(producer.terraform.cloud).toEqual({ hostname: "app.terraform.io", organization: "acme", workspaces: { name: "markmail-dev-network" } });
    expect(consumer.terraform.cloud.workspaces).toEqual({ name: "markmail-dev-database" });
    expect(producer.terraform.backend).toBeUndefined();
  });

  test("the consumer reads the producer workspace's outputs with terraform_remote_state (backend remote)", () => {
    expect(Object.keys(remote)).toEqual(["cross-stack-reference-input-markmail-dev-network"]);
    expect(remote["cross-stack-reference-input-markmail-dev-network"]).toEqual({
      backend: "remote",
      config: { hostname: "app.terraform.io", organization: "acme", workspaces: { name: "markmail-dev-network" } },
    });
  });

  test("the value flows from a producer output to the consumer's resource", () => {
    const [outputName] = Object.keys(producer.output!).filter((k) => k.startsWith("cross-stack-output-"));
    expect(producer.output![outputName].value).toMatch(/^\$\{aws_vpc\.vpc\.id\}$/);
    const sg = Object.values(consumer.resource!.aws_security_group)[0] as any;
    expect(sg.vpc_id).toBe(`\${data.terraform_remote_state.cross-stack-reference-input-markmail-dev-network.outputs.${outputName}}`);
  });

  test("no token or credential is written into the remote-state config", () => {
    expect(JSON.stringify(remote)).not.toMatch(/token/i);
  });

  test("TFC_HOSTNAME (Terraform Enterprise) reaches both the backend and the remote-state reader", () => {
    const tfe = pair(configFrom({ ...CLOUD, TFC_HOSTNAME: "tfe.example.com" }));
    expect(tfe.producer.terraform.cloud.hostname).toBe("tfe.example.com");
    expect(tfe.consumer.data!.terraform_remote_state["cross-stack-reference-input-markmail-dev-network"].config.hostname).toBe("tfe.example.com");
  });

  test("TF_BACKEND=cloud without TFC_ORGANIZATION is rejected", () => {
    expect(() => configFrom({ TF_BACKEND: "cloud" })).toThrow(/TFC_ORGANIZATION is not set/);
  });

  test("for comparison, TF_BACKEND=s3 reads the producer's state object in the shared bucket", () => {
    const s3 = pair(configFrom({ CDK_CONTEXT_ENVIRONMENT: "dev" }));
    const reader = s3.consumer.data!.terraform_remote_state["cross-stack-reference-input-markmail-dev-network"];
    expect(reader.backend).toBe("s3");
    expect(reader.config).toMatchObject({ bucket: "markmail-terraform-state", key: "markmail/dev/network.tfstate", region: "ap-northeast-1" });
  });
});

describe("docs/terraform-cloud.md", () => {
  const doc = readFileSync(join(__dirname, "..", "docs", "terraform-cloud.md"), "utf8");

  test("names the switch, the remote-state mechanism and the sharing setting the consumer needs", () => {
    for (const term of ["TF_BACKEND=cloud", "TFC_ORGANIZATION", "TFC_HOSTNAME", "terraform_remote_state", "Remote state sharing", "tfe_outputs"]) {
      expect(doc).toContain(term);
    }
  });

  test("its example data source is the one cdktf synthesizes", () => {
    expect(doc).toContain("cross-stack-reference-input-markmail-dev-network");
    expect(doc).toMatch(/"backend":\s*"remote"/);
  });
});

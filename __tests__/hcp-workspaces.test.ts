import { type App, Testing } from "cdktf";
import { readGraph } from "../hcp-workspaces";
import { HcpWorkspacesStack } from "../stacks/hcp-workspaces-stack";
import { configFrom, parseRef, synthJson } from "./helpers/synth";

const CLOUD = { TF_BACKEND: "cloud", TFC_ORGANIZATION: "acme", CREATE_BASTION: "true" };

describe("markmail-hcp-workspaces: workspaces and the remote state sharing the layer stacks need (TF_BACKEND=cloud)", () => {
  const config = configFrom(CLOUD);
  const reads = readGraph(config);
  const json = synthJson(new HcpWorkspacesStack(Testing.app() as App, { config, reads }));
  const workspaces = json.resource!.tfe_workspace;
  const settings = Object.values<any>(json.resource!.tfe_workspace_settings);
  const nameOf = (ref: string) => workspaces[parseRef(ref)!.name].name as string;

  test("one workspace per layer stack, named like the stack, in the configured organization", () => {
    expect(
      Object.values<any>(workspaces)
        .map((w) => w.name)
        .sort(),
    ).toEqual([...reads.keys()].sort());
    expect(Object.keys(workspaces)).toHaveLength(27);
    for (const w of Object.values<any>(workspaces)) expect(w.organization).toBe("acme");
    expect(json.terraform.required_providers.tfe.source).toBe("hashicorp/tfe");
    expect(json.terraform.cloud.workspaces).toEqual({ name: "markmail-hcp-workspaces" });
  });

  test("each producer shares its state with exactly the stacks that read it, never globally", () => {
    const shared = new Map(settings.map((s) => [nameOf(s.workspace_id), s.remote_state_consumer_ids.map(nameOf).sort()]));
    for (const producer of reads.keys()) {
      const readers = [...reads]
        .filter(([, ups]) => ups.includes(producer))
        .map(([c]) => c)
        .sort();
      expect({ producer, consumers: shared.get(producer) }).toEqual({ producer, consumers: readers });
    }
    // monitoring reads the network for the secret-age function's subnets.
    expect(shared.get("markmail-prod-network")).toEqual([
      "markmail-prod-alb",
      "markmail-prod-bastion",
      "markmail-prod-database",
      "markmail-prod-ecs",
      "markmail-prod-monitoring",
    ]);
    for (const s of settings) expect(s.global_remote_state).toBe(false);
  });

  test("no workspace shares its state with another environment; a graph that would is refused", () => {
    for (const s of settings) {
      const env = nameOf(s.workspace_id).split("-")[1];
      for (const c of s.remote_state_consumer_ids.map(nameOf)) expect(c.split("-")[1]).toBe(env);
    }
    const bad = new Map([
      ["markmail-prod-network", []],
      ["markmail-dev-database", ["markmail-prod-network"]],
    ]);
    expect(() => new HcpWorkspacesStack(Testing.app() as App, { config, reads: bad })).toThrow(
      /markmail-dev-database reads markmail-prod-network: a workspace never shares its state with another environment/,
    );
  });

  test("only with TF_BACKEND=cloud", () => {
    expect(() => new HcpWorkspacesStack(Testing.app() as App, { config: configFrom({}), reads })).toThrow(
      /TF_BACKEND=s3: markmail-hcp-workspaces manages HCP Terraform workspaces/,
    );
  });
});

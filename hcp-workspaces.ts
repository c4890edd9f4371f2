// Wiring only: configuration (TF_BACKEND=cloud) → the layer stacks' read graph → the
// markmail-hcp-workspaces stack (workspaces + remote state sharing) → synth. A separate cdktf app:
//   TF_BACKEND=cloud TFC_ORGANIZATION=acme npx cdktf deploy --app "node -r ./scripts/swc-register.js hcp-workspaces.ts" --output cdktf.hcp.out markmail-hcp-workspaces
import { App, Testing } from "cdktf";
import { type AppConfig, ConfigError, loadConfig } from "./config";
import { synthOrExit } from "./config/errors";
import { defineApp } from "./main";
import { HcpWorkspacesStack, type ReadGraph } from "./stacks/hcp-workspaces-stack";

/** Which stacks each layer stack reads, from the app's own terraform_remote_state readers. */
export function readGraph(config: AppConfig): ReadGraph {
  const stacks = defineApp(Testing.app() as App, config);
  return new Map(
    stacks.map((s) => {
      const json = JSON.parse(Testing.synth(s));
      const readers = Object.values<{ config: { workspaces: { name: string } } }>(json.data?.terraform_remote_state ?? {});
      return [s.node.id, readers.map((r) => r.config.workspaces.name)];
    }),
  );
}

function main(): void {
  synthOrExit(() => {
    const config = loadConfig(process.env);
    if (config.backend.kind !== "cloud") {
      throw new ConfigError(
        `TF_BACKEND=${config.backend.kind}: hcp-workspaces.ts is for TF_BACKEND=cloud (expected TF_BACKEND=cloud and TFC_ORGANIZATION)`,
      );
    }
    const reads = readGraph({ ...config, createBastion: true });
    const app = new App();
    new HcpWorkspacesStack(app, { config, reads }).runAllValidations();
    return app;
  });
}

if (require.main === module) main();

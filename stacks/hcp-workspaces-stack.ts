import { CloudBackend, NamedCloudWorkspace, type TerraformElement, TerraformStack } from "cdktf";
import type { Construct, Node } from "constructs";
import type { AppConfig } from "../config";
import { allocateReadableLogicalId } from "../constructs/addresses";
import { hclStack } from "../constructs/hcl-form";
import { UntypedProvider, UntypedResource } from "../constructs/untyped-resource";

/** Which stack reads which: consumer stack id → the producer stack ids it reads with terraform_remote_state. */
export type ReadGraph = ReadonlyMap<string, readonly string[]>;

export interface HcpWorkspacesStackProps {
  readonly config: AppConfig;
  /** Every layer stack id, and what each reads (from the synthesized app). */
  readonly reads: ReadGraph;
}

const TFE = { name: "tfe", source: "hashicorp/tfe", version: ">= 0.60.0, < 1.0.0" };

/** `markmail-hcp-workspaces`: the stack id. */
export const HCP_WORKSPACES_STACK = "markmail-hcp-workspaces";

/**
 * `markmail-hcp-workspaces` (TF_BACKEND=cloud): one HCP Terraform workspace per layer stack, named
 * like the stack, and each producer's remote state shared with exactly the workspaces that read
 * it (`tfe_workspace_settings.remote_state_consumer_ids`), never across environments. Deployed
 * once before the layer stacks, like the S3 bootstrap; its own state is in its own workspace.
 */
export class HcpWorkspacesStack extends TerraformStack {
  constructor(scope: Construct, props: HcpWorkspacesStackProps) {
    super(scope, HCP_WORKSPACES_STACK);
    hclStack(this);
    const backend = props.config.backend;
    if (backend.kind !== "cloud")
      throw new Error(
        `TF_BACKEND=${backend.kind}: ${HCP_WORKSPACES_STACK} manages HCP Terraform workspaces, which only TF_BACKEND=cloud uses`,
      );
    new UntypedProvider(this, "tfe", TFE.name, TFE.source, TFE.version, { hostname: backend.hostname, organization: backend.organization });
    new CloudBackend(this, {
      hostname: backend.hostname,
      organization: backend.organization,
      workspaces: new NamedCloudWorkspace(HCP_WORKSPACES_STACK),
    });

    const ids = [...props.reads.keys()].sort();
    const key = (id: string) => id.replace(/^markmail-/, "").replace(/-/g, "_");
    const workspace = new Map(
      ids.map((id) => [
        id,
        new UntypedResource(
          this,
          key(id),
          "tfe_workspace",
          { name: id, organization: backend.organization, description: `MarkMail stack ${id} (cdktf)` },
          TFE,
        ),
      ]),
    );
    const workspaceId = (id: string) => {
      const w = workspace.get(id);
      if (w === undefined) throw new Error(`${id}: no workspace`);
      return w.getStringAttribute("id");
    };
    const readsOf = (id: string) => props.reads.get(id) ?? [];
    for (const producer of ids) {
      const consumers = ids.filter((c) => readsOf(c).includes(producer));
      for (const c of consumers) {
        if (envOf(c) !== envOf(producer))
          throw new Error(`${c} reads ${producer}: a workspace never shares its state with another environment`);
      }
      new UntypedResource(
        this,
        `${key(producer)}_sharing`,
        "tfe_workspace_settings",
        {
          workspace_id: workspaceId(producer),
          global_remote_state: false,
          remote_state_consumer_ids: consumers.map((c) => workspaceId(c)),
        },
        TFE,
      );
    }
  }

  protected allocateLogicalId(element: TerraformElement | Node): string {
    return allocateReadableLogicalId(this, element);
  }
}

function envOf(stackId: string): string {
  return stackId.split("-")[1];
}

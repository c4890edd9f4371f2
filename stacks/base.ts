import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AppConfig, EnvironmentConfig, Layer } from "../config";
import { physicalName, stackId } from "../constructs/naming";
import { attachStateBackend } from "../constructs/state-backend";

export interface LayerProps {
  readonly config: AppConfig;
  readonly env: EnvironmentConfig;
}

/**
 * Base of every layer stack: id `markmail-<env>-<layer>`, the AWS provider with the region and
 * default tags (Project, Environment, Layer, ManagedBy), and the configured state backend.
 */
export abstract class LayerStack extends TerraformStack {
  readonly config: AppConfig;
  readonly env: EnvironmentConfig;
  readonly layer: Layer;

  protected constructor(scope: Construct, layer: Layer, props: LayerProps) {
    const id = stackId(props.config.project, props.env.name, layer);
    super(scope, id);
    this.config = props.config;
    this.env = props.env;
    this.layer = layer;

    new AwsProvider(this, "aws", {
      region: props.config.region,
      defaultTags: [
        {
          tags: {
            Project: "MarkMail",
            Environment: props.env.name,
            Layer: layer,
            ManagedBy: "cdktf",
          },
        },
      ],
    });
    attachStateBackend(this, {
      backend: props.config.backend,
      project: props.config.project,
      env: props.env.name,
      layer,
      stackId: id,
    });
  }

  /** `markmail-<env>[-<component>]`, length-checked. */
  name(component?: string, maxLength?: number): string {
    return physicalName(this.config.project, this.env.name, component, maxLength);
  }
}

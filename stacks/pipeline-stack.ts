import { Construct } from "constructs";
import { EcsClusterOutputs, EcsOutputs, MonitoringOutputs, SecretsOutputs } from "./contracts";
import { LayerProps, LayerStack } from "./base";

export interface PipelineStackProps extends LayerProps {
  readonly secrets: SecretsOutputs;
  readonly cluster: EcsClusterOutputs;
  readonly ecs: EcsOutputs;
  readonly monitoring: MonitoringOutputs;
}

/** `markmail-<env>-pipeline`. */
export class PipelineStack extends LayerStack {
  readonly outputs!: { readonly pipelineName: string };

  constructor(scope: Construct, props: PipelineStackProps) {
    super(scope, "pipeline", props);
  }
}

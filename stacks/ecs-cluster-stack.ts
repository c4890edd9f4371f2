import { Construct } from "constructs";
import { DatabaseOutputs, EcsClusterOutputs, SecretsOutputs } from "./contracts";
import { LayerProps, LayerStack } from "./base";

export interface EcsClusterStackProps extends LayerProps {
  readonly database: DatabaseOutputs;
  readonly secrets: SecretsOutputs;
}

/** `markmail-<env>-ecs-cluster`. */
export class EcsClusterStack extends LayerStack {
  readonly outputs!: EcsClusterOutputs;

  constructor(scope: Construct, props: EcsClusterStackProps) {
    super(scope, "ecs-cluster", props);
  }
}

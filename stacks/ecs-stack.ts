import { Construct } from "constructs";
import { AlbOutputs, DatabaseOutputs, EcsClusterOutputs, EcsOutputs, NetworkOutputs, SecretsOutputs } from "./contracts";
import { LayerProps, LayerStack } from "./base";

export interface EcsStackProps extends LayerProps {
  readonly network: NetworkOutputs;
  readonly database: DatabaseOutputs;
  readonly secrets: SecretsOutputs;
  readonly alb: AlbOutputs;
  readonly cluster: EcsClusterOutputs;
}

/** `markmail-<env>-ecs`. */
export class EcsStack extends LayerStack {
  readonly outputs!: EcsOutputs;

  constructor(scope: Construct, props: EcsStackProps) {
    super(scope, "ecs", props);
  }
}

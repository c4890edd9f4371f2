import { Construct } from "constructs";
import { AlbOutputs, DatabaseOutputs, EcsClusterOutputs, EcsOutputs, MonitoringOutputs } from "./contracts";
import { LayerProps, LayerStack } from "./base";

export interface MonitoringStackProps extends LayerProps {
  readonly database: DatabaseOutputs;
  readonly alb: AlbOutputs;
  readonly cluster: EcsClusterOutputs;
  readonly ecs: EcsOutputs;
}

/** `markmail-<env>-monitoring`. */
export class MonitoringStack extends LayerStack {
  readonly outputs!: MonitoringOutputs;

  constructor(scope: Construct, props: MonitoringStackProps) {
    super(scope, "monitoring", props);
  }
}

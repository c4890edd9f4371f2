import { Construct } from "constructs";
import { DatabaseOutputs, NetworkOutputs } from "./contracts";
import { LayerProps, LayerStack } from "./base";

export interface DatabaseStackProps extends LayerProps {
  readonly network: NetworkOutputs;
}

/** `markmail-<env>-database`. */
export class DatabaseStack extends LayerStack {
  readonly outputs!: DatabaseOutputs;

  constructor(scope: Construct, props: DatabaseStackProps) {
    super(scope, "database", props);
  }
}

import { Construct } from "constructs";
import { NetworkOutputs } from "./contracts";
import { LayerProps, LayerStack } from "./base";

export interface NetworkStackProps extends LayerProps {

}

/** `markmail-<env>-network`. */
export class NetworkStack extends LayerStack {
  readonly outputs!: NetworkOutputs;

  constructor(scope: Construct, props: NetworkStackProps) {
    super(scope, "network", props);
  }
}

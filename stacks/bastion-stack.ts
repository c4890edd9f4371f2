import { Construct } from "constructs";
import { DatabaseOutputs, NetworkOutputs } from "./contracts";
import { LayerProps, LayerStack } from "./base";

export interface BastionStackProps extends LayerProps {
  readonly network: NetworkOutputs;
  readonly database: DatabaseOutputs;
}

/** `markmail-<env>-bastion`. */
export class BastionStack extends LayerStack {
  readonly outputs!: { readonly instanceName: string };

  constructor(scope: Construct, props: BastionStackProps) {
    super(scope, "bastion", props);
  }
}

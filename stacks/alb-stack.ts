import { Construct } from "constructs";
import { AlbOutputs, NetworkOutputs } from "./contracts";
import { LayerProps, LayerStack } from "./base";

export interface AlbStackProps extends LayerProps {
  readonly network: NetworkOutputs;
}

/** `markmail-<env>-alb`. */
export class AlbStack extends LayerStack {
  readonly outputs!: AlbOutputs;

  constructor(scope: Construct, props: AlbStackProps) {
    super(scope, "alb", props);
  }
}

import { Construct } from "constructs";
import { SecretsOutputs } from "./contracts";
import { LayerProps, LayerStack } from "./base";

export interface SecretsStackProps extends LayerProps {

}

/** `markmail-<env>-secrets`. */
export class SecretsStack extends LayerStack {
  readonly outputs!: SecretsOutputs;

  constructor(scope: Construct, props: SecretsStackProps) {
    super(scope, "secrets", props);
  }
}

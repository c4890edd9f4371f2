import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { Construct } from "constructs";

/** The tag the ECS layer runs before the pipeline's first deploy; no image carries it unless pushed by hand. */
export const BOOTSTRAP_IMAGE_TAG = "bootstrap";

/** `/markmail/<env>/<service>/image-tag`: the one place that says which image a service runs. */
export function imageTagParameterName(project: string, env: string, service: string): string {
  return `/${project}/${env}/${service}/image-tag`;
}

export interface ImageTagParameterProps {
  /** `/markmail/<env>/<service>/image-tag`. */
  readonly name: string;
  readonly service: string;
}

/**
 * The image tag a service runs, as data: the ECS layer reads it at plan time into its task
 * definition; the pipeline's deploy stage writes the commit tag it built, then applies the ECS
 * layer. Terraform creates the parameter with `bootstrap` and never writes its value again.
 */
export class ImageTagParameter extends Construct {
  readonly parameter: SsmParameter;
  readonly name: string;

  constructor(scope: Construct, id: string, props: ImageTagParameterProps) {
    super(scope, id);
    if (!/^\/[a-z0-9-]+\/[a-z0-9-]+\/[a-z]+\/image-tag$/.test(props.name))
      throw new Error(`image tag parameter "${props.name}": expected /<project>/<env>/<service>/image-tag`);
    this.name = props.name;
    this.parameter = new SsmParameter(this, "parameter", {
      name: props.name,
      // Not a secret: a commit SHA prefix, visible in every task definition and image URI.
      type: "String",
      value: BOOTSTRAP_IMAGE_TAG,
      description: `Image tag of ${props.service}: written by the pipeline's deploy stage, read by the ECS layer`,
      // Owner: the pipeline's deploy stage writes the value (scripts/pipeline/deploy-ecs.sh).
      lifecycle: { ignoreChanges: ["value"] },
    });
  }
}

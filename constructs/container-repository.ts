import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { Construct } from "constructs";

export interface ContainerRepositoryProps {
  /** `markmail-<env>-<service>`. */
  readonly name: string;
  /** CMK for image encryption. */
  readonly kmsKeyArn: string;
  /** Images kept (the newest N, any tag); older ones expire. */
  readonly keepImages: number;
  /** Untagged images (failed or superseded pushes) expire after this many days. @default 7 */
  readonly untaggedDays?: number;
  /** `terraform destroy` deletes the repository even if it still holds images. */
  readonly forceDelete: boolean;
}

/**
 * An ECR repository with immutable tags (the pipeline pushes commit-SHA tags), scan on push, KMS
 * encryption with the layer's CMK and a lifecycle policy keeping the newest `keepImages` images.
 */
export class ContainerRepository extends Construct {
  readonly repository: EcrRepository;
  readonly name: string;
  readonly arn: string;
  readonly url: string;

  constructor(scope: Construct, id: string, props: ContainerRepositoryProps) {
    super(scope, id);
    const untaggedDays = props.untaggedDays ?? 7;
    if (!Number.isInteger(props.keepImages) || props.keepImages < 1)
      throw new Error(`repository ${props.name}: keepImages must be a positive integer, got ${props.keepImages}`);
    if (!Number.isInteger(untaggedDays) || untaggedDays < 1)
      throw new Error(`repository ${props.name}: untaggedDays must be a positive integer, got ${untaggedDays}`);
    this.repository = new EcrRepository(this, "repository", {
      name: props.name,
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: props.kmsKeyArn }],
      forceDelete: props.forceDelete,
    });
    new EcrLifecyclePolicy(this, "lifecycle", {
      repository: this.repository.name,
      // An ECR lifecycle document, not an IAM policy: plain JSON is its only form.
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: `Expire untagged images after ${untaggedDays} days`,
            selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: untaggedDays },
            action: { type: "expire" },
          },
          {
            rulePriority: 2,
            description: `Keep the newest ${props.keepImages} images`,
            selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: props.keepImages },
            action: { type: "expire" },
          },
        ],
      }),
    });
    this.name = props.name;
    this.arn = this.repository.arn;
    this.url = this.repository.repositoryUrl;
  }
}

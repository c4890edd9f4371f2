import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";
import { Construct } from "constructs";
import { EncryptedLogGroup } from "./log-group";

export interface FargateClusterProps {
  /** `markmail-<env>` (the guide's --cluster). */
  readonly name: string;
  /** CMK for ECS Exec sessions and the exec audit log group. */
  readonly kmsKeyArn: string;
  /** Exec audit log group, e.g. `/ecs/markmail-<env>-exec`. */
  readonly execLogGroupName: string;
  readonly logRetentionDays: number;
  /** Add FARGATE_SPOT to the default strategy (1 task on FARGATE, the rest split 1:1). */
  readonly fargateSpot: boolean;
}

/**
 * An ECS cluster for Fargate: Container Insights on, ECS Exec sessions encrypted with the CMK and
 * audited to an encrypted log group (CKV_AWS_223/224), FARGATE (+ FARGATE_SPOT) capacity providers.
 */
export class FargateCluster extends Construct {
  readonly cluster: EcsCluster;
  readonly execLogGroup: EncryptedLogGroup;
  readonly capacityProviders: EcsClusterCapacityProviders;

  constructor(scope: Construct, id: string, props: FargateClusterProps) {
    super(scope, id);
    this.execLogGroup = new EncryptedLogGroup(this, "exec-logs", {
      name: props.execLogGroupName,
      retentionDays: props.logRetentionDays,
      kmsKeyArn: props.kmsKeyArn,
    });
    this.cluster = new EcsCluster(this, "cluster", {
      name: props.name,
      setting: [{ name: "containerInsights", value: "enabled" }],
      configuration: {
        executeCommandConfiguration: {
          kmsKeyId: props.kmsKeyArn,
          logging: "OVERRIDE",
          logConfiguration: { cloudWatchLogGroupName: this.execLogGroup.name, cloudWatchEncryptionEnabled: true },
        },
      },
      dependsOn: [this.execLogGroup.group],
    });
    const providers = props.fargateSpot ? ["FARGATE", "FARGATE_SPOT"] : ["FARGATE"];
    this.capacityProviders = new EcsClusterCapacityProviders(this, "capacity-providers", {
      clusterName: this.cluster.name,
      capacityProviders: providers,
      defaultCapacityProviderStrategy: capacityStrategy(props.fargateSpot),
    });
  }
}

/** One task always on on-demand FARGATE; beyond that, half on FARGATE_SPOT when Spot is on. */
export function capacityStrategy(fargateSpot: boolean): { capacityProvider: string; base?: number; weight: number }[] {
  return fargateSpot
    ? [
        { capacityProvider: "FARGATE", base: 1, weight: 1 },
        { capacityProvider: "FARGATE_SPOT", weight: 1 },
      ]
    : [{ capacityProvider: "FARGATE", base: 1, weight: 1 }];
}

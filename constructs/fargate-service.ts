import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { Construct } from "constructs";
import { ContainerSpec, renderContainerDefinitions, scratchVolumeName } from "./container-definition";
import { capacityStrategy } from "./ecs-cluster";

export interface FargateServiceProps {
  /** Service name and task definition family, `markmail-<env>-<service>`. */
  readonly name: string;
  /** Cluster name, `markmail-<env>` (also part of the autoscaling resource id). */
  readonly clusterName: string;
  readonly cpu: number;
  readonly memory: number;
  readonly executionRoleArn: string;
  readonly taskRoleArn: string;
  /** The service's single, essential container; it receives the load balancer traffic. */
  readonly container: ContainerSpec;
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  /** Tasks never get a public address (they sit behind the ALB, egress via NAT). Throws when true. @default false */
  readonly assignPublicIp?: boolean;
  readonly targetGroupArn: string;
  readonly desiredCount: number;
  readonly minCount: number;
  readonly maxCount: number;
  /** Spread tasks beyond the first onto FARGATE_SPOT. */
  readonly fargateSpot: boolean;
  readonly enableExecuteCommand: boolean;
  /** @default 60 */
  readonly healthCheckGracePeriodSeconds?: number;
  /** Target tracking: average CPU percent. @default 70 */
  readonly cpuTargetPercent?: number;
  /** Target tracking: average memory percent. @default 80 */
  readonly memoryTargetPercent?: number;
}

/**
 * A Fargate service behind a target group: task definition (awsvpc, Linux/x86_64, the given roles
 * and container, scratch volumes), service (private subnets, no public IP, circuit breaker with
 * rollback, zero-downtime 100/200 %, ECS-managed tags) and target-tracking autoscaling on CPU and
 * memory. The pipeline owns the running task definition and autoscaling owns the count, so
 * Terraform ignores both on the service after creation.
 */
export class FargateService extends Construct {
  readonly taskDefinition: EcsTaskDefinition;
  readonly service: EcsService;
  readonly scalingTarget: AppautoscalingTarget;

  constructor(scope: Construct, id: string, props: FargateServiceProps) {
    super(scope, id);
    if (props.assignPublicIp) throw new Error(`service ${props.name}: assignPublicIp must be false; tasks sit in private subnets behind the ALB`);
    if (!(props.minCount >= 1 && props.minCount <= props.desiredCount && props.desiredCount <= props.maxCount)) {
      throw new Error(`service ${props.name}: counts must satisfy 1 <= min (${props.minCount}) <= desired (${props.desiredCount}) <= max (${props.maxCount})`);
    }
    const c = props.container;

    this.taskDefinition = new EcsTaskDefinition(this, "task-definition", {
      family: props.name,
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: String(props.cpu),
      memory: String(props.memory),
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
      executionRoleArn: props.executionRoleArn,
      taskRoleArn: props.taskRoleArn,
      containerDefinitions: renderContainerDefinitions([c]),
      volume: (c.scratchPaths ?? []).map((p) => ({ name: scratchVolumeName(c.name, p) })),
    });

    this.service = new EcsService(this, "service", {
      name: props.name,
      cluster: props.clusterName,
      taskDefinition: this.taskDefinition.arn,
      desiredCount: props.desiredCount,
      capacityProviderStrategy: capacityStrategy(props.fargateSpot),
      platformVersion: "LATEST",
      networkConfiguration: { subnets: props.subnetIds, securityGroups: props.securityGroupIds, assignPublicIp: false },
      loadBalancer: [{ targetGroupArn: props.targetGroupArn, containerName: c.name, containerPort: c.port }],
      healthCheckGracePeriodSeconds: props.healthCheckGracePeriodSeconds ?? 60,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      // Zero downtime: a full new set starts before any old task stops.
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      enableExecuteCommand: props.enableExecuteCommand,
      enableEcsManagedTags: true,
      propagateTags: "SERVICE",
      // The pipeline registers a new revision per deploy and points the service at it; autoscaling
      // moves the count. Terraform must not roll either back, so a plan after a deploy is clean.
      // Trade-off: a container/environment change made here creates a new revision (image
      // `:bootstrap`) that no task uses: the pipeline builds each revision from the running one.
      // `scripts/ecs/rollout.sh <env> <service>` puts it into service with the running image
      // (guide §9.3); later pipeline runs build on it.
      lifecycle: { ignoreChanges: ["task_definition", "desired_count"] },
    });

    const resourceId = `service/${props.clusterName}/${this.service.name}`;
    this.scalingTarget = new AppautoscalingTarget(this, "scaling-target", {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId,
      minCapacity: props.minCount,
      maxCapacity: props.maxCount,
    });
    const track = (pid: string, metric: string, target: number) =>
      new AppautoscalingPolicy(this, pid, {
        name: `${props.name}-${pid}`,
        policyType: "TargetTrackingScaling",
        serviceNamespace: this.scalingTarget.serviceNamespace,
        scalableDimension: this.scalingTarget.scalableDimension,
        resourceId: this.scalingTarget.resourceId,
        targetTrackingScalingPolicyConfiguration: {
          predefinedMetricSpecification: { predefinedMetricType: metric },
          targetValue: target,
          scaleInCooldown: 300,
          scaleOutCooldown: 60,
        },
      });
    track("cpu", "ECSServiceAverageCPUUtilization", props.cpuTargetPercent ?? 70);
    track("memory", "ECSServiceAverageMemoryUtilization", props.memoryTargetPercent ?? 80);
  }
}

import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { Construct } from "constructs";
import { type ContainerSpec, renderContainerDefinitions, scratchVolumeName } from "./container-definition";
import { capacityStrategy } from "./ecs-cluster";
import { ConstructError } from "./errors";

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
  /** CloudWatch alarms the deployment watches; any in ALARM rolls it back (beside the circuit breaker). */
  readonly deploymentAlarmNames: string[];
  /** ECS native blue/green instead of a rolling update. @default rolling */
  readonly blueGreen?: BlueGreenSettings;
}

export interface BlueGreenSettings {
  /** Minutes the old (blue) set keeps running after the traffic shift; a rollback inside it is instant. */
  readonly bakeTimeMinutes: number;
  readonly alternateTargetGroupArn: string;
  readonly productionListenerRuleArn: string;
  readonly testListenerRuleArn: string;
  /** The ECS infrastructure role that modifies the rules and registers targets. */
  readonly roleArn: string;
}

/**
 * A Fargate service behind a target group: task definition (awsvpc, Linux/x86_64, the given roles
 * and container, scratch volumes), service (private subnets, no public IP, circuit breaker with
 * rollback, zero-downtime 100/200 %, ECS-managed tags) and target-tracking autoscaling on CPU and
 * memory. Terraform owns the task definition and the service (the image tag is data the ECS
 * layer reads from SSM); old revisions stay registered so a rollback can use them. Autoscaling
 * owns the count, the one attribute Terraform ignores on the service.
 */
export class FargateService extends Construct {
  readonly taskDefinition: EcsTaskDefinition;
  readonly service: EcsService;
  readonly scalingTarget: AppautoscalingTarget;

  constructor(scope: Construct, id: string, props: FargateServiceProps) {
    super(scope, id);
    if (props.assignPublicIp)
      throw new Error(`service ${props.name}: assignPublicIp must be false; tasks sit in private subnets behind the ALB`);
    const counts = [props.minCount, props.desiredCount, props.maxCount];
    if (
      !(
        counts.every(Number.isInteger) &&
        1 <= props.minCount &&
        props.minCount <= props.desiredCount &&
        props.desiredCount <= props.maxCount &&
        props.maxCount <= 100
      )
    ) {
      throw new ConstructError(this, "minCount/desiredCount/maxCount", counts.join("/"), "integers with 1 <= min <= desired <= max <= 100");
    }
    if (props.deploymentAlarmNames.length === 0)
      throw new Error(`service ${props.name}: deploymentAlarmNames must name the alarms a deployment rolls back on`);
    const bg = props.blueGreen;
    if (bg && !(Number.isInteger(bg.bakeTimeMinutes) && bg.bakeTimeMinutes >= 0 && bg.bakeTimeMinutes <= 1440)) {
      throw new Error(`service ${props.name}: bakeTimeMinutes must be an integer 0-1440, got ${bg.bakeTimeMinutes}`);
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
      // A new revision replaces the old one in state, but the old one stays ACTIVE in ECS: the
      // circuit breaker and alarm rollbacks return to it, and the ECS history keeps it.
      skipDestroy: true,
    });

    this.service = new EcsService(this, "service", {
      name: props.name,
      cluster: props.clusterName,
      taskDefinition: this.taskDefinition.arn,
      desiredCount: props.desiredCount,
      capacityProviderStrategy: capacityStrategy(props.fargateSpot),
      platformVersion: "LATEST",
      networkConfiguration: { subnets: props.subnetIds, securityGroups: props.securityGroupIds, assignPublicIp: false },
      loadBalancer: [
        {
          targetGroupArn: props.targetGroupArn,
          containerName: c.name,
          containerPort: c.port,
          advancedConfiguration: bg
            ? {
                alternateTargetGroupArn: bg.alternateTargetGroupArn,
                productionListenerRule: bg.productionListenerRuleArn,
                testListenerRule: bg.testListenerRuleArn,
                roleArn: bg.roleArn,
              }
            : undefined,
        },
      ],
      healthCheckGracePeriodSeconds: props.healthCheckGracePeriodSeconds ?? 60,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      alarms: { alarmNames: props.deploymentAlarmNames, enable: true, rollback: true },
      deploymentConfiguration: bg ? { strategy: "BLUE_GREEN", bakeTimeInMinutes: String(bg.bakeTimeMinutes) } : { strategy: "ROLLING" },
      // Zero downtime: a full new set starts before any old task stops.
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      enableExecuteCommand: props.enableExecuteCommand,
      enableEcsManagedTags: true,
      propagateTags: "SERVICE",
      // Owner: Application Auto Scaling moves the count (the task definition is Terraform's, not ignored).
      lifecycle: { ignoreChanges: ["desired_count"] },
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

import { Construct } from "constructs";
import type { MonitoringSettings } from "../config";
import { MetricAlarm, type MetricAlarmProps } from "./alarm";

/** The CloudWatch dimension values of what one environment runs. */
export interface MonitoredTargets {
  /** ECS `ClusterName`, `markmail-<env>`. */
  readonly clusterName: string;
  /** ECS `ServiceName` per service. */
  readonly services: { readonly backend: string; readonly frontend: string };
  /** ALB `LoadBalancer` dimension (`app/markmail-<env>-alb/<id>`, the ARN suffix). */
  readonly loadBalancer: string;
  /** ALB `TargetGroup` dimension per service (`targetgroup/<name>/<id>`). */
  readonly targetGroups: { readonly backend: string; readonly frontend: string };
  /**
   * Blue/green: the alternate target group per service. Each deployment moves the tasks to the
   * other group, so the target alarms watch both (an idle group has no datapoints at all).
   */
  readonly alternateTargetGroups?: { readonly backend: string; readonly frontend: string };
  /** RDS `DBClusterIdentifier`. */
  readonly dbClusterIdentifier: string;
}

export interface ApplicationAlarmsProps {
  /** `markmail-<env>`: alarm names are `<prefix>-<what>`. */
  readonly namePrefix: string;
  readonly targets: MonitoredTargets;
  readonly thresholds: MonitoringSettings;
  /** The alarm topic (alarm and OK actions). */
  readonly topicArn: string;
}

const SERVICES = ["backend", "frontend"] as const;

/** `<prefix>-<what>`: every alarm name of the environment. */
export function alarmName(namePrefix: string, what: string): string {
  return `${namePrefix}-${what}`;
}

/**
 * The alarms an ECS deployment of `service` watches and rolls back on: the guide's HighErrorRate
 * and the service's unhealthy-hosts alarm. The monitoring layer creates them (after the ECS layer),
 * so the ECS layer names them from the same function instead of reading them from state.
 */
export function deploymentAlarmNames(namePrefix: string, service: (typeof SERVICES)[number], blueGreen = false): string[] {
  const names = [alarmName(namePrefix, "high-error-rate"), alarmName(namePrefix, `${service}-unhealthy-hosts`)];
  // Blue/green: the new tasks register in whichever group is idle, possibly the alternate one.
  return blueGreen ? [...names, alarmName(namePrefix, `${service}-alternate-unhealthy-hosts`)] : names;
}
const MIB = 1024 * 1024;

/**
 * The environment's alarms: the guide's HighErrorRate plus ECS, ALB target and Aurora alarms.
 * Every alarm notifies the topic on ALARM and OK; `treat_missing_data` is chosen per metric.
 */
export class ApplicationAlarms extends Construct {
  /** By alarm name. */
  readonly alarms = new Map<string, MetricAlarm>();

  constructor(scope: Construct, id: string, props: ApplicationAlarmsProps) {
    super(scope, id);
    const t = props.targets;
    const m = props.thresholds;
    const add = (constructId: string, what: string, p: Omit<MetricAlarmProps, "alarmName" | "actions">) => {
      const name = alarmName(props.namePrefix, what);
      this.alarms.set(name, new MetricAlarm(this, constructId, { ...p, alarmName: name, actions: [props.topicArn] }));
    };
    const alb = { LoadBalancer: t.loadBalancer };

    // The guide's HighErrorRate: 5XX answered by the targets, summed per 5 minutes, 2 periods in a row.
    // No requests means no datapoint, which is healthy: notBreaching.
    add("HighErrorRate", "high-error-rate", {
      description: `HighErrorRate: targets of ${props.namePrefix}-alb returned >= ${m.target5xxCount} HTTP 5XX per 5 minutes, twice in a row`,
      namespace: "AWS/ApplicationELB",
      metricName: "HTTPCode_Target_5XX_Count",
      dimensions: alb,
      statistic: "Sum",
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: m.target5xxCount,
      periodSeconds: 300,
      evaluationPeriods: 2,
      treatMissingData: "notBreaching",
    });

    // p95 latency; without traffic there is no latency to complain about: notBreaching.
    add("ResponseTimeP95", "response-time-p95", {
      description: `p95 target response time of ${props.namePrefix}-alb above ${m.responseTimeP95Seconds}s for 3 of 3 minutes`,
      namespace: "AWS/ApplicationELB",
      metricName: "TargetResponseTime",
      dimensions: alb,
      extendedStatistic: "p95",
      comparison: "GreaterThanThreshold",
      threshold: m.responseTimeP95Seconds,
      periodSeconds: 60,
      evaluationPeriods: 3,
      treatMissingData: "notBreaching",
    });

    for (const svc of SERVICES) {
      const title = svc === "backend" ? "Backend" : "Frontend";
      const ecs = { ClusterName: t.clusterName, ServiceName: t.services[svc] };
      // No datapoint means no running task; the no-healthy-hosts alarm below reports that, so here
      // missing data is notBreaching (a stopped service is not "CPU high").
      add(`${title}CpuHigh`, `${svc}-cpu-high`, {
        description: `${svc} service average CPU >= ${m.cpuHighPercent}% for 10 minutes`,
        namespace: "AWS/ECS",
        metricName: "CPUUtilization",
        dimensions: ecs,
        statistic: "Average",
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: m.cpuHighPercent,
        treatMissingData: "notBreaching",
      });
      add(`${title}MemoryHigh`, `${svc}-memory-high`, {
        description: `${svc} service average memory >= ${m.memoryHighPercent}% for 10 minutes`,
        namespace: "AWS/ECS",
        metricName: "MemoryUtilization",
        dimensions: ecs,
        statistic: "Average",
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: m.memoryHighPercent,
        treatMissingData: "notBreaching",
      });

      const groups = [t.targetGroups[svc], ...(t.alternateTargetGroups ? [t.alternateTargetGroups[svc]] : [])];
      const tgDims = (group: string) => ({ LoadBalancer: t.loadBalancer, TargetGroup: group });
      // Some target failing its health check; no datapoint (no registered targets) is covered by the
      // no-healthy-hosts alarm: notBreaching. One alarm per group (the idle one stays OK).
      groups.forEach((group, i) => {
        add(`${title}${i === 0 ? "" : "Alternate"}UnhealthyHosts`, `${svc}-${i === 0 ? "" : "alternate-"}unhealthy-hosts`, {
          description: `${svc} ${i === 0 ? "" : "alternate "}target group has unhealthy targets for 3 of 3 minutes`,
          namespace: "AWS/ApplicationELB",
          metricName: "UnHealthyHostCount",
          dimensions: tgDims(group),
          statistic: "Maximum",
          comparison: "GreaterThanOrEqualToThreshold",
          threshold: 1,
          periodSeconds: 60,
          evaluationPeriods: 3,
          treatMissingData: "notBreaching",
        });
      });
      // The outage signal: no healthy target. The ALB stops publishing HealthyHostCount when nothing
      // is registered, so a missing datapoint means nothing serves: breaching. With blue/green the
      // healthy targets of both groups are summed (the idle group publishes nothing: FILL 0).
      const noHealthy = {
        description: `${svc} target group${groups.length > 1 ? "s have" : " has"} no healthy target (service down) for 2 of 2 minutes`,
        comparison: "LessThanThreshold" as const,
        threshold: 1,
        periodSeconds: 60,
        evaluationPeriods: 2,
        treatMissingData: "breaching" as const,
      };
      if (groups.length === 1) {
        add(`${title}NoHealthyHosts`, `${svc}-no-healthy-hosts`, {
          ...noHealthy,
          namespace: "AWS/ApplicationELB",
          metricName: "HealthyHostCount",
          dimensions: tgDims(groups[0]),
          statistic: "Minimum",
        });
      } else {
        const metric = (group: string) => ({
          namespace: "AWS/ApplicationELB",
          metricName: "HealthyHostCount",
          dimensions: tgDims(group),
          statistic: "Minimum" as const,
        });
        add(`${title}NoHealthyHosts`, `${svc}-no-healthy-hosts`, {
          ...noHealthy,
          math: {
            expression: "FILL(primary, 0) + FILL(alternate, 0)",
            label: `${svc} healthy targets (both groups)`,
            metrics: { primary: metric(groups[0]), alternate: metric(groups[1]) },
          },
        });
      }
    }

    // Aurora publishes every minute while the cluster runs. A gap means the cluster is stopped or
    // gone, which is neither OK nor a threshold breach: "missing" shows INSUFFICIENT_DATA.
    const db = { DBClusterIdentifier: t.dbClusterIdentifier };
    add("DbCpuHigh", "db-cpu-high", {
      description: `an Aurora instance of ${t.dbClusterIdentifier} at >= ${m.dbCpuHighPercent}% CPU for 10 minutes`,
      namespace: "AWS/RDS",
      metricName: "CPUUtilization",
      dimensions: db,
      statistic: "Maximum",
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: m.dbCpuHighPercent,
      treatMissingData: "missing",
    });
    add("DbFreeableMemoryLow", "db-freeable-memory-low", {
      description: `an Aurora instance of ${t.dbClusterIdentifier} below ${m.dbFreeableMemoryLowMiB} MiB freeable memory for 10 minutes`,
      namespace: "AWS/RDS",
      metricName: "FreeableMemory",
      dimensions: db,
      statistic: "Minimum",
      comparison: "LessThanThreshold",
      threshold: m.dbFreeableMemoryLowMiB * MIB,
      treatMissingData: "missing",
    });
    add("DbConnectionsHigh", "db-connections-high", {
      description: `an Aurora instance of ${t.dbClusterIdentifier} holds >= ${m.dbConnectionsHigh} connections for 10 minutes`,
      namespace: "AWS/RDS",
      metricName: "DatabaseConnections",
      dimensions: db,
      statistic: "Maximum",
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: m.dbConnectionsHigh,
      treatMissingData: "missing",
    });
  }
}

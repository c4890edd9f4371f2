import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { Token } from "cdktf";
import { Construct } from "constructs";
import type { MonitoredTargets } from "./alarms";
import { jsonAttribute } from "./json-attribute";
import { regionOf } from "./account";

/** One metric line of a graph. */
export interface MetricLine {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  /** @default the widget's stat */
  readonly stat?: string;
  readonly label?: string;
  /** @default "left" */
  readonly yAxis?: "left" | "right";
}

/** A time-series graph widget. */
export interface GraphWidget {
  readonly title: string;
  readonly metrics: MetricLine[];
  /** Default statistic of the lines, e.g. Average, Sum, p95. */
  readonly stat: string;
  /** @default 300 */
  readonly period?: number;
  /** Grid columns out of 24. @default 12 */
  readonly width?: number;
  /** @default 6 */
  readonly height?: number;
  /** Fix the left axis at 0..max (percentages). @default auto */
  readonly leftMax?: number;
}

/** The CloudWatch dashboard-body JSON shape we emit (a subset of the documented format). */
interface DashboardBody {
  readonly widgets: {
    readonly type: "metric";
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
    readonly properties: {
      readonly title: string;
      readonly region: string;
      readonly view: "timeSeries";
      readonly stacked: false;
      readonly stat: string;
      readonly period: number;
      readonly metrics: (string | Record<string, string>)[][];
      readonly yAxis?: { readonly left: { readonly min: number; readonly max: number } };
    };
  }[];
}

const GRID = 24;

/**
 * Renders widgets into the dashboard-body JSON, placed left to right on the 24-column grid.
 *
 * Plain JSON (jsonAttribute) is deliberate: string tokens (dimension values from this or another stack)
 * survive as `${...}` interpolations inside the JSON string, and cdktf rewrites cross-stack ones to
 * `terraform_remote_state` reads, so the body stays readable in cdk.tf.json and testable. Only
 * string leaves may be tokens: a number token would stringify as a garbage float, so it throws.
 */
export function renderDashboardBody(widgets: GraphWidget[], region: string): string {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  const body: DashboardBody = {
    widgets: widgets.map((w) => {
      const width = w.width ?? 12;
      const height = w.height ?? 6;
      const period = w.period ?? 300;
      for (const n of [width, height, period, w.leftMax ?? 0]) {
        if (Token.isUnresolved(n)) throw new Error(`dashboard widget "${w.title}": numbers must be literals, not tokens`);
      }
      if (width < 1 || width > GRID) throw new Error(`dashboard widget "${w.title}": width ${width} is not 1-${GRID}`);
      if (w.metrics.length === 0) throw new Error(`dashboard widget "${w.title}": no metrics`);
      if (x + width > GRID) {
        x = 0;
        y += rowHeight;
        rowHeight = 0;
      }
      const placed = { x, y };
      x += width;
      rowHeight = Math.max(rowHeight, height);
      return {
        type: "metric" as const,
        ...placed,
        width,
        height,
        properties: {
          title: w.title,
          region,
          view: "timeSeries" as const,
          stacked: false as const,
          stat: w.stat,
          period,
          metrics: w.metrics.map(metricRow),
          ...(w.leftMax !== undefined ? { yAxis: { left: { min: 0, max: w.leftMax } } } : {}),
        },
      };
    }),
  };
  return jsonAttribute(body);
}

/** [namespace, metric, dimName, dimValue, ..., {options}] as the dashboard format wants. */
function metricRow(line: MetricLine): (string | Record<string, string>)[] {
  const options: Record<string, string> = {};
  if (line.stat) options.stat = line.stat;
  if (line.label) options.label = line.label;
  if (line.yAxis === "right") options.yAxis = "right";
  const dims = Object.entries(line.dimensions).flat();
  return [line.namespace, line.metricName, ...dims, ...(Object.keys(options).length > 0 ? [options] : [])];
}

export interface DashboardProps {
  /** Exact name; the guide's console URL uses `MarkMail-<env>`. */
  readonly name: string;
  readonly widgets: GraphWidget[];
}

/** A CloudWatch dashboard rendered from typed widgets. */
export class Dashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;
  readonly name: string;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    this.name = props.name;
    this.dashboard = new CloudwatchDashboard(this, "dashboard", {
      dashboardName: props.name,
      dashboardBody: renderDashboardBody(props.widgets, regionOf(this)),
    });
  }
}

/**
 * The guide's main metrics (ECS CPU/memory, ALB requests, RDS connections, API response time)
 * plus 5XX counts, target health and, when given, the SES configuration set's mail events.
 */
export function applicationWidgets(t: MonitoredTargets, sesConfigurationSet?: string): GraphWidget[] {
  const ecs = (metricName: string) =>
    (["backend", "frontend"] as const).map((svc) => ({
      namespace: "AWS/ECS",
      metricName,
      dimensions: { ClusterName: t.clusterName, ServiceName: t.services[svc] },
      label: svc,
    }));
  const alb = { LoadBalancer: t.loadBalancer };
  const tg = (metricName: string, stat: string) =>
    (["backend", "frontend"] as const).map((svc) => ({
      namespace: "AWS/ApplicationELB",
      metricName,
      dimensions: { LoadBalancer: t.loadBalancer, TargetGroup: t.targetGroups[svc] },
      stat,
      label: `${svc} ${metricName === "HealthyHostCount" ? "healthy" : "unhealthy"}`,
    }));
  const widgets: GraphWidget[] = [
    { title: "ECS CPU utilization (%)", stat: "Average", metrics: ecs("CPUUtilization"), leftMax: 100 },
    { title: "ECS memory utilization (%)", stat: "Average", metrics: ecs("MemoryUtilization"), leftMax: 100 },
    {
      title: "ALB requests",
      stat: "Sum",
      metrics: [{ namespace: "AWS/ApplicationELB", metricName: "RequestCount", dimensions: alb, label: "requests" }],
    },
    {
      title: "API response time (s)",
      stat: "p95",
      period: 60,
      metrics: [
        { namespace: "AWS/ApplicationELB", metricName: "TargetResponseTime", dimensions: alb, stat: "p50", label: "p50" },
        { namespace: "AWS/ApplicationELB", metricName: "TargetResponseTime", dimensions: alb, stat: "p95", label: "p95" },
      ],
    },
    {
      title: "HTTP 5XX",
      stat: "Sum",
      metrics: [
        { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_Target_5XX_Count", dimensions: alb, label: "target 5XX" },
        { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_ELB_5XX_Count", dimensions: alb, label: "ALB 5XX" },
      ],
    },
    {
      title: "Target health",
      stat: "Minimum",
      period: 60,
      metrics: [...tg("HealthyHostCount", "Minimum"), ...tg("UnHealthyHostCount", "Maximum")],
    },
    {
      title: "RDS connections",
      stat: "Maximum",
      metrics: [
        {
          namespace: "AWS/RDS",
          metricName: "DatabaseConnections",
          dimensions: { DBClusterIdentifier: t.dbClusterIdentifier },
          label: "connections",
        },
      ],
    },
  ];
  if (sesConfigurationSet !== undefined) {
    const ses = (metricName: string) => ({
      namespace: "AWS/SES",
      metricName,
      dimensions: { "ses:configuration-set": sesConfigurationSet },
      label: metricName.toLowerCase(),
    });
    widgets.push({ title: "Mail events", stat: "Sum", metrics: ["Send", "Delivery", "Bounce", "Complaint", "Reject"].map(ses) });
  }
  return widgets;
}

/** `MarkMail-<env>`: the exact, case-sensitive name in the operator guide's console URL. */
export function guideDashboardName(env: string): string {
  return `MarkMail-${env}`;
}

import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";

export type Comparison = "GreaterThanOrEqualToThreshold" | "GreaterThanThreshold" | "LessThanThreshold" | "LessThanOrEqualToThreshold";

/**
 * What a missing datapoint means. There is no default: every alarm states it, because the right
 * answer differs (no requests ⇒ no 5XX is fine; no healthy-host datapoint ⇒ nothing is serving).
 */
export type MissingData = "breaching" | "notBreaching" | "ignore" | "missing";

export type Statistic = "Sum" | "Average" | "Minimum" | "Maximum" | "SampleCount";

/** One metric of a metric-math alarm, by id (lower case, as CloudWatch requires). */
export interface MathMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  readonly statistic: Statistic;
}

export interface MetricAlarmProps {
  /** Physical name, `markmail-<env>-<what>`. */
  readonly alarmName: string;
  readonly description: string;
  /** The metric; unset with `math`. */
  readonly namespace?: string;
  readonly metricName?: string;
  readonly dimensions?: Record<string, string>;
  /**
   * A metric-math alarm instead of one metric: `expression` over the metrics by id, e.g.
   * `FILL(a, 0) + FILL(b, 0)` (statistic and period then belong to each metric).
   */
  readonly math?: { readonly expression: string; readonly label: string; readonly metrics: Readonly<Record<string, MathMetric>> };
  /** Exactly one of statistic / extendedStatistic. */
  readonly statistic?: Statistic;
  /** A percentile such as p95. */
  readonly extendedStatistic?: string;
  readonly comparison: Comparison;
  readonly threshold: number;
  readonly treatMissingData: MissingData;
  /** SNS topics notified on ALARM and on OK (recovery). At least one. */
  readonly actions: string[];
  /** @default 300 */
  readonly periodSeconds?: number;
  /** @default 2 */
  readonly evaluationPeriods?: number;
  /** @default evaluationPeriods (every period must breach) */
  readonly datapointsToAlarm?: number;
}

/**
 * A CloudWatch metric alarm that always notifies: alarm and OK actions go to the given topics and
 * construction fails when there is none (an alarm nobody hears is worse than none).
 */
export class MetricAlarm extends Construct {
  readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: MetricAlarmProps) {
    super(scope, id);
    const fail = (why: string) => new Error(`alarm ${props.alarmName}: ${why}`);
    if (props.actions.length === 0) throw fail("no alarm action; every alarm must notify a topic");
    if (props.math !== undefined) {
      if (
        props.namespace !== undefined ||
        props.metricName !== undefined ||
        props.statistic !== undefined ||
        props.extendedStatistic !== undefined
      ) {
        throw fail("a metric-math alarm names its metrics in math.metrics, not namespace/metricName/statistic");
      }
      const ids = Object.keys(props.math.metrics);
      if (ids.length === 0 || ids.some((id) => !/^[a-z][a-zA-Z0-9_]*$/.test(id)))
        throw fail(`metric ids ${ids.join(", ")} must start with a lower-case letter`);
    } else if (props.namespace === undefined || props.metricName === undefined) {
      throw fail("set namespace and metricName (or math)");
    } else if ((props.statistic === undefined) === (props.extendedStatistic === undefined)) {
      throw fail("set exactly one of statistic and extendedStatistic");
    }
    if (props.extendedStatistic !== undefined && !/^p\d{1,2}(\.\d+)?$/.test(props.extendedStatistic)) {
      throw fail(`extendedStatistic "${props.extendedStatistic}" is not a percentile such as p95`);
    }
    const period = props.periodSeconds ?? 300;
    if (![10, 30].includes(period) && (period < 60 || period % 60 !== 0)) {
      throw fail(`period ${period}s is not 10, 30 or a multiple of 60`);
    }
    const evaluationPeriods = props.evaluationPeriods ?? 2;
    const datapoints = props.datapointsToAlarm ?? evaluationPeriods;
    if (datapoints < 1 || datapoints > evaluationPeriods) throw fail(`datapointsToAlarm ${datapoints} must be 1-${evaluationPeriods}`);

    const math = props.math;
    this.alarm = new CloudwatchMetricAlarm(this, "alarm", {
      alarmName: props.alarmName,
      alarmDescription: props.description,
      namespace: props.namespace,
      metricName: props.metricName,
      // Account-level metrics (SES reputation) have no dimension at all.
      dimensions: props.dimensions && Object.keys(props.dimensions).length > 0 ? props.dimensions : undefined,
      statistic: props.statistic,
      extendedStatistic: props.extendedStatistic,
      metricQuery: math
        ? [
            { id: "e", expression: math.expression, label: math.label, returnData: true },
            ...Object.entries(math.metrics).map(([id, m]) => ({
              id,
              returnData: false,
              metric: { namespace: m.namespace, metricName: m.metricName, dimensions: m.dimensions, stat: m.statistic, period },
            })),
          ]
        : undefined,
      comparisonOperator: props.comparison,
      threshold: props.threshold,
      period: math ? undefined : period,
      evaluationPeriods,
      datapointsToAlarm: datapoints,
      treatMissingData: props.treatMissingData,
      actionsEnabled: true,
      alarmActions: props.actions,
      okActions: props.actions,
    });
  }
}

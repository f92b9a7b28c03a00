/** A CloudWatch metric the functions emit as Embedded Metric Format lines. */
export interface CountMetric {
  namespace: string;
  metricName: string;
}

/**
 * One EMF line carrying a single datum of `metric` (value 1, unit Count, no dimensions): written to stdout in a
 * Lambda, CloudWatch Logs turns it into the metric, which an alarm can watch.
 */
export function emfCountLine(metric: CountMetric, now: number): string {
  return JSON.stringify({
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [
        {
          Namespace: metric.namespace,
          Dimensions: [[]],
          Metrics: [{ Name: metric.metricName, Unit: 'Count' }],
        },
      ],
    },
    [metric.metricName]: 1,
  });
}

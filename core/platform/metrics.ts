import { Metrics as Emf, MetricUnit } from "@aws-lambda-powertools/metrics";

/**
 * Business metrics, as CloudWatch Embedded Metric Format lines on stdout (Powertools Metrics): no API
 * call, no permission beyond the function's own log group. Counts accumulate in memory during an
 * invocation and are written once at its end (`flush`, called by the SQS and HTTP wrappers), one line
 * per company so each company's figures have their own `companyId` dimension.
 *
 * The namespace and service name come from POWERTOOLS_METRICS_NAMESPACE and POWERTOOLS_SERVICE_NAME
 * (stacks/function.ts); POWERTOOLS_METRICS_DISABLED turns the lines off (the local cloud sets it).
 */
export const names = [
  "MessagesSent",
  "MessagesDelivered",
  "MessagesFailed",
  "RepliesReceived",
  "OptOuts",
  "ImportRows",
  "ImportErrors",
] as const;
export type Name = (typeof names)[number];

const pending = new Map<string, Map<Name, number>>();

/** Adds `value` to a company's count of `name` for this invocation. */
export function count(companyId: string, name: Name, value = 1) {
  if (value === 0) return;
  const counts = pending.get(companyId) ?? new Map<Name, number>();
  pending.set(companyId, counts);
  counts.set(name, (counts.get(name) ?? 0) + value);
}

/** What would be written now, by company (for tests and the bench). */
export function snapshot(): Record<string, Partial<Record<Name, number>>> {
  return Object.fromEntries(
    [...pending].map(([companyId, counts]) => [companyId, Object.fromEntries(counts)]),
  );
}

/** Writes the invocation's counts, one EMF line per company, and starts again from zero. */
export function flush() {
  if (pending.size === 0) return;
  try {
    for (const [companyId, counts] of pending) {
      const emf = new Emf({ defaultDimensions: { companyId } });
      for (const [name, value] of counts) emf.addMetric(name, MetricUnit.Count, value);
      emf.publishStoredMetrics();
    }
  } finally {
    pending.clear();
  }
}

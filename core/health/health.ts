import * as z from "zod";
import { config } from "../config";
import * as Db from "../db";
import * as Mailer from "../platform/mailer";
import * as Queue from "../platform/queue";
import * as Scheduler from "../platform/scheduler";
import * as Sms from "../platform/sms";
import * as Storage from "../platform/storage";
import * as Topic from "../platform/topic";

export const Dependency = z.object({
  name: z.string(),
  kind: z.enum(["table", "queue", "topic", "bucket", "email", "sms", "scheduler"]),
  up: z.boolean(),
  latencyMs: z.number().int(),
  /** The error's name only (`QueueDoesNotExist`, `AccessDenied`): AWS messages carry account ids and ARNs. */
  error: z.string().optional(),
});
export type Dependency = z.infer<typeof Dependency>;

export const Status = z.object({ status: z.enum(["up", "down"]) });
export type Status = z.infer<typeof Status>;

export const Report = Status.extend({ up: z.boolean(), dependencies: z.array(Dependency) });
export type Report = z.infer<typeof Report>;

const probes: Array<{ name: string; kind: Dependency["kind"]; probe: () => Promise<unknown> }> = [
  { name: "table", kind: "table", probe: () => Db.probe() },
  { name: "dispatch-queue", kind: "queue", probe: () => Queue.probe(config("DISPATCH_QUEUE_URL")) },
  { name: "import-queue", kind: "queue", probe: () => Queue.probe(config("IMPORT_QUEUE_URL")) },
  { name: "webhook-queue", kind: "queue", probe: () => Queue.probe(config("WEBHOOK_QUEUE_URL")) },
  { name: "sms-events-topic", kind: "topic", probe: () => Topic.probe(config("SMS_EVENTS_TOPIC_ARN")) },
  { name: "sms-inbound-topic", kind: "topic", probe: () => Topic.probe(config("SMS_INBOUND_TOPIC_ARN")) },
  { name: "attachments-bucket", kind: "bucket", probe: () => Storage.probe("attachments") },
  { name: "vault-bucket", kind: "bucket", probe: () => Storage.probe("vault") },
  { name: "ses", kind: "email", probe: () => Mailer.probe() },
  { name: "sms", kind: "sms", probe: () => Sms.probe() },
  { name: "scheduler", kind: "scheduler", probe: () => Scheduler.probe() },
];

const timeout = (ms: number) =>
  new Promise<never>((_, reject) =>
    setTimeout(
      () => reject(Object.assign(new Error(`no answer in ${ms} ms`), { name: "Timeout" })),
      ms,
    ).unref(),
  );

/** An error reduced to its name or code, which says what failed without quoting ARNs or account ids. */
export function errorName(error: unknown): string {
  if (!(error instanceof Error)) return "Error";
  const code = (error as { Code?: unknown; code?: unknown }).Code ?? (error as { code?: unknown }).code;
  const name = typeof code === "string" && code ? code : error.name;
  return /^[\w.-]{1,80}$/.test(name) ? name : "Error";
}

/** Counts rounds of probes, so tests can see that a burst shares one. */
export const rounds = { count: 0 };

/** Probes every dependency in parallel; one slow service cannot hold the report past the timeout. */
export async function probeAll(timeoutMs = 3000): Promise<Report> {
  rounds.count++;
  const dependencies = await Promise.all(
    probes.map(async ({ name, kind, probe }) => {
      const started = performance.now();
      try {
        await Promise.race([probe(), timeout(timeoutMs)]);
        return { name, kind, up: true, latencyMs: Math.round(performance.now() - started) };
      } catch (error) {
        const latencyMs = Math.round(performance.now() - started);
        return { name, kind, up: false, latencyMs, error: errorName(error) };
      }
    }),
  );
  const up = dependencies.every((dependency) => dependency.up);
  return { status: up ? "up" : "down", up, dependencies };
}

const cacheMs = 10_000;
let cached: { at: number; report: Promise<Report> } | undefined;

/**
 * The last round of probes if it is under 10 s old: the route is public, and a burst must not turn into
 * ten AWS calls a hit. Concurrent callers share the round in flight.
 */
export function check(now = Date.now()): Promise<Report> {
  if (cached && now - cached.at < cacheMs) return cached.report;
  const report = probeAll();
  cached = { at: now, report };
  return report;
}

/** Tests that break a dependency on purpose want a fresh round. */
export function forgetCached() {
  cached = undefined;
}

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
  error: z.string().optional(),
});
export type Dependency = z.infer<typeof Dependency>;

export const Report = z.object({ up: z.boolean(), dependencies: z.array(Dependency) });
export type Report = z.infer<typeof Report>;

const probes: Array<{ name: string; kind: Dependency["kind"]; probe: () => Promise<unknown> }> = [
  { name: "table", kind: "table", probe: () => Db.probe() },
  { name: "dispatch-queue", kind: "queue", probe: () => Queue.probe(config("DISPATCH_QUEUE_URL")) },
  { name: "import-queue", kind: "queue", probe: () => Queue.probe(config("IMPORT_QUEUE_URL")) },
  { name: "sms-events-topic", kind: "topic", probe: () => Topic.probe(config("SMS_EVENTS_TOPIC_ARN")) },
  { name: "sms-inbound-topic", kind: "topic", probe: () => Topic.probe(config("SMS_INBOUND_TOPIC_ARN")) },
  { name: "attachments-bucket", kind: "bucket", probe: () => Storage.probe("attachments") },
  { name: "vault-bucket", kind: "bucket", probe: () => Storage.probe("vault") },
  { name: "ses", kind: "email", probe: () => Mailer.probe() },
  { name: "sms", kind: "sms", probe: () => Sms.probe() },
  { name: "scheduler", kind: "scheduler", probe: () => Scheduler.probe() },
];

const timeout = (ms: number) =>
  new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref());

/** Probes every dependency in parallel; one slow service cannot hold the report past the timeout. */
export async function check(timeoutMs = 3000): Promise<Report> {
  const dependencies = await Promise.all(
    probes.map(async ({ name, kind, probe }) => {
      const started = performance.now();
      try {
        await Promise.race([probe(), timeout(timeoutMs)]);
        return { name, kind, up: true, latencyMs: Math.round(performance.now() - started) };
      } catch (error) {
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        return { name, kind, up: false, latencyMs: Math.round(performance.now() - started), error: message };
      }
    }),
  );
  return { up: dependencies.every((dependency) => dependency.up), dependencies };
}

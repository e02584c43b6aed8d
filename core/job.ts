import * as z from "zod";
import { withActor } from "./actor";
import { config } from "./config";
import { kinds } from "./jobs";
import * as Queue from "./platform/queue";
import { type JobQueueName, type QueueName, queues } from "./queues";

/**
 * Unattended work: a job is a JSON envelope `{ kind, companyId, … }` on a job queue (core/queues.ts). A
 * kind is declared once, with its queue, its schema and what running it does:
 *
 *   export const LaunchCampaign = Job.define({ kind: "campaign.launch", queue: "dispatch", schema, run });
 *
 * and listed once in core/jobs.ts, so that any process can send it and the queue's consumer can run it.
 * The consumer (functions/jobs/run.ts), the Scheduler port and the dead letters never list kinds.
 */
export const Envelope = z.looseObject({ kind: z.string().min(1), companyId: z.string().min(1) });
export type Envelope = { kind: string; companyId: string };

/** What SQS and Lambda tell a running job. */
export type Context = {
  /** Epoch milliseconds by which the invocation ends (from getRemainingTimeInMillis). */
  deadline: number;
  timeLeft: () => number;
  /** SQS delivered this message before (ApproximateReceiveCount > 1): an earlier attempt may have crashed. */
  redelivered: boolean;
};

export type Definition<J extends Envelope = Envelope> = {
  kind: J["kind"];
  queue: JobQueueName;
  schema: z.ZodType<J, unknown>;
  /** Runs under the system actor of the job's company. Thrown: SQS delivers it again (then the DLQ). */
  run: (job: J, context: Context) => Promise<unknown>;
};

export class UnknownJob extends Error {
  constructor(kind: string, why: string) {
    super(`Job ${kind}: ${why}`);
    this.name = "UnknownJob";
  }
}

const defined = new Map<string, Definition>();

export function define<K extends string, J extends Envelope & { kind: K }>(
  definition: Definition<J> & { kind: K },
): Definition<J> & { kind: K } {
  defined.set(definition.kind, definition as unknown as Definition);
  return definition;
}

/**
 * The definition of `kind`: defined in this process already, or loaded from the registry. Undefined for a
 * kind nobody knows (an older or newer deploy's, a typo).
 */
export async function find(kind: string): Promise<Definition | undefined> {
  const known = defined.get(kind);
  if (known) return known;
  const load = (kinds as Record<string, (() => Promise<unknown>) | undefined>)[kind];
  if (!Object.hasOwn(kinds, kind) || !load) return undefined;
  return (await load()) as Definition;
}

async function definitionOf(kind: string) {
  const definition = await find(kind);
  if (!definition) throw new UnknownJob(kind, "no such kind (missing from core/jobs.ts?)");
  return definition;
}

/** The queue a job kind runs on, as the settings name it (its URL to send, its ARN for the Scheduler). */
export async function target(kind: string) {
  const { queue } = await definitionOf(kind);
  const settings = queues[queue].jobs;
  return { queue, url: config(settings.url) as string, arn: config(settings.arn) as string };
}

/** Sends a job to its kind's queue; `delaySeconds` (≤ 900) holds it back. */
export async function enqueue<J extends Envelope>(job: J, options: { delaySeconds?: number } = {}) {
  const { url } = await target(job.kind);
  return Queue.send(url, job, options.delaySeconds ? { delaySeconds: options.delaySeconds } : {});
}

/** Many jobs, ten to an SQS batch (all of them sent, or an error). Ids must be unique per call. */
export async function enqueueBatch<J extends Envelope>(
  jobs: Array<{ id: string; job: J; delaySeconds?: number }>,
) {
  const byUrl = new Map<string, Queue.Outgoing[]>();
  for (const { id, job, delaySeconds } of jobs) {
    const { url } = await target(job.kind);
    byUrl.set(url, [...(byUrl.get(url) ?? []), { id, body: job, delaySeconds }]);
  }
  for (const [url, outgoing] of byUrl) await Queue.sendBatch(url, outgoing);
}

/**
 * Runs one job taken off `queue`: looks its kind up, checks it belongs there, parses it with the kind's
 * schema and runs it as the system actor of its company. An unknown kind, a kind of another queue or a
 * body its schema refuses throws: SQS tries again (a deploy in progress may bring the kind), then the
 * message reaches the DLQ, where the company's Admins see it rather than it vanishing.
 */
export async function run(envelope: Envelope, queue: QueueName | undefined, context: Context) {
  const definition = await definitionOf(envelope.kind);
  if (queue && definition.queue !== queue)
    throw new UnknownJob(envelope.kind, `runs on ${definition.queue}, not on ${queue}`);
  const parsed = definition.schema.safeParse(envelope);
  if (!parsed.success)
    throw new UnknownJob(envelope.kind, `invalid body: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  const actor = { type: "system" as const, companyId: envelope.companyId, reason: envelope.kind };
  return withActor(actor, () => definition.run(parsed.data, context));
}

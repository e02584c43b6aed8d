import type { Env } from "./config";

/**
 * Every SQS queue, read by the Messaging stack and by the local cloud (scripts/local), so the two cannot
 * drift. Pure data: stacks import it like core/table.ts.
 *
 * Each queue has a dead-letter queue `<name>-dlq` and one consumer. `consumer` is a module under
 * functions/ exporting `handler`.
 */
export type QueueDefinition = {
  consumer: string;
  batchSize: number;
  /** Event source mapping's maximum concurrency; absent: as many as Lambda gives. */
  maxConcurrency?: number;
  /** The consumer's timeout, seconds. The queue's visibility timeout follows from it (visibilityTimeout). */
  timeout: number;
  memorySize?: number;
  maxReceiveCount: number;
  /** Alarm when the oldest message has waited longer than this, minutes. */
  maxAgeMinutes: number;
  /** Fed by this SNS topic (provider events) rather than by our code. */
  topic?: string;
  /** Carries job envelopes (core/job.ts): the settings naming it, for Job.enqueue and the Scheduler. */
  jobs?: { url: keyof Env; arn: keyof Env };
};

export const queues = {
  dispatch: {
    consumer: "functions/jobs/run",
    batchSize: 10,
    // Bounded so a large campaign cannot exceed the account's SMS throughput.
    maxConcurrency: 5,
    timeout: 60,
    maxReceiveCount: 5,
    maxAgeMinutes: 15,
    jobs: { url: "DISPATCH_QUEUE_URL", arn: "DISPATCH_QUEUE_ARN" },
  },
  import: {
    consumer: "functions/jobs/run",
    // One import per invocation: each gets the whole timeout, and hands over to a new message past it.
    batchSize: 1,
    maxConcurrency: 2,
    timeout: 300,
    memorySize: 2048,
    maxReceiveCount: 5,
    maxAgeMinutes: 30,
    jobs: { url: "IMPORT_QUEUE_URL", arn: "IMPORT_QUEUE_ARN" },
  },
  webhooks: {
    consumer: "functions/jobs/run",
    // Apart from dispatch, so slow receivers (10 s each, core/webhook/post.ts) never hold up SMS sending;
    // bounded so a burst of events cannot open hundreds of connections at once.
    batchSize: 5,
    maxConcurrency: 4,
    // Five posts of 10 s one after the other, and their writes.
    timeout: 90,
    maxReceiveCount: 5,
    maxAgeMinutes: 15,
    jobs: { url: "WEBHOOK_QUEUE_URL", arn: "WEBHOOK_QUEUE_ARN" },
  },
  erasure: {
    consumer: "functions/jobs/run",
    // A closed company's erasure after its grace period: the only consumer allowed to Scan the table and
    // delete objects anywhere in the buckets, so it has a queue and a role of its own. One at a time.
    batchSize: 1,
    maxConcurrency: 2,
    timeout: 900,
    maxReceiveCount: 5,
    maxAgeMinutes: 60,
    jobs: { url: "ERASURE_QUEUE_URL", arn: "ERASURE_QUEUE_ARN" },
  },
  "sms-events": {
    consumer: "functions/events/sms-events",
    batchSize: 10,
    timeout: 60,
    maxReceiveCount: 5,
    maxAgeMinutes: 15,
    topic: "sms-events",
  },
  "sms-inbound": {
    consumer: "functions/events/sms-inbound",
    batchSize: 10,
    timeout: 60,
    maxReceiveCount: 5,
    maxAgeMinutes: 15,
    topic: "sms-inbound",
  },
  "email-events": {
    consumer: "functions/events/email-events",
    batchSize: 10,
    timeout: 60,
    maxReceiveCount: 5,
    maxAgeMinutes: 15,
    topic: "email-events",
  },
  "email-inbound": {
    consumer: "functions/events/email-inbound",
    batchSize: 10,
    timeout: 60,
    maxReceiveCount: 5,
    maxAgeMinutes: 15,
    topic: "email-inbound",
  },
} as const satisfies Record<string, QueueDefinition>;

export type QueueName = keyof typeof queues;
export type JobQueueName = {
  [Q in QueueName]: (typeof queues)[Q] extends { jobs: object } ? Q : never;
}[QueueName];

export const queueNames = Object.keys(queues) as QueueName[];

/** Every DLQ drains into one consumer (the console's « Échecs techniques »). */
export const deadLetters = { consumer: "functions/events/dead-letters", batchSize: 10, timeout: 60 } as const;

/** AWS advises a visibility timeout of six times the consumer's timeout for Lambda event sources. */
export const visibilityTimeout = (queue: QueueName) => queues[queue].timeout * 6;

/**
 * A queue's name in a stage, `<stage>-relais-<queue>` (locally `local-relais-<queue>`); its DLQ adds
 * `-dlq`. Explicit names let the API be granted `<stage>-relais-*` and a dead letter find its way back.
 */
export const queueName = (stage: string, queue: QueueName) => `${stage}-relais-${queue}`;

/** Which of our queues a queue (or DLQ) name or ARN is: `dispatch` for `dev-relais-dispatch-dlq`. */
export function queueOf(nameOrArn: string | undefined): QueueName | undefined {
  const name = (nameOrArn?.split(":").pop() ?? "").replace(/-dlq$/, "");
  return queueNames.find((queue) => name === queue || name.endsWith(`-${queue}`));
}

import {
  deadLetters as deadLetterTable,
  type QueueName,
  queueName,
  queueNames,
  queues as table,
} from "../../core/queues";

/**
 * The local twin of the stacks: the same queues, topics and consumers (core/queues.ts), under local names.
 * Pollers read `consumers` to know which production handler each queue feeds, as the event source mappings do.
 */
export const REGION = "eu-west-3";
export const ACCOUNT = "000000000000";

export const names = {
  table: "relais-local",
  attachmentsBucket: "relais-local-attachments",
  vaultBucket: "relais-local-vault",
  sesConfigurationSet: "relais-local",
  smsConfigurationSet: "relais-local",
  scheduleGroup: "relais-local",
  schedulerRoleArn: `arn:aws:iam::${ACCOUNT}:role/relais-local-scheduler`,
  mailFrom: "no-reply@relais.localhost",
  smsSenderId: "RELAIS",
} as const;

export type { QueueName } from "../../core/queues";

/** Queues are named as on AWS with the stage `local`: `local-relais-dispatch`, DLQ `local-relais-dispatch-dlq`. */
export const localQueueName = (queue: QueueName) => queueName("local", queue);

/**
 * Every queue of core/queues.ts, with what differs locally, derived rather than restated:
 * - visibility timeout = the consumer's timeout, not six times it: AWS's advice covers Lambda throttling
 *   the event source, which a local poller never does, and a failed record comes back within a test;
 * - one poller per queue unless asked (benchmarks ask), instead of the stack's maximum concurrency.
 */
export const queues = queueNames.map((name) => ({
  name,
  maxReceiveCount: table[name].maxReceiveCount,
  visibilityTimeout: table[name].timeout,
}));

/** SNS topics fan out to the queue the table names them for, as in the Messaging stack. */
export const topics = queueNames.flatMap((name) => {
  const topic = (table[name] as { topic?: string }).topic;
  return topic ? [{ topic, queue: name }] : [];
});

/** Queue → production handler (module under functions/, export `handler`), as the event source mappings. */
export const consumers = Object.fromEntries(
  queueNames.map((name) => [
    name,
    { module: `${table[name].consumer}.ts`, batchSize: table[name].batchSize, timeout: table[name].timeout },
  ]),
) as Record<QueueName, { module: string; batchSize: number; timeout: number }>;

/** Every DLQ feeds the one dead-letters consumer, as in the Messaging stack. */
export const deadLetters = {
  module: `${deadLetterTable.consumer}.ts`,
  batchSize: deadLetterTable.batchSize,
  timeout: deadLetterTable.timeout,
};

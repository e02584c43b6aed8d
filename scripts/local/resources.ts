/**
 * The local twin of the stacks: the same queues, topics and consumers, under local names. Pollers read
 * `consumers` to know which production handler each queue feeds, exactly as the event source mappings do.
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

export type QueueName =
  | "dispatch"
  | "import"
  | "sms-events"
  | "sms-inbound"
  | "email-events"
  | "email-inbound";
export type TopicName = "sms-events" | "sms-inbound" | "email-events" | "email-inbound";

/** Each queue has a DLQ named `<queue>-dlq`; receive counts match the Messaging stack. */
export const queues: Array<{ name: QueueName; maxReceiveCount: number; visibilityTimeout: number }> = [
  { name: "dispatch", maxReceiveCount: 5, visibilityTimeout: 60 },
  { name: "import", maxReceiveCount: 3, visibilityTimeout: 900 },
  { name: "sms-events", maxReceiveCount: 5, visibilityTimeout: 30 },
  { name: "sms-inbound", maxReceiveCount: 5, visibilityTimeout: 30 },
  { name: "email-events", maxReceiveCount: 5, visibilityTimeout: 30 },
  { name: "email-inbound", maxReceiveCount: 5, visibilityTimeout: 30 },
];

/** SNS topics fan out to the queue of the same name, as in the Messaging stack. */
export const topics: TopicName[] = ["sms-events", "sms-inbound", "email-events", "email-inbound"];

/** Queue → production handler (module under functions/, export `handler`). */
export const consumers: Record<QueueName, { module: string; batchSize: number }> = {
  dispatch: { module: "functions/dispatch/send.ts", batchSize: 10 },
  import: { module: "functions/imports/run.ts", batchSize: 1 },
  "sms-events": { module: "functions/events/sms-events.ts", batchSize: 10 },
  "sms-inbound": { module: "functions/events/sms-inbound.ts", batchSize: 10 },
  "email-events": { module: "functions/events/email-events.ts", batchSize: 10 },
  "email-inbound": { module: "functions/events/email-inbound.ts", batchSize: 10 },
};

/** Every DLQ feeds the one dead-letters consumer, as in the Messaging stack. */
export const deadLetters = { module: "functions/events/dead-letters.ts", batchSize: 10 };

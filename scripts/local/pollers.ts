import { randomUUID } from "node:crypto";
import { join } from "node:path";
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { consumers, deadLetters, type QueueName, REGION } from "./resources";

type SqsLambda = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

export type PollerStats = Record<QueueName, { invocations: number; received: number; failed: number }>;

/**
 * The local event source mappings: long-poll each queue and hand batches to the very handler Lambda
 * runs, deleting what succeeded and leaving failed records to reappear after the visibility timeout
 * (and reach the DLQ after maxReceiveCount), as on AWS.
 */
export function startPollers(options: {
  root: string;
  queueUrls: Record<QueueName, string>;
  concurrency?: Partial<Record<QueueName, number>>;
  log?: (line: string) => void;
  /** Benchmarks pass an instrumented client. */
  sqs?: SQSClient;
  /** More mappings, one poller each (scripts/local/events.ts: the subscribers' queues and DLQs). */
  extra?: Array<{ name: string; queueUrl: string; module: string; batchSize: number }>;
}) {
  const sqs = options.sqs ?? new SQSClient({ region: REGION, useQueueUrlAsEndpoint: false });
  const log = options.log ?? (() => {});
  let running = true;
  const stats = {} as PollerStats;
  const loops: Promise<void>[] = [];

  /** One event source mapping: long-polls `queueUrl` and hands batches to the handler of `module`. */
  const mapping = (
    queue: string,
    queueUrl: string,
    { module, batchSize, timeout }: { module: string; batchSize: number; timeout: number },
    count: number,
  ) => {
    const stat = { invocations: 0, received: 0, failed: 0 };
    const handlerPromise = import(join(options.root, module)).then(
      (loaded: { handler: SqsLambda }) => loaded.handler,
    );
    const loop = async () => {
      const handler = await handlerPromise;
      while (running) {
        try {
          const received = await sqs.send(
            new ReceiveMessageCommand({
              QueueUrl: queueUrl,
              MaxNumberOfMessages: batchSize,
              WaitTimeSeconds: 1,
              MessageSystemAttributeNames: ["All"],
              MessageAttributeNames: ["All"],
            }),
          );
          const messages = received.Messages ?? [];
          if (messages.length === 0 || !running) continue;
          stat.invocations++;
          stat.received += messages.length;
          const failed = await invoke(handler, queue, queueUrl, messages, log, timeout);
          stat.failed += failed.size;
          const done = messages.filter((message) => !failed.has(message.MessageId!));
          if (done.length > 0) {
            await sqs.send(
              new DeleteMessageBatchCommand({
                QueueUrl: queueUrl,
                Entries: done.map((message, index) => ({
                  Id: String(index),
                  ReceiptHandle: message.ReceiptHandle!,
                })),
              }),
            );
          }
        } catch (error) {
          if (running) log(`[poller ${queue}] ${String(error)}`);
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
    };
    for (let index = 0; index < count; index++) loops.push(loop());
    return stat;
  };

  for (const [queue, consumer] of Object.entries(consumers) as Array<
    [QueueName, (typeof consumers)[QueueName]]
  >) {
    const queueUrl = options.queueUrls[queue];
    stats[queue] = mapping(queue, queueUrl, consumer, options.concurrency?.[queue] ?? 1);
    // Its dead-letter queue (provisioned as `<queue>-dlq`) is drained by the dead-letters consumer.
    mapping(queue, `${queueUrl}-dlq`, deadLetters, 1);
  }
  for (const more of options.extra ?? [])
    mapping(more.name, more.queueUrl, { module: more.module, batchSize: more.batchSize, timeout: 60 }, 1);

  return {
    stats,
    async stop() {
      running = false;
      await Promise.all(loops);
      sqs.destroy();
    },
  };
}

async function invoke(
  handler: SqsLambda,
  queue: string,
  queueUrl: string,
  messages: Message[],
  log: (line: string) => void,
  timeout: number,
): Promise<Set<string>> {
  const event: SQSEvent = { Records: messages.map((message) => toRecord(message, queueUrl)) };
  try {
    const response = await handler(event, lambdaContext(queue, timeout));
    return new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
  } catch (error) {
    log(`[${queue}] handler threw, whole batch will be retried: ${String(error)}`);
    return new Set(messages.map((message) => message.MessageId!));
  }
}

function toRecord(message: Message, queueUrl: string): SQSRecord {
  // http://sqs.<region>.localhost:<port>/<account>/<name>
  const [, , account, name] = queueUrl.replace(/^https?:\/\//, "x/").split("/");
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? "",
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? "1",
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? "local",
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? "",
    eventSource: "aws:sqs",
    eventSourceARN: `arn:aws:sqs:${REGION}:${account}:${name}`,
    awsRegion: REGION,
  };
}

/** The consumer's timeout (core/queues.ts) bounds getRemainingTimeInMillis, as on Lambda. */
function lambdaContext(queue: string, timeout: number): Context {
  const deadline = Date.now() + timeout * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `relais-local-${queue}`,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${REGION}:000000000000:function:relais-local-${queue}`,
    memoryLimitInMB: "1024",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/relais-local-${queue}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { sqs } from "./clients/sqs";

export type Outgoing = { id: string; body: unknown; delaySeconds?: number };

export async function send(queueUrl: string, body: unknown, options: { delaySeconds?: number } = {}) {
  const result = await sqs().send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: JSON.stringify(body),
      DelaySeconds: options.delaySeconds,
    }),
  );
  return result.MessageId;
}

/**
 * Sends in batches of ten (the SQS maximum) and retries entries SQS reports as failed, so a caller
 * either gets every message enqueued or an error naming what is left. Ids must be unique per call.
 */
export async function sendBatch(queueUrl: string, messages: Outgoing[], attempts = 3) {
  let pending = messages;
  for (let attempt = 1; pending.length > 0; attempt++) {
    const failed: Outgoing[] = [];
    for (let start = 0; start < pending.length; start += 10) {
      const chunk = pending.slice(start, start + 10);
      const result = await sqs().send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((message) => ({
            Id: message.id,
            MessageBody: JSON.stringify(message.body),
            DelaySeconds: message.delaySeconds,
          })),
        }),
      );
      const failedIds = new Set((result.Failed ?? []).map((entry) => entry.Id));
      failed.push(...chunk.filter((message) => failedIds.has(message.id)));
    }
    if (failed.length > 0 && attempt >= attempts) {
      throw new Error(`SQS refused ${failed.length} message(s) after ${attempts} attempts`);
    }
    pending = failed;
  }
}

export async function probe(queueUrl: string) {
  const result = await sqs().send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }),
  );
  return { waiting: Number(result.Attributes?.ApproximateNumberOfMessages ?? 0) };
}

/**
 * A queue's URL from its ARN (or its name, in this account), asked of SQS (GetQueueUrl) rather than spelt from the ARN: the same call
 * answers on AWS and against the local emulator, whose URLs differ.
 */
export async function urlOf(queueArnOrName: string) {
  const parts = queueArnOrName.split(":");
  const [name, account] = parts.length === 6 ? [parts[5], parts[4]] : [queueArnOrName, undefined];
  const result = await sqs().send(
    new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account || undefined }),
  );
  return result.QueueUrl!;
}

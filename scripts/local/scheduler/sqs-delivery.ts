// Delivery to SQS targets through the real SDK, pointed at the local SQS emulator. The SDK's own
// retries are off: the schedule's RetryPolicy decides what happens after a failure.

import type { MessageAttributeValue } from "@aws-sdk/client-sqs";
import { GetQueueUrlCommand, SendMessageCommand, SQSClient, SQSServiceException } from "@aws-sdk/client-sqs";

export class DeliveryFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export interface SqsMessage {
  queueArn: string;
  body: string;
  messageGroupId?: string;
  deduplicationId?: string;
  attributes?: Record<string, MessageAttributeValue>;
}

export interface SqsQueueRef {
  region: string;
  accountId: string;
  name: string;
}

export function parseSqsArn(arn: string): SqsQueueRef | undefined {
  const match = /^arn:aws[a-z-]*:sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_.-]+)$/.exec(arn);
  if (!match) return undefined;
  const [, region = "", accountId = "", name = ""] = match;
  return { region, accountId, name };
}

export class SqsDelivery {
  private readonly clients = new Map<string, SQSClient>();
  private readonly queueUrls = new Map<string, string>();

  constructor(private readonly endpoint: string) {}

  /** Resolves with the SQS MessageId, or rejects with a DeliveryFailure. */
  async send(message: SqsMessage): Promise<string> {
    const queue = parseSqsArn(message.queueArn);
    if (!queue)
      throw new DeliveryFailure("InvalidTarget", `${message.queueArn} is not an SQS queue ARN`, false);
    const client = this.client(queue.region);
    const fifo = queue.name.endsWith(".fifo");
    try {
      const result = await client.send(
        new SendMessageCommand({
          QueueUrl: await this.queueUrl(client, message.queueArn, queue.name),
          MessageBody: message.body,
          MessageGroupId: fifo ? message.messageGroupId : undefined,
          MessageDeduplicationId: fifo ? message.deduplicationId : undefined,
          MessageAttributes: message.attributes,
        }),
      );
      return result.MessageId ?? "";
    } catch (error) {
      this.queueUrls.delete(message.queueArn);
      throw classify(error);
    }
  }

  destroy(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
    this.queueUrls.clear();
  }

  private client(region: string): SQSClient {
    let client = this.clients.get(region);
    if (!client) {
      // The region must match the ARN: the emulator keeps queues per region, like AWS.
      client = new SQSClient({
        region,
        endpoint: this.endpoint,
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
        maxAttempts: 1,
      });
      this.clients.set(region, client);
    }
    return client;
  }

  private async queueUrl(client: SQSClient, arn: string, name: string): Promise<string> {
    const cached = this.queueUrls.get(arn);
    if (cached) return cached;
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: name }));
    if (!QueueUrl) throw new DeliveryFailure("QueueDoesNotExist", `No URL for ${arn}`, false);
    this.queueUrls.set(arn, QueueUrl);
    return QueueUrl;
  }
}

/** Client errors (missing queue, FIFO without group id…) are permanent; throttles, 5xx, network are not. */
function classify(error: unknown): DeliveryFailure {
  if (error instanceof DeliveryFailure) return error;
  if (error instanceof SQSServiceException) {
    const status = error.$metadata.httpStatusCode ?? 0;
    const throttled = status === 429 || /throttl|RequestThrottled|OverLimit/i.test(error.name);
    return new DeliveryFailure(error.name, error.message, error.$fault === "server" || throttled);
  }
  if (error instanceof Error) {
    const code = "code" in error && typeof error.code === "string" ? error.code : error.name;
    return new DeliveryFailure(code, error.message, true);
  }
  return new DeliveryFailure("UnknownError", String(error), true);
}

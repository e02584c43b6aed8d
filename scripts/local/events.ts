import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  DescribeTableCommand,
  DynamoDBClient,
  type StreamSpecification,
  UpdateTableCommand,
} from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from "@aws-sdk/client-dynamodb-streams";
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import type { DynamoDBStreamEvent } from "aws-lambda";
import { Hono } from "hono";
import { outboxEntityName, queueName } from "../../core/event";
import { subscribers } from "../../core/subscribers";
import { deadLetters, REGION } from "./resources";

/**
 * The local twin of stacks/Events.ts: the table's stream, the `events` topic, one queue (+ DLQ) per
 * subscriber with its filter policy, and the stream's event source mapping, which invokes the very
 * publisher Lambda runs (functions/events/publish.ts) and keeps its place in the stream on disk.
 */

/** As the stack's DynamoEventSource: new images, INSERTs of outbox items only. */
export const streamSpecification: StreamSpecification = { StreamEnabled: true, StreamViewType: "NEW_IMAGE" };
const publisherModule = "functions/events/publish.ts";
const subscriberModule = "functions/subscribers/consume.ts";
/** The publisher's on-failure destination, as the stack's. */
export const publisherDlq = "events-publish-dlq";
/** Attempts of a batch before it goes to the on-failure destination (the stack's retryAttempts + 1). */
const maxAttempts = 4;

function clientsFor(env: Record<string, string>) {
  const base = {
    region: REGION,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
  };
  return {
    dynamo: new DynamoDBClient({ ...base, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB }),
    sqs: new SQSClient({ ...base, endpoint: env.AWS_ENDPOINT_URL_SQS, useQueueUrlAsEndpoint: false }),
    sns: new SNSClient({ ...base, endpoint: env.AWS_ENDPOINT_URL_SNS }),
  };
}

/**
 * Turns the table's stream on (a `.local` table created before events has none), creates the topic and
 * the subscribers' queues, and returns the settings the app reads. Idempotent.
 */
export async function provisionEvents(cloudEnv: Record<string, string>, tableName: string) {
  const { dynamo, sqs, sns } = clientsFor(cloudEnv);
  const table = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
  if (!table.Table?.StreamSpecification?.StreamEnabled)
    await dynamo.send(
      new UpdateTableCommand({ TableName: tableName, StreamSpecification: streamSpecification }),
    );
  const { TopicArn: topicArn } = await sns.send(new CreateTopicCommand({ Name: "events" }));
  const queueUrls: Record<string, string> = {};
  const arnOf = async (url: string) =>
    (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] })))
      .Attributes!.QueueArn!;
  for (const subscriber of subscribers) {
    const name = `local-relais-${queueName(subscriber)}`;
    const dlq = await sqs.send(
      new CreateQueueCommand({ QueueName: `${name}-dlq`, Attributes: { MessageRetentionPeriod: "1209600" } }),
    );
    const created = await sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: {
          VisibilityTimeout: "30",
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: await arnOf(dlq.QueueUrl!),
            maxReceiveCount: 5,
          }),
        },
      }),
    );
    queueUrls[subscriber.name] = created.QueueUrl!;
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: "sqs",
        Endpoint: await arnOf(created.QueueUrl!),
        Attributes: {
          FilterPolicy: JSON.stringify({ name: subscriber.events.map((event) => event.name) }),
          RawMessageDelivery: "true",
        },
      }),
    );
  }
  const failures = await sqs.send(
    new CreateQueueCommand({ QueueName: publisherDlq, Attributes: { MessageRetentionPeriod: "1209600" } }),
  );
  for (const client of [dynamo, sqs, sns]) client.destroy();
  return {
    queueUrls,
    publisherDlqUrl: failures.QueueUrl!,
    env: {
      // The SDK's own variable for DynamoDB Streams: DynamoDB Local serves both APIs.
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: cloudEnv.AWS_ENDPOINT_URL_DYNAMODB!,
      EVENTS_TOPIC_ARN: topicArn!,
    },
  };
}

/** The subscribers' queues and DLQs, as more event source mappings for scripts/local/pollers.ts. */
export function eventMappings(provisioned: { queueUrls: Record<string, string>; publisherDlqUrl: string }) {
  return [
    ...subscribers.flatMap((subscriber) => {
      const url = provisioned.queueUrls[subscriber.name]!;
      return [
        { name: queueName(subscriber), queueUrl: url, module: subscriberModule, batchSize: 10 },
        { name: `${queueName(subscriber)}-dlq`, queueUrl: `${url}-dlq`, ...deadLetters },
      ];
    }),
    { name: publisherDlq, queueUrl: provisioned.publisherDlqUrl, ...deadLetters },
  ];
}

/**
 * Faults the local stream mapping can inject, for a batch holding an event of `companyId`:
 * `before-publish` fails the invocation before the publisher runs (a Lambda that died after the commit),
 * `after-publish` runs it and then fails before the checkpoint (died after publishing): the batch is
 * read again and published twice.
 */
export type Fault = { companyId: string; stage: "before-publish" | "after-publish"; times: number };

type Checkpoint = { streamArn?: string; shards: Record<string, string> };
type Publisher = (event: DynamoDBStreamEvent) => Promise<void>;

/**
 * The stream's event source mapping: reads each shard from its checkpoint, hands the outbox INSERTs to
 * the publisher, and advances the checkpoint only once the publisher succeeded. The checkpoint is saved
 * under `<dataDir>/events/stream.json`, so a restart neither replays the stream nor skips what was not
 * published. A batch failing `maxAttempts` times goes to the on-failure queue, as on AWS.
 */
export function startStreamPoller(options: {
  root: string;
  tableName: string;
  dataDir?: string;
  onFailureQueueUrl?: string;
  log?: (line: string) => void;
  /** Tests pass their own; default: the production publisher. */
  publisher?: Publisher;
  idleMs?: number;
}) {
  const log = options.log ?? (() => {});
  const dynamo = new DynamoDBClient({ region: REGION });
  const streams = new DynamoDBStreamsClient({ region: REGION });
  const sqs = new SQSClient({ region: REGION, useQueueUrlAsEndpoint: false });
  const file = options.dataDir ? join(options.dataDir, "events", "stream.json") : undefined;
  let checkpoint: Checkpoint = { shards: {} };
  if (file) {
    try {
      checkpoint = JSON.parse(readFileSync(file, "utf8")) as Checkpoint;
    } catch {}
  }
  const save = () => {
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, JSON.stringify(checkpoint));
    renameSync(`${file}.tmp`, file);
  };
  const faults: Fault[] = [];
  const fired: Array<{ stage: Fault["stage"]; companyId: string; eventIds: string[] }> = [];
  /** Event id → times the publisher returned successfully with it. */
  const published = new Map<string, number>();
  const publisher: Promise<Publisher> = options.publisher
    ? Promise.resolve(options.publisher)
    : import(join(options.root, publisherModule)).then((loaded: { handler: Publisher }) => loaded.handler);

  let running = true;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const iterators = new Map<string, string | undefined>();
  const closed = new Set<string>();
  const attempts = new Map<string, number>();

  const iteratorFor = async (streamArn: string, shardId: string) => {
    const after = checkpoint.shards[shardId];
    try {
      const result = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ...(after
            ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: after }
            : { ShardIteratorType: "TRIM_HORIZON" }),
        }),
      );
      return result.ShardIterator;
    } catch (error) {
      // The checkpoint fell off the stream's 24 hours: start from what is left.
      if (!(error instanceof Error && error.name === "TrimmedDataAccessException")) throw error;
      const result = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: "TRIM_HORIZON",
        }),
      );
      return result.ShardIterator;
    }
  };

  /** Reads one batch of a shard; returns whether it read anything. */
  const poll = async (streamArn: string, shardId: string) => {
    if (!iterators.get(shardId)) iterators.set(shardId, await iteratorFor(streamArn, shardId));
    const iterator = iterators.get(shardId);
    if (!iterator) return false;
    const result = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
    const records = result.Records ?? [];
    if (records.length === 0) {
      iterators.set(shardId, result.NextShardIterator);
      if (!result.NextShardIterator) closed.add(shardId);
      return false;
    }
    const last = records.at(-1)!.dynamodb!.SequenceNumber!;
    const batch = records.filter(isOutboxInsert);
    try {
      if (batch.length > 0) await invoke(batch);
    } catch (error) {
      const tries = (attempts.get(shardId) ?? 0) + 1;
      attempts.set(shardId, tries);
      // Read the same batch again from the checkpoint, as Lambda retries a failed batch.
      iterators.delete(shardId);
      if (tries < maxAttempts) {
        log(`[events stream] publisher failed (attempt ${tries}), retrying: ${String(error)}`);
        await sleep(100 * 2 ** tries);
        return true;
      }
      log(`[events stream] batch failed ${tries} times, sent to ${publisherDlq}: ${String(error)}`);
      if (options.onFailureQueueUrl) await sendToOnFailure(streamArn, shardId, records);
    }
    attempts.delete(shardId);
    checkpoint.shards[shardId] = last;
    save();
    iterators.set(shardId, result.NextShardIterator);
    return true;
  };

  const invoke = async (batch: StreamRecord[]) => {
    const ids = batch.map((record) => record.dynamodb?.NewImage?.eventId?.S ?? "");
    const companies = new Set(batch.map((record) => record.dynamodb?.NewImage?.companyId?.S));
    const fault = faults.find((candidate) => candidate.times > 0 && companies.has(candidate.companyId));
    const fire = (stage: Fault["stage"]) => {
      if (fault?.stage !== stage) return;
      fault.times--;
      fired.push({ stage, companyId: fault.companyId, eventIds: ids });
      throw new Error(`injected fault ${stage}`);
    };
    fire("before-publish");
    await (await publisher)({ Records: batch as DynamoDBStreamEvent["Records"] });
    for (const id of ids) published.set(id, (published.get(id) ?? 0) + 1);
    fire("after-publish");
  };

  /** What AWS puts on the on-failure destination: where the failed batch is, not the records. */
  const sendToOnFailure = async (streamArn: string, shardId: string, records: StreamRecord[]) => {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: options.onFailureQueueUrl,
        MessageBody: JSON.stringify({
          requestContext: { condition: "RetryAttemptsExhausted", approximateInvokeCount: maxAttempts },
          DDBStreamBatchInfo: {
            shardId,
            streamArn,
            startSequenceNumber: records[0]?.dynamodb?.SequenceNumber,
            endSequenceNumber: records.at(-1)?.dynamodb?.SequenceNumber,
            batchSize: records.length,
          },
        }),
      }),
    );
  };

  const loop = (async () => {
    let streamArn: string | undefined;
    let shards: string[] = [];
    let described = 0;
    while (running) {
      try {
        if (!streamArn || Date.now() - described > 5_000) {
          const table = await dynamo.send(new DescribeTableCommand({ TableName: options.tableName }));
          const latest = table.Table?.LatestStreamArn;
          if (latest && latest !== checkpoint.streamArn) {
            // A new stream (the table was recreated or its stream turned on): its own positions.
            checkpoint = { streamArn: latest, shards: {} };
            iterators.clear();
            closed.clear();
          }
          streamArn = latest;
          if (streamArn) {
            const stream = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
            // Parents first, as Lambda reads a shard only once its parent is done.
            shards = (stream.StreamDescription?.Shards ?? []).map((shard) => shard.ShardId!);
          }
          described = Date.now();
        }
        let busy = false;
        for (const shardId of shards) {
          if (!running) break;
          if (closed.has(shardId)) continue;
          if (streamArn && (await poll(streamArn, shardId))) busy = true;
        }
        if (!busy) await sleep(options.idleMs ?? 200);
      } catch (error) {
        if (!running) break;
        if (error instanceof Error && error.name === "ExpiredIteratorException") iterators.clear();
        else log(`[events stream] ${String(error)}`);
        await sleep(500);
      }
    }
  })();

  return {
    /** Injects a fault (see `Fault`). */
    inject(fault: Fault) {
      faults.push({ ...fault });
    },
    fired,
    published,
    async stop() {
      running = false;
      await loop;
      dynamo.destroy();
      streams.destroy();
      sqs.destroy();
    },
  };
}

export type StreamPoller = ReturnType<typeof startStreamPoller>;

/** What the stack's filter keeps: INSERTs of outbox items. */
function isOutboxInsert(record: StreamRecord) {
  return record.eventName === "INSERT" && record.dynamodb?.NewImage?.__edb_e__?.S === outboxEntityName;
}

/**
 * `/local/events/*` on the local server: inject a fault into the stream mapping, see which fired, and
 * how often the publisher published an event (tests of the publisher's crashes use it).
 */
export function eventsRoutes(poller: StreamPoller) {
  const routes = new Hono();
  routes.post("/faults", async (c) => {
    const fault = (await c.req.json()) as Fault;
    poller.inject({ companyId: fault.companyId, stage: fault.stage, times: fault.times ?? 1 });
    return c.body(null, 204);
  });
  routes.get("/faults", (c) =>
    c.json({ fired: poller.fired.filter((entry) => entry.companyId === c.req.query("companyId")) }),
  );
  routes.get("/published/:eventId", (c) =>
    c.json({ count: poller.published.get(c.req.param("eventId")) ?? 0 }),
  );
  return routes;
}

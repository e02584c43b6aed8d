import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
} from "@aws-sdk/client-sqs";
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { ulid } from "ulid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { useCompanyId } from "../../core/actor";
import { resetConfig } from "../../core/config";
import * as Job from "../../core/job";
import { sqs } from "../../core/platform/clients";
import * as Scheduler from "../../core/platform/scheduler";
import { type Browser, loggedIn, newCompany, type TestCompany, until } from "../api/testing";
import { handler as deadLetters } from "../events/dead-letters";
import { handler } from "./run";

/**
 * A job kind added the way a new one is (one Job.define), run end to end: enqueued, scheduled through
 * the local Scheduler emulator, dead, attributed to its company and retried — with no edit to the
 * consumer, the Scheduler port or the dead letters. Its queue is a scratch `…-dispatch` queue, so the
 * local dispatch poller never sees it and the test plays the event source mapping itself.
 */
const ran: Array<{ companyId: string; actorCompanyId: string; note: string; redelivered: boolean }> = [];
const Echo = Job.define({
  kind: "test.echo",
  queue: "dispatch",
  schema: z.object({ kind: z.literal("test.echo"), companyId: z.string(), note: z.string() }),
  run: async (job, context) => {
    ran.push({
      companyId: job.companyId,
      actorCompanyId: useCompanyId(),
      note: job.note,
      redelivered: context.redelivered,
    });
  },
});
const Broken = Job.define({
  kind: "test.broken",
  queue: "dispatch",
  schema: z.object({ kind: z.literal("test.broken"), companyId: z.string(), reportId: z.string() }),
  run: async () => {
    throw new Error("always fails");
  },
});

let company: TestCompany;
let admin: Browser;
let source: { url: string; arn: string };
const saved = { url: process.env.DISPATCH_QUEUE_URL, arn: process.env.DISPATCH_QUEUE_ARN };

async function queue(name: string) {
  const created = await sqs().send(new CreateQueueCommand({ QueueName: name }));
  const attributes = await sqs().send(
    new GetQueueAttributesCommand({ QueueUrl: created.QueueUrl, AttributeNames: ["QueueArn"] }),
  );
  return { url: created.QueueUrl!, arn: attributes.Attributes!.QueueArn! };
}

async function receive(url: string, waitSeconds = 1) {
  const received = await sqs().send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: waitSeconds,
      MessageSystemAttributeNames: ["All"],
    }),
  );
  return received.Messages ?? [];
}

const record = (message: Message, arn: string): SQSRecord => ({
  messageId: message.MessageId!,
  receiptHandle: message.ReceiptHandle!,
  body: message.Body!,
  attributes: {
    ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? "1",
    SentTimestamp: String(Date.now()),
    SenderId: "test",
    ApproximateFirstReceiveTimestamp: String(Date.now()),
  },
  messageAttributes: {},
  md5OfBody: "",
  eventSource: "aws:sqs",
  eventSourceARN: arn,
  awsRegion: "eu-west-3",
});
const context = { getRemainingTimeInMillis: () => 60_000, awsRequestId: ulid() } as unknown as Context;
const run = (records: SQSRecord[]) => handler({ Records: records } satisfies SQSEvent, context);

beforeAll(async () => {
  company = await newCompany();
  admin = await loggedIn(company, company.admin.email);
  source = await queue(`local-relais-jobtest${ulid().toLowerCase()}-dispatch`);
  await queue(`${source.url.split("/").pop()}-dlq`);
  process.env.DISPATCH_QUEUE_URL = source.url;
  process.env.DISPATCH_QUEUE_ARN = source.arn;
  resetConfig();
});
afterAll(() => {
  process.env.DISPATCH_QUEUE_URL = saved.url;
  process.env.DISPATCH_QUEUE_ARN = saved.arn;
  resetConfig();
});

describe("a new job kind", () => {
  it("is enqueued on its queue and run once, as its company's system actor", async () => {
    const note = ulid();
    await Job.enqueue({ kind: Echo.kind, companyId: company.companyId, note });
    const messages = await until(async () => {
      const found = await receive(source.url);
      return found.length > 0 ? found : undefined;
    });
    expect(await run(messages.map((message) => record(message, source.arn)))).toEqual({
      batchItemFailures: [],
    });
    expect(ran.filter((entry) => entry.note === note)).toEqual([
      { companyId: company.companyId, actorCompanyId: company.companyId, note, redelivered: false },
    ]);
  });

  it("is scheduled with at() and reaches its queue once, when the time comes", async () => {
    const note = ulid();
    const name = Scheduler.nameOf("test", Echo.kind, note);
    await Scheduler.at(name, new Date(Date.now() + 1000), {
      kind: Echo.kind,
      companyId: company.companyId,
      note,
    });
    const messages = await until(async () => {
      const found = await receive(source.url);
      return found.length > 0 ? found : undefined;
    });
    await run(messages.map((message) => record(message, source.arn)));
    expect(await receive(source.url, 2)).toEqual([]);
    expect(ran.filter((entry) => entry.note === note)).toHaveLength(1);
  });

  it("refuses a kind nobody defined, and one sent to another queue's consumer, so SQS retries it", async () => {
    const unknown = { kind: "test.from-a-newer-deploy", companyId: company.companyId };
    const elsewhere = { kind: Echo.kind, companyId: company.companyId, note: ulid() };
    const fake = (body: unknown, arn: string) =>
      record({ MessageId: ulid(), ReceiptHandle: "r", Body: JSON.stringify(body) }, arn);
    const unknownRecord = fake(unknown, source.arn);
    const elsewhereRecord = fake(elsewhere, "arn:aws:sqs:eu-west-3:000000000000:local-relais-import");
    // One good record beside them: a batch of nothing but failures is thrown whole by Powertools.
    const good = { kind: Echo.kind, companyId: company.companyId, note: ulid() };
    expect(await run([unknownRecord, elsewhereRecord, fake(good, source.arn)])).toEqual({
      batchItemFailures: [
        { itemIdentifier: unknownRecord.messageId },
        { itemIdentifier: elsewhereRecord.messageId },
      ],
    });
    expect(ran.filter((entry) => entry.note === good.note)).toHaveLength(1);
    expect(ran.some((entry) => entry.note === elsewhere.note)).toBe(false);
  });
});

type Listed = {
  items: Array<{
    deadLetterId: string;
    kind: string;
    subjectId?: string;
    source: string;
    retryable: boolean;
  }>;
};
const listed = async () => ((await admin.get("/api/dead-letters")).body as unknown as Listed).items;

/** What SQS does after the last failed attempt, and the dead-letters consumer after it. */
async function dies(body: unknown, sourceArn: string) {
  const messageId = ulid();
  await deadLetters(
    {
      Records: [
        record({ MessageId: messageId, ReceiptHandle: "r", Body: JSON.stringify(body) }, `${sourceArn}-dlq`),
      ],
    },
    context,
  );
  return until(async () => (await listed()).find((item) => item.deadLetterId === messageId));
}

describe("dead letters of any kind", () => {
  it("attributes a dead job of the new kind to its company, and retries it onto its own queue", async () => {
    const reportId = ulid();
    const body = { kind: Broken.kind, companyId: company.companyId, reportId };
    const item = await dies(body, source.arn);
    expect(item).toMatchObject({
      kind: "test.broken",
      subjectId: reportId,
      source: "dispatch",
      retryable: true,
    });
    expect((await admin.post(`/api/dead-letters/${item.deadLetterId}/retry`)).status).toBe(204);
    const back = await until(async () => {
      const found = await receive(source.url);
      return found.length > 0 ? found : undefined;
    });
    expect(back.map((message) => JSON.parse(message.Body!))).toEqual([body]);
  });

  it("attributes a dead domain event by the company inside its SNS envelope, and retries it", async () => {
    const events = await queue(`local-relais-eventtest${ulid().toLowerCase()}`);
    const campaignId = ulid();
    const envelope = {
      Type: "Notification",
      MessageId: ulid(),
      Message: JSON.stringify({
        id: ulid(),
        name: "campaign.launched",
        companyId: company.companyId,
        occurredAt: new Date().toISOString(),
        payload: { campaignId },
      }),
      MessageAttributes: { name: { Type: "String", Value: "campaign.launched" } },
    };
    const item = await dies(envelope, events.arn);
    expect(item).toMatchObject({
      kind: "campaign.launched",
      subjectId: campaignId,
      source: "event",
      retryable: true,
    });
    expect((await admin.post(`/api/dead-letters/${item.deadLetterId}/retry`)).status).toBe(204);
    const back = await until(async () => {
      const found = await receive(events.url);
      return found.length > 0 ? found : undefined;
    });
    expect(back.map((message) => JSON.parse(message.Body!))).toEqual([envelope]);
  });
});

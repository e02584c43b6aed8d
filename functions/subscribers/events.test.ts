import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { Context } from "aws-lambda";
import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { withActor } from "../../core/actor";
import { CampaignEntity, MessageEntity } from "../../core/campaign/campaign.entity";
import { config } from "../../core/config";
import { write } from "../../core/db";
import { ReplyEntity } from "../../core/delivery/delivery.entity";
import { ReplyReceived } from "../../core/delivery/reply.events";
import * as Event from "../../core/event";
import { event, subscriber } from "../../core/event";
import * as Queue from "../../core/platform/queue";
import { startStreamPoller } from "../../scripts/local/events";
import { type Browser, loggedIn, newCompany, type TestCompany, until } from "../api/testing";
import { handler as consume } from "./consume";
import { handledBy, localEvents, recorded } from "./testing";

/**
 * Domain events through the local cloud: commit → outbox → stream → publisher → SNS → subscriber queue →
 * subscriber, with the publisher killed on either side of its publish, a subscriber redelivered, and a
 * dead subscriber message replayed from « Échecs techniques ».
 */
const sqs = new SQSClient({ region: "eu-west-3", useQueueUrlAsEndpoint: false });
const mailbox = () => process.env.AWS_ENDPOINT_URL_SESV2!;
let replyForwardUrl = "";
const queueUrl = () => replyForwardUrl;

/** A campaign sent by the company's Admin, with one message: a reply to it is forwarded to the Admin. */
async function campaignOf(company: TestCompany) {
  const key = { companyId: company.companyId, campaignId: ulid(), messageId: ulid() };
  const title = `Événements ${ulid()}`;
  await CampaignEntity.create({
    ...key,
    kind: "yesno",
    title,
    agencyId: company.agencies[0],
    createdBy: company.admin.userId,
    createdByName: "Alice",
    status: "sending",
    sendAt: new Date().toISOString(),
    smsCount: 1,
    recipients: 1,
  }).go();
  await MessageEntity.create({ ...key, channel: "sms", to: "+33612000000", status: "sent", rank: 2 }).go();
  return { ...key, title };
}

const replyPayload = (campaign: { campaignId: string; messageId: string }) => ({
  campaignId: campaign.campaignId,
  messageId: campaign.messageId,
  replyId: ulid(),
  channel: "sms" as const,
  classification: "yes" as const,
  body: "oui",
});

/** A reply stored with its `reply.received`, as replies.ts records it. */
function replyCommitted(company: TestCompany, campaign: { campaignId: string; messageId: string }) {
  const payload = replyPayload(campaign);
  return withActor({ type: "system", companyId: company.companyId, reason: "test" }, async () => {
    const [received] = await Event.commit(
      [
        write.put(
          ReplyEntity.create({
            companyId: company.companyId,
            replyId: payload.replyId,
            campaignId: payload.campaignId,
            messageId: payload.messageId,
            party: "+33612000000",
            channel: "sms",
            from: "+33612000000",
            body: payload.body,
            classification: payload.classification,
            receivedAt: new Date().toISOString(),
          }).params(),
        ),
      ],
      [ReplyReceived.create(payload)],
    );
    return received!;
  });
}

async function forwards(title: string) {
  const store = (await (await fetch(`${mailbox()}/store`)).json()) as { emails: Array<{ subject: string }> };
  return store.emails.filter((email) => email.subject.startsWith("Réponse") && email.subject.includes(title))
    .length;
}

const published = async (eventId: string) =>
  ((await (await fetch(`${localEvents()}/published/${eventId}`)).json()) as { count: number }).count;

async function inject(companyId: string, stage: "before-publish" | "after-publish") {
  const answer = await fetch(`${localEvents()}/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ companyId, stage, times: 1 }),
  });
  expect(answer.status).toBe(204);
}

const fired = async (companyId: string) =>
  (
    (await (await fetch(`${localEvents()}/faults?companyId=${companyId}`)).json()) as {
      fired: Array<{ stage: string; eventIds: string[] }>;
    }
  ).fired;

/** The subscriber's queue is empty: every copy published has been consumed. */
const drained = async () => {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl(),
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return Number(Attributes.ApproximateNumberOfMessages) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible) ===
    0
    ? true
    : undefined;
};

const sqsRecord = (body: unknown, queue: string) => ({
  messageId: ulid(),
  receiptHandle: "r",
  body: JSON.stringify(body),
  attributes: {
    ApproximateReceiveCount: "1",
    SentTimestamp: String(Date.now()),
    SenderId: "test",
    ApproximateFirstReceiveTimestamp: String(Date.now()),
  },
  messageAttributes: {},
  md5OfBody: "",
  eventSource: "aws:sqs",
  eventSourceARN: `arn:aws:sqs:eu-west-3:000000000000:${queue}`,
  awsRegion: "eu-west-3",
});
const context = {
  functionName: "test",
  awsRequestId: ulid(),
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

let company: TestCompany;
beforeAll(async () => {
  company = await newCompany();
  replyForwardUrl = await Queue.urlOf(`local-relais-${Event.queueName({ name: "reply-forward" })}`);
});

describe("domain events", () => {
  it("publishes an event committed with its change, and never one whose transaction failed", async () => {
    const failed = await withActor(
      { type: "system", companyId: company.companyId, reason: "test" },
      async () => {
        const doomed = ReplyReceived.create(replyPayload({ campaignId: ulid(), messageId: ulid() }));
        // A patch of a campaign that does not exist: its condition cancels the whole transaction.
        await expect(
          Event.commit(
            [
              write.update(
                CampaignEntity.patch({ companyId: company.companyId, campaignId: ulid() })
                  .set({ title: "jamais" })
                  .params(),
              ),
            ],
            [doomed],
          ),
        ).rejects.toThrow(/ConditionalCheckFailed/);
        return doomed.event;
      },
    );
    const campaign = await campaignOf(company);
    const later = await replyCommitted(company, campaign);
    // Same company, same partition of the stream: the later event is published after the earlier one.
    await handledBy("reply-forward", later);
    expect(
      await recorded(
        company.companyId,
        "reply.received",
        (p) => p.replyId === (failed.payload as { replyId: string }).replyId,
      ),
    ).toEqual([]);
    expect(await published(failed.id)).toBe(0);
    expect(await Event.handled("reply-forward", failed)).toBe(false);
    expect(await published(later.id)).toBe(1);
    expect(await forwards(campaign.title)).toBe(1);
  });

  it("delivers an event whose publisher died after the commit and before publishing, once", async () => {
    const own = await newCompany();
    await inject(own.companyId, "before-publish");
    const campaign = await campaignOf(own);
    const received = await replyCommitted(own, campaign);
    await handledBy("reply-forward", received);
    expect((await fired(own.companyId)).map((fault) => [fault.stage, fault.eventIds])).toEqual([
      ["before-publish", [received.id]],
    ]);
    expect(await published(received.id)).toBe(1);
    expect(await forwards(campaign.title)).toBe(1);
  });

  it("acts once when the publisher published twice, having died before its checkpoint", async () => {
    const own = await newCompany();
    await inject(own.companyId, "after-publish");
    const campaign = await campaignOf(own);
    const received = await replyCommitted(own, campaign);
    await handledBy("reply-forward", received);
    await until(async () => ((await published(received.id)) === 2 ? true : undefined));
    expect((await fired(own.companyId)).map((fault) => fault.stage)).toEqual(["after-publish"]);
    // Both copies consumed: the second found the marker.
    await until(drained);
    expect(await forwards(campaign.title)).toBe(1);
  });

  it("acts once on a subscriber message delivered twice", async () => {
    const campaign = await campaignOf(company);
    const envelope = {
      id: ulid(),
      name: ReplyReceived.name,
      companyId: company.companyId,
      occurredAt: new Date().toISOString(),
      payload: replyPayload(campaign),
    };
    for (let delivery = 0; delivery < 2; delivery++) {
      const result = await consume({ Records: [sqsRecord(envelope, "events-reply-forward")] }, context);
      expect(result).toEqual({ batchItemFailures: [] });
    }
    expect(await Event.handled("reply-forward", envelope)).toBe(true);
    expect(await forwards(campaign.title)).toBe(1);
  });

  it("shows a subscriber's dead letter to its company and replays it with « Relancer »", async () => {
    const admin: Browser = await loggedIn(company, company.admin.email);
    const campaign = await campaignOf(company);
    const envelope = {
      id: ulid(),
      name: ReplyReceived.name,
      companyId: company.companyId,
      occurredAt: new Date().toISOString(),
      payload: replyPayload(campaign),
    };
    // What SQS does after the subscriber's last failed attempt.
    const sent = await sqs.send(
      new SendMessageCommand({ QueueUrl: `${queueUrl()}-dlq`, MessageBody: JSON.stringify(envelope) }),
    );
    const item = await until(async () => {
      const listed = (await admin.get("/api/dead-letters")).body.items as Array<Record<string, unknown>>;
      return listed.find((entry) => entry.deadLetterId === sent.MessageId);
    });
    expect(item).toMatchObject({
      source: "event",
      kind: "reply.received",
      subjectId: campaign.campaignId,
      retryable: true,
    });
    expect(await forwards(campaign.title)).toBe(0);
    expect((await admin.post(`/api/dead-letters/${item.deadLetterId}/retry`)).status).toBe(204);
    await handledBy("reply-forward", envelope);
    expect(await forwards(campaign.title)).toBe(1);
    // Another company's Admin does not see it.
    const other = await newCompany();
    const outsider = await loggedIn(other, other.admin.email);
    const theirs = (await outsider.get("/api/dead-letters")).body.items as Array<{ deadLetterId: string }>;
    expect(theirs.map((entry) => entry.deadLetterId)).not.toContain(sent.MessageId);
  });

  it("runs the README's example subscriber once per event", async () => {
    // README, "Adding a subscriber":
    const VisitBooked = event("visit.booked", z.object({ visitId: z.string() }));
    const reminded: string[] = [];
    const remind = subscriber("visit-reminder", [VisitBooked], async (booked) => {
      reminded.push(booked.payload.visitId);
    });
    const envelope = {
      id: ulid(),
      name: "visit.booked",
      companyId: company.companyId,
      occurredAt: new Date().toISOString(),
      payload: { visitId: "V1" },
    };
    expect(await Event.deliver(remind, envelope)).toBe("handled");
    expect(await Event.deliver(remind, envelope)).toBe("duplicate");
    expect(reminded).toEqual(["V1"]);
  });
});

describe("the local stream mapping", () => {
  it("keeps its place on disk: a restart neither replays what it published nor loses what came meanwhile", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "relais-stream-"));
    const seen: string[] = [];
    const start = () =>
      startStreamPoller({
        root: process.cwd(),
        tableName: config("TABLE_NAME"),
        dataDir,
        idleMs: 100,
        publisher: async (batch) => {
          for (const record of batch.Records)
            if (record.dynamodb?.NewImage?.companyId?.S === company.companyId)
              seen.push(record.dynamodb.NewImage.eventId!.S!);
        },
      });
    try {
      const first = start();
      const campaign = await campaignOf(company);
      const before = await replyCommitted(company, campaign);
      await until(async () => (seen.includes(before.id) ? true : undefined), 60_000);
      await first.stop();
      const meanwhile = await replyCommitted(company, campaign);
      const second = start();
      await until(async () => (seen.includes(meanwhile.id) ? true : undefined), 60_000);
      await second.stop();
      expect(seen.filter((id) => id === before.id)).toHaveLength(1);
      expect(seen.filter((id) => id === meanwhile.id)).toHaveLength(1);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { CampaignEntity, MessageEntity } from "../../core/campaign/campaign.entity";
import { config } from "../../core/config";
import { addUser, type Browser, loggedIn, newCompany, type TestCompany, until } from "./testing";

/** Dead letters: drained from every DLQ into the table, listed to the company's Admins, retried. */
let company: TestCompany;
let admin: Browser;
beforeAll(async () => {
  company = await newCompany();
  admin = await loggedIn(company, company.admin.email);
});

const sqs = new SQSClient({ region: "eu-west-3", useQueueUrlAsEndpoint: false });

type Listed = {
  items: Array<{
    deadLetterId: string;
    kind: string;
    subjectId?: string;
    status: string;
    retryable: boolean;
  }>;
};
const listed = async () => ((await admin.get("/api/dead-letters")).body as unknown as Listed).items;

/** What SQS does after the last failed attempt: the body lands in the queue's DLQ. */
async function deadLetter(queueUrl: string, body: unknown) {
  const sent = await sqs.send(
    new SendMessageCommand({ QueueUrl: `${queueUrl}-dlq`, MessageBody: JSON.stringify(body) }),
  );
  return until(async () => (await listed()).find((item) => item.deadLetterId === sent.MessageId));
}

describe("dead letters", () => {
  it("lists a company's failed send job and puts it back on its queue once", async () => {
    const campaignId = ulid();
    const item = await deadLetter(config("DISPATCH_QUEUE_URL"), {
      kind: "send",
      companyId: company.companyId,
      campaignId,
      messageIds: [ulid()],
    });
    expect(item).toMatchObject({ kind: "send", subjectId: campaignId, status: "open", retryable: true });
    expect((await admin.post(`/api/dead-letters/${item.deadLetterId}/retry`)).status).toBe(204);
    expect((await admin.post(`/api/dead-letters/${item.deadLetterId}/retry`)).status).toBe(409);
    expect((await listed()).find((entry) => entry.deadLetterId === item.deadLetterId)?.status).toBe(
      "retried",
    );
    const audit = await admin.get("/api/audit?type=dead_letter.retried");
    expect((audit.body.items as unknown[]).length).toBe(1);
  });

  it("replays a dead provider event on its own queue, and keeps the list from other roles", async () => {
    // A message sent, whose delivery receipt failed every attempt of its consumer.
    const key = { companyId: company.companyId, campaignId: ulid(), messageId: ulid() };
    await MessageEntity.create({ ...key, channel: "sms", to: "+33612345678", status: "sent", rank: 2 }).go();
    await CampaignEntity.create({
      ...key,
      kind: "info",
      title: "Reçu perdu",
      agencyId: company.agencies[0],
      createdBy: company.admin.userId,
      createdByName: "Alice",
      status: "sending",
      sendAt: new Date().toISOString(),
      smsCount: 1,
      recipients: 1,
    }).go();
    const item = await deadLetter(config("SMS_EVENTS_QUEUE_URL"), {
      Type: "Notification",
      Message: JSON.stringify({
        eventType: "TEXT_DELIVERED",
        messageId: "provider-1",
        context: key,
      }),
    });
    expect(item).toMatchObject({ kind: "TEXT_DELIVERED", subjectId: key.campaignId, retryable: true });
    const manager = await loggedIn(company, (await addUser(company, "manager", [company.agencies[0]])).email);
    expect((await manager.get("/api/dead-letters")).status).toBe(403);
    expect((await manager.post(`/api/dead-letters/${item.deadLetterId}/retry`)).status).toBe(403);
    expect((await manager.post(`/api/dead-letters/${item.deadLetterId}/dismiss`)).status).toBe(403);

    expect((await admin.post(`/api/dead-letters/${item.deadLetterId}/retry`)).status).toBe(204);
    // The SMS events consumer reads it again, as if it had never failed.
    await until(async () => {
      const { data } = await MessageEntity.get(key).go();
      return data?.status === "delivered" ? data : undefined;
    });
    const audit = await admin.get("/api/audit?type=dead_letter.retried");
    expect(JSON.stringify(audit.body)).toContain("sms-events");
  });

  it("dismisses a dead letter, once", async () => {
    const item = await deadLetter(config("EMAIL_EVENTS_QUEUE_URL"), {
      Type: "Notification",
      Message: JSON.stringify({
        eventType: "Bounce",
        mail: { messageId: "ses-1", tags: { companyId: [company.companyId], campaignId: ["C1"] } },
      }),
    });
    expect(item).toMatchObject({ kind: "Bounce", retryable: true });
    expect((await admin.post(`/api/dead-letters/${item.deadLetterId}/dismiss`)).status).toBe(204);
    expect((await admin.post(`/api/dead-letters/${item.deadLetterId}/retry`)).status).toBe(409);
    expect((await listed()).find((entry) => entry.deadLetterId === item.deadLetterId)).toMatchObject({
      status: "dismissed",
      retryable: false,
    });
  });

  it("keeps dead letters that name no company away from every company", async () => {
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: `${config("IMPORT_QUEUE_URL")}-dlq`,
        MessageBody: "not json at all",
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await listed()).map((item) => item.deadLetterId)).not.toContain(sent.MessageId);
  });
});

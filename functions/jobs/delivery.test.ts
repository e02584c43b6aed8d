import { AsyncLocalStorage } from "node:async_hooks";
import type { InitializeMiddleware, MetadataBearer } from "@smithy/types";
import { ulid } from "ulid";
import { afterEach, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { withActor } from "../../core/actor";
import { CampaignEntity, MessageEntity } from "../../core/campaign/campaign.entity";
import { assignJobs } from "../../core/campaign/jobs";
import { CompanyEntity } from "../../core/company/company.entity";
import { config } from "../../core/config";
import { ContactEntity } from "../../core/contact/contact.entity";
import { Delivery } from "../../core/delivery";
import type { SendJob } from "../../core/delivery/dispatch";
import { tryTake } from "../../core/delivery/rate-limit";
import { leaseMs } from "../../core/delivery/send";
import { OutboxEntity } from "../../core/event";
import { dynamo, ses, smsVoice, sqs } from "../../core/platform/clients";
import * as Queue from "../../core/platform/queue";
import { lambdaContext, snsEnvelope, sqsEvent, sqsRecord } from "../../core/test-helpers";
import * as Subscriptions from "../../core/webhook/subscriptions";
import { type Browser, loggedIn, newCompany, noQuietHours, type TestCompany, until } from "../api/testing";
import { handler as emailEvents } from "../events/email-events";
import { recorded } from "../subscribers/testing";
import { handler as send } from "./run";

const sms = () => process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2!;
const mailbox = () => process.env.AWS_ENDPOINT_URL_SESV2!;

let company: TestCompany;
let admin: Browser;

/** A fresh French mobile per call, so tests never share a handset in the emulator. */
const freshMobile = () => `+33612${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;

type Message = {
  messageId: string;
  to: string;
  status: string;
  statusReason?: string;
  classification?: string;
  jobId?: string;
  sentAt?: string;
};
const messagesOf = async (campaignId: string) =>
  (await MessageEntity.query.byCampaign({ companyId: company.companyId, campaignId }).go()).data as Message[];
const campaignOf = async (campaignId: string) =>
  (await CampaignEntity.get({ companyId: company.companyId, campaignId }).go()).data!;

async function outbound(to: string) {
  const answer = await fetch(`${sms()}/_emulator/messages?to=${encodeURIComponent(to)}&direction=outbound`);
  return ((await answer.json()) as { messages: Array<{ messageId: string; to: string; body: string }> })
    .messages;
}

async function createCampaign(entries: string[], extra: object = {}) {
  const created = await admin.post("/api/campaigns", {
    kind: "yesno",
    smsBody: "Mission demain à Lyon, dispo ? Répondez OUI ou NON",
    emailSubject: "Mission demain",
    emailHtml: "<p>Mission demain à Lyon, dispo ?</p>",
    recipients: { entries },
    title: `Mission ${ulid()}`,
    agencyId: company.agencies[0],
    ...extra,
  });
  expect(created.status).toBe(201);
  return (created.body.campaign as { campaignId: string }).campaignId;
}

/** For the emulator's reserved numbers, which the recipient parser rightly refuses: written directly. */
async function campaignTo(numbers: string[]) {
  const campaignId = ulid();
  await MessageEntity.put(
    assignJobs(
      numbers.map((to) => ({
        companyId: company.companyId,
        campaignId,
        messageId: ulid(),
        channel: "sms" as const,
        to,
        body: "Mission demain, dispo ?",
        status: "scheduled" as const,
      })),
    ),
  ).go();
  await CampaignEntity.create({
    companyId: company.companyId,
    campaignId,
    kind: "info",
    title: "Réservés",
    agencyId: company.agencies[0],
    createdBy: company.admin.userId,
    createdByName: "Alice",
    status: "scheduled",
    sendAt: new Date().toISOString(),
    smsCount: numbers.length,
    recipients: numbers.length,
  }).go();
  await Queue.send(config("DISPATCH_QUEUE_URL"), {
    kind: "campaign.launch",
    companyId: company.companyId,
    campaignId,
  });
  return campaignId;
}

const allIn = (statuses: string[]) => async (campaignId: string) => {
  const messages = await messagesOf(campaignId);
  return messages.every((message) => statuses.includes(message.status)) ? messages : undefined;
};

const context = lambdaContext();

beforeAll(async () => {
  company = await newCompany();
  // Tests run at any hour: this company has no quiet hours (they are tested on their own below).
  await CompanyEntity.patch({ companyId: company.companyId })
    .set({ quietStart: "00:00", quietEnd: "00:00", quietSundays: false, quietHolidays: false })
    .go();
  admin = await loggedIn(company, company.admin.email);
});

afterEach(async () => {
  await fetch(`${sms()}/_emulator/faults`, { method: "DELETE" });
});

describe("a Yes/No SMS campaign through the local pipeline", () => {
  it("sends each message once and turns oui / non / je rappelle into green, orange, blue", async () => {
    const numbers = [freshMobile(), freshMobile(), freshMobile()];
    const campaignId = await createCampaign(numbers);
    await until(() => allIn(["delivered"])(campaignId));
    for (const number of numbers)
      expect(await outbound(number), JSON.stringify(await messagesOf(campaignId))).toHaveLength(1);

    const answers = ["oui", "non", "je rappelle"];
    for (const [index, number] of numbers.entries())
      await fetch(`${sms()}/_emulator/reply`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ from: number, body: answers[index] }),
      });
    const replied = await until(() => allIn(["replied"])(campaignId));
    const byNumber = Object.fromEntries(replied.map((message) => [message.to, message.classification]));
    expect(numbers.map((number) => byNumber[number])).toEqual(["yes", "no", "other"]);
    // Counters follow each status change by one atomic ADD, just after it.
    const campaign = await until(async () => {
      const row = await campaignOf(campaignId);
      return row.replied === 3 ? row : undefined;
    });
    // Its move to Envoyé recorded `campaign.completed`, once.
    expect(
      await recorded(company.companyId, "campaign.completed", (payload) => payload.campaignId === campaignId),
    ).toHaveLength(1);
    expect(campaign).toMatchObject({
      status: "sent",
      replied: 3,
      repliedYes: 1,
      repliedNo: 1,
      repliedOther: 1,
      // facts accumulate: an answer does not take a message out of sent or delivered
      delivered: 3,
      sent: 3,
    });

    // The campaign page: bubbles, recipients by answer, a hand correction, the chart and the report.
    const counts = await admin.get(`/api/campaigns/${campaignId}/counts`);
    expect(counts.body.counts).toMatchObject({ total: 3, waiting: 0, yes: 1, no: 1, other: 1, replied: 3 });
    const yes = await admin.get(`/api/campaigns/${campaignId}/recipients?answer=yes`);
    expect(
      (yes.body.items as Array<{ to: string; reply: string }>).map((item) => [item.to, item.reply]),
    ).toEqual([[numbers[0], "oui"]]);
    const other = replied.find((message) => message.classification === "other")!;
    const corrected = await admin.patch(
      `/api/campaigns/${campaignId}/messages/${other.messageId}/classification`,
      {
        classification: "yes",
      },
    );
    expect(corrected.status).toBe(200);
    expect((await admin.get(`/api/campaigns/${campaignId}/counts`)).body.counts).toMatchObject({
      yes: 2,
      other: 0,
    });
    const timeline = await admin.get(`/api/campaigns/${campaignId}/timeline`);
    const points = timeline.body.points as Array<{ delivered: number; replied: number }>;
    expect(points.reduce((sum, point) => sum + point.replied, 0)).toBe(3);
    const report = await admin.get(`/api/campaigns/${campaignId}/report`);
    expect(report.status).toBe(200);
    expect(report.headers.get("content-type")).toContain("spreadsheetml");

    // The sender's mailbox shows the forwarded replies (the reply-forward subscriber sends them).
    const forwarded = await until(async () => {
      const store = (await (await fetch(`${mailbox()}/store`)).json()) as {
        emails: Array<{ subject: string }>;
      };
      const found = store.emails.filter((email) => email.subject.includes(campaign.title));
      return found.length >= 3 ? found : undefined;
    });
    expect(forwarded).toHaveLength(3);
  });

  it("still calls the provider once per message when every SQS message is delivered twice", async () => {
    const numbers = [freshMobile(), freshMobile()];
    const campaignId = await createCampaign(numbers, {
      sendAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    await CampaignEntity.patch({ companyId: company.companyId, campaignId }).set({ status: "sending" }).go();
    const rows = await messagesOf(campaignId);
    const messageIds = rows.map((message) => message.messageId);
    const jobId = rows[0]!.jobId;
    expect(rows.every((row) => row.jobId === jobId)).toBe(true);
    const record = sqsRecord({ kind: "send", companyId: company.companyId, campaignId, jobId, messageIds });
    const event = sqsEvent(record);
    // Twice at the same time, then once more later: one provider call each.
    const results = await Promise.all([send(event, context), send(event, context)]);
    await send(event, context);
    expect(results.flatMap((result) => result?.batchItemFailures ?? [])).toEqual([]);
    for (const number of numbers) expect(await outbound(number)).toHaveLength(1);
    await until(() => allIn(["delivered"])(campaignId));
  });

  it("retries through injected throttling and 5xx, then delivers", async () => {
    await fetch(`${sms()}/_emulator/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ operation: "SendTextMessage", error: "ThrottlingException", count: 3 }),
    });
    await fetch(`${sms()}/_emulator/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ operation: "SendTextMessage", error: "InternalServerException", count: 1 }),
    });
    const number = freshMobile();
    const campaignId = await createCampaign([number]);
    const [message] = await until(() => allIn(["delivered"])(campaignId), 40_000);
    expect(await outbound(number)).toHaveLength(1);
    const row = (
      await MessageEntity.get({
        companyId: company.companyId,
        campaignId,
        messageId: message!.messageId,
      }).go()
    ).data!;
    expect(row.attempts).toBe(2);
    expect(row.lastError).toMatch(/Throttling|InternalServer/);
  }, 60_000);

  it("ends a reserved failing number Non délivré with the carrier's reason", async () => {
    const campaignId = await campaignTo(["+33600000001", "+33600000005"]);
    const messages = await until(() => allIn(["undeliverable"])(campaignId));
    expect(messages.map((message) => message.statusReason).sort()).toEqual([
      expect.stringContaining("TEXT_INVALID"),
      expect.stringContaining("TEXT_SPAM"),
    ]);
    // the counters follow the message writes (an ADD after each): wait for the campaign to complete
    const campaign = await until(async () => {
      const row = await campaignOf(campaignId);
      return row.status === "sent" ? row : undefined;
    });
    expect(campaign).toMatchObject({ undeliverable: 2, sent: 0 });
  });

  it("records an opted-out number refused by the provider as Désabonné without retrying", async () => {
    const campaignId = await campaignTo(["+33600000006"]);
    const [message] = await until(() => allIn(["unsubscribed"])(campaignId));
    expect(message?.statusReason).toBe("DESTINATION_PHONE_NUMBER_OPTED_OUT");
  });
});

describe("cancel and reschedule", () => {
  it("moves a scheduled campaign, then cancels it so nothing is sent", async () => {
    const number = freshMobile();
    const campaignId = await createCampaign([number], {
      sendAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const later = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const moved = await admin.post(`/api/campaigns/${campaignId}/reschedule`, { sendAt: later });
    expect(moved.status).toBe(200);
    expect((await campaignOf(campaignId)).sendAt).toBe(later);
    const cancelled = await admin.post(`/api/campaigns/${campaignId}/cancel`);
    expect(cancelled.status).toBe(200);
    const schedules = await (
      await fetch(`${process.env.AWS_ENDPOINT_URL_SCHEDULER}/_emulator/schedules`)
    ).text();
    expect(schedules).not.toContain(`campaign-${campaignId}`);
    // A launch that still arrives (a schedule fired just before) sends nothing.
    const job = { kind: "campaign.launch" as const, companyId: company.companyId, campaignId };
    const result = await withActor({ type: "system", companyId: company.companyId, reason: "test" }, () =>
      Delivery.launch(job),
    );
    expect(result).toEqual({ outcome: "skipped", reason: "cancelled" });
    expect(await outbound(number)).toHaveLength(0);
    expect((await admin.post(`/api/campaigns/${campaignId}/reschedule`, { sendAt: later })).status).toBe(409);
  });
});

describe("status events", () => {
  it("keeps the final status right when events arrive late, twice or out of order", async () => {
    const number = freshMobile();
    const campaignId = await createCampaign([number], {
      sendAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const [message] = await messagesOf(campaignId);
    const key = { companyId: company.companyId, campaignId, messageId: message!.messageId };
    const event = (eventType: string) => ({ eventType, messageId: `p-${message!.messageId}`, context: key });
    await Delivery.smsEvent(event("TEXT_DELIVERED"));
    await Delivery.smsEvent(event("TEXT_SUCCESSFUL"));
    await Delivery.smsEvent(event("TEXT_DELIVERED"));
    await Delivery.smsEvent(event("TEXT_UNREACHABLE"));
    const row = (await MessageEntity.get(key).go()).data!;
    expect(row.status).toBe("delivered");
    expect(row.providerMessageId).toBe(`p-${message!.messageId}`);
    expect(await campaignOf(campaignId)).toMatchObject({ delivered: 1, sent: 1, undeliverable: 0 });
  });

  it("maps SES bounces to Non délivré and stops emailing that address", async () => {
    const email = `camille-${ulid().toLowerCase()}@example.fr`;
    const contact = await admin.post("/api/contacts", {
      firstName: "Camille",
      lastName: "Martin",
      email,
      agencyIds: [company.agencies[0]],
    });
    const contactId = (contact.body.contact as { contactId: string }).contactId;
    const campaignId = await createCampaign([email], {
      sendAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const [message] = await messagesOf(campaignId);
    const sesEvent = (eventType: string, extra: object) =>
      sqsEvent(
        sqsRecord(
          snsEnvelope({
            eventType,
            mail: {
              timestamp: new Date().toISOString(),
              source: "no-reply@relais.localhost",
              messageId: `ses-${message!.messageId}`,
              destination: [email],
              tags: {
                companyId: [company.companyId],
                campaignId: [campaignId],
                messageId: [message!.messageId],
              },
            },
            ...extra,
          }),
        ),
      );
    await emailEvents(sesEvent("DeliveryDelay", { deliveryDelay: { delayType: "MailboxFull" } }), context);
    await emailEvents(
      sesEvent("Bounce", {
        bounce: {
          bounceType: "Permanent",
          bounceSubType: "NoEmail",
          bouncedRecipients: [{ emailAddress: email, diagnosticCode: "smtp; 550 5.1.1 user unknown" }],
        },
      }),
      context,
    );
    await emailEvents(
      sesEvent("Bounce", { bounce: { bounceType: "Permanent", bounceSubType: "NoEmail" } }),
      context,
    );
    const row = (
      await MessageEntity.get({
        companyId: company.companyId,
        campaignId,
        messageId: message!.messageId,
      }).go()
    ).data!;
    expect(row.status).toBe("undeliverable");
    expect(row.statusReason).toContain("550 5.1.1");
    expect(await campaignOf(campaignId)).toMatchObject({ undeliverable: 1 });
    const stored = (await ContactEntity.get({ companyId: company.companyId, contactId }).go()).data!;
    expect(stored.optOutEmailSource).toBe("BOUNCE");
  });
});

describe("message.status_changed for a company with webhooks", () => {
  it("records each message's moves with them, from the send's record to the receipt", async () => {
    const listening = await newCompany();
    await Subscriptions.store(listening.companyId, ["message.status_changed"]);
    const owner = await loggedIn(listening, listening.admin.email);
    await noQuietHours(owner);
    const numbers = [freshMobile(), freshMobile()];
    const created = await owner.post("/api/campaigns", {
      kind: "info",
      smsBody: "Votre mission commence lundi",
      recipients: { entries: numbers },
      title: `Mission ${ulid()}`,
      agencyId: listening.agencies[0],
    });
    expect(created.status).toBe(201);
    const campaignId = (created.body.campaign as { campaignId: string }).campaignId;
    const delivered = await until(async () => {
      const { data } = await MessageEntity.query
        .byCampaign({ companyId: listening.companyId, campaignId })
        .go();
      return data.length === 2 && data.every((message) => message.status === "delivered") ? data : undefined;
    });
    const { data: outbox } = await OutboxEntity.query
      .byCompany({ companyId: listening.companyId })
      .go({ consistent: true });
    for (const message of delivered) {
      const moves = outbox
        .filter((row) => row.name === "message.status_changed")
        .map((row) => row.payload as { messageId: string; from: string; status: string })
        .filter((payload) => payload.messageId === message.messageId);
      // One event a change, each from the status the one before left (a receipt may overtake the record).
      expect(moves[0]?.from, JSON.stringify(moves)).toBe("scheduled");
      for (const [index, move] of moves.entries())
        if (index > 0) expect(move.from).toBe(moves[index - 1]!.status);
      expect(moves.at(-1)?.status).toBe("delivered");
      expect(new Set(moves.map((move) => move.status)).size).toBe(moves.length);
    }
  });
});

describe("opt-out by STOP", () => {
  it("unsubscribes the contact, confirms once, pauses the campaign and skips them later", async () => {
    const mobile = freshMobile();
    const other = freshMobile();
    const created = await admin.post("/api/contacts", {
      firstName: "Léo",
      lastName: "Stop",
      mobile,
      agencyIds: [company.agencies[0]],
    });
    const contactId = (created.body.contact as { contactId: string }).contactId;
    const campaignId = await createCampaign([mobile, other]);
    await until(() => allIn(["delivered"])(campaignId));
    for (const body of ["STOP", "Arrêt"])
      await fetch(`${sms()}/_emulator/reply`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ from: mobile, body }),
      });
    await until(async () =>
      (await messagesOf(campaignId)).find((m) => m.to === mobile)?.status === "unsubscribed"
        ? true
        : undefined,
    );
    const contact = (await ContactEntity.get({ companyId: company.companyId, contactId }).go()).data!;
    expect(contact.optOutSmsSource).toBe("STOP");
    const replies = await until(async () => {
      const conversation = await admin.get(`/api/conversations/${contactId}`);
      const bodies = (conversation.body.replies as Array<{ body: string }>).map((reply) => reply.body);
      return bodies.length === 2 ? bodies : undefined;
    });
    expect(replies.sort()).toEqual(["Arrêt", "STOP"]);
    // Two recipients, one STOP: 50 % > 1 %, so the Admin is told, once, even for the second STOP.
    const alerts = await until(async () => {
      const store = (await (await fetch(`${mailbox()}/store`)).json()) as {
        emails: Array<{ subject: string; to?: unknown }>;
      };
      const found = store.emails.filter(
        (email) =>
          email.subject.includes("désabonnements") && JSON.stringify(email).includes(company.admin.email),
      );
      return found.length > 0 ? found : undefined;
    });
    expect(alerts).toHaveLength(1);
    expect((await campaignOf(campaignId)).optOutAlertedAt).toBeTruthy();

    const later = await admin.post("/api/campaigns", {
      kind: "info",
      smsBody: "Info planning",
      recipients: { contactIds: [contactId], entries: [freshMobile()] },
      title: "Planning",
      agencyId: company.agencies[0],
    });
    expect(later.status).toBe(201);
    expect((later.body.campaign as { counts: { excluded: number; sms: number } }).counts).toMatchObject({
      excluded: 1,
      sms: 1,
    });
  });
});

describe("launch", () => {
  it("defers a launch that falls in quiet hours and records when it will go", async () => {
    const quiet = await newCompany();
    const sunday = new Date("2030-06-16T10:00:00Z");
    const campaignId = ulid();
    await withActor({ type: "system", companyId: quiet.companyId, reason: "test" }, async () => {
      await CampaignEntity.create({
        companyId: quiet.companyId,
        campaignId,
        kind: "info",
        title: "Dimanche",
        agencyId: quiet.agencies[0],
        createdBy: quiet.admin.userId,
        createdByName: "Alice",
        status: "scheduled",
        sendAt: sunday.toISOString(),
      }).go();
      const job = { kind: "campaign.launch" as const, companyId: quiet.companyId, campaignId };
      expect(await Delivery.launch(job, sunday)).toEqual({
        outcome: "deferred",
        deferredTo: "2030-06-17T07:00:00.000Z",
      });
      const campaign = (await CampaignEntity.get({ companyId: quiet.companyId, campaignId }).go()).data!;
      expect(campaign).toMatchObject({ status: "scheduled", deferredTo: "2030-06-17T07:00:00.000Z" });
      const schedules = await (
        await fetch(`${process.env.AWS_ENDPOINT_URL_SCHEDULER}/_emulator/schedules`)
      ).text();
      expect(schedules).toContain(`campaign-${campaignId}`);
    });
  });

  it("sends a transactional campaign (an application's acknowledgment) in quiet hours", async () => {
    const quiet = await newCompany();
    const sunday = new Date("2030-06-16T21:30:00Z");
    const campaignId = ulid();
    await withActor({ type: "system", companyId: quiet.companyId, reason: "test" }, async () => {
      await CampaignEntity.create({
        companyId: quiet.companyId,
        campaignId,
        kind: "info",
        title: "Accusé de réception",
        agencyId: quiet.agencies[0],
        createdBy: "system",
        createdByName: "Campagne d'appel (automatique)",
        status: "scheduled",
        sendAt: sunday.toISOString(),
        transactional: true,
      }).go();
      const job = { kind: "campaign.launch" as const, companyId: quiet.companyId, campaignId };
      expect((await Delivery.launch(job, sunday)).outcome).not.toBe("deferred");
      const campaign = (await CampaignEntity.get({ companyId: quiet.companyId, campaignId }).go()).data!;
      expect(campaign.deferredTo).toBeUndefined();
      expect(campaign.status).not.toBe("scheduled");
    });
  });

  it("launches once: a re-fired schedule finds the campaign already sending", async () => {
    const number = freshMobile();
    const campaignId = await createCampaign([number], {
      sendAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    await CampaignEntity.patch({ companyId: company.companyId, campaignId })
      .set({ sendAt: new Date().toISOString() })
      .go();
    const job = { kind: "campaign.launch" as const, companyId: company.companyId, campaignId };
    const [first, second] = await withActor(
      { type: "system", companyId: company.companyId, reason: "test" },
      () => Promise.all([Delivery.launch(job), Delivery.launch(job)]),
    );
    expect([first?.outcome, second?.outcome].sort()).toEqual(["launched", "skipped"]);
    await until(() => allIn(["delivered"])(campaignId));
    expect(await outbound(number)).toHaveLength(1);
  });
});

/**
 * A campaign already `sending` whose messages no job carries yet: tests hand jobs to the handler or core.
 * Its messages go `jobSize` to a send job.
 */
async function sendingCampaign(recipients: Array<{ to: string; channel?: "sms" | "email" }>, jobSize = 25) {
  const campaignId = ulid();
  const messageIds = recipients.map(() => ulid());
  const written = recipients.map(({ to, channel = "sms" }, index) => ({
    companyId: company.companyId,
    campaignId,
    messageId: messageIds[index]!,
    channel,
    to,
    body: "Mission demain, dispo ?",
    subject: "Mission demain",
    html: "<p>Mission demain, dispo ?</p>",
    status: "scheduled" as const,
  }));
  // 0: messages as written before send jobs existed, without one.
  const messages: Array<(typeof written)[number] & { jobId?: string }> =
    jobSize > 0 ? assignJobs(written, jobSize) : written;
  await MessageEntity.put(messages).go();
  const sms = recipients.filter((recipient) => (recipient.channel ?? "sms") === "sms").length;
  await CampaignEntity.create({
    companyId: company.companyId,
    campaignId,
    kind: "yesno",
    title: `Fiabilité ${campaignId}`,
    agencyId: company.agencies[0],
    createdBy: company.admin.userId,
    createdByName: "Alice",
    status: "sending",
    sendAt: new Date().toISOString(),
    smsCount: sms,
    emailCount: recipients.length - sms,
    recipients: recipients.length,
  }).go();
  const jobs: SendJob[] = [];
  for (let start = 0; start < messageIds.length; start += jobSize || 25)
    jobs.push({
      kind: "send",
      companyId: company.companyId,
      campaignId,
      jobId: messages[start]!.jobId,
      messageIds: messageIds.slice(start, start + (jobSize || 25)),
    });
  return { campaignId, messageIds, jobs };
}

const rowOf = async (campaignId: string, messageId: string) =>
  (await MessageEntity.get({ companyId: company.companyId, campaignId, messageId }).go()).data!;

/** Middleware on one of this process's SDK clients, removed after the test. */
const installed: Array<() => void> = [];
function intercept(
  client: {
    middlewareStack: {
      add(
        middleware: InitializeMiddleware<object, MetadataBearer>,
        options: { step: "initialize"; name: string },
      ): void;
      remove(name: string): boolean;
    };
  },
  name: string,
  middleware: InitializeMiddleware<object, MetadataBearer>,
) {
  client.middlewareStack.add(middleware, { step: "initialize", name });
  installed.push(() => client.middlewareStack.remove(name));
}
afterEach(() => {
  for (const remove of installed.splice(0)) remove();
});

const asSystem = <T>(work: () => Promise<T>) =>
  withActor({ type: "system", companyId: company.companyId, reason: "test" }, work);

describe("reliability of the send path", () => {
  it("calls the provider once per message when every job of a campaign is delivered twice at once, then again", async () => {
    const numbers = Array.from({ length: 40 }, freshMobile);
    const { campaignId, jobs } = await sendingCampaign(numbers.map((to) => ({ to })));
    const events = jobs.map((job) => sqsEvent(sqsRecord(job)));
    const results = await Promise.all(
      events.flatMap((event) => [send(event, context), send(event, context)]),
    );
    for (const event of events) await send(event, context);
    expect(results.flatMap((result) => result?.batchItemFailures ?? [])).toEqual([]);
    for (const number of numbers) expect(await outbound(number)).toHaveLength(1);
    await until(() => allIn(["delivered"])(campaignId));
    const campaign = await until(async () => {
      const row = await campaignOf(campaignId);
      return row.delivered === 40 ? row : undefined;
    });
    expect(campaign).toMatchObject({ delivered: 40, sent: 40, status: "sent" });
  });

  it("completes a campaign whose worker died mid-send, without losing or repeating a message", async () => {
    // No rate limit: no part of the dead worker is left asleep, waiting for a token, when it dies.
    await CompanyEntity.patch({ companyId: company.companyId }).set({ smsPerSecond: 0 }).go();
    onTestFinished(async () => {
      await CompanyEntity.patch({ companyId: company.companyId }).remove(["smsPerSecond"]).go();
    });
    const numbers = Array.from({ length: 20 }, freshMobile);
    const { campaignId, jobs } = await sendingCampaign(numbers.map((to) => ({ to })));
    // The worker dies after its 8th accepted SMS: its provider calls then hang and its writes fail, so
    // the last accepted messages are caught between the provider call and their record. Only that
    // worker's calls are affected (its async context), so a fresh worker can run beside its remains.
    const deadWorker = new AsyncLocalStorage<true>();
    const dead = { killed: false, accepted: 0, inFlight: 0 };
    // Its provider calls go one at a time, so it dies part-way through the job.
    let turn: Promise<unknown> = Promise.resolve();
    intercept(smsVoice(), "test-kill-sms", (next) => (args) => {
      if (!deadWorker.getStore()) return next(args);
      const call = turn.then(async () => {
        if (dead.killed) return new Promise<never>(() => {});
        dead.inFlight++;
        try {
          const result = await next(args);
          if (++dead.accepted === 8) dead.killed = true;
          return result;
        } finally {
          dead.inFlight--;
        }
      });
      turn = call.catch(() => undefined);
      return call;
    });
    intercept(dynamo(), "test-kill-writes", (next, context) => async (args) => {
      if (
        deadWorker.getStore() &&
        dead.killed &&
        /Update|Put|BatchExecute|BatchWrite/.test(context.commandName ?? "")
      )
        throw new Error("worker killed");
      return next(args);
    });
    await expect(deadWorker.run(true, () => asSystem(() => Delivery.sendJob(jobs[0]!)))).rejects.toThrow(
      "worker killed",
    );
    await until(async () => (dead.inFlight === 0 ? true : undefined));
    const sentBeforeDeath = (await Promise.all(numbers.map(outbound))).filter((list) => list.length > 0);
    expect(sentBeforeDeath).toHaveLength(8);
    // What it sent last was accepted but never recorded (only the provider's events may move it).
    const accepted = new Set(sentBeforeDeath.map((list) => list[0]!.to));
    const unrecorded = (await messagesOf(campaignId)).filter((row) => accepted.has(row.to) && !row.sentAt);
    expect(unrecorded.length).toBeGreaterThan(0);

    // Restart: a fresh worker, the dead one's leases over. The provider's events, which echo our ids,
    // have moved what it had sent meanwhile; everything else is claimed again.
    await until(async () => {
      const rows = await messagesOf(campaignId);
      return rows.every((row) => !accepted.has(row.to) || row.status === "delivered") ? true : undefined;
    });
    const later = () => Date.now() + leaseMs + 1_000;
    await asSystem(() => Delivery.sendJob(jobs[0]!, { now: later }));
    for (const number of numbers) expect(await outbound(number)).toHaveLength(1);
    await until(() => allIn(["delivered"])(campaignId));
    // The resumed job recounted what the dead one had recorded but not counted: the campaign completes.
    await until(async () => ((await campaignOf(campaignId)).status === "sent" ? true : undefined));
  });

  it("retries an email through SES throttling and a 5xx, then sends it once", async () => {
    const email = `retry-${ulid().toLowerCase()}@example.fr`;
    const { campaignId, messageIds, jobs } = await sendingCampaign([{ to: email, channel: "email" }]);
    const faults = [
      Object.assign(new Error("Rate exceeded"), {
        name: "TooManyRequestsException",
        $metadata: { httpStatusCode: 429 },
      }),
      Object.assign(new Error("Service unavailable"), {
        name: "InternalFailure",
        $metadata: { httpStatusCode: 503 },
      }),
    ];
    intercept(ses(), "test-ses-faults", (next, context) => async (args) => {
      if (context.commandName === "SendEmailCommand" && faults.length > 0) throw faults.shift();
      return next(args);
    });
    const outcomes = [];
    for (let attempt = 0; attempt < 3; attempt++)
      outcomes.push(...Object.values(await asSystem(() => Delivery.sendJob(jobs[0]!))));
    expect(outcomes).toEqual(["retry", "retry", "sent"]);
    const row = await rowOf(campaignId, messageIds[0]!);
    expect(row).toMatchObject({ status: "sent", attempts: 3 });
    expect(row.lastError).toMatch(/InternalFailure/);
    const store = (await (await fetch(`${mailbox()}/store`)).json()) as { emails: Array<{ to?: unknown }> };
    expect(store.emails.filter((mail) => JSON.stringify(mail.to ?? mail).includes(email))).toHaveLength(1);
  });

  it("ends a message Échec with the reason once transient failures pass the 48-hour window", async () => {
    const { campaignId, messageIds, jobs } = await sendingCampaign([{ to: freshMobile() }]);
    intercept(smsVoice(), "test-throttle", () => async () => {
      throw Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
    });
    expect(await asSystem(() => Delivery.sendJob(jobs[0]!))).toEqual({ [messageIds[0]!]: "retry" });
    expect(await rowOf(campaignId, messageIds[0]!)).toMatchObject({ status: "scheduled", attempts: 1 });
    const twoDaysLater = () => Date.now() + 48 * 3600_000 + 60_000;
    expect(await asSystem(() => Delivery.sendJob(jobs[0]!, { now: twoDaysLater }))).toEqual({
      [messageIds[0]!]: "failed",
    });
    const row = await rowOf(campaignId, messageIds[0]!);
    expect(row).toMatchObject({ status: "failed", attempts: 2 });
    expect(row.statusReason).toContain("ThrottlingException");
    expect(await campaignOf(campaignId)).toMatchObject({ failed: 1, status: "sent" });
  });
});

describe("send jobs", () => {
  it("sends a message only under its own job: a body naming another job's message skips it", async () => {
    const numbers = [freshMobile(), freshMobile()];
    const { campaignId, messageIds, jobs } = await sendingCampaign(
      numbers.map((to) => ({ to })),
      1,
    );
    const wrong: SendJob = { ...jobs[0]!, messageIds };
    expect(await asSystem(() => Delivery.sendJob(wrong))).toEqual({
      [messageIds[0]!]: "sent",
      [messageIds[1]!]: "skipped",
    });
    expect(await outbound(numbers[1]!)).toHaveLength(0);
    await asSystem(() => Delivery.sendJob(jobs[1]!));
    for (const number of numbers) expect(await outbound(number)).toHaveLength(1);
    expect((await campaignOf(campaignId)).status).toBe("sent");
  });

  it("sends messages written before send jobs existed once each, from bodies without a job id", async () => {
    const numbers = [freshMobile(), freshMobile(), freshMobile()];
    const { campaignId, messageIds } = await sendingCampaign(
      numbers.map((to) => ({ to })),
      0,
    );
    const legacy: SendJob = { kind: "send", companyId: company.companyId, campaignId, messageIds };
    await Promise.all([asSystem(() => Delivery.sendJob(legacy)), asSystem(() => Delivery.sendJob(legacy))]);
    await asSystem(() => Delivery.sendJob(legacy));
    for (const number of numbers) expect(await outbound(number)).toHaveLength(1);
  });

  it("refuses the record of an attempt a carrier failure came back about first, and sends it again once", async () => {
    const number = freshMobile();
    const { campaignId, messageIds, jobs } = await sendingCampaign([{ to: number }]);
    // The carrier's failure is handled between the provider's answer and the worker's record.
    const seen: Array<{ MessageId?: string; attemptId: string }> = [];
    intercept(smsVoice(), "test-early-failure", (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName !== "SendTextMessageCommand" || seen.length > 0) return result;
      const input = args.input as { Context?: Record<string, string> };
      const output = result.output as { MessageId?: string };
      seen.push({ MessageId: output.MessageId, attemptId: input.Context!.attemptId! });
      const early = {
        eventType: "TEXT_UNREACHABLE",
        messageId: output.MessageId!,
        messageStatusDescription: "Phone is switched off",
        context: input.Context,
      };
      expect(await Delivery.smsEvent(early)).toEqual({ outcome: "moved", status: "scheduled" });
      return result;
    });
    await asSystem(() => Delivery.sendJob(jobs[0]!));
    const handedBack = await rowOf(campaignId, messageIds[0]!);
    expect(handedBack).toMatchObject({ status: "scheduled", attemptId: seen[0]!.attemptId });
    expect(handedBack.sentAt).toBeUndefined();
    // A late TEXT_SUCCESSFUL of that attempt does not pass for the next one.
    const late = {
      eventType: "TEXT_SUCCESSFUL",
      messageId: seen[0]!.MessageId!,
      context: {
        companyId: company.companyId,
        campaignId,
        messageId: messageIds[0]!,
        attemptId: seen[0]!.attemptId,
      },
    };
    expect(await Delivery.smsEvent(late)).toEqual({ outcome: "unchanged" });

    await asSystem(() => Delivery.sendJob(jobs[0]!));
    await asSystem(() => Delivery.sendJob(jobs[0]!));
    expect(await outbound(number)).toHaveLength(2);
    const resent = await until(async () => {
      const row = await rowOf(campaignId, messageIds[0]!);
      return row.status === "delivered" ? row : undefined;
    });
    expect(resent.attemptId).not.toBe(seen[0]!.attemptId);
    await until(async () => ((await campaignOf(campaignId)).status === "sent" ? true : undefined));
  });

  it("keeps what only the send knows when its own receipt is recorded first, so a reply still finds the question", async () => {
    const number = freshMobile();
    const { campaignId, messageIds, jobs } = await sendingCampaign([{ to: number }]);
    // The receipt is handled between the provider's answer and the worker's record (a slow write).
    let receipt: string | undefined;
    intercept(smsVoice(), "test-early-receipt", (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName !== "SendTextMessageCommand" || receipt) return result;
      const input = args.input as { Context?: Record<string, string> };
      receipt = (result.output as { MessageId?: string }).MessageId!;
      const early = { eventType: "TEXT_DELIVERED", messageId: receipt, context: input.Context };
      expect(await Delivery.smsEvent(early)).toEqual({ outcome: "moved", status: "delivered" });
      return result;
    });
    await asSystem(() => Delivery.sendJob(jobs[0]!));
    const row = await rowOf(campaignId, messageIds[0]!);
    expect(row).toMatchObject({ status: "delivered", providerMessageId: receipt, question: true });
    expect(row.sentAt).toBeDefined();
    const reply = await Delivery.inboundSms({
      originationNumber: number,
      destinationNumber: row.from ?? "",
      messageBody: "oui",
      inboundMessageId: ulid(),
    });
    expect(reply).toMatchObject({ outcome: "recorded", messageId: messageIds[0], classification: "yes" });
  });

  it("fans out whole jobs, however the pages of messages fall", async () => {
    const { campaignId, messageIds } = await sendingCampaign(
      Array.from({ length: 60 }, () => ({ to: freshMobile() })),
    );
    // Nothing is to go out: only what the fan-out enqueues is looked at.
    await CampaignEntity.patch({ companyId: company.companyId, campaignId })
      .set({ status: "cancelled" })
      .go();
    const enqueued: Array<SendJob & { delay?: number }> = [];
    intercept(sqs(), "test-fan-out", (next, context) => async (args) => {
      const input = args.input as { Entries?: Array<{ MessageBody?: string; DelaySeconds?: number }> };
      if (context.commandName === "SendMessageBatchCommand")
        for (const entry of input.Entries ?? []) {
          const body = JSON.parse(entry.MessageBody ?? "{}") as SendJob;
          if (body.campaignId === campaignId) enqueued.push({ ...body, delay: entry.DelaySeconds });
        }
      return next(args);
    });
    // At 10 messages a second, each job of 25 comes 2.5 s after the one before.
    const result = await asSystem(() =>
      Delivery.fanOut({ companyId: company.companyId, campaignId }, { pageSize: 7, pace: 10 }),
    );
    expect(result).toEqual({ jobs: 3, messages: 60 });
    const byJob = (a: SendJob, b: SendJob) => messageIds.indexOf(a.jobId!) - messageIds.indexOf(b.jobId!);
    expect(enqueued.sort(byJob).map((job) => [job.jobId, job.messageIds.length])).toEqual([
      [messageIds[0], 25],
      [messageIds[25], 25],
      [messageIds[50], 10],
    ]);
    expect(enqueued.flatMap((job) => job.messageIds).sort()).toEqual([...messageIds].sort());
    expect(enqueued.map((job) => job.delay).sort()).toEqual([0, 2, 5]);
  });

  it("paces a campaign at its channels' limits, side by side", () => {
    expect(Delivery.paceOf({ smsCount: 100, emailCount: 70 }, { sms: 10, email: 14 })).toBe(17);
    expect(Delivery.paceOf({ smsCount: 100, emailCount: 0 }, { sms: 0, email: 14 })).toBe(0);
    expect(Delivery.paceOf({ smsCount: 0, emailCount: 28 }, { sms: 10, email: 14 })).toBe(14);
  });
});

describe("rate limit across workers", () => {
  it("grants exactly the configured tokens in each second, however many workers ask at once", async () => {
    const limited = `rate-${ulid()}`;
    const second = Math.floor(Date.now() / 1000) * 1000;
    const grant = (at: number) =>
      Promise.all(Array.from({ length: 30 }, () => tryTake(limited, "sms", 7, at + 500)));
    const count = (granted: boolean[]) => granted.filter(Boolean).length;
    expect(count(await grant(second))).toBe(7);
    expect(count(await grant(second))).toBe(0);
    expect(count(await grant(second + 1000))).toBe(7);
    expect(count(await grant(second + 2000))).toBe(7);
  });

  it("lets concurrent send jobs of a company through at its rate only, handing the rest back", async () => {
    await CompanyEntity.patch({ companyId: company.companyId }).set({ smsPerSecond: 4 }).go();
    try {
      const numbers = Array.from({ length: 12 }, freshMobile);
      const { campaignId, jobs } = await sendingCampaign(
        numbers.map((to) => ({ to })),
        4,
      );
      // Three workers, four messages each, in one frozen second: four tokens in all.
      const frozen = Math.floor(Date.now() / 1000) * 1000 + 7_000_000;
      expect(jobs).toHaveLength(3);
      const outcomes = await Promise.all(
        jobs.map((job) => asSystem(() => Delivery.sendJob(job, { now: () => frozen }))),
      );
      const all = outcomes.flatMap((outcome) => Object.values(outcome));
      expect(all.filter((outcome) => outcome === "sent")).toHaveLength(4);
      expect(all.filter((outcome) => outcome === "retry")).toHaveLength(8);
      const sentTo = (await Promise.all(numbers.map(outbound))).filter((list) => list.length === 1);
      expect(sentTo).toHaveLength(4);
      // Handed back without a write: waiting for a token is pacing, not an attempt.
      const handedBack = (await messagesOf(campaignId)).filter((message) => message.status === "scheduled");
      expect(handedBack).toHaveLength(8);
      for (const message of handedBack) expect(message).not.toHaveProperty("attempts");
    } finally {
      await CompanyEntity.patch({ companyId: company.companyId }).remove(["smsPerSecond"]).go();
    }
  }, 30_000);
});

describe("transient carrier failures", () => {
  const carrierEvent = (
    row: { messageId: string; providerMessageId?: string; attemptId?: string },
    eventType: string,
    campaignId: string,
  ) => ({
    eventType,
    messageId: row.providerMessageId!,
    messageStatusDescription: "Phone is switched off",
    context: {
      companyId: company.companyId,
      campaignId,
      messageId: row.messageId,
      attemptId: row.attemptId!,
    },
  });

  it("sends again after TEXT_UNREACHABLE, once per attempt, and keeps the final status monotonic", async () => {
    const number = freshMobile();
    const { campaignId, messageIds, jobs } = await sendingCampaign([{ to: number }]);
    await asSystem(() => Delivery.sendJob(jobs[0]!));
    const first = await until(async () => {
      const row = await rowOf(campaignId, messageIds[0]!);
      return row.status === "delivered" ? row : undefined;
    });
    await until(async () => ((await campaignOf(campaignId)).delivered === 1 ? true : undefined));
    // The carrier reports the handset unreachable for this attempt (twice: a duplicate event).
    await MessageEntity.patch({ companyId: company.companyId, campaignId, messageId: messageIds[0]! })
      .set({ status: "sent", rank: 2 })
      .go();
    await CampaignEntity.patch({ companyId: company.companyId, campaignId }).add({ delivered: -1 }).go();
    const event = carrierEvent(first, "TEXT_UNREACHABLE", campaignId);
    expect(await Delivery.smsEvent(event)).toEqual({ outcome: "moved", status: "scheduled" });
    await Delivery.smsEvent(event);
    expect(await rowOf(campaignId, messageIds[0]!)).toMatchObject({
      status: "scheduled",
      lastError: "TEXT_UNREACHABLE: Phone is switched off",
    });
    expect(await campaignOf(campaignId)).toMatchObject({ status: "sending", sent: 0 });

    // The re-queued job (and its duplicate) send the second attempt once.
    await asSystem(() => Delivery.sendJob(jobs[0]!));
    await asSystem(() => Delivery.sendJob(jobs[0]!));
    expect(await outbound(number)).toHaveLength(2);
    const second = await until(async () => {
      const row = await rowOf(campaignId, messageIds[0]!);
      return row.status === "delivered" ? row : undefined;
    });
    expect(second.attemptId).not.toBe(first.attemptId);
    expect(second.attempts).toBe(2);
    // A late event about the first attempt changes nothing now.
    expect(await Delivery.smsEvent(event)).toEqual({ outcome: "unchanged" });
    expect(await rowOf(campaignId, messageIds[0]!)).toMatchObject({ status: "delivered" });
    const campaign = await until(async () => {
      const row = await campaignOf(campaignId);
      return row.delivered === 1 && row.sent === 1 ? row : undefined;
    });
    expect(campaign.status).toBe("sent");
  });

  it("ends Échec with the carrier's reason when the 48 hours are over", async () => {
    const { campaignId, messageIds, jobs } = await sendingCampaign([{ to: freshMobile() }]);
    await asSystem(() => Delivery.sendJob(jobs[0]!));
    const row = await rowOf(campaignId, messageIds[0]!);
    const event = carrierEvent(row, "TEXT_TTL_EXPIRED", campaignId);
    const later = Date.now() + 48 * 3600_000 + 60_000;
    // Whether or not the TEXT_SUCCESSFUL / DELIVERED events got there first, it is still this attempt.
    await MessageEntity.patch({ companyId: company.companyId, campaignId, messageId: messageIds[0]! })
      .set({ status: "sent", rank: 2 })
      .where((attr, { eq }) => eq(attr.attemptId, row.attemptId!))
      .go();
    expect(await Delivery.smsEvent(event, later)).toEqual({ outcome: "moved", status: "failed" });
    expect(await rowOf(campaignId, messageIds[0]!)).toMatchObject({
      status: "failed",
      statusReason: "TEXT_TTL_EXPIRED: Phone is switched off (retried for 48 h)",
    });
  });

  it("ends a permanent carrier failure Non délivré with the reason, without sending again", async () => {
    const campaignId = await campaignTo(["+33600000010"]);
    const [message] = await until(() => allIn(["undeliverable"])(campaignId));
    expect(message?.statusReason).toContain("TEXT_CARRIER_BLOCKED");
    expect(await outbound("+33600000010")).not.toHaveLength(0);
  });
});

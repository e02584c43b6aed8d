import { GetScheduleCommand } from "@aws-sdk/client-scheduler";
import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { CampaignEntity, MessageEntity } from "../../core/campaign/campaign.entity";
import { assignJobs } from "../../core/campaign/jobs";
import { CompanyEntity } from "../../core/company/company.entity";
import { config } from "../../core/config";
import { factsOf } from "../../core/delivery/status";
import { scheduler } from "../../core/platform/clients";
import * as Queue from "../../core/platform/queue";
import { sweep } from "../../core/sweep/sweep";
import { type Browser, loggedIn, newCompany, type TestCompany, until } from "../api/testing";

/**
 * The sweeper against the local pipeline: items are written as a crashed worker leaves them, with no
 * job on any queue, and only the sweep job (run by the local poller) brings them back.
 */

let company: TestCompany;
let admin: Browser;

const freshMobile = () => `+33613${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
const hourAgo = () => new Date(Date.now() - 3600_000).toISOString();

beforeAll(async () => {
  company = await newCompany();
  await CompanyEntity.patch({ companyId: company.companyId })
    .set({ quietStart: "00:00", quietEnd: "00:00", quietSundays: false, quietHolidays: false })
    .go();
  admin = await loggedIn(company, company.admin.email);
});

const messagesOf = async (campaignId: string) =>
  (
    await MessageEntity.query
      .byCampaign({ companyId: company.companyId, campaignId })
      .go({ consistent: true })
  ).data;
const campaignOf = async (campaignId: string) =>
  (await CampaignEntity.get({ companyId: company.companyId, campaignId }).go({ consistent: true })).data!;

async function outbound(to: string) {
  const sms = process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2!;
  const answer = await fetch(`${sms}/_emulator/messages?to=${encodeURIComponent(to)}&direction=outbound`);
  return ((await answer.json()) as { messages: unknown[] }).messages;
}

/** 30 messages, 5 recorded sent before the crash and 25 still scheduled; counters as the crash left them. */
async function crashedCampaign(progressAt = hourAgo()) {
  const campaignId = ulid();
  const numbers = Array.from({ length: 30 }, freshMobile);
  const messages = assignJobs(
    numbers.map((to, index) => ({
      companyId: company.companyId,
      campaignId,
      messageId: ulid(),
      channel: "sms" as const,
      to,
      body: "Mission demain, dispo ?",
      ...(index < 5
        ? { status: "sent" as const, rank: 2, sentAt: hourAgo() }
        : { status: "scheduled" as const }),
    })),
  );
  await MessageEntity.put(messages).go();
  await CampaignEntity.create({
    companyId: company.companyId,
    campaignId,
    kind: "info",
    title: `Interrompue ${campaignId}`,
    agencyId: company.agencies[0]!,
    createdBy: company.admin.userId,
    createdByName: "Alice",
    status: "sending",
    sendAt: hourAgo(),
    launchedAt: hourAgo(),
    fannedOut: true,
    active: "campaign",
    activeSince: hourAgo(),
    progressAt,
    smsCount: 30,
    recipients: 30,
    sent: -5,
  }).go();
  return { campaignId, numbers };
}

describe("sweeper", () => {
  it("never shows a counter below zero", async () => {
    const { campaignId } = await crashedCampaign();
    const answer = await admin.get(`/api/campaigns/${campaignId}/counts`);
    expect(answer.status).toBe(200);
    expect((answer.body.counts as { sent: number }).sent).toBe(0);
  });

  it("sends what a crashed run left scheduled, once each, and makes the counters equal a recount", async () => {
    const { campaignId, numbers } = await crashedCampaign();
    await Queue.send(config("DISPATCH_QUEUE_URL"), { kind: "sweep", companyId: company.companyId });

    const campaign = await until(async () => {
      const [row, messages] = await Promise.all([campaignOf(campaignId), messagesOf(campaignId)]);
      if (row.status !== "sent" || messages.some((message) => message.status === "scheduled"))
        return undefined;
      // Counters are facts (delivery/status.ts): what a recount of these messages would say.
      const count = (fact: string) =>
        messages.filter((message) => (factsOf(message) as string[]).includes(fact)).length;
      return row.sent === count("sent") && row.delivered === count("delivered") ? row : undefined;
    }, 30_000);
    expect(campaign.sent).toBe(30);
    // The 5 recorded before the crash are not sent again; the 25 others go out once.
    for (const [index, number] of numbers.entries())
      expect(await outbound(number)).toHaveLength(index < 5 ? 0 : 1);
  });

  it("leaves a campaign that is still moving alone", async () => {
    const { campaignId } = await crashedCampaign(new Date().toISOString());
    const outcome = await sweep({ companyId: company.companyId });
    expect(outcome.campaigns[campaignId]).toBe("moving");
    expect((await messagesOf(campaignId)).filter((message) => message.status === "scheduled")).toHaveLength(
      25,
    );
  });

  it("after a restart, drives again a campaign however recently it moved (its queue is gone)", async () => {
    const { campaignId } = await crashedCampaign(new Date().toISOString());
    const outcome = await sweep({ companyId: company.companyId, afterRestart: true });
    expect(outcome.campaigns[campaignId]).toBe("redriven 25");
    await until(async () => ((await campaignOf(campaignId)).status === "sent" ? true : undefined), 30_000);
  });

  it("is scheduled every five minutes on the dispatch queue when the local cloud starts", async () => {
    const Schedule = await scheduler().send(
      new GetScheduleCommand({ Name: "relais-sweep", GroupName: config("SCHEDULE_GROUP") }),
    );
    expect(Schedule.ScheduleExpression).toBe("rate(5 minutes)");
    expect(Schedule.Target?.Arn).toBe(config("DISPATCH_QUEUE_ARN"));
    expect(JSON.parse(Schedule.Target?.Input ?? "{}")).toEqual({ kind: "sweep", companyId: "*" });
  });

  it("recounts a finished campaign whose counter ADD was lost, then forgets it once quiet for days", async () => {
    const { campaignId } = await crashedCampaign();
    // Every message ended, the campaign is Envoyé, but a consumer died before its ADDs.
    for (const message of await messagesOf(campaignId))
      await MessageEntity.patch({ companyId: company.companyId, campaignId, messageId: message.messageId })
        .set({ status: "delivered", rank: 5 })
        .go();
    await CampaignEntity.patch({ companyId: company.companyId, campaignId })
      .set({ status: "sent", delivered: 27 })
      .go();

    expect((await sweep({ companyId: company.companyId })).campaigns[campaignId]).toBe("recounted");
    expect(await campaignOf(campaignId)).toMatchObject({ sent: 30, delivered: 30 });
    expect((await sweep({ companyId: company.companyId })).campaigns[campaignId]).toBe("quiet");

    const inFourDays = Date.now() + 4 * 24 * 3600_000;
    expect((await sweep({ companyId: company.companyId, now: inFourDays })).campaigns[campaignId]).toBe(
      "forgotten",
    );
    expect((await campaignOf(campaignId)).active).toBeUndefined();
    expect((await sweep({ companyId: company.companyId })).campaigns[campaignId]).toBeUndefined();
  });
});

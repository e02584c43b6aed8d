import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { withActor } from "../../core/actor";
import { MessageEntity } from "../../core/campaign/campaign.entity";
import { Delivery } from "../../core/delivery";
import { replyAddress } from "../../core/delivery/send";
import { Suppression } from "../../core/suppression";
import { receiveEmail } from "../../scripts/local/mail-inbound";
import {
  addUser,
  type Browser,
  loggedIn,
  newCompany,
  noQuietHours,
  type TestCompany,
  until,
} from "../api/testing";

/** The company's suppression list: opt-outs of addresses typed into the composer, with no contact. */
let company: TestCompany;
let admin: Browser;
beforeAll(async () => {
  company = await newCompany();
  admin = await loggedIn(company, company.admin.email);
  await noQuietHours(admin);
});

const freshMobile = () => `+33615${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
const outbound = async (to: string) =>
  (await (
    await fetch(
      `${process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2}/_emulator/messages?to=${encodeURIComponent(to)}&direction=outbound`,
    )
  ).json()) as { messages: unknown[] };

async function campaignTo(entries: string[], extra: object = {}) {
  const created = await admin.post("/api/campaigns", {
    kind: "yesno",
    smsBody: "Mission demain, dispo ?",
    emailSubject: "Mission demain",
    emailHtml: "<p>Mission demain, dispo ?</p>",
    recipients: { entries },
    title: `Mission ${ulid()}`,
    agencyId: company.agencies[0],
    ...extra,
  });
  expect(created.status).toBe(201);
  return (created.body.campaign as { campaignId: string }).campaignId;
}

const messagesOf = async (campaignId: string) =>
  (await MessageEntity.query.byCampaign({ companyId: company.companyId, campaignId }).go()).data;

const preview = (entries: string[]) =>
  admin.post("/api/campaigns/preview", {
    kind: "info",
    smsBody: "Info du jour",
    emailSubject: "Info",
    emailHtml: "<p>Info du jour</p>",
    recipients: { entries },
  });

describe("suppression list", () => {
  it("keeps an address typed into the composer out of the next campaign once it answered STOP by email", async () => {
    const email = `typed-${ulid().toLowerCase()}@example.fr`;
    const campaignId = await campaignTo([email]);
    const [message] = await until(async () => {
      const rows = await messagesOf(campaignId);
      return rows[0]?.providerMessageId ? rows : undefined;
    });
    expect(message?.contactId).toBeUndefined();
    await receiveEmail({
      from: email,
      to: replyAddress(company.companyId, message!.messageId),
      text: "STOP",
    });
    await until(async () =>
      (await messagesOf(campaignId))[0]?.status === "unsubscribed" ? true : undefined,
    );

    const next = await preview([email.toUpperCase()]);
    expect(next.status).toBe(200);
    expect(next.body.recipients).toMatchObject([{ channel: null, excludedReason: "opted_out" }]);
  });

  it("excludes a typed number that answered STOP by SMS, contact or not", async () => {
    const mobile = freshMobile();
    const campaignId = await campaignTo([mobile]);
    const [message] = await until(async () => {
      const rows = await messagesOf(campaignId);
      return rows[0]?.status === "sent" ? rows : undefined;
    });
    await Delivery.inboundSms({
      originationNumber: mobile,
      destinationNumber: message!.from ?? "+33700000000",
      messageBody: "STOP",
      inboundMessageId: ulid(),
      previousPublishedMessageId: message!.providerMessageId,
    });
    const next = await preview([`0${mobile.slice(3)}`]);
    expect(next.body.recipients).toMatchObject([{ channel: null, excludedReason: "opted_out" }]);
  });

  it("checks the list again right before sending: an opt-out after the campaign was written is skipped", async () => {
    const mobile = freshMobile();
    const campaignId = await campaignTo([mobile], {
      sendAt: new Date(Date.now() + 45_000).toISOString(),
    });
    await Suppression.add({ companyId: company.companyId, channel: "sms", address: mobile, source: "STOP" });
    await withActor({ type: "system", companyId: company.companyId, reason: "test" }, () =>
      Delivery.launch({ kind: "campaign.launch", companyId: company.companyId, campaignId }),
    );
    const [message] = await until(async () => {
      const rows = await messagesOf(campaignId);
      return rows[0]?.status === "unsubscribed" ? rows : undefined;
    });
    expect(message?.statusReason).toBe("Opted out (STOP)");
    expect((await outbound(mobile)).messages).toHaveLength(0);
  });

  it("lets only an Admin lift a manual opt-out, never a STOP, and audits it", async () => {
    const mobile = freshMobile();
    const contact = await admin.post("/api/contacts", {
      lastName: "Petit",
      mobile,
      agencyIds: [company.agencies[0]],
    });
    const contactId = (contact.body.contact as { contactId: string }).contactId;
    const optOut = (client: Browser, optedOut: boolean) =>
      client.post(`/api/contacts/${contactId}/opt-out`, { channel: "sms", optedOut });
    expect((await optOut(admin, true)).status).toBe(200);
    expect((await preview([mobile])).body.recipients).toMatchObject([{ excludedReason: "opted_out" }]);

    const manager = await loggedIn(company, (await addUser(company, "manager", [company.agencies[0]])).email);
    expect((await optOut(manager, false)).status).toBe(403);
    expect((await optOut(admin, false)).status).toBe(200);
    expect((await preview([mobile])).body.recipients).toMatchObject([{ channel: "sms" }]);
    const audit = await admin.get("/api/audit?type=suppression.lifted");
    expect(JSON.stringify(audit.body)).toContain(mobile);

    await Suppression.add({ companyId: company.companyId, channel: "sms", address: mobile, source: "STOP" });
    expect((await optOut(admin, false)).status).toBe(409);
    expect((await preview([mobile])).body.recipients).toMatchObject([{ excludedReason: "opted_out" }]);
  });
});

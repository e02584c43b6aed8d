import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { MessageEntity } from "../../core/campaign/campaign.entity";
import { Delivery } from "../../core/delivery";
import {
  addUser,
  type Browser,
  loggedIn,
  newCompany,
  noQuietHours,
  type TestCompany,
  until,
} from "./testing";

/** The conversation view: all messages and replies with a contact, and the reply box. */
let company: TestCompany;
let admin: Browser;
beforeAll(async () => {
  company = await newCompany();
  admin = await loggedIn(company, company.admin.email);
  await noQuietHours(admin);
});

const sms = () => process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2!;

type Conversation = {
  contact: { name: string };
  messages: Array<{ messageId: string; body?: string; status: string }>;
  replies: Array<{ body: string; classification: string }>;
};

describe("conversations", () => {
  it("shows every message and reply, and sends the reply typed in the box by SMS", async () => {
    const mobile = `+33617${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
    const created = await admin.post("/api/contacts", {
      firstName: "Nina",
      lastName: "Roux",
      mobile,
      agencyIds: [company.agencies[0]],
    });
    const contactId = (created.body.contact as { contactId: string }).contactId;
    const campaign = await admin.post("/api/campaigns", {
      kind: "yesno",
      smsBody: "Mission demain, dispo ?",
      recipients: { contactIds: [contactId] },
      title: "Mission",
      agencyId: company.agencies[0],
    });
    const campaignId = (campaign.body.campaign as { campaignId: string }).campaignId;
    const question = await until(async () => {
      const { data } = await MessageEntity.query
        .byCampaign({ companyId: company.companyId, campaignId })
        .go();
      return data[0]?.status === "sent" ? data[0] : undefined;
    });
    await Delivery.inboundSms({
      originationNumber: mobile,
      destinationNumber: question.from ?? "+33700000000",
      messageBody: "Oui mais à quelle heure ?",
      inboundMessageId: ulid(),
      previousPublishedMessageId: question.providerMessageId,
    });

    const typed = await admin.post(`/api/conversations/${contactId}/messages`, {
      body: "Rendez-vous à 8h, merci !",
    });
    expect(typed.status).toBe(201);
    await until(async () => {
      const answer = await fetch(
        `${sms()}/_emulator/messages?to=${encodeURIComponent(mobile)}&direction=outbound`,
      );
      const { messages } = (await answer.json()) as { messages: Array<{ body: string }> };
      return messages.some((message) => message.body === "Rendez-vous à 8h, merci !") || undefined;
    });

    const conversation = (await admin.get(`/api/conversations/${contactId}`)).body as unknown as Conversation;
    expect(conversation.contact.name).toBe("Nina Roux");
    expect(conversation.messages.map((message) => message.body)).toEqual([
      "Mission demain, dispo ?",
      "Rendez-vous à 8h, merci !",
    ]);
    expect(conversation.replies).toEqual([
      expect.objectContaining({
        body: "Oui mais à quelle heure ?",
        classification: "other",
        rule: "other.question",
      }),
    ]);
    expect((await admin.post(`/api/conversations/${contactId}/messages`, { body: "  " })).status).toBe(400);
  });

  it("keeps a contact's conversation to the agencies that see the contact", async () => {
    const created = await admin.post("/api/contacts", {
      lastName: "Privé",
      mobile: "0698765432",
      agencyIds: [company.agencies[0]],
    });
    const contactId = (created.body.contact as { contactId: string }).contactId;
    const other = await loggedIn(company, (await addUser(company, "user", [company.agencies[1]!])).email);
    expect((await other.get(`/api/conversations/${contactId}`)).status).toBe(404);
    expect((await other.post(`/api/conversations/${contactId}/messages`, { body: "Salut" })).status).toBe(
      404,
    );
  });
});

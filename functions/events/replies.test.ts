import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { withActor } from "../../core/actor";
import { MessageEntity } from "../../core/campaign/campaign.entity";
import { ContactEntity } from "../../core/contact/contact.entity";
import { write } from "../../core/db";
import { Delivery } from "../../core/delivery";
import { ReplyEntity } from "../../core/delivery/delivery.entity";
import { ReplyReceived } from "../../core/delivery/reply.events";
import * as Event from "../../core/event";
import { type Browser, loggedIn, newCompany, noQuietHours, type TestCompany, until } from "../api/testing";
import { handledBy, recorded } from "../subscribers/testing";

/** Replies whose worker died half-way, and the per-user forwarding switch. */
let company: TestCompany;
let admin: Browser;
beforeAll(async () => {
  company = await newCompany();
  admin = await loggedIn(company, company.admin.email);
  await noQuietHours(admin);
});

const sms = () => process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2!;
const mailbox = () => process.env.AWS_ENDPOINT_URL_SESV2!;
const freshMobile = () => `+33614${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;

/** A Yes/No campaign to a new contact, waited for until its message is sent. */
async function sentTo(title: string) {
  const mobile = freshMobile();
  const contact = await admin.post("/api/contacts", {
    lastName: "Durand",
    mobile,
    agencyIds: [company.agencies[0]],
  });
  const contactId = (contact.body.contact as { contactId: string }).contactId;
  const created = await admin.post("/api/campaigns", {
    kind: "yesno",
    smsBody: "Mission demain, dispo ?",
    recipients: { contactIds: [contactId] },
    title,
    agencyId: company.agencies[0],
  });
  const campaignId = (created.body.campaign as { campaignId: string }).campaignId;
  const message = await until(async () => {
    const { data } = await MessageEntity.query.byCampaign({ companyId: company.companyId, campaignId }).go();
    return data[0]?.status === "sent" ? data[0] : undefined;
  });
  return { mobile, contactId, campaignId, message };
}

async function forwarded(title: string) {
  const store = (await (await fetch(`${mailbox()}/store`)).json()) as { emails: Array<{ subject: string }> };
  return store.emails.filter((email) => email.subject.startsWith("Réponse") && email.subject.includes(title))
    .length;
}

describe("replies", () => {
  it("finishes a STOP whose first worker died after storing it: opted out, confirmed once, forwarded", async () => {
    const title = `Relance ${ulid()}`;
    const { mobile, contactId, message } = await sentTo(title);
    const reply = {
      originationNumber: mobile,
      destinationNumber: message.from ?? "+33700000000",
      messageBody: "STOP",
      inboundMessageId: ulid(),
      previousPublishedMessageId: message.providerMessageId,
    };
    // The dead attempt's only trace: the stored reply, not handled, and the event recorded with it.
    const [received] = await withActor({ type: "system", companyId: company.companyId, reason: "test" }, () =>
      Event.commit(
        [
          write.put(
            ReplyEntity.create({
              companyId: company.companyId,
              replyId: reply.inboundMessageId,
              campaignId: message.campaignId,
              messageId: message.messageId,
              contactId,
              party: contactId,
              channel: "sms",
              from: mobile,
              body: "STOP",
              classification: "other",
              command: "optout",
              receivedAt: new Date().toISOString(),
            }).params(),
          ),
        ],
        [
          ReplyReceived.create({
            campaignId: message.campaignId,
            messageId: message.messageId,
            replyId: reply.inboundMessageId,
            channel: "sms",
            classification: "other",
            command: "optout",
            body: "STOP",
          }),
        ],
      ),
    );

    expect((await Delivery.inboundSms(reply)).outcome).toBe("recorded");
    expect((await Delivery.inboundSms(reply)).outcome).toBe("duplicate");

    const { data: contact } = await ContactEntity.get({ companyId: company.companyId, contactId }).go();
    expect(contact?.optOutSmsAt).toBeDefined();
    const { data: after } = await MessageEntity.get({
      companyId: company.companyId,
      campaignId: message.campaignId,
      messageId: message.messageId,
    }).go();
    expect(after?.status).toBe("unsubscribed");
    const answer = await fetch(
      `${sms()}/_emulator/messages?to=${encodeURIComponent(mobile)}&direction=outbound`,
    );
    const { messages } = (await answer.json()) as { messages: Array<{ body: string }> };
    expect(messages.filter((sent) => sent.body === Delivery.stopConfirmation)).toHaveLength(1);
    // The retry recorded no second event: the one forward comes from the first attempt's.
    expect(
      await recorded(company.companyId, "reply.received", (p) => p.replyId === reply.inboundMessageId),
    ).toHaveLength(1);
    await handledBy("reply-forward", received!);
    expect(await forwarded(title)).toBe(1);
  });

  it("keeps the rule that read a reply, and shows it replaced by « manual » once reclassified by hand", async () => {
    const { mobile, campaignId, message } = await sentTo(`Règle ${ulid()}`);
    const inboundMessageId = ulid();
    const result = await Delivery.inboundSms({
      originationNumber: mobile,
      destinationNumber: message.from ?? "+33700000000",
      messageBody: "Oui ça marche",
      inboundMessageId,
      previousPublishedMessageId: message.providerMessageId,
    });
    expect(result).toMatchObject({ outcome: "recorded", classification: "yes", rule: "yes.word" });
    const { data: stored } = await ReplyEntity.get({
      companyId: company.companyId,
      campaignId,
      replyId: inboundMessageId,
    }).go();
    expect(stored?.rule).toBe("yes.word");
    const listed = await admin.get(`/api/campaigns/${campaignId}/recipients`);
    expect(listed.body.items).toEqual([expect.objectContaining({ classification: "yes", rule: "yes.word" })]);

    const corrected = await admin.patch(
      `/api/campaigns/${campaignId}/messages/${message.messageId}/classification`,
      { classification: "other" },
    );
    expect(corrected.body.recipient).toMatchObject({ classification: "other", rule: "manual" });
  });

  it("does not forward replies to a sender who switched forwarding off", async () => {
    const off = await admin.patch("/api/auth/preferences", { forwardReplies: false });
    expect(off.status).toBe(200);
    expect((off.body.user as { forwardReplies: boolean }).forwardReplies).toBe(false);
    const title = `Sans renvoi ${ulid()}`;
    const { mobile, message } = await sentTo(title);
    const result = await Delivery.inboundSms({
      originationNumber: mobile,
      destinationNumber: message.from ?? "+33700000000",
      messageBody: "oui",
      inboundMessageId: ulid(),
      previousPublishedMessageId: message.providerMessageId,
    });
    expect(result).toMatchObject({ outcome: "recorded", classification: "yes" });
    const [received] = await recorded(
      company.companyId,
      "reply.received",
      (p) => p.messageId === message.messageId,
    );
    await handledBy("reply-forward", received!);
    expect(await forwarded(title)).toBe(0);
    await admin.patch("/api/auth/preferences", { forwardReplies: true });
  });
});

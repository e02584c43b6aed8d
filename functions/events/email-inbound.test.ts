import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { MessageEntity } from "../../core/campaign/campaign.entity";
import { ContactEntity } from "../../core/contact/contact.entity";
import { replyAddress } from "../../core/delivery/send";
import { receiveEmail, replyToLatest } from "../../scripts/local/mail-inbound";
import { type Browser, loggedIn, newCompany, noQuietHours, type TestCompany, until } from "../api/testing";

/** Email replies through the emulated SES receipt rule: S3 → SNS → SQS → the production consumer. */
let company: TestCompany;
let admin: Browser;
beforeAll(async () => {
  company = await newCompany();
  admin = await loggedIn(company, company.admin.email);
  await noQuietHours(admin);
});

/** A Yes/No question by email to a new contact, waited for until SES accepted it. */
async function askedByEmail() {
  const email = `cand-${ulid().toLowerCase()}@example.fr`;
  const contact = await admin.post("/api/contacts", {
    lastName: "Moreau",
    email,
    agencyIds: [company.agencies[0]],
  });
  const contactId = (contact.body.contact as { contactId: string }).contactId;
  const created = await admin.post("/api/campaigns", {
    kind: "yesno",
    emailSubject: "Mission demain",
    emailHtml: "<p>Mission demain à Lyon, dispo ?</p>",
    recipients: { contactIds: [contactId] },
    title: `Mission ${ulid()}`,
    agencyId: company.agencies[0],
  });
  const campaignId = (created.body.campaign as { campaignId: string }).campaignId;
  const message = await until(async () => {
    const { data } = await MessageEntity.query.byCampaign({ companyId: company.companyId, campaignId }).go();
    return data[0]?.providerMessageId ? data[0] : undefined;
  });
  return { email, contactId, message };
}

const messageNow = async (key: { campaignId: string; messageId: string }) =>
  (await MessageEntity.get({ companyId: company.companyId, ...key }).go()).data!;

describe("email replies", () => {
  it("matches a reply by the SES Message-ID it answers and reads only the new text", async () => {
    const { email, message } = await askedByEmail();
    await receiveEmail({
      from: `Camille Moreau <${email}>`,
      to: replyAddress(company.companyId, message.messageId),
      subject: "Re: Mission demain",
      text: "Oui je suis dispo !\n\nLe mar. 25 nov. 2026 à 10:00, Agence a écrit :\n> Mission demain à Lyon, non ?",
      inReplyTo: `<${message.providerMessageId}@eu-west-3.amazonses.com>`,
    });
    const replied = await until(async () => {
      const now = await messageNow(message);
      return now.status === "replied" ? now : undefined;
    });
    expect(replied).toMatchObject({ classification: "yes", replyBody: "Oui je suis dispo !" });
  });

  it("falls back to the reply address, and STOP by email opts the address out", async () => {
    const { email, contactId, message } = await askedByEmail();
    // no In-Reply-To: some clients drop it
    await receiveEmail({ from: email, to: replyAddress(company.companyId, message.messageId), text: "STOP" });
    await until(async () => ((await messageNow(message)).status === "unsubscribed" ? true : undefined));
    const { data: contact } = await ContactEntity.get({ companyId: company.companyId, contactId }).go();
    expect(contact?.optOutEmailAt).toBeDefined();
    expect(contact?.optOutSmsAt).toBeUndefined();
  });

  it("answers the newest email to an address from the local tools page", async () => {
    const { email, message } = await askedByEmail();
    expect(await replyToLatest({ from: email, text: "Non merci" })).toBeDefined();
    const replied = await until(async () => {
      const now = await messageNow(message);
      return now.status === "replied" ? now : undefined;
    });
    expect(replied.classification).toBe("no");
    expect(await replyToLatest({ from: "nobody@example.fr", text: "oui" })).toBeUndefined();
  });

  it("ignores a reply claiming another company's message", async () => {
    const { email, message } = await askedByEmail();
    const other = await newCompany("Société Bravo");
    const { objectKey } = await receiveEmail({
      from: email,
      to: replyAddress(other.companyId, message.messageId),
      text: "oui",
    });
    // the consumer deletes the raw email once handled, matched or not
    await until(async () => {
      const answer = await fetch(
        `${process.env.AWS_ENDPOINT_URL_S3}/${process.env.ATTACHMENTS_BUCKET}/${objectKey}`,
      ).catch(() => undefined);
      return answer?.status === 404 || answer?.status === 403 ? true : undefined;
    });
    expect((await messageNow(message)).status).not.toBe("replied");
  });
});

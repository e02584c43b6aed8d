import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { ulid } from "ulid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditEntity, monthOf, previousMonth } from "../../core/audit/audit.entity";
import { MessageEntity } from "../../core/campaign/campaign.entity";
import { CompanyEntity } from "../../core/company/company.entity";
import { config } from "../../core/config";
import {
  bucketOf,
  ContactEntity,
  ContactKeyEntity,
  ContactTokenEntity,
} from "../../core/contact/contact.entity";
import { tokensOf } from "../../core/contact/fields";
import { Delivery } from "../../core/delivery";
import { ReplyEntity } from "../../core/delivery/delivery.entity";
import { ListMemberEntity } from "../../core/list/list.entity";
import { documents } from "../../core/platform/clients";
import { ReminderEntity, VehicleEntity } from "../../core/reminder/reminder.entity";
import { WebhookDeliveryEntity } from "../../core/webhook/webhook.entity";
import { type Browser, loggedIn, newCompany, noQuietHours, type TestCompany, until } from "./testing";

/**
 * GDPR erasure reaches every copy of the person. Every entity of the table is classified below; a new
 * entity fails this test until someone decides whether it can hold a contact's data and, if so, checks it.
 */
const entities: Record<string, "checked" | `none: ${string}` | `kept: ${string}`> = {
  contact: "checked",
  contactKey: "checked",
  contactToken: "checked",
  message: "checked",
  reply: "checked",
  listMember: "checked",
  audit: "checked",
  contactImport: "checked",
  suppression: "kept: the address of someone who opted out is what stops us writing to them again",
  deadLetter: "none: job bodies name ids; a provider event that died there expires within 30 days",
  outbox: "checked",
  eventHandled: "none: markers of handled event ids",
  campaign: "none: templates before filling, counters, the author (a user)",
  attachment: "none: files of a campaign",
  fileLink: "none: a campaign's public link",
  list: "none: names and field names of lists",
  sendjob: "none: leases of send jobs",
  rate: "none: rate-limit tokens",
  spend: "none: monthly spending and usage counters",
  storage: "none: a company's stored bytes",
  contactImportLock: "none: an import's lock",
  template: "none: bodies with variables, not values",
  favourite: "none: a user's favourite template",
  company: "none: the customer company",
  companyCode: "none: the company's login code",
  agency: "none: the company's agencies",
  user: "none: users (staff), not contacts",
  userEmail: "none: users (staff), not contacts",
  session: "none: users' sessions",
  attempt: "none: login attempt counters",
  resetToken: "none: users' reset links",
  invitation: "none: invitations of users",
  partner:
    "kept: a vault partner is its own record (payslips are kept for their legal retention); it names the contact it came from but is erased on its own",
  partnerKey: "kept: the partner's matricule, number and email as lookup keys, with the partner",
  partnerLogin: "kept: the partner's sign-in addresses, with the partner",
  partnerCategory: "none: category names",
  documentType: "none: document type names",
  document: "kept: documents handed to a partner, until their type's retention ends",
  documentBatch: "none: counters of an upload",
  documentAccess: "kept: a partner's access history, evidence that a document was delivered",
  documentLink: "none: hashes of signed links and the ids they open",
  infoCampaign: "none: an information campaign's title, message and files (no partner in it)",
  infoCampaignReach: "none: ids and times of a campaign reaching a partner",
  signInCode: "none: hashes of sign-in codes, keyed by a partner's address for 10 minutes",
  partnerSession: "none: partners' sessions",
  spaceChoice: "none: company and partner ids a right code may open, for 5 minutes",
  signingCode: "none: the hash of a signing code and its masked address, for 10 minutes",
  signatureEvidence:
    "kept: evidence of a partner's signature (name, IP, browser), kept with the signed document for its retention",
  signatureCertificate: "none: the company's own sealing certificate, encrypted",
  partnerImport: "none: an import's file name and counters",
  employeeSettings: "none: the company's own contact details and quiet hours",
  staffGroup: "none: names of groups of employees",
  staffGroupMember:
    "kept: partner ids in a group, with the partner (erased partners leave every group at read)",
  announcement: "none: what the company told its employees, and counters",
  announcementOpen: "kept: which employee opened an announcement (a partner id), with the partner",
  announcementNotice: "kept: how an employee was told of an announcement (a partner id), with the partner",
  announcementChunk: "none: leases of an announcement's notification chunks",
  survey: "none: questions and choices put to employees",
  pushSubscription: "kept: an employee's browser push endpoint and keys, with the partner",
  surveyAnswer:
    "kept: a named answer carries the partner's id and name, with the partner; anonymous answers carry nothing of the person",
  surveyMarker: "none: keyed hashes saying that someone answered an anonymous survey",
  customerImport: "none: an import's file name and counters",
  reminderScenario: "none: scenario names and templates with variables",
  customer: "checked",
  vehicle: "checked",
  reminder: "checked",
  apiKey: "none: a key's name, scopes and the hash of its secret",
  apiKeyRate: "none: calls per key and minute",
  extensionToken: "none: hashes of the browser extension's tokens",
  extensionFamily: "none: a user's sign-in in the browser extension",
  webhookEndpoint: "none: the company's URLs and their secrets",
  webhookSubscriptions: "none: the event names a company's endpoints want",
  webhookDelivery: "checked",
  recruitmentCampaign: "none: a recruitment campaign's form, statuses and staff",
  recruitmentSlug: "none: a public form's address",
  recruitmentRule: "none: email rules; fixed addresses are the company's own",
  dossierClaim: "none: a hashed Idempotency-Key and a dossier id, for 7 days",
  dossier: "checked",
  dossierFile: "checked",
  dossierEmail: "checked",
  dossierContact: "checked",
  operator: "none: platform operators, under no company",
  operatorSession: "none: operators' sessions",
  operatorAudit: "none: operators' actions, under no company",
  parkedJob: "none: job bodies (ids) waiting for a suspended company's reactivation",
};

/** Every `model: { entity: "…" }` declared in core/. */
function declaredEntities() {
  const root = path.resolve(import.meta.dirname, "../../core");
  const names: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts"))
        for (const match of readFileSync(file, "utf8").matchAll(/model:\s*{\s*entity:\s*"([^"]+)"/g))
          names.push(match[1]!);
    }
  };
  walk(root);
  return names;
}

let company: TestCompany;
let admin: Browser;
let receiver: Server;
let endpointId: string;
beforeAll(async () => {
  company = await newCompany();
  admin = await loggedIn(company, company.admin.email);
  await noQuietHours(admin);
  // A webhook receiving the person's reply: its delivery keeps the body sent (30 days).
  receiver = createServer((request, response) => {
    request.resume();
    request.on("end", () => response.writeHead(204).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const { port } = receiver.address() as AddressInfo;
  const hook = await admin.post("/api/webhooks", {
    url: `http://127.0.0.1:${port}/hook`,
    events: ["message.replied", "message.status_changed"],
  });
  expect(hook.status, JSON.stringify(hook.body)).toBe(201);
  endpointId = (hook.body.endpoint as { endpointId: string }).endpointId;
});
afterAll(() => receiver.close());

/** Every item of the partition a query names, raw: whatever entity each item is. */
async function partition(query: { params: () => object }) {
  const params = query.params() as { ExpressionAttributeValues: Record<string, unknown> };
  const pk = params.ExpressionAttributeValues[":pk"];
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents().send(
      new QueryCommand({
        TableName: config("TABLE_NAME"),
        KeyConditionExpression: "#pk = :pk",
        ExpressionAttributeNames: { "#pk": "pk" },
        ExpressionAttributeValues: { ":pk": pk },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

describe("GDPR erasure", () => {
  it("classifies every entity of the table", () => {
    const declared = declaredEntities();
    expect(declared.length).toBeGreaterThan(20);
    expect(declared.filter((name) => !(name in entities))).toEqual([]);
  });

  it("leaves no trace of the person's number, email or names in any item after erasure", async () => {
    const tag = ulid().slice(-8).toLowerCase();
    const person = {
      firstName: `Zéphyrine${tag}`,
      lastName: `Quasimodo${tag}`,
      mobile: `+33615${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`,
      email: `zephyrine.${tag}@example.fr`,
    };
    const created = await admin.post("/api/contacts", { ...person, agencyIds: [company.agencies[0]] });
    expect(created.status).toBe(201);
    const contactId = (created.body.contact as { contactId: string }).contactId;
    const list = await admin.post("/api/lists", {
      name: `Liste ${tag}`,
      agencyId: company.agencies[0],
      fields: ["surnom"],
    });
    expect(list.status).toBe(201);
    const listId = (list.body.list as { listId: string }).listId;
    const added = await admin.post(`/api/lists/${listId}/members`, {
      members: [{ contactId, fields: { surnom: `Zéphy ${person.lastName}` } }],
    });
    expect(added.status).toBe(200);
    // A garage's customer record, vehicle and reminder for the same person.
    const customer = await admin.post("/api/reminders/customers", {
      contactId,
      agencyId: company.agencies[0],
      mobile: person.mobile,
      firstName: person.firstName,
      lastName: person.lastName,
      email: person.email,
      civility: "Mme",
      vehicle: { plate: "GH-456-JK", model: "Clio" },
    });
    expect(customer.status, JSON.stringify(customer.body)).toBe(200);
    const vehicleId = (customer.body.customer as { vehicles: Array<{ vehicleId: string }> }).vehicles[0]!
      .vehicleId;
    const scheduled = await admin.post("/api/reminders", {
      contactId,
      vehicleId,
      agencyId: company.agencies[0],
      items: [{ scenarioId: "revision", inMonths: 12 }],
    });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(201);
    const reminderId = (scheduled.body.reminders as Array<{ reminderId: string }>)[0]!.reminderId;
    // The export is audited with the person's name as its label.
    expect((await admin.get(`/api/contacts/${contactId}/export`)).status).toBe(200);

    const campaign = await admin.post("/api/campaigns", {
      kind: "yesno",
      smsBody: "Bonjour %Prénom, mission demain, dispo ?",
      recipients: { contactIds: [contactId] },
      title: `Mission ${tag}`,
      agencyId: company.agencies[0],
    });
    expect(campaign.status).toBe(201);
    const campaignId = (campaign.body.campaign as { campaignId: string }).campaignId;
    const message = await until(async () => {
      const { data } = await MessageEntity.query
        .byCampaign({ companyId: company.companyId, campaignId })
        .go();
      return data[0]?.status === "sent" ? data[0] : undefined;
    });
    expect(message.body).toContain(person.firstName);
    await Delivery.inboundSms({
      originationNumber: person.mobile,
      destinationNumber: message.from ?? "+33700000000",
      messageBody: `Oui, ${person.firstName} ${person.lastName} sera là`,
      inboundMessageId: ulid(),
      previousPublishedMessageId: message.providerMessageId,
    });
    await until(async () => {
      const { data } = await ReplyEntity.query.byCampaign({ companyId: company.companyId, campaignId }).go();
      return data.length > 0 ? true : undefined;
    });
    const deliveries = () =>
      partition(WebhookDeliveryEntity.query.byEndpoint({ companyId: company.companyId, endpointId }));
    await until(async () => {
      const sent = await deliveries();
      return sent.some((item) => String(item.body).includes(person.lastName)) ? true : undefined;
    });

    const traces = async () => {
      const { companyId } = company;
      const items: Array<Record<string, unknown>> = [
        // Everything keyed by the company alone: imports, campaigns, lists, outbox…
        ...(await partition(CompanyEntity.query.byId({ companyId }))),
        // The audit log's month partitions (the previous one too, for a run that crosses midnight on the 1st).
        ...(
          await Promise.all(
            [monthOf(new Date()), previousMonth(monthOf(new Date()))].map((month) =>
              partition(AuditEntity.query.byMonth({ companyId, month })),
            ),
          )
        ).flat(),
        // The contact's own partition, and those of its search words.
        ...(await partition(ContactEntity.query.byId({ companyId, contactId }))),
        ...(
          await Promise.all(
            tokensOf(person).map((token) =>
              partition(ContactTokenEntity.query.byToken({ companyId, bucket: bucketOf(token) })),
            ),
          )
        ).flat(),
        // Messages and replies of the campaign, members of the list, the number's and email's keys.
        ...(await partition(MessageEntity.query.byCampaign({ companyId, campaignId }))),
        ...(await partition(ListMemberEntity.query.byList({ companyId, listId }))),
        ...(await partition(ContactKeyEntity.query.byKey({ companyId, key: `m:${person.mobile}` }))),
        ...(await partition(ContactKeyEntity.query.byKey({ companyId, key: `e:${person.email}` }))),
        ...(await ListMemberEntity.query.byContact({ companyId, contactId }).go()).data,
        // The customer's record and vehicles, and the reminder.
        ...(await partition(VehicleEntity.query.byContact({ companyId, contactId }))),
        ...(await partition(ReminderEntity.query.byId({ companyId, reminderId }))),
        // What the company's webhook was sent.
        ...(await deliveries()),
      ];
      for (const party of [contactId, person.mobile, person.email])
        items.push(...(await ReplyEntity.query.byParty({ companyId, party }).go()).data);
      for (const to of [person.mobile, person.email])
        items.push(...(await MessageEntity.query.byRecipient({ to }).go()).data);
      const personal = Object.values(person);
      return items.filter((item) => personal.some((value) => JSON.stringify(item).includes(value)));
    };
    // The test sees the copies before erasure: otherwise it would prove nothing.
    const before = await traces();
    for (const kind of [
      "contact",
      "contactToken",
      "message",
      "reply",
      "listMember",
      "audit",
      "reminder",
      "outbox",
      "webhookDelivery",
    ])
      expect(
        before.some((item) => item.__edb_e__ === kind),
        kind,
      ).toBe(true);

    expect((await admin.delete(`/api/contacts/${contactId}`)).status).toBe(204);
    expect(await traces()).toEqual([]);
    // Statistics stay: the message and the reply are still there, pointing at nobody.
    const [after] = (await MessageEntity.query.byCampaign({ companyId: company.companyId, campaignId }).go())
      .data;
    expect(after).toMatchObject({ contactId, status: "replied", to: `erased:${message.messageId}` });
    // The reply's delivery stays, for the log and « Renvoyer », without its text.
    const replied = (await deliveries()).find((item) => item.event === "message.replied");
    expect(JSON.parse(String(replied?.body))).toMatchObject({
      type: "message.replied",
      data: { messageId: message.messageId, classification: "yes", body: "" },
    });
  });
});

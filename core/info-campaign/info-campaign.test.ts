import { addDays, addMonths } from "date-fns";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { type Actor, withActor } from "../actor";
import { config } from "../config";
import { deliver, type Envelope } from "../event";
import { Partner } from "../partner";
import * as Storage from "../platform/storage";
import * as Certificate from "../signature/certificate";
import { pdfsig } from "../signature/pdfsig";
import { selfSignedP12 } from "../signature/self-signed";
import { subscribers } from "../subscribers";
import { newCompany, type TestCompany, until } from "../test-helpers";
import { Space } from "../vault";
import { applyRetention } from "../vault/retention";
import { scheduleNameOf } from "../vault/signing-reminders";
import { DocumentEntity } from "../vault/vault.entity";
import { InfoCampaign } from ".";
import { InfoCampaignReachEntity } from "./info-campaign.entity";
import * as Window from "./window";

/**
 * Information campaigns against the local cloud: the document trigger once under redelivery, the
 * category filter, the window moved by its schedules, the recipient trigger on dashboard read, retention
 * sparing shared objects, and sealing at launch.
 */
let company: TestCompany;
let admin: Actor;
beforeAll(async () => {
  company = await newCompany();
  admin = {
    type: "user",
    companyId: company.companyId,
    userId: company.admin.userId,
    role: "admin",
    agencyIds: company.agencies,
    name: "Alice Admin",
  };
});

const asAdmin = <T>(run: () => Promise<T>) => withActor(admin, run);
const asPartner = <T>(partnerId: string, run: () => Promise<T>) =>
  withActor({ type: "partner", companyId: company.companyId, partnerId }, run);

async function samplePdf(text = "Comment lire votre bulletin de paie") {
  const document = await PDFDocument.create();
  const page = document.addPage([595, 842]);
  page.drawText(text, { x: 50, y: 780, size: 16, font: await document.embedFont(StandardFonts.Helvetica) });
  return document.save();
}

async function upload(target: { url: string; fields: Record<string, string> }, bytes: Uint8Array) {
  const form = new FormData();
  for (const [name, value] of Object.entries(target.fields)) form.append(name, value);
  form.append("file", new Blob([new Uint8Array(bytes)], { type: "application/pdf" }));
  const answer = await fetch(target.url, { method: "POST", body: form });
  expect(answer.status).toBeLessThan(300);
}

const mobile = () => `+33615${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;

async function newPartner(categoryIds: string[]) {
  return asAdmin(() =>
    Partner.create({ lastName: `P${ulid().slice(-6)}`, firstName: "Léa", mobile: mobile(), categoryIds }),
  );
}

type Options = {
  typeId?: string;
  trigger?: "document_type" | "recipient_type";
  categoryIds?: string[];
  startAt?: Date;
  endAt?: Date;
  seal?: boolean;
};

/** A campaign through the wizard's steps, launched. */
async function launched(options: Options = {}) {
  return asAdmin(async () => {
    const created = await InfoCampaign.create({
      title: `Campagne ${ulid().slice(-5)}`,
      startAt: (options.startAt ?? new Date(Date.now() - 60_000)).toISOString(),
      endAt: options.endAt?.toISOString(),
    });
    const campaignId = created.campaignId;
    const trigger = options.trigger ?? "document_type";
    await InfoCampaign.saveStep({ campaignId, input: { step: "trigger", trigger: { trigger } } });
    await InfoCampaign.saveStep({
      campaignId,
      input: {
        step: "population",
        population: {
          triggerTypeId: trigger === "document_type" ? "bulletin-de-paie" : undefined,
          categoryIds: options.categoryIds ?? ["interimaire"],
        },
      },
    });
    const file = await InfoCampaign.presignFile({
      campaignId,
      file: { fileName: "fiche.pdf", size: 2000 },
    });
    await upload(file, await samplePdf());
    await InfoCampaign.saveStep({
      campaignId,
      input: {
        step: "documents",
        documents: {
          documents: [
            {
              fileId: file.fileId,
              name: "Comment lire votre bulletin de paie",
              typeId: options.typeId ?? "fiche-information",
              seal: options.seal ?? false,
            },
          ],
        },
      },
    });
    await InfoCampaign.saveStep({
      campaignId,
      input: {
        step: "content",
        content: { messageFr: "Voici comment lire votre bulletin", messageEn: "How to read it", logo: false },
      },
    });
    return InfoCampaign.launch(campaignId);
  });
}

const published = (partnerId: string, documentId = ulid()): Envelope => ({
  id: ulid(),
  name: "document.published",
  companyId: company.companyId,
  occurredAt: new Date().toISOString(),
  payload: { documentId, partnerId, typeId: "bulletin-de-paie", batchId: ulid() },
});

const subscriber = subscribers.find((candidate) => candidate.name === "info-campaigns")!;

async function campaignDocs(partnerId: string, campaignId: string) {
  const found = await DocumentEntity.query
    .byPartner({ companyId: company.companyId, partnerId })
    .go({ pages: "all" });
  return found.data.filter((doc) => doc.infoCampaignId === campaignId);
}

describe("information campaigns by document type", () => {
  it("adds the campaign's documents once per partner, even when the event is delivered again", async () => {
    const campaign = await launched();
    expect(campaign.status).toBe("active");
    const partner = await newPartner(["interimaire"]);
    const event = published(partner.partnerId);
    expect(await deliver(subscriber, event)).toBe("handled");
    expect(await deliver(subscriber, event)).toBe("duplicate");
    // A crash after the handler and before its marker: the handler runs again, and gives nothing twice.
    await withActor({ type: "system", companyId: company.companyId, reason: "test" }, () =>
      subscriber.handle(event),
    );
    // Another payslip later: still once per partner and campaign.
    expect(await deliver(subscriber, published(partner.partnerId))).toBe("handled");
    const docs = await campaignDocs(partner.partnerId, campaign.campaignId);
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({
      typeId: "fiche-information",
      status: "published",
      typology: "informations",
    });
    const after = await asAdmin(() => InfoCampaign.fromId(campaign.campaignId));
    expect(after.reached).toBe(1);
    const space = await asPartner(partner.partnerId, () => Space.dashboard());
    expect(space.campaigns).toEqual([
      expect.objectContaining({
        campaignId: campaign.campaignId,
        message: "Voici comment lire votre bulletin",
      }),
    ]);
    expect(space.documents.map((doc) => doc.documentId)).toContain(docs[0]!.documentId);
  });

  it("leaves out partners of other categories and documents of other types", async () => {
    const campaign = await launched({ categoryIds: ["interimaire"] });
    const client = await newPartner(["client"]);
    await deliver(subscriber, published(client.partnerId));
    const temp = await newPartner(["interimaire"]);
    const other = published(temp.partnerId);
    (other.payload as { typeId: string }).typeId = "attestation";
    await deliver(subscriber, other);
    expect(await campaignDocs(client.partnerId, campaign.campaignId)).toHaveLength(0);
    expect(await campaignDocs(temp.partnerId, campaign.campaignId)).toHaveLength(0);
    expect((await asAdmin(() => InfoCampaign.fromId(campaign.campaignId))).reached).toBe(0);
  });

  it("counts a partner's first opening and download once", async () => {
    const campaign = await launched();
    const partner = await newPartner(["interimaire"]);
    await deliver(subscriber, published(partner.partnerId));
    const [doc] = await campaignDocs(partner.partnerId, campaign.campaignId);
    await asPartner(partner.partnerId, async () => {
      await Space.openDocument(doc!.documentId);
      await Space.openDocument(doc!.documentId);
      await Space.download(doc!.documentId);
      await Space.download(doc!.documentId);
    });
    const after = await asAdmin(() => InfoCampaign.fromId(campaign.campaignId));
    expect(after).toMatchObject({ reached: 1, opened: 1, downloaded: 1, signed: 0 });
  });
});

describe("campaign documents to sign", () => {
  it("become documents the partner must sign, with a deadline and a reminder, and count as signed once", async () => {
    const campaign = await launched({ typeId: "contrat-de-mission" });
    const partner = await newPartner(["interimaire"]);
    await deliver(subscriber, published(partner.partnerId));
    const [doc] = await campaignDocs(partner.partnerId, campaign.campaignId);
    expect(doc).toMatchObject({ mustSign: true, signDeadline: expect.any(String) });
    const schedules = JSON.stringify(
      await (await fetch(`${process.env.AWS_ENDPOINT_URL_SCHEDULER}/_emulator/schedules`)).json(),
    );
    expect(schedules).toContain(scheduleNameOf(doc!.documentId));
    const signed = (): Envelope => ({
      id: ulid(),
      name: "document.signed",
      companyId: company.companyId,
      occurredAt: new Date().toISOString(),
      payload: {
        documentId: doc!.documentId,
        partnerId: partner.partnerId,
        typeId: "contrat-de-mission",
        evidenceId: ulid(),
      },
    });
    expect(await deliver(subscriber, signed())).toBe("handled");
    expect(await deliver(subscriber, signed())).toBe("handled");
    expect((await asAdmin(() => InfoCampaign.fromId(campaign.campaignId))).signed).toBe(1);
  });
});

describe("a campaign's window", () => {
  const group = () => config("SCHEDULE_GROUP");
  const schedules = async () =>
    JSON.stringify(
      await (await fetch(`${process.env.AWS_ENDPOINT_URL_SCHEDULER}/_emulator/schedules`)).json(),
    );
  const fire = (name: string) =>
    fetch(`${process.env.AWS_ENDPOINT_URL_SCHEDULER}/_emulator/schedules/${group()}/${name}/fire`, {
      method: "POST",
    });

  it("is programmée until its start schedule fires, then active, then terminée at its end", async () => {
    const campaign = await launched({
      startAt: addDays(new Date(), 1),
      endAt: addDays(new Date(), 2),
    });
    expect(campaign.status).toBe("scheduled");
    const start = InfoCampaign.scheduleName(company.companyId, campaign.campaignId, "start");
    const end = InfoCampaign.scheduleName(company.companyId, campaign.campaignId, "end");
    expect(await schedules()).toContain(start);
    expect(await schedules()).toContain(end);
    // Not active yet: a payslip now gives nothing.
    const partner = await newPartner(["interimaire"]);
    await deliver(subscriber, published(partner.partnerId));
    expect(await campaignDocs(partner.partnerId, campaign.campaignId)).toHaveLength(0);
    expect((await fire(start)).status).toBe(202);
    await until(async () => {
      const now = await asAdmin(() => InfoCampaign.fromId(campaign.campaignId));
      return now.status === "active" ? now : undefined;
    });
    expect((await fire(end)).status).toBe(202);
    await until(async () => {
      const now = await asAdmin(() => InfoCampaign.fromId(campaign.campaignId));
      return now.status === "closed" ? now : undefined;
    });
    // A late start changes nothing once terminée.
    const again = await withActor({ type: "system", companyId: company.companyId, reason: "test" }, () =>
      Window.activate(campaign.campaignId),
    );
    expect(again.outcome).toBe("skipped");
  });

  it("cancels its schedules when closed early or deleted", async () => {
    const campaign = await launched({ startAt: addDays(new Date(), 1), endAt: addDays(new Date(), 3) });
    const start = InfoCampaign.scheduleName(company.companyId, campaign.campaignId, "start");
    await asAdmin(() => InfoCampaign.closeEarly(campaign.campaignId));
    expect(await schedules()).not.toContain(start);
    expect((await asAdmin(() => InfoCampaign.fromId(campaign.campaignId))).status).toBe("closed");
    const other = await launched({ startAt: addDays(new Date(), 1) });
    const otherStart = InfoCampaign.scheduleName(company.companyId, other.campaignId, "start");
    expect(await schedules()).toContain(otherStart);
    await asAdmin(() => InfoCampaign.remove(other.campaignId));
    expect(await schedules()).not.toContain(otherStart);
  });
});

describe("information campaigns by recipient type", () => {
  it("gives the campaign at the partner's next dashboard read, once, to the targeted categories", async () => {
    const campaign = await launched({ trigger: "recipient_type", categoryIds: ["salarie-structure"] });
    const staff = await newPartner(["salarie-structure"]);
    const client = await newPartner(["client"]);
    await Promise.all([
      asPartner(staff.partnerId, () => Space.dashboard()),
      asPartner(staff.partnerId, () => Space.dashboard()),
    ]);
    const space = await asPartner(staff.partnerId, () => Space.dashboard());
    expect(space.campaigns.map((row) => row.campaignId)).toEqual([campaign.campaignId]);
    expect(await campaignDocs(staff.partnerId, campaign.campaignId)).toHaveLength(1);
    const reaches = await InfoCampaignReachEntity.query
      .byCampaign({ companyId: company.companyId, campaignId: campaign.campaignId })
      .go();
    expect(reaches.data.map((reach) => reach.partnerId)).toEqual([staff.partnerId]);
    const other = await asPartner(client.partnerId, () => Space.dashboard());
    expect(other.campaigns).toEqual([]);
    expect((await asAdmin(() => InfoCampaign.fromId(campaign.campaignId))).reached).toBe(1);
  });
});

describe("retention and deletion of campaign documents", () => {
  it("deletes partners' items past retention but keeps the object they share", async () => {
    const campaign = await launched({ trigger: "recipient_type", categoryIds: ["sous-traitant"] });
    const first = await newPartner(["sous-traitant"]);
    const second = await newPartner(["sous-traitant"]);
    await asPartner(first.partnerId, () => Space.dashboard());
    await asPartner(second.partnerId, () => Space.dashboard());
    const [doc] = await campaignDocs(first.partnerId, campaign.campaignId);
    // Fiche d'information: 24 months.
    await applyRetention(addDays(addMonths(new Date(), 24), 2));
    const [gone] = await campaignDocs(first.partnerId, campaign.campaignId);
    expect(gone!.deletedAt).toBeDefined();
    expect(await Storage.size("vault", doc!.objectKey)).toBeGreaterThan(0);
    // The campaign's deletion takes its objects, and withdraws what partners still had.
    const fresh = await launched({ trigger: "recipient_type", categoryIds: ["deja-en-relation"] });
    const partner = await newPartner(["deja-en-relation"]);
    await asPartner(partner.partnerId, () => Space.dashboard());
    const [kept] = await campaignDocs(partner.partnerId, fresh.campaignId);
    await asAdmin(() => InfoCampaign.remove(fresh.campaignId));
    const [withdrawn] = await campaignDocs(partner.partnerId, fresh.campaignId);
    expect(withdrawn!.deletedAt).toBeDefined();
    await expect(Storage.size("vault", kept!.objectKey)).rejects.toThrow();
    const space = await asPartner(partner.partnerId, () => Space.dashboard());
    expect(space.campaigns).toEqual([]);
  });
});

describe("sealing at launch", () => {
  it("refuses « SIGNATURE » without a certificate, and seals once with one", async () => {
    const refused = await launched({ seal: true }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: "signature.no_certificate", status: 409 });
    const p12 = selfSignedP12({ commonName: "Intérim Test", password: "secret-p12" });
    await asAdmin(() => Certificate.upload({ p12, password: "secret-p12" }));
    const campaign = await launched({ seal: true });
    expect(campaign.documents[0]).toMatchObject({ seal: true, sealed: true });
    const partner = await newPartner(["interimaire"]);
    await deliver(subscriber, published(partner.partnerId));
    const [doc] = await campaignDocs(partner.partnerId, campaign.campaignId);
    const bytes = await Storage.readBytes("vault", doc!.objectKey);
    const report = await pdfsig(bytes);
    expect(report).toMatchObject({ signatures: 1, valid: true });
  });
});

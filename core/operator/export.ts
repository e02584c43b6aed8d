import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { ulid } from "ulid";
import * as z from "zod";
import { CampaignEntity, MessageEntity } from "../campaign/campaign.entity";
import { CompanyEntity } from "../company/company.entity";
import { ContactEntity, contactShards } from "../contact/contact.entity";
import * as Job from "../job";
import * as Storage from "../platform/storage";
import { Spreadsheet } from "../spreadsheet";

const xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export const ExportJob = z.object({ kind: z.literal("company.export"), companyId: z.string() });
export type ExportJob = z.infer<typeof ExportJob>;

/** The customer's data when their company closes: a job, as a big company's export outlasts a request. */
export const ExportCompany = Job.define({
  kind: "company.export",
  queue: "import",
  schema: ExportJob,
  run: (job) => exportCompany(job.companyId),
});

/** Every page of a query, one row at a time. */
async function* pages<T>(read: (cursor: string | null) => Promise<{ data: T[]; cursor: string | null }>) {
  let cursor: string | null = null;
  do {
    const page = await read(cursor);
    yield* page.data;
    cursor = page.cursor;
  } while (cursor);
}

async function* contacts(companyId: string) {
  for (const archived of [false, true])
    for (let shard = 0; shard < contactShards; shard++)
      for await (const row of pages((cursor) =>
        ContactEntity.query.byShard({ companyId, archived, shard: String(shard) }).go({ cursor }),
      ))
        yield {
          firstName: row.firstName,
          lastName: row.lastName,
          mobile: row.mobile,
          email: row.email,
          type: row.type,
          archived: row.archived ? "oui" : "non",
          optOutSms: row.optOutSmsAt,
        };
}

async function* campaigns(companyId: string) {
  for await (const row of pages((cursor) => CampaignEntity.query.byCompany({ companyId }).go({ cursor })))
    yield {
      campaignId: row.campaignId,
      title: row.title,
      kind: row.kind,
      status: row.status,
      sendAt: row.sendAt,
    };
}

async function* messages(companyId: string) {
  for await (const campaign of pages((cursor) =>
    CampaignEntity.query.byCompany({ companyId }).go({ cursor, attributes: ["campaignId"] }),
  ))
    for await (const row of pages((cursor) =>
      MessageEntity.query.byCampaign({ companyId, campaignId: campaign.campaignId }).go({ cursor }),
    ))
      yield {
        campaignId: row.campaignId,
        channel: row.channel,
        to: row.to,
        body: row.body,
        status: row.status,
        sentAt: row.sentAt,
        reply: row.replyBody,
      };
}

/**
 * Writes the workbook (« Contacts », « Envois », « Messages ») to the company's own prefix and records its
 * key on the company: the operator console hands out a signed link to it on demand.
 */
export async function exportCompany(companyId: string) {
  // Rows stream from the table into a file in /tmp, then the file streams to S3: a big company's export
  // never sits in memory.
  const folder = await mkdtemp(join(tmpdir(), "relais-export-"));
  try {
    const file = join(folder, "export.xlsx");
    await writeWorkbook(companyId, file);
    const key = `companies/${companyId}/exports/cloture-${ulid()}.xlsx`;
    await Storage.putFile("attachments", key, file, xlsx);
    await CompanyEntity.patch({ companyId })
      .set({ exportKey: key, exportedAt: new Date().toISOString() })
      .go();
    return { key };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

async function writeWorkbook(companyId: string, file: string) {
  const output = createWriteStream(file);
  const done = finished(output);
  await Spreadsheet.writeXlsx(output, [
    {
      name: "Contacts",
      columns: [
        { header: "Prénom", key: "firstName" },
        { header: "Nom", key: "lastName" },
        { header: "Mobile", key: "mobile" },
        { header: "Email", key: "email" },
        { header: "Type", key: "type" },
        { header: "Archivé", key: "archived" },
        { header: "Désabonné SMS le", key: "optOutSms" },
      ],
      rows: contacts(companyId),
    },
    {
      name: "Envois",
      columns: [
        { header: "Id", key: "campaignId" },
        { header: "Titre", key: "title" },
        { header: "Type", key: "kind" },
        { header: "Statut", key: "status" },
        { header: "Date d'envoi", key: "sendAt" },
      ],
      rows: campaigns(companyId),
    },
    {
      name: "Messages",
      columns: [
        { header: "Envoi", key: "campaignId" },
        { header: "Canal", key: "channel" },
        { header: "À", key: "to" },
        { header: "Texte", key: "body" },
        { header: "Statut", key: "status" },
        { header: "Envoyé le", key: "sentAt" },
        { header: "Réponse", key: "reply" },
      ],
      rows: messages(companyId),
    },
  ]);
  await done;
}

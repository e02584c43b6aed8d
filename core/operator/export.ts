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
      yield* pages((cursor) =>
        ContactEntity.query.byShard({ companyId, archived, shard: String(shard) }).go({ cursor }),
      );
}

const campaigns = (companyId: string) =>
  pages((cursor) => CampaignEntity.query.byCompany({ companyId }).go({ cursor }));

async function* messages(companyId: string) {
  for await (const campaign of pages((cursor) =>
    CampaignEntity.query.byCompany({ companyId }).go({ cursor, attributes: ["campaignId"] }),
  ))
    yield* pages((cursor) =>
      MessageEntity.query.byCampaign({ companyId, campaignId: campaign.campaignId }).go({ cursor }),
    );
}

/** A sheet from its rows and, column by column, the header and how a row fills that cell. */
function sheet<R>(
  name: string,
  rows: AsyncIterable<R>,
  cells: Array<[header: string, fill: (row: R) => Spreadsheet.CellValue]>,
): Spreadsheet.Sheet {
  return {
    name,
    columns: cells.map(([header], index) => ({ header, key: String(index) })),
    rows: (async function* () {
      for await (const row of rows)
        yield Object.fromEntries(cells.map(([, fill], index) => [index, fill(row)]));
    })(),
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
    sheet("Contacts", contacts(companyId), [
      ["Prénom", (row) => row.firstName],
      ["Nom", (row) => row.lastName],
      ["Mobile", (row) => row.mobile],
      ["Email", (row) => row.email],
      ["Type", (row) => row.type],
      ["Archivé", (row) => (row.archived ? "oui" : "non")],
      ["Désabonné SMS le", (row) => row.optOutSmsAt],
    ]),
    sheet("Envois", campaigns(companyId), [
      ["Id", (row) => row.campaignId],
      ["Titre", (row) => row.title],
      ["Type", (row) => row.kind],
      ["Statut", (row) => row.status],
      ["Date d'envoi", (row) => row.sendAt],
    ]),
    sheet("Messages", messages(companyId), [
      ["Envoi", (row) => row.campaignId],
      ["Canal", (row) => row.channel],
      ["À", (row) => row.to],
      ["Texte", (row) => row.body],
      ["Statut", (row) => row.status],
      ["Envoyé le", (row) => row.sentAt],
      ["Réponse", (row) => row.replyBody],
    ]),
  ]);
  await done;
}

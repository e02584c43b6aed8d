import { PassThrough, type Readable } from "node:stream";
import { Spreadsheet } from "../spreadsheet";
import { ofMonth } from "./usage";

const euros = (millicents: number) => Math.round(millicents / 1_000) / 100;

/**
 * Every company's usage of a month as an .xlsx for invoicing: one row a company, amounts in euros.
 * Names and codes are the customers' own text: writeXlsx keeps them as text cells (formula-injection safe).
 */
export async function exportMonth(month: string): Promise<{ fileName: string; stream: Readable }> {
  const rows = await ofMonth(month);
  const output = new PassThrough();
  Spreadsheet.writeXlsx(output, [
    {
      name: `Consommation ${month}`,
      columns: [
        { header: "Code entreprise", key: "code", width: 16 },
        { header: "Entreprise", key: "name", width: 32 },
        { header: "Unités SMS", key: "smsUnits", width: 12 },
        { header: "SMS envoyés", key: "smsSent", width: 12 },
        { header: "SMS délivrés", key: "smsDelivered", width: 12 },
        { header: "SMS en échec", key: "smsFailed", width: 12 },
        { header: "Emails envoyés", key: "emailsSent", width: 14 },
        { header: "Emails délivrés", key: "emailsDelivered", width: 14 },
        { header: "Emails en échec", key: "emailsFailed", width: 14 },
        { header: "Coût SMS (€)", key: "smsCost", width: 14 },
        { header: "Coût emails (€)", key: "emailCost", width: 14 },
        { header: "Total (€)", key: "cost", width: 12 },
        { header: "Plafond (€)", key: "cap", width: 12 },
        { header: "Lignes importées", key: "imports", width: 16 },
        { header: "Stockage (Mo)", key: "storage", width: 14 },
      ],
      rows: rows.map((row) => ({
        code: row.code,
        name: row.name,
        smsUnits: row.smsUnits,
        smsSent: row.smsSent,
        smsDelivered: row.smsDelivered,
        smsFailed: row.smsFailed,
        emailsSent: row.emailsSent,
        emailsDelivered: row.emailsDelivered,
        emailsFailed: row.emailsFailed,
        smsCost: euros(row.smsCostMillicents),
        emailCost: euros(row.emailCostMillicents),
        cost: euros(row.costMillicents),
        cap: euros(row.capMillicents),
        imports: row.imports,
        storage: Math.round((row.storageBytes / 1_000_000) * 100) / 100,
      })),
    },
  ]).catch((error: unknown) => output.destroy(error instanceof Error ? error : new Error(String(error))));
  return { fileName: `consommation-${month}.xlsx`, stream: output };
}

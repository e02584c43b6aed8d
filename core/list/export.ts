import { PassThrough, type Readable } from "node:stream";
import { formatInTimeZone } from "date-fns-tz";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import * as z from "zod";
import { useCompanyId } from "../actor";
import { Audit } from "../audit";
import { fn } from "../fn";
import { Spreadsheet } from "../spreadsheet";
import { joined, type Member, memberRows, visible } from "./read";

/** 06 12 34 56 78 for French numbers, international form otherwise (GLOSSARY). */
export function phoneText(e164: string | undefined) {
  if (!e164) return undefined;
  const number = parsePhoneNumberFromString(e164);
  if (!number) return e164;
  return number.countryCallingCode === "33" ? number.formatNational() : number.formatInternational();
}

const parisTime = (at: string | undefined) =>
  at ? formatInTimeZone(new Date(at), "Europe/Paris", "dd/MM/yyyy HH:mm") : undefined;

/**
 * The members of a list as an .xlsx, streamed page by page (1,000 members per read), with a column per
 * custom field. Text is written as text cells by Spreadsheet.writeXlsx: a name like "=HYPERLINK(…)" stays
 * text. The headers read back through the contact import (Prénom, Nom, Mobile, Email). The list is checked
 * and the export logged before the first byte, so a refusal is still an ordinary error answer.
 */
export const exportXlsx = fn(z.string(), async (listId) => {
  const list = await visible(listId);
  const companyId = useCompanyId();
  await Audit.record("list.exported", {
    target: { type: "list", id: listId, label: list.name },
    details: { members: list.memberCount },
  });
  const columns = [
    { header: "Civilité", key: "civility", width: 10 },
    { header: "Prénom", key: "firstName", width: 18 },
    { header: "Nom", key: "lastName", width: 18 },
    { header: "Mobile", key: "mobile", width: 18 },
    { header: "Email", key: "email", width: 30 },
    ...list.fields.map((field) => ({ header: field.name, key: `field:${field.id}`, width: 16 })),
    { header: "Désabonné SMS", key: "optOutSms", width: 18 },
    { header: "Désabonné email", key: "optOutEmail", width: 18 },
  ];
  const toRecord = (member: Member): Record<string, Spreadsheet.CellValue> => {
    const record: Record<string, Spreadsheet.CellValue> = {
      civility: member.contact?.civility,
      firstName: member.contact?.firstName,
      lastName: member.contact ? member.contact.lastName : "(contact supprimé)",
      mobile: phoneText(member.contact?.mobile),
      email: member.contact?.email,
      optOutSms: parisTime(member.contact?.optOut.sms),
      optOutEmail: parisTime(member.contact?.optOut.email),
    };
    for (const field of list.fields) record[`field:${field.id}`] = member.fields[field.name];
    return record;
  };
  async function* rows() {
    for await (const page of memberRows(companyId, listId, 1000)) {
      for (const member of await joined(companyId, list, page)) yield toRecord(member);
    }
  }
  const output = new PassThrough();
  Spreadsheet.writeXlsx(output, [{ name: list.name, columns, rows: rows() }]).catch((error: unknown) =>
    output.destroy(error instanceof Error ? error : new Error(String(error))),
  );
  const stamp = new Date().toISOString().slice(0, 10);
  const base = list.name
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
  return { fileName: `liste-${base || listId}-${stamp}.xlsx`, stream: output as Readable };
});

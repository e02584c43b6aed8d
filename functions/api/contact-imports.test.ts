import ExcelJS from "exceljs";
import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { config } from "../../core/config";
import { ContactImport } from "../../core/contact-import";
import {
  ContactImportEntity,
  ContactImportLockEntity,
} from "../../core/contact-import/contact-import.entity";
import * as Queue from "../../core/platform/queue";
import { xlsx } from "../../core/spreadsheet/spreadsheet-fixtures";
import { sweep } from "../../core/sweep/sweep";
import { lambdaContext, sqsEvent, sqsRecord } from "../../core/test-helpers";
import { handler } from "../jobs/run";
import { addUser, type Browser, loggedIn, newCompany, type TestCompany } from "./testing";

/**
 * The whole import flow against the local cloud: presigned upload to S3, dry run, start, the worker run
 * by the local SQS poller (the production handler), progress, error report. Files are built here.
 */

/** Windows-1252 as French Excel saves "CSV (séparateur: point-virgule)": Latin-1 plus œ, €, ’ … */
const cp1252Extra: Record<string, number> = { "€": 0x80, "’": 0x92, œ: 0x9c, Œ: 0x8c };
function windows1252(text: string): Buffer {
  return Buffer.from(
    Array.from(text, (char) => {
      const extra = cp1252Extra[char];
      if (extra !== undefined) return extra;
      const code = char.charCodeAt(0);
      if (code > 0xff) throw new Error(`not in Windows-1252: ${char}`);
      return code;
    }),
  );
}

const messyRows = [
  "Civilité;Prénom;Nom;Téléphone;E-mail;Type;Compétences;Poste;Date d’inscription",
  "M.;Jérôme;Lefèvre;06 12 34 56 78;jerome.lefevre@example.fr;Intérimaire;cariste, soudeur;Lyon;01/02/2024",
  "Mme;Léa;Petit-Cœur;+33 6 98 76 54 32;lea.petit@example.fr;Client;;Villeurbanne;",
  ";Paul;Martin;06.12.34;paul.martin@example.fr;externe;;;",
  ";;;0622334455;sans.nom@example.fr;;;;",
  ";Jérôme;Lefèvre;0612345678;autre.jerome@example.fr;;;;",
  ";Marc;Durand;0655443322;marc.durand@example.fr;fournisseur;;;",
  "M;Éric;Bernard;0033 7 81 22 33 44;eric.bernard@example.fr;salarié;;Grenoble;",
];
/** A fresh number range per file, so that files of different tests never share a contact. */
const messyCsv = () => windows1252(`${messyRows.join("\r\n")}\r\n`);

let company: TestCompany;
let admin: Browser;
beforeAll(async () => {
  company = await newCompany();
  admin = await loggedIn(company, company.admin.email);
});

type ImportBody = {
  importId: string;
  status: string;
  progress: Record<string, number>;
  failure?: { code: string; message: string };
  hasReport: boolean;
};

async function upload(client: Browser, fileName: string, bytes: Buffer) {
  const created = await client.post("/api/contact-imports", { fileName, size: bytes.byteLength });
  expect(created.status).toBe(201);
  const { import: info, upload: target } = created.body as unknown as {
    import: ImportBody;
    upload: { url: string; fields: Record<string, string> };
  };
  await post(target, bytes);
  return { importId: info.importId, target };
}

async function post(target: { url: string; fields: Record<string, string> }, bytes: Buffer) {
  const form = new FormData();
  for (const [name, value] of Object.entries(target.fields)) form.append(name, value);
  form.append("file", new Blob([new Uint8Array(bytes)]), "upload");
  const posted = await fetch(target.url, { method: "POST", body: form });
  expect(posted.status).toBeLessThan(300);
}

async function finished(client: Browser, importId: string, timeoutMs = 25_000): Promise<ImportBody> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await client.get(`/api/contact-imports/${importId}`);
    const info = response.body.import as ImportBody;
    if (info.status === "done" || info.status === "failed") return info;
    if (Date.now() > deadline) throw new Error(`import still ${info.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A clean file of `count` contacts with numbers and emails no other test uses. */
function cleanCsv(count: number, extraHeader = "", extra: (index: number) => string = () => "") {
  const tag = ulid().toLowerCase();
  // 06 10 … to 06 37 …: 06 39 is Mayotte's and 06 90/91/94 the Antilles', not mainland mobiles.
  const base = 610_000_000 + Math.floor(Math.random() * 27_000_000);
  const lines = [`Prénom;Nom;Mobile;Email${extraHeader ? `;${extraHeader}` : ""}`];
  for (let index = 0; index < count; index++) {
    const number = `0${base + index}`;
    lines.push(
      `Camille;Martin ${index};${number};c${index}.${tag}@example.fr${extraHeader ? `;${extra(index)}` : ""}`,
    );
  }
  return Buffer.from(`${lines.join("\n")}\n`, "utf8");
}

/** A redelivered import message, as Lambda hands it over. */
const importEvent = (job: ContactImport.Job) =>
  sqsEvent(sqsRecord(job, { queue: "import", receiveCount: 2 }));

/** Queued as `start` leaves it, but without a message: the test plays SQS itself. */
async function queuedWithoutMessage(importId: string) {
  await ContactImportEntity.patch({ companyId: company.companyId, importId })
    .set({
      status: "queued",
      agencyIds: [company.agencies[0]],
      onlyValid: true,
      startedBy: {
        userId: company.admin.userId,
        name: "Alice Admin",
        role: "admin",
        agencyIds: [company.agencies[0]],
      },
    })
    .go();
  return { kind: "contacts" as const, companyId: company.companyId, importId };
}

describe("contact import", () => {
  let messyId: string;

  it("lists every error of a messy Windows-1252 CSV with its line and column, writing nothing", async () => {
    messyId = (await upload(admin, "export ATS.csv", messyCsv())).importId;
    const response = await admin.post(`/api/contact-imports/${messyId}/check`, {});
    expect(response.status).toBe(200);
    const body = response.body as unknown as {
      total: number;
      valid: number;
      errorCount: number;
      errors: Array<{ line: number; column: string; code: string; message: string; value?: string }>;
      headers: { matched: Array<{ key: string; header: string }>; unknown: string[]; missing: string[] };
      preview: Array<Record<string, unknown>>;
    };
    expect(body).toMatchObject({ total: 7, valid: 3, errorCount: 4 });
    expect(body.errors.map(({ line, column, code }) => ({ line, column, code }))).toEqual([
      { line: 4, column: "Téléphone", code: "contact.mobile_invalid" },
      { line: 5, column: "Nom", code: "contact.name_missing" },
      { line: 6, column: "Téléphone", code: "import.duplicate_in_file" },
      { line: 7, column: "Type", code: "contact.type_unknown" },
    ]);
    expect(body.errors[0]?.value).toBe("06.12.34");
    expect(body.errors[2]?.message).toContain("line 2");
    expect(body.headers.unknown).toEqual(["Date d’inscription"]);
    expect(body.headers.matched.map((match) => match.header)).toContain("Prénom");
    expect(body.preview.map((row) => row.line)).toEqual([2, 3, 8]);
    expect(body.preview[0]).toMatchObject({
      civility: "M",
      lastName: "Lefèvre",
      mobile: "+33612345678",
      type: "externe",
      skills: ["cariste", "soudeur"],
    });
    expect(body.preview[1]).toMatchObject({ lastName: "Petit-Cœur", mobile: "+33698765432", type: "client" });
    expect(body.preview[2]).toMatchObject({ mobile: "+33781223344", type: "interne" });

    const search = await admin.get("/api/contacts?query=lefevre");
    expect(search.body.items).toEqual([]);
  });

  it("refuses to start while the dry run has errors, unless only valid lines are imported", async () => {
    const response = await admin.post(`/api/contact-imports/${messyId}/start`, {
      agencyIds: [company.agencies[0]],
    });
    expect(response.status).toBe(422);
    expect(response.body.error?.code).toBe("import.has_errors");
  });

  it("imports the valid lines in the background, with progress counters and an audit entry", async () => {
    const started = await admin.post(`/api/contact-imports/${messyId}/start`, {
      agencyIds: [company.agencies[0]],
      onlyValid: true,
    });
    expect(started.status).toBe(202);
    expect((started.body.import as ImportBody).status).toBe("queued");

    const done = await finished(admin, messyId);
    expect(done.status).toBe("done");
    expect(done.progress).toMatchObject({
      total: 7,
      rowsDone: 7,
      created: 3,
      updated: 0,
      unchanged: 0,
      skipped: 4,
      errors: 4,
      percent: 100,
    });
    const search = await admin.get("/api/contacts?query=lefevre");
    expect(search.body.items).toMatchObject([
      {
        firstName: "Jérôme",
        mobile: "+33612345678",
        email: "jerome.lefevre@example.fr",
        agencyIds: [company.agencies[0]],
      },
    ]);
    const audit = await admin.get("/api/audit?type=contact.imported");
    expect(JSON.stringify(audit.body)).toContain(messyId);
  });

  it("writes an error report in French: the lines to fix with their original cells, then every error", async () => {
    const link = await admin.get(`/api/contact-imports/${messyId}/report`);
    expect(link.status).toBe(200);
    const downloaded = await fetch((link.body as unknown as { url: string }).url);
    expect(downloaded.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await downloaded.arrayBuffer());
    const sheet = (index: number) => {
      const rows: string[][] = [];
      workbook.worksheets[index]!.eachRow((row) =>
        rows.push((row.values as unknown[]).slice(1).map((value) => String(value ?? ""))),
      );
      return rows;
    };
    expect(workbook.worksheets.map((each) => each.name)).toEqual(["À corriger", "Erreurs"]);
    const toFix = sheet(0);
    expect(toFix[0]).toEqual([
      "N° de ligne d'origine",
      "Erreurs à corriger",
      "Civilité",
      "Prénom",
      "Nom",
      "Téléphone",
      "E-mail",
      "Type",
      "Compétences",
      "Poste",
      "Date d’inscription",
    ]);
    expect(toFix.slice(1).map((row) => row[0])).toEqual(["4", "5", "6", "7"]);
    // Line 4 as the file had it, beside what is wrong with it.
    expect(toFix[1]).toEqual(
      expect.arrayContaining(["Paul", "Martin", "06.12.34", "paul.martin@example.fr", "externe"]),
    );
    expect(toFix[1]![1]).toContain("Téléphone : Numéro de téléphone invalide");
    const errors = sheet(1);
    expect(errors[0]).toEqual(["Ligne", "Colonne", "Valeur", "Erreur", "Détail", "Code"]);
    expect(errors.slice(1).map((row) => row[0])).toEqual(["4", "5", "6", "7"]);
    expect(errors[1]).toMatchObject({ 1: "Téléphone", 2: "06.12.34" });
    expect(errors[4]).toMatchObject({ 1: "Type", 2: "fournisseur" });

    // The sheet to fix imports again as it is: its own two columns are not taken for contact fields.
    const again = new ExcelJS.Workbook();
    const copy = again.addWorksheet("À corriger");
    for (const row of toFix) copy.addRow(row);
    const bytes = Buffer.from(await again.xlsx.writeBuffer());
    const { importId } = await upload(admin, "a-corriger.xlsx", bytes);
    const check = await admin.post(`/api/contact-imports/${importId}/check`, {});
    expect(check.status).toBe(200);
    const found = check.body as unknown as { errors: Array<{ line: number; column: string }> };
    // The same lines, now 2 to 5 (4, a conflict between two contacts, is found by the import itself, not the
    // dry run), and nothing said about the report's own columns.
    expect([...new Set(found.errors.map((error) => error.line))]).toEqual([2, 3, 5]);
    expect(found.errors.map((error) => error.column)).not.toContain("Erreurs à corriger");
  });

  it("offers a template whose columns the import knows, example lines included", async () => {
    const template = await admin.get("/api/contact-imports/template");
    expect(template.status).toBe(200);
    expect(template.headers.get("content-disposition")).toContain("modele-import-contacts.xlsx");
    const { importId } = await upload(admin, "modele.xlsx", Buffer.from(template.raw));
    const check = await admin.post(`/api/contact-imports/${importId}/check`, {});
    expect(check.status).toBe(200);
    expect(check.body).toMatchObject({ total: 2, valid: 2, errorCount: 0 });
  });

  it("writes the report in English for a user who works in English", async () => {
    const english = await addUser(company, "admin", [company.agencies[0]]);
    const client = await loggedIn(company, english.email);
    expect((await client.patch("/api/auth/preferences", { language: "en" })).status).toBeLessThan(300);
    const { importId } = await upload(client, "ats.csv", messyCsv());
    await client.post(`/api/contact-imports/${importId}/check`, {});
    await client.post(`/api/contact-imports/${importId}/start`, {
      agencyIds: [company.agencies[0]],
      onlyValid: true,
    });
    await finished(client, importId);
    const link = await client.get(`/api/contact-imports/${importId}/report`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await (await fetch((link.body as { url: string }).url)).arrayBuffer());
    expect(workbook.worksheets.map((each) => each.name)).toEqual(["To fix", "Errors"]);
    expect(workbook.worksheets[0]!.getRow(1).getCell(2).value).toBe("Errors to fix");
    expect(String(workbook.worksheets[0]!.getRow(2).getCell(2).value)).toContain("Téléphone : ");
  });

  it("changes nothing when the same file is imported again", async () => {
    const { importId } = await upload(admin, "export ATS.csv", messyCsv());
    expect((await admin.post(`/api/contact-imports/${importId}/check`, {})).status).toBe(200);
    await admin.post(`/api/contact-imports/${importId}/start`, {
      agencyIds: [company.agencies[0]],
      onlyValid: true,
    });
    const done = await finished(admin, importId);
    expect(done.progress).toMatchObject({ rowsDone: 7, created: 0, updated: 0, unchanged: 3, skipped: 4 });
  });

  it("shows an import to the users of its agencies only", async () => {
    const sameAgency = await addUser(company, "user", [company.agencies[0]]);
    const otherAgency = await addUser(company, "manager", [company.agencies[1]]);
    const insider = await loggedIn(company, sameAgency.email);
    const outsider = await loggedIn(company, otherAgency.email);
    expect((await insider.get(`/api/contact-imports/${messyId}`)).status).toBe(200);
    expect((await outsider.get(`/api/contact-imports/${messyId}`)).status).toBe(404);
    expect((await outsider.get(`/api/contact-imports/${messyId}/report`)).status).toBe(404);
    const listed = await outsider.get("/api/contact-imports");
    expect((listed.body.items as ImportBody[]).map((item) => item.importId)).not.toContain(messyId);
  });

  it("lists the company's imports, newest first", async () => {
    const response = await admin.get("/api/contact-imports");
    const ids = (response.body.items as ImportBody[]).map((item) => item.importId);
    expect(ids).toContain(messyId);
    expect(ids).toEqual([...ids].sort().reverse());
  });
});

type CheckBody = {
  total: number;
  valid: number;
  errorCount: number;
  errorLines: number;
  errors: Array<{ line: number; column: string; code: string; message: string; cell?: string }>;
  warningCount: number;
  warnings: Array<{ line: number; column: string; code: string; message: string }>;
};

describe("dry run warnings", () => {
  it("warns, line by line, about contacts that will be imported without a last name", async () => {
    const tag = ulid().toLowerCase();
    const file = Buffer.from(
      `Prénom;Nom;Email\nCamille;Martin;a.${tag}@example.fr\nLéa;;b.${tag}@example.fr\nMarc;;c.${tag}@example.fr\n`,
    );
    const { importId } = await upload(admin, "sans nom.csv", file);
    const response = await admin.post(`/api/contact-imports/${importId}/check`, {});
    const body = response.body as unknown as CheckBody;
    expect(body).toMatchObject({ total: 3, valid: 3, errorCount: 0, warningCount: 2 });
    expect(body.warnings.map(({ line, column, code }) => ({ line, column, code }))).toEqual([
      { line: 3, column: "Nom", code: "import.last_name_missing" },
      { line: 4, column: "Nom", code: "import.last_name_missing" },
    ]);
    expect(body.warnings[0]?.message).toContain("Line 3");
  });

  it("says which cell holds a formula without a computed value, and what to do", async () => {
    const { bytes } = await xlsx((sheet) => {
      sheet.addRow(["Prénom", "Nom", "Mobile"]);
      sheet.addRow(["Jean", "Dupont", "0612345678"]);
      sheet.getCell("A3").value = "Marie";
      sheet.getCell("B3").value = { formula: "UPPER(B2)" } as never;
      sheet.getCell("C3").value = "0698765432";
    });
    const { importId } = await upload(admin, "formules.xlsx", bytes);
    const response = await admin.post(`/api/contact-imports/${importId}/check`, {});
    const body = response.body as unknown as CheckBody;
    expect(body.errors).toEqual([
      expect.objectContaining({
        line: 3,
        column: "Nom",
        cell: "B3",
        code: "spreadsheet.formula_without_value",
      }),
    ]);
    expect(body.errors[0]?.message).toMatch(
      /^Cell B3 holds a formula without a computed value: open the file/,
    );
  });
});

describe("dry run counts and recent imports", () => {
  it("counts lines in error apart from errors: a line with two errors is one line", async () => {
    const tag = ulid().toLowerCase();
    const file = Buffer.from(
      `Prénom;Nom;Mobile;Email\nLéa;Petit;06.12;pas-un-email\nMarc;Durand;0612;m.${tag}@example.fr\nEva;Roy;;e.${tag}@example.fr\n`,
    );
    const { importId } = await upload(admin, "deux erreurs.csv", file);
    const response = await admin.post(`/api/contact-imports/${importId}/check`, {});
    expect(response.body).toMatchObject({ total: 3, valid: 1, errorCount: 3, errorLines: 2 });
    const got = await admin.get(`/api/contact-imports/${importId}`);
    expect(got.body.import).toMatchObject({ check: { errors: 3, errorLines: 2 } });
  });

  it("keeps one « checked » row of a file when its dry run is retried", async () => {
    const fileName = `réessai ${ulid()}.csv`;
    const file = cleanCsv(2);
    const first = await upload(admin, fileName, file);
    expect((await admin.post(`/api/contact-imports/${first.importId}/check`, {})).status).toBe(200);
    const retry = await upload(admin, fileName, file);
    expect((await admin.post(`/api/contact-imports/${retry.importId}/check`, {})).status).toBe(200);
    const other = await upload(admin, `autre ${ulid()}.csv`, file);
    expect((await admin.post(`/api/contact-imports/${other.importId}/check`, {})).status).toBe(200);

    const response = await admin.get("/api/contact-imports");
    const items = response.body.items as Array<ImportBody & { fileName: string }>;
    expect(items.filter((item) => item.fileName === fileName).map((item) => item.importId)).toEqual([
      retry.importId,
    ]);
    expect(items.map((item) => item.importId)).toContain(other.importId);
  });
});

describe("unreadable files", () => {
  it("asks for .xlsx or CSV instead of an .xls, before and after the upload", async () => {
    const named = await admin.post("/api/contact-imports", { fileName: "contacts.xls", size: 5000 });
    expect(named.status).toBe(422);
    expect(named.body.error).toMatchObject({ code: "spreadsheet.unsupported_format" });
    expect((named.body.error as unknown as { message: string }).message).toMatch(/\.xlsx/);

    // An Excel 97-2003 workbook renamed .csv: recognised by its first bytes.
    const ole = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(2000, 1),
    ]);
    const { importId } = await upload(admin, "contacts.csv", ole);
    const checked = await admin.post(`/api/contact-imports/${importId}/check`, {});
    expect(checked.status).toBe(422);
    expect(checked.body.error).toMatchObject({ code: "spreadsheet.unsupported_format" });
    expect((checked.body.error as unknown as { message: string }).message).toMatch(/\.xlsx\) or as CSV/);
  });

  it("says the file is missing when the dry run comes before the upload", async () => {
    const created = await admin.post("/api/contact-imports", { fileName: "a.csv", size: 100 });
    const importId = (created.body.import as ImportBody).importId;
    const checked = await admin.post(`/api/contact-imports/${importId}/check`, {});
    expect(checked.status).toBe(409);
    expect(checked.body.error?.code).toBe("import.file_missing");
  });
});

describe("lists", () => {
  it("fills a list at the end, with values mapped to its fields", async () => {
    const list = await admin.post("/api/lists", {
      name: `Import ${ulid()}`,
      agencyId: company.agencies[0],
      fields: ["date_rdv"],
    });
    const listId = (list.body.list as { listId: string }).listId;
    const { importId } = await upload(
      admin,
      "rdv.csv",
      cleanCsv(30, "RDV", (index) => `${10 + (index % 18)}/03`),
    );
    const checked = await admin.post(`/api/contact-imports/${importId}/check`, {
      mapping: { RDV: "list:date_rdv" },
    });
    expect(checked.body).toMatchObject({ valid: 30, errorCount: 0 });
    const started = await admin.post(`/api/contact-imports/${importId}/start`, {
      agencyIds: [company.agencies[0]],
      listId,
    });
    expect(started.status).toBe(202);
    expect((await finished(admin, importId)).progress).toMatchObject({ created: 30 });
    const members = await admin.get(`/api/lists/${listId}/members?limit=100`);
    const items = members.body.items as Array<{ fields: Record<string, string> }>;
    expect(items).toHaveLength(30);
    expect(items.every((member) => /^\d\d\/03$/.test(member.fields.date_rdv ?? ""))).toBe(true);
  });

  it("leaves the list untouched when the import fails", async () => {
    const list = await admin.post("/api/lists", { name: `Échec ${ulid()}`, agencyId: company.agencies[0] });
    const listId = (list.body.list as { listId: string }).listId;
    const { importId, target } = await upload(admin, "contacts.csv", cleanCsv(40));
    expect((await admin.post(`/api/contact-imports/${importId}/check`, {})).body).toMatchObject({
      errorCount: 0,
    });
    // The same presigned POST replaces the file after the dry run, with a bad line at the end.
    await post(target, Buffer.concat([cleanCsv(40), Buffer.from(";;pas-un-numero;\n")]));
    await admin.post(`/api/contact-imports/${importId}/start`, {
      agencyIds: [company.agencies[0]],
      listId,
    });
    const failed = await finished(admin, importId);
    expect(failed.status).toBe("failed");
    expect(failed.failure?.code).toBe("import.file_changed");
    const after = await admin.get(`/api/lists/${listId}`);
    expect(after.body.list).toMatchObject({ memberCount: 0 });
    expect((await admin.get(`/api/lists/${listId}/members`)).body.items).toEqual([]);
  });
});

describe("worker", () => {
  it("counts once when the same message is delivered twice, at once and after the end", async () => {
    const { importId } = await upload(admin, "doublon.csv", cleanCsv(120));
    await admin.post(`/api/contact-imports/${importId}/check`, {});
    const job = await queuedWithoutMessage(importId);
    const event = importEvent(job);

    const answers = await Promise.all([handler(event, lambdaContext()), handler(event, lambdaContext())]);
    expect(answers).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
    const again = await ContactImport.run(job);
    expect(again).toMatchObject({ result: "ignored" });

    const done = await finished(admin, importId);
    expect(done.progress).toMatchObject({ rowsDone: 120, created: 120, updated: 0, unchanged: 0 });
    const row = await ContactImportEntity.get({ companyId: company.companyId, importId }).go();
    expect(row.data?.runs).toBe(1);
  });

  it("counts rows once, as created, when a worker takes over a stalled one that wrote them, and the stalled one writes no more", async () => {
    const { importId } = await upload(admin, "relève.csv", cleanCsv(120));
    await admin.post(`/api/contact-imports/${importId}/check`, {});
    const job = await queuedWithoutMessage(importId);
    // The first worker writes two chunks (lines 2–101) and stalls before they count. Its clock stands still,
    // so it never renews its lease (a loaded machine), while for the second one the lease is over.
    const start = Date.now();
    let firstNow = start;
    const written: number[] = [];
    let wroteTwo!: () => void;
    const twoWritten = new Promise<void>((resolve) => {
      wroteTwo = resolve;
    });
    let resume!: () => void;
    const resumed = new Promise<void>((resolve) => {
      resume = resolve;
    });
    const first = ContactImport.run(job, {
      chunkSize: 50,
      concurrency: 1,
      clock: () => firstNow,
      written: async (line) => {
        written.push(line);
        if (written.length === 2) wroteTwo();
        await resumed;
      },
    });
    await twoWritten;

    expect(await ContactImport.run(job, { clock: () => start + 61_000 })).toMatchObject({ result: "done" });
    // The stalled worker wakes up late: it has lost the import and writes neither contacts nor counters.
    firstNow = start + 61_000;
    resume();
    expect(await first).toMatchObject({ result: "lost" });

    const done = await finished(admin, importId);
    expect(done.progress).toMatchObject({
      rowsDone: 120,
      created: 120,
      updated: 0,
      unchanged: 0,
      skipped: 0,
    });
    // Its two chunks, in whichever order their writes ended; none after it lost the import.
    expect(written.toSorted((a, b) => a - b)).toEqual([51, 101]);
    const row = await ContactImportEntity.get({ companyId: company.companyId, importId }).go();
    expect(row.data?.runs).toBe(2);
  });

  it("counts rows an attempt wrote but did not commit as they were when the next attempt writes them again", async () => {
    const file = cleanCsv(60);
    // Ten of the file's contacts exist already, without a last name or an email: the import updates them.
    const numbers = file
      .toString("utf8")
      .split("\n")
      .slice(1, 11)
      .map((line) => line.split(";")[2]!);
    for (const mobile of numbers) {
      const created = await admin.post("/api/contacts", {
        firstName: "Camille",
        mobile,
        agencyIds: [company.agencies[0]],
      });
      expect(created.status).toBe(201);
    }
    const { importId } = await upload(admin, "coupure.csv", file);
    await admin.post(`/api/contact-imports/${importId}/check`, {});
    const job = await queuedWithoutMessage(importId);
    // Every row is written, then the connection drops before the chunk counts.
    const first = await ContactImport.run(job, {
      written: async () => {
        throw new Error("socket hang up");
      },
    });
    expect(first).toMatchObject({ result: "retrying" });

    expect(await ContactImport.run(job)).toMatchObject({ result: "done" });
    const done = await finished(admin, importId);
    expect(done.progress).toMatchObject({ rowsDone: 60, created: 50, updated: 10, unchanged: 0 });
  });

  it("resumes from its last committed chunk when out of time, through a new message", async () => {
    const { importId } = await upload(admin, "gros.csv", cleanCsv(700));
    await admin.post(`/api/contact-imports/${importId}/check`, {});
    const job = await queuedWithoutMessage(importId);
    let rows = 0;
    // Plenty of time for 300 rows, then the Lambda is about to be stopped.
    const first = await ContactImport.run(job, { timeLeft: () => (++rows > 300 ? 5_000 : 60_000) });
    expect(first).toMatchObject({ result: "continued" });
    // Whole chunks only: 250 rows (lines 2–251) were committed before time ran out.
    expect(first.result === "continued" && first.checkpoint).toBe(251);

    // The continuation goes through the import queue and its poller.
    const done = await finished(admin, importId);
    expect(done.progress).toMatchObject({ rowsDone: 700, created: 700, unchanged: 0 });
    const row = await ContactImportEntity.get({ companyId: company.companyId, importId }).go();
    expect(row.data?.runs).toBe(2);
  });

  it("is driven again by the sweeper when its worker died holding it, and then leaves the sweeper's index", async () => {
    const { importId } = await upload(admin, "interrompu.csv", cleanCsv(50));
    await admin.post(`/api/contact-imports/${importId}/check`, {});
    const job = await queuedWithoutMessage(importId);
    // As a worker killed mid-run leaves it: running, its lease and the company's lock over, no message left.
    const minutesAgo = (minutes: number) => Date.now() - minutes * 60_000;
    await ContactImportEntity.patch(job)
      .set({
        status: "running",
        runId: ulid(),
        leaseUntil: minutesAgo(5),
        runs: 1,
        active: "import",
        activeSince: new Date(minutesAgo(10)).toISOString(),
      })
      .go();
    await ContactImportLockEntity.put({
      companyId: company.companyId,
      importId,
      leaseUntil: minutesAgo(3),
    }).go();

    await Queue.send(config("DISPATCH_QUEUE_URL"), { kind: "sweep", companyId: company.companyId });
    const done = await finished(admin, importId);
    expect(done).toMatchObject({ status: "done", progress: expect.objectContaining({ created: 50 }) });

    expect((await sweep({ companyId: company.companyId })).imports[importId]).toBe("forgotten");
    const row = await ContactImportEntity.get(job).go();
    expect(row.data?.active).toBeUndefined();
  });

  it("runs one import of a company at a time: the second waits for the first", async () => {
    const first = await upload(admin, "premier.csv", cleanCsv(400));
    const second = await upload(admin, "second.csv", cleanCsv(20));
    for (const { importId } of [first, second])
      await admin.post(`/api/contact-imports/${importId}/check`, {});
    const firstJob = await queuedWithoutMessage(first.importId);
    const secondJob = await queuedWithoutMessage(second.importId);
    let rows = 0;
    // The first pauses half-way, still holding the company's import lock.
    expect(
      await ContactImport.run(firstJob, { timeLeft: () => (++rows > 300 ? 5_000 : 60_000) }),
    ).toMatchObject({ result: "continued" });
    expect(await ContactImport.run(secondJob)).toMatchObject({ result: "busy" });
    expect((await finished(admin, first.importId)).progress).toMatchObject({ created: 400 });
    // Asked again a few seconds later through the queue, once the lock is free.
    expect((await finished(admin, second.importId, 30_000)).progress).toMatchObject({ created: 20 });
  }, 45_000);
});

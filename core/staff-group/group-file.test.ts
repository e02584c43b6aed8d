import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { type Actor, withActor } from "../actor";
import { Partner } from "../partner";
import { newCompany, type TestCompany } from "../test-helpers";
import { StaffGroup } from "./index";

let company: TestCompany;
let other: TestCompany;
const actorOf = (of: TestCompany): Actor => ({
  type: "user",
  companyId: of.companyId,
  userId: of.admin.userId,
  role: "admin",
  agencyIds: [of.agencies[0]],
  name: "Alice",
});
const asAdmin = <T>(run: () => Promise<T>) => withActor(actorOf(company), run);

let counter = 0;
/** +33 6 17 …: a French mobile of its own for each partner. */
const mobile = () =>
  `+33617${String(Date.now() % 1e4).padStart(4, "0")}${String(counter++).padStart(2, "0")}`;
/** « +33617123456 » as people write it: « 06 17 12 34 56 ». */
const spaced = (e164: string) => `0${e164.slice(3)}`.replace(/(\d{2})(?=\d)/g, "$1 ");

const newPartner = (
  lastName: string,
  extra: { matricule?: string; email?: string } = {},
  category = "salarie-structure",
) => asAdmin(() => Partner.create({ lastName, mobile: mobile(), categoryIds: [category], ...extra }));

async function workbook(rows: Array<Array<string | number>>) {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet("Salariés");
  for (const row of rows) sheet.addRow(row);
  return { bytes: new Uint8Array(await book.xlsx.writeBuffer()), fileName: "groupe.xlsx" };
}

const memberIds = async (groupId: string) =>
  (await asAdmin(() => StaffGroup.members({ groupId }))).map((member) => member.partnerId).sort();

beforeAll(async () => {
  [company, other] = await Promise.all([newCompany(), newCompany()]);
});

describe("group import from a file", () => {
  it("reads the French headers and names unknown lines and partners who are not employees by line", async () => {
    const group = await asAdmin(() => StaffGroup.create({ name: "Import Excel" }));
    const stamp = Date.now().toString(36);
    const byMatricule = await newPartner("Matricule", { matricule: `MAT-${stamp}` });
    const byMobile = await newPartner("Mobile");
    const client = await newPartner("Partenaire client", {}, "client");
    const file = await workbook([
      ["Nom", "Matricule", "Téléphone"],
      ["Matricule", `mat-${stamp}`, ""],
      ["Mobile", "", spaced(byMobile.mobile!)],
      ["Inconnu", `ZZZ-${stamp}`, ""],
      ["Client", "", client.mobile!],
      ["Sans identifiant", "", ""],
    ]);
    const report = await asAdmin(() => StaffGroup.importFile({ groupId: group.groupId, ...file }));
    expect(report.added).toBe(2);
    expect(report.unknown).toEqual([{ line: 4, value: `ZZZ-${stamp}` }]);
    expect(report.notEmployees).toEqual([{ line: 5, value: client.mobile }]);
    expect(report.issues).toEqual([expect.objectContaining({ line: 6, code: "group.line_empty" })]);
    expect(report.group.memberCount).toBe(2);
    expect(await memberIds(group.groupId)).toEqual([byMatricule.partnerId, byMobile.partnerId].sort());
  });

  it("reads a file without a header from its first column, mobiles in every French form", async () => {
    const group = await asAdmin(() => StaffGroup.create({ name: "Sans en-tête" }));
    const people = await Promise.all(
      ["Un", "Deux", "Trois", "Quatre", "Cinq"].map((name) => newPartner(name)),
    );
    const [one, two, three, four, five] = people.map((partner) => partner.mobile!);
    const file = await workbook([
      [spaced(one!), "ignoré"],
      [`+33 ${spaced(two!).slice(1)}`],
      [`0033${three!.slice(3)}`],
      [spaced(four!).replace(/ /g, ".")],
      // A number cell: Excel dropped the leading 0.
      [Number(five!.slice(3))],
      ["07 00 00 00 00"],
    ]);
    const report = await asAdmin(() => StaffGroup.importFile({ groupId: group.groupId, ...file }));
    expect(report.added).toBe(5);
    expect(report.unknown).toEqual([{ line: 6, value: "07 00 00 00 00" }]);
    expect(await memberIds(group.groupId)).toEqual(people.map((partner) => partner.partnerId).sort());
  });

  it("reads an E-mail column of a CSV", async () => {
    const group = await asAdmin(() => StaffGroup.create({ name: "Courriels" }));
    const address = `salarie-${Date.now().toString(36)}@example.fr`;
    const partner = await newPartner("Courriel", { email: address });
    const bytes = new TextEncoder().encode(
      `Prénom;E-mail\nLéa;${address.toUpperCase()}\nPaul;absent@example.fr\n`,
    );
    const report = await asAdmin(() =>
      StaffGroup.importFile({ groupId: group.groupId, bytes, fileName: "groupe.csv" }),
    );
    expect(report).toMatchObject({ added: 1, unknown: [{ line: 3, value: "absent@example.fr" }] });
    expect(await memberIds(group.groupId)).toEqual([partner.partnerId]);
  });

  it("refuses a file it cannot read and adds nobody", async () => {
    const group = await asAdmin(() => StaffGroup.create({ name: "Mauvais fichier" }));
    const employee = await newPartner("Jamais ajouté");
    const refusals = [
      { bytes: new TextEncoder().encode("%PDF-1.7\n"), code: "spreadsheet.unsupported_format" },
      {
        bytes: new TextEncoder().encode(`<html><table><tr><td>${employee.mobile}</td></tr></table></html>`),
        code: "spreadsheet.unsupported_format",
      },
      { bytes: new Uint8Array(), code: "spreadsheet.empty" },
      { bytes: new Uint8Array(5 * 1024 * 1024 + 1), code: "spreadsheet.too_large" },
    ];
    for (const { bytes, code } of refusals) {
      await expect(
        asAdmin(() => StaffGroup.importFile({ groupId: group.groupId, bytes, fileName: "groupe.xlsx" })),
      ).rejects.toMatchObject({ code });
    }
    // A readable first line, then more rows than allowed: the error comes before anything is added.
    const tooLong = new TextEncoder().encode(
      [employee.mobile, ...Array.from({ length: 5001 }, (_, index) => `M${index}`)].join("\n"),
    );
    await expect(
      asAdmin(() =>
        StaffGroup.importFile({ groupId: group.groupId, bytes: tooLong, fileName: "groupe.csv" }),
      ),
    ).rejects.toMatchObject({ code: "spreadsheet.too_many_rows" });
    expect(await memberIds(group.groupId)).toEqual([]);
  });

  it("answers 404 for another company's group and « Tous les salariés » cannot be imported into", async () => {
    const group = await asAdmin(() => StaffGroup.create({ name: "Privé" }));
    const file = await workbook([["Mobile"], ["06 17 00 00 00"]]);
    await expect(
      withActor(actorOf(other), () => StaffGroup.importFile({ groupId: group.groupId, ...file })),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      withActor(actorOf(other), () =>
        StaffGroup.fileUpload({ groupId: group.groupId, fileName: "groupe.xlsx", size: 100 }),
      ),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      asAdmin(() => StaffGroup.importFile({ groupId: StaffGroup.ALL, ...file })),
    ).rejects.toMatchObject({ code: "group.built_in" });
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { type Browser, loggedIn, newCompany, type TestCompany } from "./testing";

let company: TestCompany;
let admin: Browser;
beforeAll(async () => {
  company = await newCompany();
  admin = await loggedIn(company, company.admin.email);
});

/** Uploads like the console: presigned POST straight to S3. */
async function upload(content: string | Uint8Array, fileName = "utilisateurs.csv") {
  const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
  const created = await admin.post("/api/users/import/uploads", { fileName, size: bytes.length });
  expect(created.status).toBe(200);
  const { uploadId, url, fields } = created.body as unknown as {
    uploadId: string;
    url: string;
    fields: Record<string, string>;
  };
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append("file", new Blob([new Uint8Array(bytes)]), fileName);
  expect((await fetch(url, { method: "POST", body: form })).status).toBeLessThan(300);
  return uploadId;
}

const stamp = () => Date.now().toString(36);

describe("user import", () => {
  it("lists every error with its line and column, and writes nothing", async () => {
    const s = stamp();
    const uploadId = await upload(
      [
        "Prénom;Nom;Email;Mobile;Rôle;Agences",
        `Léa;Petit;lea-${s}@example.fr;06 12 34 56 78;Utilisateur;Agence Lyon`,
        `;Durand;paul-${s}@example.fr;;Utilisateur;Agence Lyon`,
        `Jean;Moulin;lea-${s}@example.fr;;Manager;Agence Lyon`,
        `Zoé;Roux;zoe-${s}@example.fr;0123;Chef;Agence Paris`,
        `Alice;Admin;${company.admin.email};;Administrateur;Agence Lyon`,
      ].join("\n"),
    );
    const report = await admin.post(`/api/users/import/${uploadId}/check`);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ total: 5, valid: 1 });
    const errors = report.body.errors as Array<{ line: number; column: string; code: string }>;
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 3, column: "Prénom", code: "user.first_name_missing" }),
        expect.objectContaining({ line: 4, column: "Email", code: "user.email_duplicate" }),
        expect.objectContaining({ line: 5, column: "Mobile", code: "user.mobile_invalid" }),
        expect.objectContaining({ line: 5, column: "Rôle", code: "user.role_invalid" }),
        expect.objectContaining({ line: 5, column: "Agences", code: "user.agency_unknown" }),
        expect.objectContaining({ line: 6, column: "Email", code: "user.email_taken" }),
      ]),
    );
    const refused = await admin.post(`/api/users/import/${uploadId}/commit`, {
      onlyValid: false,
      invite: "none",
    });
    expect(refused.status).toBe(422);
    const users = await admin.get(`/api/users?search=${s}`);
    expect(users.body.items).toEqual([]);
  });

  it("imports only the valid lines when asked, with temporary passwords", async () => {
    const s = stamp();
    const uploadId = await upload(
      [
        "Prénom;Nom;Email;Rôle;Agences",
        `Léa;Petit;lea-${s}@example.fr;Utilisateur;Agence Lyon`,
        `Bad;Line;pas-un-email;;`,
      ].join("\n"),
    );
    const done = await admin.post(`/api/users/import/${uploadId}/commit`, {
      onlyValid: true,
      invite: "none",
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ created: 1, skipped: 1, invited: 0 });
    expect((done.body.temporaryPasswords as unknown[]).length).toBe(1);
    const users = await admin.get(`/api/users?search=${s}`);
    expect(users.body.items).toEqual([
      expect.objectContaining({ email: `lea-${s}@example.fr`, mustChangePassword: true }),
    ]);
  });

  it("invites every imported user by SMS", async () => {
    const s = stamp();
    const uploadId = await upload(
      [
        "Prénom;Nom;Email;Mobile;Agences",
        `Marc;Blanc;marc-${s}@example.fr;0611${String(Date.now()).slice(-6)};Agence Lyon`,
      ].join("\n"),
    );
    const done = await admin.post(`/api/users/import/${uploadId}/commit`, {
      onlyValid: false,
      invite: "sms",
    });
    expect(done.body).toMatchObject({ created: 0, invited: 1 });
    const invitations = await admin.get("/api/invitations");
    expect(JSON.stringify(invitations.body)).toContain(`marc-${s}@example.fr`);
  });

  it("refuses a file over 5,000 rows with a clear message", async () => {
    const lines = ["Prénom;Nom;Email"];
    for (let index = 0; index < 5001; index++) lines.push(`P${index};N${index};p${index}@example.fr`);
    const uploadId = await upload(lines.join("\n"));
    const report = await admin.post(`/api/users/import/${uploadId}/check`);
    expect(report.status).toBe(413);
    expect(report.body.error?.code).toBe("spreadsheet.too_many_rows");
  });

  it("asks for .xlsx or CSV when given an old .xls", async () => {
    const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(512).fill(0)]);
    const uploadId = await upload(xls, "utilisateurs.csv");
    const report = await admin.post(`/api/users/import/${uploadId}/check`);
    expect(report.status).toBe(422);
    expect(report.body.error?.code).toBe("spreadsheet.unsupported_format");
  });

  it("offers a template with the expected headers", async () => {
    const response = await admin.request("GET", "/api/users/import/template");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("spreadsheetml");
  });
});

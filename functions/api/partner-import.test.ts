import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { type Browser, loggedIn, newCompany, type TestCompany, until } from "./testing";

/** Partners from a spreadsheet: a dry run naming each bad line, then a background job; nothing half-written. */
let company: TestCompany;
let admin: Browser;
beforeAll(async () => {
  company = await newCompany();
  admin = await loggedIn(company, company.admin.email);
});

async function uploaded(csv: string) {
  const bytes = new TextEncoder().encode(csv);
  const started = await admin.post("/api/partners/imports", {
    fileName: "partenaires.csv",
    size: bytes.length,
  });
  expect(started.status).toBe(201);
  const target = started.body as unknown as { importId: string; url: string; fields: Record<string, string> };
  const form = new FormData();
  for (const [name, value] of Object.entries(target.fields)) form.append(name, value);
  form.append("file", new Blob([bytes]));
  expect((await fetch(target.url, { method: "POST", body: form })).status).toBeLessThan(300);
  return target.importId;
}

describe("partner import", () => {
  it("lists line errors in the dry run, refuses to start with errors, then imports the valid lines once", async () => {
    const tag = ulid().slice(-6);
    const existing = await admin.post("/api/partners", {
      lastName: "Déjà",
      matricule: `X${tag}`,
      email: `deja-${tag}@exemple.fr`,
      categoryIds: ["client"],
    });
    expect(existing.status).toBe(201);
    const csv = [
      "Type;Prénom;Nom;Raison sociale;Matricule;Catégories;Mobile;Email;Canal;Langue",
      `Personne;Camille;Dupont${tag};;A${tag};Intérimaire;06 12 34 56 78;;SMS;FR`,
      `Organisation;;;Durand ${tag} SARL;B${tag};Client;;durand-${tag}@exemple.fr;Email;EN`,
      `Personne;Léa;Martin;;C${tag};Intérimaire;12;;;`,
      `Personne;Paul;Petit;;D${tag};Astronaute;06 12 34 56 79;;;`,
      `Personne;Jean;Double;;A${tag};Intérimaire;06 12 34 56 70;;;`,
      `Personne;Ana;Existe;;X${tag};Client;06 12 34 56 71;;;`,
    ].join("\n");
    const importId = await uploaded(csv);
    const dry = await admin.post(`/api/partners/imports/${importId}/check`);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ total: 6, valid: 2 });
    const errors = dry.body.errors as Array<{ line: number; column: string; code: string }>;
    expect(errors.map((error) => [error.line, error.column])).toEqual([
      [4, "Mobile"],
      [5, "Catégories"],
      [6, "Matricule"],
      [7, "Matricule"],
    ]);
    const refused = await admin.post(`/api/partners/imports/${importId}/start`, { onlyValid: false });
    expect(refused.status).toBe(422);
    const names = async () =>
      ((await admin.get(`/api/partners?q=${tag}`)).body.items as Array<{ name: string }>)
        .map((p) => p.name)
        .sort();
    expect(await names()).toEqual(["Déjà"]);

    const started = await admin.post(`/api/partners/imports/${importId}/start`, { onlyValid: true });
    expect(started.status).toBe(202);
    const done = await until(async () => {
      const progress = await admin.get(`/api/partners/imports/${importId}`);
      return progress.body.status === "done" ? progress : undefined;
    });
    expect(done.body).toMatchObject({ total: 2, created: 2 });
    const found = (await admin.get(`/api/partners?q=${tag}`)).body.items as Array<Record<string, unknown>>;
    expect(found.map((partner) => partner.name).sort()).toEqual([
      `Camille Dupont${tag}`,
      `Durand ${tag} SARL`,
      "Déjà",
    ]);
    expect(found.find((partner) => partner.kind === "organisation")).toMatchObject({
      language: "en",
      preferredChannel: "email",
      categoryIds: ["client"],
    });
    expect((await admin.post(`/api/partners/imports/${importId}/start`, { onlyValid: true })).status).toBe(
      409,
    );
  });

  it("offers a template whose headers import back", async () => {
    const template = await admin.get("/api/partners/imports/template");
    expect(template.status).toBe(200);
    expect(template.headers.get("content-disposition")).toContain("modele-import-partenaires.xlsx");
  });
});

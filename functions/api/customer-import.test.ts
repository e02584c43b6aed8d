import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { addUser, type Browser, loggedIn, newCompany, type TestCompany, until } from "./testing";

/**
 * Garage customers from a spreadsheet (« Relance clients »): a dry run naming each bad line and column,
 * then a background job creating customers, vehicles and reminders; the same file twice creates nothing new.
 */
let company: TestCompany;
let admin: Browser;
beforeAll(async () => {
  company = await newCompany();
  admin = await loggedIn(company, company.admin.email);
});

async function uploaded(as: Browser, bytes: Uint8Array<ArrayBuffer>, fileName = "clients.csv") {
  const started = await as.post("/api/reminders/imports", { fileName, size: bytes.length });
  expect(started.status).toBe(201);
  const target = started.body as unknown as { importId: string; url: string; fields: Record<string, string> };
  const form = new FormData();
  for (const [name, value] of Object.entries(target.fields)) form.append(name, value);
  form.append("file", new Blob([bytes]));
  expect((await fetch(target.url, { method: "POST", body: form })).status).toBeLessThan(300);
  return target.importId;
}

// 06 19 …: a random 06 number may fall in a range no operator holds (06 39, 06 9x), which is invalid.
const mobile = () => `06 19 ${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;

async function finished(importId: string) {
  return until(async () => {
    const progress = await admin.get(`/api/reminders/imports/${importId}`);
    return progress.body.status === "done" ? progress.body : undefined;
  });
}

describe("customer import", () => {
  it("lists line errors, writes nothing until started, imports the valid lines, and a second run adds nothing", async () => {
    const tag = ulid().slice(-6).toLowerCase();
    const [dupont, martin] = [mobile(), mobile()];
    // Headers as people type them: case and accents do not matter.
    const csv = [
      "civilite;NOM;Prénom;Mobile;Email;Immatriculation;Marque;Modele;Date de livraison;Km livraison;Date derniere intervention;Km dernière intervention;Scenarios;Date de relance",
      `M.;Dupont${tag};Camille;${dupont};camille-${tag}@exemple.fr;ab 123 cd;Renault;Clio;15/03/2021;10;20/04/2024;38 000;Révision;`,
      `M. et Mme;Martin${tag};;${martin};;EF-456-GH;;;;;;;révision, CONTROLE TECHNIQUE;15/09/2030`,
      `Mme;Petit${tag};Léa;${mobile()};;AB-12;;;;;;;;`,
      `M.;;Paul;${mobile()};;GH-789-JK;;;;;;;;`,
      `Mme;Durand${tag};;${mobile()};;JK-234-LM;;;;;;;Vidange;`,
      `M.;Bernard${tag};;${mobile()};;LM-345-NP;;;31/02/2024;;;;;`,
      `M.;Roux${tag};;${mobile()};;NP-456-QR;;;;;;;Révision;32/13/2030`,
      `M.;Dupont${tag};Camille;${dupont};;QR-567-ST;Peugeot;208;;;;;Contrôle technique;`,
    ].join("\n");
    const bytes = new TextEncoder().encode(csv);
    const importId = await uploaded(admin, bytes);

    const dry = await admin.post(`/api/reminders/imports/${importId}/check`);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ total: 8, valid: 3 });
    const errors = dry.body.errors as Array<{ line: number; column: string; code: string }>;
    expect(errors.map((error) => [error.line, error.column, error.code])).toEqual([
      [4, "Immatriculation", "customer.plate_invalid"],
      [5, "Nom", "customer.name_missing"],
      [6, "Scénarios", "customer.scenario_unknown"],
      [7, "Date de livraison", "customer.date_invalid"],
      [8, "Date de relance", "customer.due_invalid"],
    ]);
    expect(dry.body.preview).toContainEqual(
      expect.objectContaining({ line: 3, plate: "EF-456-GH", scenarios: ["Révision", "Contrôle technique"] }),
    );
    // The dry run wrote nothing.
    const lookup = async (number: string) =>
      (await admin.get(`/api/reminders/customers/lookup?mobile=${encodeURIComponent(number)}`)).body
        .customer as { civility?: string; vehicles: Array<{ plate: string }> } | undefined;
    expect(await lookup(dupont)).toBeUndefined();
    const reminders = async () =>
      (await admin.get(`/api/reminders?query=${tag}&limit=200`)).body.items as Array<{
        name: string;
        plate: string;
        scenarioId: string;
        dueOn: string;
      }>;
    expect(await reminders()).toEqual([]);

    const refused = await admin.post(`/api/reminders/imports/${importId}/start`, {
      agencyId: company.agencies[0],
      onlyValid: false,
    });
    expect(refused.status).toBe(422);
    expect(await lookup(dupont)).toBeUndefined();

    const started = await admin.post(`/api/reminders/imports/${importId}/start`, {
      agencyId: company.agencies[0],
      onlyValid: true,
    });
    expect(started.status).toBe(202);
    expect(await finished(importId)).toMatchObject({
      total: 3,
      processed: 3,
      customers: 2,
      vehicles: 3,
      reminders: 4,
      skipped: 5,
      agencyId: company.agencies[0],
    });
    const customer = await lookup(dupont);
    expect(customer?.civility).toBe("M");
    expect(customer?.vehicles.map((vehicle) => vehicle.plate).sort()).toEqual(["AB-123-CD", "QR-567-ST"]);
    const made = await reminders();
    expect(made).toHaveLength(4);
    expect(
      made
        .filter((reminder) => reminder.plate === "EF-456-GH")
        .map((reminder) => [reminder.scenarioId, reminder.dueOn])
        .sort(),
    ).toEqual([
      ["controle_technique", "2030-09-15"],
      ["revision", "2030-09-15"],
    ]);
    expect(
      (
        await admin.post(`/api/reminders/imports/${importId}/start`, {
          agencyId: company.agencies[0],
          onlyValid: true,
        })
      ).status,
    ).toBe(409);

    // The same file again: customers merged, plates known, scenarios already pending.
    const again = await uploaded(admin, bytes);
    expect(
      (
        await admin.post(`/api/reminders/imports/${again}/start`, {
          agencyId: company.agencies[0],
          onlyValid: true,
        })
      ).status,
    ).toBe(202);
    expect(await finished(again)).toMatchObject({ total: 3, customers: 0, vehicles: 0, reminders: 0 });
    expect(await reminders()).toHaveLength(4);
    expect((await lookup(dupont))?.vehicles).toHaveLength(2);

    // Each run's « terminé » came with its audit entry.
    const audit = (await admin.get("/api/audit?type=customer.imported")).body.items as Array<{
      target: { id: string };
    }>;
    expect(audit.map((entry) => entry.target.id).sort()).toEqual([importId, again].sort());
  }, 90_000); // two background imports and some thirty requests: slow on a loaded 2-core machine

  it("imports only into an agency the importer sees", async () => {
    const user = await addUser(company, "user", [company.agencies[0]]);
    const asUser = await loggedIn(company, user.email);
    const csv = `Nom;Mobile;Immatriculation\nSeul${ulid().slice(-6)};${mobile()};TU-678-VW`;
    const importId = await uploaded(asUser, new TextEncoder().encode(csv));
    const refused = await asUser.post(`/api/reminders/imports/${importId}/start`, {
      agencyId: company.agencies[1],
      onlyValid: false,
    });
    expect(refused.status).toBe(404);
    // Another user's import is not theirs to see; an Admin sees it.
    const other = await loggedIn(company, (await addUser(company, "user", [company.agencies[0]])).email);
    expect((await other.get(`/api/reminders/imports/${importId}`)).status).toBe(404);
    expect((await admin.get(`/api/reminders/imports/${importId}`)).status).toBe(200);
  });

  it("offers a template whose headers and example lines import back", async () => {
    const template = await admin.get("/api/reminders/imports/template");
    expect(template.status).toBe(200);
    expect(template.headers.get("content-disposition")).toContain("modele-import-clients.xlsx");
    const importId = await uploaded(admin, new Uint8Array(template.raw), "modele-import-clients.xlsx");
    const dry = await admin.post(`/api/reminders/imports/${importId}/check`);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ total: 2, valid: 2, errors: [] });
  });
});

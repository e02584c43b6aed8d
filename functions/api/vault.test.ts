import { addDays, addMonths } from "date-fns";
import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import {
  addUser,
  type Browser,
  browser,
  loggedIn,
  newCompany,
  noQuietHours,
  type TestCompany,
  until,
} from "./testing";

/**
 * The vault end to end: partners, a bulk upload matched by matricule (dry run first), publication in the
 * background, the SMS with its signed link, the partner space, and what staff see afterwards.
 */
let company: TestCompany;
let admin: Browser;
beforeAll(async () => {
  company = await newCompany();
  admin = await loggedIn(company, company.admin.email);
  await noQuietHours(admin);
});

const sms = () => process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2!;
const pdf = (text: string) => new TextEncoder().encode(`%PDF-1.4\n% ${text}\n%%EOF\n`);
const mobile = () => `+33614${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;

async function newPartner(matricule: string, lastName: string, extra: Record<string, unknown> = {}) {
  const created = await admin.post("/api/partners", {
    kind: "person",
    firstName: "Jean",
    lastName,
    matricule,
    mobile: mobile(),
    categoryIds: ["interimaire"],
    ...extra,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.partner as { partnerId: string; mobile: string; email?: string; name: string };
}

async function post(
  target: { url: string; fields: Record<string, string> },
  bytes: Uint8Array,
  type: string,
) {
  const form = new FormData();
  for (const [name, value] of Object.entries(target.fields)) form.append(name, value);
  form.append("file", new Blob([new Uint8Array(bytes)], { type }));
  return fetch(target.url, { method: "POST", body: form });
}

async function smsTo(to: string) {
  return until(async () => {
    const answer = await fetch(`${sms()}/_emulator/messages?to=${encodeURIComponent(to)}&direction=outbound`);
    const { messages } = (await answer.json()) as { messages: Array<{ body: string }> };
    return messages[0];
  });
}

async function publishOne(partnerId: string, fileName: string, bytes: Uint8Array) {
  const created = await admin.post("/api/vault/batches", {
    typeId: "bulletin-de-paie",
    agencyId: company.agencies[0],
    files: [{ fileName, size: bytes.length, partnerId }],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const [upload] = created.body.uploads as Array<{
    documentId: string;
    url: string;
    fields: Record<string, string>;
  }>;
  expect((await post(upload!, bytes, "application/pdf")).status).toBeLessThan(300);
  const batchId = created.body.batchId as string;
  expect((await admin.post(`/api/vault/batches/${batchId}/publish`)).status).toBe(202);
  await until(async () => {
    const batch = await admin.get(`/api/vault/batches/${batchId}`);
    return (batch.body.batch as { status: string }).status === "published" ? batch : undefined;
  });
  return upload!.documentId;
}

describe("vault", () => {
  it("seeds categories and document types", async () => {
    const categories = await admin.get("/api/partners/categories");
    expect((categories.body.items as Array<{ name: string }>).map((c) => c.name)).toEqual(
      expect.arrayContaining([
        "Intérimaire",
        "Salarié structure",
        "Client",
        "Sous-traitant",
        "Déjà en relation",
      ]),
    );
    const types = await admin.get("/api/vault/types");
    expect(types.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "Bulletin de paie", typology: "paie", mustSign: false }),
        expect.objectContaining({ name: "Contrat de mission", typology: "contrats", mustSign: true }),
      ]),
    );
  });

  it("refuses a second partner with the same matricule, a bad mobile, no address, and plain users", async () => {
    const matricule = `M${ulid().slice(-6)}`;
    await newPartner(matricule, "Durand");
    const first = await newPartner(`N${ulid().slice(-6)}`, "Premier");
    const twice = await admin.post("/api/partners", {
      lastName: "Autre",
      matricule,
      mobile: first.mobile,
      categoryIds: ["client"],
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error?.code).toBe("partner.exists");
    // The 409 names who holds it, so the console can open that partner instead.
    expect(twice.body.error).toMatchObject({ partnerId: expect.any(String) });
    const bad = await admin.post("/api/partners", { lastName: "X", mobile: "12", categoryIds: ["client"] });
    expect(bad.status).toBe(400);
    const none = await admin.post("/api/partners", { lastName: "X", categoryIds: ["client"] });
    expect(none.status).toBe(400);
    const user = await loggedIn(company, (await addUser(company, "user", [company.agencies[0]])).email);
    expect((await user.get("/api/partners")).status).toBe(403);
    expect((await user.get("/api/vault/types")).status).toBe(403);
  });

  it("makes a partner from a contact once, and names the existing partner the second time", async () => {
    const created = await admin.post("/api/contacts", {
      firstName: "Inès",
      lastName: "Contact",
      mobile: mobile(),
      agencyIds: [company.agencies[0]],
    });
    expect(created.status).toBe(201);
    const contactId = (created.body.contact as { contactId: string }).contactId;
    const made = await admin.post("/api/partners/from-contact", { contactId, categoryIds: ["interimaire"] });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const partner = made.body.partner as { partnerId: string; firstName: string; mobile: string };
    expect(partner).toMatchObject({ firstName: "Inès" });
    const again = await admin.post("/api/partners/from-contact", { contactId, categoryIds: ["interimaire"] });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "partner.exists", partnerId: partner.partnerId });
  });

  it("bulk: dry run, upload, publish, SMS with a signed link, partner space, download, staff tracking", async () => {
    const tag = ulid().slice(-6);
    const a = await newPartner(`A${tag}`, `Martin${tag}`);
    const b = await newPartner(`B${tag}`, `Petit${tag}`);
    const files = [
      { fileName: `A${tag}_bulletin_2026-11.pdf`, bytes: pdf("bulletin A") },
      { fileName: `B${tag}_bulletin_2026-11.pdf`, bytes: pdf("bulletin B") },
      { fileName: `Z${tag}_bulletin_2026-11.pdf`, bytes: pdf("personne") },
    ];
    const request = {
      typeId: "bulletin-de-paie",
      rule: "matricule",
      files: files.map(({ fileName, bytes }) => ({ fileName, size: bytes.length })),
    };
    const plan = await admin.post("/api/vault/plan", request);
    expect(plan.status).toBe(200);
    expect(plan.body).toMatchObject({ matched: 2, unmatched: 1, ambiguous: 0, invalid: 0 });
    expect((plan.body.files as Array<{ status: string }>).map((file) => file.status)).toEqual([
      "matched",
      "matched",
      "unmatched",
    ]);

    const created = await admin.post("/api/vault/batches", { ...request, agencyId: company.agencies[0] });
    expect(created.status).toBe(201);
    const uploads = created.body.uploads as Array<{
      fileName: string;
      url: string;
      fields: Record<string, string>;
    }>;
    expect(uploads).toHaveLength(2);
    for (const upload of uploads) {
      const file = files.find((candidate) => candidate.fileName === upload.fileName)!;
      expect((await post(upload, file.bytes, "application/pdf")).status).toBeLessThan(300);
    }
    const batchId = created.body.batchId as string;
    expect((await admin.post(`/api/vault/batches/${batchId}/publish`)).status).toBe(202);
    const done = await until(async () => {
      const batch = await admin.get(`/api/vault/batches/${batchId}`);
      return (batch.body.batch as { status: string }).status === "published" ? batch : undefined;
    });
    expect(done.body.batch).toMatchObject({ files: 2, published: 2, rejected: 0 });

    const message = await smsTo(a.mobile);
    const url = message.body.match(/https?:\/\/\S+\/l\/([A-Za-z0-9_-]{22})/);
    expect(url, message.body).not.toBeNull();
    expect(message.body).toContain("Bulletin de paie");

    // The partner opens the link: signed in to the space, sent to the document.
    const partner = browser();
    const opened = await partner.get(`/l/${url![1]}`);
    expect(opened.status).toBe(302);
    expect(opened.headers.get("location")).toMatch(/^\/espace\?document=/);
    const dashboard = await partner.get("/api/espace");
    expect(dashboard.status).toBe(200);
    const documents = dashboard.body.documents as Array<{
      documentId: string;
      typology: string;
      read: boolean;
    }>;
    expect(documents).toHaveLength(1);
    // Object keys never reach the partner: only ids and names.
    expect(JSON.stringify(dashboard.body)).not.toContain("documents/");
    expect(documents[0]).toMatchObject({ typology: "paie", read: true });
    const file = await partner.get(`/api/espace/documents/${documents[0]!.documentId}/file`);
    expect(file.status).toBe(302);
    const target = file.headers.get("location")!;
    expect(target).toMatch(/X-Amz-Expires=60/);
    const downloaded = await fetch(target);
    expect(new Uint8Array(await downloaded.arrayBuffer())).toEqual(files[0]!.bytes);
    expect(downloaded.headers.get("content-disposition")).toMatch(/^attachment/);

    // Staff see it opened and downloaded, and the whole history.
    const seen = await admin.get(`/api/partners/${a.partnerId}`);
    const [doc] = seen.body.documents as Array<Record<string, unknown>>;
    expect(doc).toMatchObject({ status: "published", opens: 1, downloads: 1 });
    expect(doc!.firstOpenedAt).toBeDefined();
    expect(doc!.firstDownloadedAt).toBeDefined();
    expect((doc!.notification as { channel: string }).channel).toBe("sms");
    const history = await admin.get(`/api/partners/${a.partnerId}/history`);
    expect((history.body.items as Array<{ action: string }>).map((entry) => entry.action).sort()).toEqual([
      "downloaded",
      "link_opened",
      "opened",
    ]);
    const xlsx = await admin.get(`/api/partners/${a.partnerId}/history.xlsx`);
    expect(xlsx.status).toBe(200);
    expect(new Uint8Array(xlsx.raw).subarray(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]));

    // Partner A cannot reach partner B's document, whatever id it types.
    const bDocs = await admin.get(`/api/partners/${b.partnerId}`);
    const bDoc = (bDocs.body.documents as Array<{ documentId: string }>)[0]!.documentId;
    expect((await partner.get(`/api/espace/documents/${bDoc}/file`)).status).toBe(404);
    expect((await partner.post(`/api/espace/documents/${bDoc}/open`)).status).toBe(404);
    // …nor the staff API, nor the other way round.
    expect((await partner.get("/api/partners")).status).toBe(401);
    expect((await admin.get("/api/espace")).status).toBe(401);
  });

  it("rejects content that is not what its name says", async () => {
    const partner = await newPartner(`H${ulid().slice(-6)}`, "Html");
    const html = new TextEncoder().encode("<html><script>alert(1)</script></html>");
    const created = await admin.post("/api/vault/batches", {
      typeId: "attestation",
      agencyId: company.agencies[0],
      files: [
        {
          fileName: "../../etc/attestation\u0000\u0007.pdf",
          size: html.length,
          partnerId: partner.partnerId,
        },
      ],
    });
    expect(created.status).toBe(201);
    const [upload] = created.body.uploads as Array<{
      fileName: string;
      url: string;
      fields: Record<string, string>;
    }>;
    expect(upload!.fileName).toBe("attestation.pdf");
    expect((await post(upload!, html, "application/pdf")).status).toBeLessThan(300);
    const batchId = created.body.batchId as string;
    await admin.post(`/api/vault/batches/${batchId}/publish`);
    const done = await until(async () => {
      const batch = await admin.get(`/api/vault/batches/${batchId}`);
      return (batch.body.batch as { status: string }).status === "published" ? batch : undefined;
    });
    expect(done.body.batch).toMatchObject({ published: 0, rejected: 1 });
    expect((done.body.documents as Array<{ rejectedReason: string }>)[0]!.rejectedReason).toMatch(
      /not what its name says/,
    );
    // Oversize and unknown kinds are refused before any upload.
    const plan = await admin.post("/api/vault/plan", {
      typeId: "attestation",
      files: [
        { fileName: "big.pdf", size: 21 * 1024 * 1024, partnerId: partner.partnerId },
        { fileName: "page.svg", size: 10, partnerId: partner.partnerId },
      ],
    });
    expect((plan.body.files as Array<{ status: string }>).map((file) => file.status)).toEqual([
      "invalid",
      "invalid",
    ]);
  });

  it("answers every dead link with the same page: unknown, malformed, revoked, used up, expired", async () => {
    const partner = await newPartner(`L${ulid().slice(-6)}`, "Lien");
    await publishOne(partner.partnerId, "doc.pdf", pdf("lien"));
    const once = await admin.post(`/api/partners/${partner.partnerId}/links`, { maxUses: 1, days: 1 });
    expect(once.status).toBe(201);
    const onceToken = (once.body.url as string).split("/l/")[1]!;
    const revoked = await admin.post(`/api/partners/${partner.partnerId}/links`, {});
    const revokedToken = (revoked.body.url as string).split("/l/")[1]!;
    expect(
      (await admin.delete(`/api/partners/${partner.partnerId}/links/${revoked.body.linkId}`)).status,
    ).toBe(200);

    expect((await browser().get(`/l/${onceToken}`)).status).toBe(302);
    const answers = await Promise.all(
      [onceToken, revokedToken, "A".repeat(22), "../../etc/passwd", `${onceToken.slice(0, 21)}x`].map(
        (token) => browser().get(`/l/${encodeURIComponent(token)}`),
      ),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(404);
      expect(answer.body).toBe(answers[0]!.body);
      expect(answer.headers.get("set-cookie")).toBeNull();
    }
    const links = await admin.get(`/api/partners/${partner.partnerId}`);
    expect((links.body.links as Array<{ status: string }>).map((link) => link.status).sort()).toEqual(
      expect.arrayContaining(["revoked", "used_up"]),
    );
  });

  it("signs in with a one-time code: same answer for strangers, 5 tries, then a new code is needed", async () => {
    const partner = await newPartner(`C${ulid().slice(-6)}`, "Code");
    const visitor = browser();
    const stranger = await visitor.post("/api/espace/auth/code", { address: mobile() });
    expect(stranger.status).toBe(202);
    const known = await visitor.post("/api/espace/auth/code", {
      address: partner.mobile.replace("+33", "0"),
    });
    expect(known.status).toBe(202);
    expect(known.body).toEqual(stranger.body);
    const text = (await smsTo(partner.mobile)).body;
    const code = text.match(/\b(\d{6})\b/)![1]!;
    const wrong = code === "000000" ? "111111" : "000000";
    for (let attempt = 1; attempt <= 5; attempt++) {
      const answer = await visitor.post("/api/espace/auth/verify", { address: partner.mobile, code: wrong });
      expect(answer.status).toBe(401);
    }
    const late = await visitor.post("/api/espace/auth/verify", { address: partner.mobile, code });
    expect(late.status).toBe(401);
    expect(late.body.error?.code).toBe("space.code_expired");

    await visitor.post("/api/espace/auth/code", { address: partner.mobile });
    const fresh = await until(async () => {
      const answer = await fetch(
        `${sms()}/_emulator/messages?to=${encodeURIComponent(partner.mobile)}&direction=outbound`,
      );
      const { messages } = (await answer.json()) as { messages: Array<{ body: string }> };
      return messages.length >= 2 ? messages[0] : undefined;
    });
    const next = fresh.body.match(/\b(\d{6})\b/)![1]!;
    const ok = await visitor.post("/api/espace/auth/verify", { address: partner.mobile, code: next });
    expect(ok.status).toBe(200);
    expect((await visitor.get("/api/espace")).status).toBe(200);
    // Mutations need the space's CSRF token.
    const forged = await visitor.request(
      "POST",
      "/api/espace/documents/x/open",
      {},
      { "x-csrf-token": "forged" },
    );
    expect(forged.status).toBe(403);
    expect((await visitor.post("/api/espace/auth/logout")).status).toBe(204);
    expect((await visitor.get("/api/espace")).status).toBe(401);
  });
});

describe("a partner two companies know", () => {
  /** Asks a code and reads it from the newest SMS that says « code », once it has arrived. */
  async function codeFor(visitor: Browser, to: string) {
    const outbound = async () => {
      const answer = await fetch(
        `${sms()}/_emulator/messages?to=${encodeURIComponent(to)}&direction=outbound`,
      );
      return ((await answer.json()) as { messages: Array<{ body: string }> }).messages;
    };
    const before = (await outbound()).length;
    expect((await visitor.post("/api/espace/auth/code", { address: to })).status).toBe(202);
    const text = await until(async () => {
      const messages = await outbound();
      return messages.length > before && /code/i.test(messages[0]!.body) ? messages[0]!.body : undefined;
    });
    return text.match(/\b(\d{6})\b/)![1]!;
  }

  it("chooses the company after the code, once, and sees that company's documents only", async () => {
    const other = await newCompany("Garage Second");
    const otherAdmin = await loggedIn(other, other.admin.email);
    const partner = await newPartner(`M${ulid().slice(-6)}`, "Double");
    const twin = await otherAdmin.post("/api/partners", {
      kind: "person",
      firstName: "Jean",
      lastName: "Double",
      mobile: partner.mobile,
      categoryIds: ["interimaire"],
    });
    expect(twin.status, JSON.stringify(twin.body)).toBe(201);
    await publishOne(partner.partnerId, "bulletin-premier.pdf", pdf("premier"));
    const ours = (await admin.get("/api/company")).body.name as string;

    const visitor = browser();
    const verified = await visitor.post("/api/espace/auth/verify", {
      address: partner.mobile,
      code: await codeFor(visitor, partner.mobile),
    });
    expect(verified.status).toBe(200);
    // No session yet: a choice first.
    expect((await visitor.get("/api/espace")).status).toBe(401);
    const offered = verified.body.choose as {
      ticket: string;
      companies: Array<{ choice: number; name: string }>;
    };
    expect(offered.companies.map((company) => company.name).sort()).toEqual([ours, "Garage Second"].sort());
    // A pick outside the list uses the ticket up.
    expect(
      (await visitor.post("/api/espace/auth/choose", { ticket: offered.ticket, choice: 7 })).status,
    ).toBe(401);
    expect(
      (await visitor.post("/api/espace/auth/choose", { ticket: offered.ticket, choice: 0 })).status,
    ).toBe(401);

    const retry = await visitor.post("/api/espace/auth/verify", {
      address: partner.mobile,
      code: await codeFor(visitor, partner.mobile),
    });
    const fresh = retry.body.choose as { ticket: string; companies: Array<{ choice: number; name: string }> };
    const pick = fresh.companies.find((company) => company.name === ours)!;
    const chosen = await visitor.post("/api/espace/auth/choose", {
      ticket: fresh.ticket,
      choice: pick.choice,
    });
    expect(chosen.status).toBe(200);
    const dashboard = await visitor.get("/api/espace");
    expect(dashboard.status).toBe(200);
    expect(dashboard.body.company).toEqual({ name: ours });
    expect((dashboard.body.documents as Array<{ fileName: string }>).map((doc) => doc.fileName)).toEqual([
      "bulletin-premier.pdf",
    ]);
    // Used once: replaying it from elsewhere opens nothing.
    const thief = browser();
    expect((await thief.post("/api/espace/auth/choose", { ticket: fresh.ticket, choice: 0 })).status).toBe(
      401,
    );
    expect((await thief.get("/api/espace")).status).toBe(401);
  });
});

describe("sign-in code limits", () => {
  it("stops sending codes to one address after 5 in 15 minutes, with the same answer before", async () => {
    const address = `inconnu-${ulid().toLowerCase()}@exemple.fr`;
    const visitor = browser();
    for (let attempt = 1; attempt <= 5; attempt++)
      expect((await visitor.post("/api/espace/auth/code", { address })).status).toBe(202);
    const sixth = await browser().post("/api/espace/auth/code", { address });
    expect(sixth.status).toBe(429);
    expect(sixth.headers.get("retry-after")).toBeTruthy();
    expect((await visitor.post("/api/espace/auth/code", { address: "pas une adresse" })).status).toBe(400);
  });
});

describe("vault retention", () => {
  it("deletes documents past their type's retention, once, and audits it", async () => {
    const { applyRetention } = await import("../../core/vault/retention");
    const partner = await newPartner(`R${ulid().slice(-6)}`, "Retention");
    const documentId = await publishOne(partner.partnerId, "ancien.pdf", pdf("ancien"));
    // Bulletin de paie: 60 months; the job looks a week back.
    const later = addDays(addMonths(new Date(), 60), 2);
    const first = await applyRetention(later);
    expect(first.deleted).toBeGreaterThanOrEqual(1);
    const seen = await admin.get(`/api/partners/${partner.partnerId}`);
    expect(
      (seen.body.documents as Array<{ documentId: string; status: string }>).find(
        (d) => d.documentId === documentId,
      )?.status,
    ).toBe("deleted");
    const audit = await admin.get("/api/audit?type=vault.document_deleted");
    expect(JSON.stringify(audit.body)).toContain(documentId);
    const again = await applyRetention(later);
    expect(JSON.stringify(again)).toBeDefined();
    const after = await admin.get("/api/audit?type=vault.document_deleted");
    expect(JSON.stringify(after.body).split(documentId).length).toBe(
      JSON.stringify(audit.body).split(documentId).length,
    );
  });
});

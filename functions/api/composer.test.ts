import { beforeAll, describe, expect, it } from "vitest";
import { addUser, type Browser, loggedIn, newCompany, type TestCompany } from "./testing";

let company: TestCompany;
let admin: Browser;
let user: Browser;
beforeAll(async () => {
  company = await newCompany();
  admin = await loggedIn(company, company.admin.email);
  user = await loggedIn(company, (await addUser(company, "user", [company.agencies[0]])).email);
});

const template = (scope: string, extra: object = {}) => ({
  name: `Mission ${scope}`,
  kind: "yesno",
  smsBody: "Bonjour %Prénom, mission à %lieu% demain. Dispo ? Répondez OUI ou NON",
  emailSubject: "Mission à %lieu%",
  emailHtml: "<p>Bonjour %Prénom,</p><p>Mission à <strong>%lieu%</strong>.</p>",
  scope,
  ...extra,
});

describe("templates", () => {
  it("lets each role save only the scopes it may", async () => {
    expect((await user.post("/api/templates", template("personal"))).status).toBe(201);
    expect((await user.post("/api/templates", template("company"))).status).toBe(403);
    expect(
      (await user.post("/api/templates", template("agency", { agencyId: company.agencies[0] }))).status,
    ).toBe(403);
    expect((await admin.post("/api/templates", template("company"))).status).toBe(201);
  });

  it("detects custom variables and strips scripts from the email HTML", async () => {
    const created = await admin.post("/api/templates", {
      ...template("company"),
      emailHtml:
        '<p onclick="steal()">Salut</p><script>alert(1)</script><a href="javascript:alert(1)">x</a><img src=x onerror=alert(1)>',
    });
    const saved = created.body.template as { variables: string[]; emailHtml: string; emailText: string };
    expect(saved.variables).toEqual(["lieu"]);
    expect(saved.emailHtml).not.toMatch(/script|onclick|javascript:|onerror|<img/i);
    expect(saved.emailText).toBe("Salut\nx");
  });

  it("keeps personal templates private and filters favourites", async () => {
    const mine = await user.post("/api/templates", template("personal", { name: "Privé" }));
    const id = (mine.body.template as { templateId: string }).templateId;
    expect((await admin.get(`/api/templates/${id}`)).status).toBe(404);
    await user.request("PUT", `/api/templates/${id}/favourite`, { favourite: true });
    const favourites = await user.get("/api/templates?filter=favourites");
    expect((favourites.body.items as Array<{ templateId: string }>).map((item) => item.templateId)).toEqual([
      id,
    ]);
  });
});

describe("preview and campaign", () => {
  const draft = (entries: string[], values: Record<string, string> = {}) => ({
    kind: "yesno",
    smsBody: "Bonjour %Prénom, mission à %lieu% demain. Dispo ?",
    emailSubject: "Mission",
    emailHtml: "<p>Mission à %lieu%</p>",
    recipients: { entries },
    values,
  });

  it("resolves pasted numbers, names known contacts and reports invalid entries", async () => {
    await admin.post("/api/contacts", {
      firstName: "Léa",
      lastName: "Petit",
      mobile: "0612345001",
      agencyIds: [company.agencies[0]],
    });
    const read = await admin.post("/api/campaigns/recipients", {
      text: "06 12 34 50 01\t0612345002\n123;pas@valide;x@example.fr",
    });
    expect(read.body.accepted).toEqual([
      expect.objectContaining({
        value: "+33612345001",
        contact: expect.objectContaining({ name: "Léa Petit" }),
      }),
      expect.objectContaining({ value: "+33612345002" }),
      expect.objectContaining({ value: "x@example.fr" }),
    ]);
    expect((read.body.rejected as Array<{ entry: string }>).map((entry) => entry.entry)).toEqual([
      "123",
      "pas@valide",
    ]);
  });

  it("counts units per recipient and prices them", async () => {
    const preview = await admin.post(
      "/api/campaigns/preview",
      draft(["0612345001", "0612345003"], { lieu: "Lyon" }),
    );
    expect(preview.status).toBe(200);
    const [first] = preview.body.recipients as Array<{
      text: string;
      sms: { encoding: string; segments: number; units: number };
    }>;
    expect(first?.text).toBe("Bonjour Léa, mission à Lyon demain. Dispo ?");
    expect(first?.sms).toMatchObject({ encoding: "GSM-7", segments: 1, units: 1 });
    expect(preview.body.totals).toMatchObject({ recipients: 2, sms: 2, smsUnits: 2, costMillicents: 9000 });
  });

  it("reports a global some recipients lack, and fills it with the fallback word given", async () => {
    const unknown = `0778${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
    const bare = await admin.post("/api/campaigns/preview", draft([unknown], { lieu: "Lyon" }));
    expect((bare.body.variables as { emptyGlobals: unknown }).emptyGlobals).toEqual([
      { name: "Prénom", recipients: 1 },
    ]);
    const filled = await admin.post(
      "/api/campaigns/preview",
      draft([unknown], { lieu: "Lyon", "%Prénom": "Madame, Monsieur" }),
    );
    expect((filled.body.variables as { emptyGlobals: unknown }).emptyGlobals).toEqual([]);
    expect((filled.body.recipients as Array<{ text: string }>)[0]?.text).toBe(
      "Bonjour Madame, Monsieur, mission à Lyon demain. Dispo ?",
    );
  });

  it("adds one unit per SMS for attachments and reports UCS-2", async () => {
    const preview = await admin.post("/api/campaigns/preview", {
      ...draft(["0612345003"], { lieu: "Saint-Étienne" }),
      smsBody: "Êtes-vous dispo à %lieu% ?",
      attachments: 2,
    });
    const [row] = preview.body.recipients as Array<{
      sms: { encoding: string; units: number; unicodeCharacters: string[] };
    }>;
    expect(row?.sms).toMatchObject({ encoding: "UCS-2", units: 2, unicodeCharacters: ["Ê"] });
  });

  it("refuses to send while a custom variable is empty, naming it", async () => {
    const refused = await admin.post("/api/campaigns", {
      ...draft(["0612345003"]),
      title: "Mission",
      agencyId: company.agencies[0],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error?.code).toBe("template.variables_missing");
    expect((refused.body.error as unknown as { message: string }).message).toContain("%lieu%");
  });

  it("schedules a campaign for tomorrow with its rendered messages", async () => {
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    const created = await admin.post("/api/campaigns", {
      ...draft(["0612345003", "x@example.fr"], { lieu: "Lyon" }),
      title: "Mission Lyon",
      agencyId: company.agencies[0],
      sendAt: tomorrow,
    });
    expect(created.status).toBe(201);
    const campaign = created.body.campaign as {
      campaignId: string;
      status: string;
      counts: { sms: number; email: number };
    };
    expect(campaign).toMatchObject({ status: "scheduled", counts: { sms: 1, email: 1 } });
    const messages = await admin.get(`/api/campaigns/${campaign.campaignId}/messages`);
    expect((messages.body.items as Array<{ status: string }>).map((message) => message.status)).toEqual([
      "scheduled",
      "scheduled",
    ]);
    const schedules = (await (
      await fetch(`${process.env.AWS_ENDPOINT_URL_SCHEDULER}/_emulator/schedules`)
    ).json()) as unknown;
    expect(JSON.stringify(schedules)).toContain(`campaign-${campaign.campaignId}`);
  });
});

import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildExtension } from "../../scripts/build-extension";
import { apiSession, consoleUrl, demo, freshMobile, shot, skipNotice, unique } from "./browser";

skipNotice("web/e2e/extension.browser.test.ts");

/** The id the manifest's `key` gives the extension (core/config.ts EXTENSION_ORIGINS defaults to it). */
const extensionId = "amhgabnghelbaeemdgfomnpjjgoaiklh";

/** A small ATS page: three candidates in a table, each with a fresh mobile, and a landline. */
function atsPage(people: { name: string; mobile: string }[]) {
  const rows = people
    .map(
      (person) =>
        `<tr><td><a href="#">${person.name}</a></td><td>${person.mobile.replace(/^\+33(\d)(\d{2})(\d{2})(\d{2})(\d{2})$/, "0$1 $2 $3 $4 $5")}</td><td>Nouveau</td></tr>`,
    )
    .join("");
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>ATS — Candidats</title>
<style>button { all: unset; } * { font-size: 40px !important; }</style></head><body>
<h1>Candidats</h1><table><thead><tr><th>Nom</th><th>Téléphone</th><th>Statut</th></tr></thead>
<tbody>${rows}</tbody></table><p>Standard : 04 72 00 00 00</p></body></html>`;
}

describe.skipIf(!consoleUrl)("browser extension in Chromium (needs LOCAL_URL)", () => {
  let context: BrowserContext;
  let profile: string;
  let ats: Server;
  let atsUrl: string;
  const people = [
    { name: "Marie Dupont", mobile: freshMobile() },
    { name: "Jean Martin", mobile: freshMobile() },
    { name: "Sophie Bernard", mobile: freshMobile() },
  ];

  beforeAll(async () => {
    const { unpacked } = await buildExtension(consoleUrl);
    ats = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(atsPage(people));
    });
    await new Promise<void>((resolve) => ats.listen(0, "127.0.0.1", resolve));
    atsUrl = `http://127.0.0.1:${(ats.address() as AddressInfo).port}/candidats`;
    profile = await mkdtemp(join(tmpdir(), "relais-extension-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        `--disable-extensions-except=${unpacked}`,
        `--load-extension=${unpacked}`,
      ],
    });
  });

  afterAll(async () => {
    await context?.close();
    await new Promise((resolve) => ats?.close(resolve));
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it("finds three candidates on an ATS page, signs in, sends, and the campaign exists", async () => {
    // One of the three is already a contact: the panel recognises her.
    const asAdmin = await apiSession(demo);
    const { items: agencies } = await asAdmin<{ items: { agencyId: string }[] }>("GET", "/api/agencies");
    await asAdmin("POST", "/api/contacts", {
      firstName: "Marie",
      lastName: "Dupont-Connue",
      mobile: people[0]!.mobile,
      agencyIds: [agencies[0]!.agencyId],
    });
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
    expect(worker.url()).toBe(`chrome-extension://${extensionId}/background.js`);

    const page = await context.newPage();
    await page.goto(atsUrl);
    // The page's CSS (every button unset, 40px text) cannot reach the button in its shadow root.
    const button = page.getByTestId("relais-button");
    await expect.poll(() => button.isVisible()).toBe(true);
    expect(await button.evaluate((element) => getComputedStyle(element).position)).toBe("fixed");

    // The button asks the service worker to open the side panel for this tab. Headless Chromium shows no
    // side panel, so the panel's page opens in a tab of its own, told which tab to scan, as the worker
    // would have told the side panel.
    await button.click();
    const panelTab = () =>
      worker.evaluate(async () => (await chrome.storage.session.get("relais.panelTab"))["relais.panelTab"]);
    await expect.poll(panelTab).toBeTypeOf("number");
    const atsTabId = await panelTab();
    const panel: Page = await context.newPage();
    await panel.goto(`chrome-extension://${extensionId}/panel.html?tab=${atsTabId}`);

    await panel.getByTestId("ext-companyCode").fill(demo.companyCode);
    await panel.getByTestId("ext-email").fill(demo.email);
    await panel.getByTestId("ext-password").fill(demo.password);
    await panel.getByTestId("ext-signin").click();

    const candidates = panel.getByTestId("ext-candidate");
    await expect.poll(() => candidates.count()).toBe(3);
    const listed = (await candidates.allTextContents()).join("\n");
    expect(listed).toContain("Marie Dupont-Connue");
    for (const person of people.slice(1)) expect(listed).toContain(person.name);
    expect(await panel.getByText("Contact connu").count()).toBe(1);
    // No token reaches page-visible storage: the ATS page sees nothing of the sign-in.
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }))).not.toContain(
      "rx",
    );

    const title = unique("Extension");
    await panel.getByTestId("ext-kind-yesno").check();
    await panel.getByTestId("ext-body").fill("Disponible demain à 8h ? Répondez OUI ou NON");
    await panel.getByTestId("ext-title").fill(title);
    const send = panel.getByTestId("ext-send");
    await expect.poll(() => panel.getByTestId("ext-preview").textContent()).toMatch(/3 destinataire/);
    await expect.poll(() => send.isEnabled()).toBe(true);
    await shot(panel, "extension-panel");
    await send.click();

    const link = panel.getByTestId("ext-campaign-link");
    await expect.poll(() => link.count()).toBe(1);
    const href = (await link.getAttribute("href")) ?? "";
    const campaignId = /\/campaigns\/([0-9A-Z]{26})$/.exec(href)?.[1];
    expect(campaignId).toBeDefined();
    expect(new URL(href).origin).toBe(new URL(consoleUrl ?? "").origin);

    const { campaign } = await asAdmin<{
      campaign: { title: string; kind: string; counts: { recipients: number } };
    }>("GET", `/api/campaigns/${campaignId}`);
    expect(campaign).toMatchObject({ title, kind: "yesno", counts: { recipients: 3 } });

    // With text selected on the page, « Analyser » reads the selection only.
    await page.getByText("Jean Martin").evaluate((cell) => {
      const range = document.createRange();
      range.selectNodeContents(cell.closest("tr") as Node);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
    });
    await panel.getByTestId("ext-rescan").click();
    await expect.poll(() => candidates.count()).toBe(1);
    expect(await candidates.textContent()).toContain("Jean Martin");
  });
});

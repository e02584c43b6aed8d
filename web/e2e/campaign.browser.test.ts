import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  consoleUrl,
  demo,
  freshMobile,
  launch,
  shot,
  skipNotice,
  submitLogin,
  unique,
  url,
  viewport,
} from "./browser";

skipNotice("web/e2e/campaign.browser.test.ts");

const sms = () => {
  const emulator = process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2;
  if (!emulator) throw new Error("AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2 is not set");
  return emulator;
};

/** Waits until the SMS emulator holds a message for `to`. */
async function smsReached(to: string) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const response = await fetch(new URL(`/_emulator/messages?to=${encodeURIComponent(to)}`, sms()));
    const { messages } = (await response.json()) as { messages: unknown[] };
    if (messages.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no SMS reached ${to}`);
}

/** Creates a yes/no campaign from the logged-in page, as the console would (CSRF header from the cookie). */
async function createCampaign(
  page: Page,
  entries: string[],
  title: string,
  extra: { kind?: "yesno" | "info"; sendAt?: string } = {},
): Promise<string> {
  return page.evaluate(
    async ({ entries, title, extra }) => {
      const csrf = decodeURIComponent(/(?:^|;\s*)relais_csrf=([^;]*)/.exec(document.cookie)?.[1] ?? "");
      const answer = await fetch("/api/auth/session", { cache: "no-store" });
      const session = await answer.json();
      const agencyId = session.user?.agencyIds?.[0];
      if (!agencyId) throw new Error(`session: ${answer.status} ${JSON.stringify(session)}`);
      const response = await fetch("/api/campaigns", {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": csrf },
        body: JSON.stringify({
          kind: "yesno",
          smsBody: "Dispo demain ? OUI ou NON",
          recipients: { entries },
          title,
          agencyId,
          // Urgent means now: a scheduled campaign is never urgent.
          urgent: !extra.sendAt,
          ...extra,
        }),
      });
      if (response.status !== 201) throw new Error(`create: ${response.status} ${await response.text()}`);
      return (await response.json()).campaign.campaignId as string;
    },
    { entries, title, extra },
  );
}

/** Posts to the API from the logged-in page (CSRF header from the cookie); returns the status. */
async function post(page: Page, path: string) {
  return page.evaluate(async (path) => {
    const csrf = decodeURIComponent(/(?:^|;\s*)relais_csrf=([^;]*)/.exec(document.cookie)?.[1] ?? "");
    return (await fetch(path, { method: "POST", headers: { "x-csrf-token": csrf } })).status;
  }, path);
}

async function reply(from: string, body: string) {
  const response = await fetch(new URL("/_emulator/reply", sms()), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ from, body }),
  });
  expect(response.ok).toBe(true);
}

describe.skipIf(!consoleUrl)("campaign follow-up in Chromium (needs LOCAL_URL)", () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launch();
    page = await browser.newPage({ viewport, locale: "fr-FR", timezoneId: "Europe/Paris" });
    await page.goto(url("/login?next=/campaigns"));
    await submitLogin(page, demo);
    await page.waitForURL((address) => address.pathname === "/campaigns");
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("shows the Oui / Non / Autre bubbles as replies arrive", async () => {
    const numbers = [freshMobile(), freshMobile(), freshMobile()];
    // the one who will say no is a known contact, so their conversation can be opened
    await page.evaluate(async (mobile) => {
      const csrf = decodeURIComponent(/(?:^|;\s*)relais_csrf=([^;]*)/.exec(document.cookie)?.[1] ?? "");
      const session = await (await fetch("/api/auth/session", { cache: "no-store" })).json();
      const response = await fetch("/api/contacts", {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": csrf },
        body: JSON.stringify({
          firstName: "Noé",
          lastName: "Perrin",
          mobile,
          agencyIds: [session.user.agencyIds[0]],
        }),
      });
      if (response.status !== 201) throw new Error(`contact: ${response.status} ${await response.text()}`);
    }, numbers[1]);
    const campaignId = await createCampaign(page, numbers, unique("Dispo demain"));
    for (const number of numbers) await smsReached(number);
    const replies = ["Oui ça marche", "Malheureusement non", "je rappelle"];
    for (const [index, number] of numbers.entries()) {
      const response = await fetch(new URL("/_emulator/reply", sms()), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ from: number, body: replies[index] }),
      });
      expect(response.ok).toBe(true);
    }

    await page.goto(url(`/campaigns/${campaignId}`));
    const count = (answer: string) => page.getByTestId(`bubble-${answer}-count`).textContent();
    await expect.poll(() => count("yes"), { timeout: 15_000 }).toBe("1");
    await expect.poll(() => count("no"), { timeout: 15_000 }).toBe("1");
    await expect.poll(() => count("other"), { timeout: 15_000 }).toBe("1");

    await expect
      .poll(() => page.locator('[data-testid="message-row"][data-answer="yes"]').count(), { timeout: 10_000 })
      .toBe(1);
    // each answer says which rule read it; a correction by hand says so instead
    const ruleOf = (reply: string) =>
      page.getByTestId("message-row").filter({ hasText: reply }).getByTestId("reply-rule").textContent();
    expect(await ruleOf("Oui ça marche")).toBe("Règle : un « oui » (oui, ok, d'accord…)");
    expect(await ruleOf("je rappelle")).toContain("pas encore décidé");
    await page
      .getByTestId("message-row")
      .filter({ hasText: "je rappelle" })
      .getByTestId("classify")
      .selectOption("yes");
    await expect.poll(() => ruleOf("je rappelle"), { timeout: 10_000 }).toBe("Reclassé à la main");

    await page.getByTestId("filter-no").click();
    await expect.poll(() => page.getByTestId("message-row").count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByTestId("messages-table").textContent()).toContain("non");
    expect(await page.getByTestId("reply-rule").textContent()).toContain("Règle : un refus");
    await shot(page, "campaign-follow-up");

    // the conversation with the one who said no: the question, the answer, and a reply typed back
    await page.getByTestId("message-row").getByRole("link").click();
    await page.waitForURL(/\/contacts\/[0-9A-Z]+\/conversation$/);
    await expect.poll(() => page.getByTestId("thread-in").count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByTestId("thread-in").textContent()).toContain("non");
    expect(await page.getByTestId("thread-in").getByTestId("reply-rule").getAttribute("data-rule")).toBe(
      "no.negation",
    );
    const before = await page.getByTestId("thread-out").count();
    await page.getByTestId("reply-text").fill("Dommage, une autre fois !");
    await page.getByTestId("reply-send").click();
    await expect.poll(() => page.getByTestId("thread-out").count(), { timeout: 10_000 }).toBe(before + 1);
    expect(await page.getByTestId("thread").textContent()).toContain("Dommage, une autre fois !");
    await shot(page, "conversation");
  }, 60_000);

  it("follows up those who did not answer, then finds both campaigns in Envois", async () => {
    const numbers = [freshMobile(), freshMobile()];
    const title = unique("Relance test");
    const campaignId = await createCampaign(page, numbers, title);
    for (const number of numbers) await smsReached(number);
    await fetch(new URL("/_emulator/reply", sms()), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ from: numbers[0], body: "oui" }),
    });
    await page.goto(url(`/campaigns/${campaignId}`));
    await expect
      .poll(() => page.getByTestId("bubble-yes-count").textContent(), { timeout: 15_000 })
      .toBe("1");
    await page.reload();
    await page.getByTestId("resend").click();
    const dialog = page.getByTestId("resend-dialog");
    expect(await dialog.textContent()).toContain("ceux qui n'ont pas répondu (1)");
    await shot(page, "campaign-resend");
    await dialog.getByTestId("resend-confirm").click();
    await page.waitForURL(
      (address) => address.pathname.startsWith("/campaigns/") && !address.pathname.endsWith(campaignId),
    );
    await expect
      .poll(() => page.getByTestId("count-recipients").textContent(), { timeout: 10_000 })
      .toBe("1");
    expect(await page.locator("h1").textContent()).toContain(`${title} (relance)`);

    await page.goto(url("/campaigns"));
    await page.getByTestId("campaigns-search").fill(title.toUpperCase());
    await expect.poll(() => page.getByTestId("campaign-row").count(), { timeout: 10_000 }).toBe(2);
    await page.getByTestId("campaigns-kind").selectOption("info");
    await expect.poll(() => page.getByTestId("campaign-row").count(), { timeout: 10_000 }).toBe(0);
    await page.getByTestId("campaigns-kind").selectOption("yesno");
    await expect.poll(() => page.getByTestId("campaign-row").count(), { timeout: 10_000 }).toBe(2);
    await page.getByTestId("campaigns-sender").selectOption({ label: "Camille Martin" });
    await expect.poll(() => page.getByTestId("campaign-row").count(), { timeout: 10_000 }).toBe(2);
    expect(await page.getByTestId("campaigns-export").getAttribute("href")).toContain("kind=yesno");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("campaigns-export").click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^envois-.*\.xlsx$/);
    await shot(page, "campaigns-filtered");
  }, 60_000);

  it("keeps a « non » beside a later STOP and counts it delivered, answered and opted out", async () => {
    const numbers = [freshMobile(), freshMobile()];
    const campaignId = await createCampaign(page, numbers, unique("Non puis STOP"));
    for (const number of numbers) await smsReached(number);
    await reply(numbers[0]!, "non");
    await page.goto(url(`/campaigns/${campaignId}`));
    const count = (testId: string) => page.getByTestId(testId).textContent();
    await expect.poll(() => count("bubble-no-count"), { timeout: 15_000 }).toBe("1");
    await reply(numbers[0]!, "STOP");
    await expect.poll(() => count("status-count-unsubscribed"), { timeout: 15_000 }).toBe("1");
    expect(await count("bubble-no-count")).toBe("1");
    await expect.poll(() => count("status-count-delivered"), { timeout: 15_000 }).toBe("2");
    expect(await count("status-count-replied")).toBe("1");
    const row = page.locator('[data-testid="message-row"][data-answer="no"]');
    await expect.poll(() => row.getAttribute("data-status"), { timeout: 10_000 }).toBe("unsubscribed");
    const text = (await row.textContent()) ?? "";
    expect(text).toContain("« non »");
    expect(text).not.toContain("DésabonnéSTOP");
    await shot(page, "campaign-stop-after-no");
  }, 60_000);

  it("shows a cancelled campaign's recipients Annulé with no departure, and no Oui/Non tools on an info", async () => {
    const later = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const cancelled = await createCampaign(page, [freshMobile(), freshMobile()], unique("Annulée"), {
      sendAt: later,
    });
    expect(await post(page, `/api/campaigns/${cancelled}/cancel`)).toBe(200);
    await page.goto(url(`/campaigns/${cancelled}`));
    await expect.poll(() => page.getByTestId("message-row").count(), { timeout: 10_000 }).toBe(2);
    expect(await page.locator('[data-testid="message-row"][data-status="cancelled"]').count()).toBe(2);
    expect(await page.getByTestId("messages-table").textContent()).toContain("Annulé");
    expect(await page.getByTestId("status-count-cancelled").textContent()).toBe("2");
    expect(await page.getByTestId("status-count-waiting").count()).toBe(0);
    expect(await page.getByTestId("campaign-send-at").count()).toBe(0);
    await shot(page, "campaign-cancelled");

    const info = await createCampaign(page, [freshMobile()], unique("Info"), { kind: "info", sendAt: later });
    await page.goto(url(`/campaigns/${info}`));
    await page.getByTestId("message-row").waitFor();
    expect(await page.getByTestId("filter-yes").count()).toBe(0);
    expect(await page.getByRole("columnheader", { name: "Reclasser" }).count()).toBe(0);
  }, 40_000);

  it("lists a failed send job under Échecs techniques and retries it", async () => {
    const session = await page.evaluate(async () => (await fetch("/api/auth/session")).json());
    const queueUrl = process.env.DISPATCH_QUEUE_URL!;
    const campaignId = `01JDEAD${Date.now()}`.padEnd(26, "0").slice(0, 26);
    const sqs = new SQSClient({ region: "eu-west-3", useQueueUrlAsEndpoint: false });
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: `${queueUrl}-dlq`,
        MessageBody: JSON.stringify({
          kind: "send",
          companyId: session.user.company.companyId,
          campaignId,
          messageIds: ["01JDEADLETTERMESSAGE000000"],
        }),
      }),
    );
    sqs.destroy();
    await page.goto(url("/admin/dead-letters"));
    const row = page.locator(`[data-testid="dead-letter-row"][data-subject="${campaignId}"]`);
    await expect
      .poll(
        async () => {
          await page.reload();
          // the page's code loads on first visit and its list right after: wait for both
          await page.getByTestId("dead-letters").waitFor();
          await page.waitForLoadState("networkidle");
          return row.count();
        },
        { timeout: 15_000 },
      )
      .toBe(1);
    await shot(page, "dead-letters");
    await row.getByTestId("dead-letter-retry").click();
    await page.getByText("Traitement relancé.").waitFor();
  }, 40_000);
});

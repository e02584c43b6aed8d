import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleUrl, demo, launch, skipNotice, submitLogin, url, viewport } from "./browser";

skipNotice("web/e2e/csp.browser.test.ts");

/** The console runs under the Content-Security-Policy it ships with (core/web-headers.ts). */
describe.skipIf(!consoleUrl)("security headers in Chromium (needs LOCAL_URL)", () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("serves the console with a CSP that nothing on the main pages violates, and refuses framing", async () => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const violations: string[] = [];
    await page.exposeFunction("reportViolation", (text: string) => violations.push(text));
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) => {
        (window as unknown as { reportViolation: (text: string) => void }).reportViolation(
          `${event.violatedDirective} ${event.blockedURI}`,
        );
      });
    });
    const first = await page.goto(url("/login"));
    const csp = first?.headers()["content-security-policy"] ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(first?.headers()["x-content-type-options"]).toBe("nosniff");

    await submitLogin(page, demo);
    await page.waitForURL((target) => !target.pathname.startsWith("/login"));
    for (const path of [
      "/contacts",
      "/compose/yesno",
      "/campaigns",
      "/templates/new",
      "/lists",
      "/admin/company",
      "/admin/dead-letters",
      "/health",
    ]) {
      await page.goto(url(path));
      await page.waitForLoadState("networkidle");
    }
    expect(violations).toEqual([]);
    await context.close();
  });
});

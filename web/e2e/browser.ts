import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";

/** Set by the vitest globalSetup once the local cloud, the API and the built console are up. */
export const consoleUrl = process.env.LOCAL_URL;
export const screenshots = resolve(dirname(fileURLToPath(import.meta.url)), "../../.local/screenshots");

export const demo = { companyCode: "DEMO", email: "admin@demo.fr", password: "Relais-demo-2026" };

export function skipNotice(file: string) {
  if (!consoleUrl) console.warn(`${file} skipped: LOCAL_URL is not set (start the local cloud first).`);
}

export function url(path: string): string {
  return new URL(path, consoleUrl).href;
}

/** Debian's Chromium; playwright-core never downloads a browser of its own. */
export async function launch(): Promise<Browser> {
  await mkdir(screenshots, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
  });
}

export const viewport = { width: 1366, height: 768 };

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: resolve(screenshots, `${name}.png`) });
}

/** Fills the login form and submits it; does not wait for what follows. */
export async function submitLogin(
  page: Page,
  login: { companyCode: string; email: string; password: string },
) {
  await page.getByTestId("login-companyCode").fill(login.companyCode);
  await page.getByTestId("login-email").fill(login.email);
  await page.getByTestId("login-password").fill(login.password);
  await page.getByTestId("login-submit").click();
}

/** A logged-in API client in Node, for arranging data (cookies and the CSRF header by hand). */
export async function apiSession(login: { companyCode: string; email: string; password: string }) {
  const response = await fetch(url("/api/auth/login"), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(login),
  });
  if (!response.ok) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  const cookies = response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0] ?? "")
    .filter(Boolean);
  const csrf = cookies.find((cookie) => cookie.startsWith("relais_csrf="))?.split("=")[1] ?? "";
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const answer = await fetch(url(path), {
      method,
      headers: {
        cookie: cookies.join("; "),
        "x-csrf-token": decodeURIComponent(csrf),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!answer.ok) throw new Error(`${method} ${path}: ${answer.status} ${await answer.text()}`);
    return (answer.status === 204 ? undefined : await answer.json()) as T;
  };
}

/** A French mobile nobody else in this run uses: +3361 and seven random digits. */
export function freshMobile(): string {
  return `+3361${String(Math.floor(Math.random() * 10_000_000)).padStart(7, "0")}`;
}

export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

type StoredEmail = { subject: string; destination: { to: string[] }; body: { text?: string; html?: string } };

/** The newest email the SES emulator holds for `to`, waiting for it to arrive. */
export async function lastEmailTo(to: string): Promise<StoredEmail> {
  const emulator = process.env.AWS_ENDPOINT_URL_SESV2;
  if (!emulator) throw new Error("AWS_ENDPOINT_URL_SESV2 is not set");
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const response = await fetch(new URL("/store", emulator));
    const { emails } = (await response.json()) as { emails: StoredEmail[] };
    const mine = emails.filter((email) => email.destination.to.some((address) => address.includes(to)));
    const last = mine.at(-1);
    if (last) return last;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no email reached ${to}`);
}

/** A user of the demo company made through the API, with the temporary password it returned. */
export async function createUser(input: { firstName: string; lastName: string; role?: string }) {
  const asAdmin = await apiSession(demo);
  const { items } = await asAdmin<{ items: { agencyId: string }[] }>("GET", "/api/agencies");
  const email = `${unique(
    input.firstName
      .toLowerCase()
      .normalize("NFD")
      .replace(/[^a-z]/g, ""),
  )}@example.fr`;
  const created = await asAdmin<{ temporaryPassword: string }>("POST", "/api/users", {
    email,
    firstName: input.firstName,
    lastName: input.lastName,
    role: input.role ?? "user",
    agencyIds: [items[0]?.agencyId],
  });
  return { email, temporaryPassword: created.temporaryPassword };
}

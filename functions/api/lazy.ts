import { base } from "./app";

/** What the dispatcher hands a request to: a Hono app (its `fetch`, its route table). */
export type App = Pick<ReturnType<typeof base>, "fetch" | "routes">;

/**
 * The API's routers by path prefix, each group imported on its first request and mounted on the same
 * `base()` (middleware, error and not-found handlers) at the same paths as in the full app (./index,
 * which stays the complete, typed app for the synth's route list, the OpenAPI document, the tests and
 * the web client's `AppType`). Prefixes that share paths share a group, in the full app's order.
 * Anything else (/api/openapi.json, /api/docs, an unknown path) goes to the full app.
 * lazy.test.ts checks that each group serves exactly the full app's routes under its prefixes.
 */
export const groups: ReadonlyArray<{ prefixes: readonly string[]; load: () => Promise<App> }> = [
  {
    prefixes: ["/api/health"],
    load: async () => base().route("/api/health", (await import("./health")).health),
  },
  { prefixes: ["/api/auth"], load: async () => base().route("/api/auth", (await import("./auth")).auth) },
  {
    prefixes: ["/api/public/invitations", "/api/invitations"],
    load: async () => {
      const { invitations, publicInvitations } = await import("./invitations");
      return base()
        .route("/api/public/invitations", publicInvitations)
        .route("/api/invitations", invitations);
    },
  },
  {
    prefixes: ["/api/public/files"],
    load: async () => base().route("/api/public/files", (await import("./files")).publicFiles),
  },
  {
    prefixes: ["/api/public/apply"],
    load: async () => base().route("/api/public/apply", (await import("./apply")).publicApply),
  },
  { prefixes: ["/api/users"], load: async () => base().route("/api/users", (await import("./users")).users) },
  {
    prefixes: ["/api/agencies"],
    load: async () => base().route("/api/agencies", (await import("./agencies")).agencies),
  },
  {
    prefixes: ["/api/company"],
    load: async () => base().route("/api/company", (await import("./company")).company),
  },
  { prefixes: ["/api/audit"], load: async () => base().route("/api/audit", (await import("./audit")).audit) },
  {
    prefixes: ["/api/api-keys"],
    load: async () => base().route("/api/api-keys", (await import("./api-keys")).apiKeys),
  },
  {
    prefixes: ["/api/webhooks"],
    load: async () => base().route("/api/webhooks", (await import("./webhooks")).webhooks),
  },
  {
    prefixes: ["/api/campaigns"],
    load: async () => base().route("/api/campaigns", (await import("./campaigns")).campaigns),
  },
  {
    prefixes: ["/api/templates"],
    load: async () => base().route("/api/templates", (await import("./templates")).templates),
  },
  {
    prefixes: ["/api/contacts"],
    load: async () => base().route("/api/contacts", (await import("./contacts")).contacts),
  },
  {
    prefixes: ["/api/conversations"],
    load: async () => base().route("/api/conversations", (await import("./conversations")).conversations),
  },
  {
    prefixes: ["/api/contact-imports"],
    load: async () =>
      base().route("/api/contact-imports", (await import("./contact-imports")).contactImports),
  },
  { prefixes: ["/api/lists"], load: async () => base().route("/api/lists", (await import("./lists")).lists) },
  {
    prefixes: ["/api/extension"],
    load: async () => base().route("/api/extension", (await import("./extension")).extension),
  },
  {
    prefixes: ["/api/dead-letters"],
    load: async () => base().route("/api/dead-letters", (await import("./dead-letters")).deadLetters),
  },
  {
    prefixes: ["/api/partners"],
    load: async () => base().route("/api/partners", (await import("./partners")).partners),
  },
  { prefixes: ["/api/vault"], load: async () => base().route("/api/vault", (await import("./vault")).vault) },
  { prefixes: ["/api/staff"], load: async () => base().route("/api/staff", (await import("./staff")).staff) },
  {
    prefixes: ["/api/info-campaigns"],
    load: async () => base().route("/api/info-campaigns", (await import("./info-campaigns")).infoCampaigns),
  },
  {
    prefixes: ["/api/signature"],
    load: async () => base().route("/api/signature", (await import("./signature")).signature),
  },
  {
    prefixes: ["/api/reminders"],
    load: async () => base().route("/api/reminders", (await import("./reminders")).reminders),
  },
  {
    prefixes: ["/api/recruitment"],
    load: async () => base().route("/api/recruitment", (await import("./recruitment")).recruitment),
  },
  { prefixes: ["/api/home"], load: async () => base().route("/api/home", (await import("./home")).home) },
  {
    prefixes: ["/api/reports"],
    load: async () => base().route("/api/reports", (await import("./reports")).reports),
  },
  { prefixes: ["/api/usage"], load: async () => base().route("/api/usage", (await import("./usage")).usage) },
  {
    // Operators' routes, in the full app's order (usage before the /api/operator router).
    prefixes: ["/api/operator/auth", "/api/operator/usage", "/api/operator"],
    load: async () => {
      const [{ operator, operatorAuth }, { operatorUsage }] = await Promise.all([
        import("./operator"),
        import("./operator-usage"),
      ]);
      return base()
        .route("/api/operator/auth", operatorAuth)
        .route("/api/operator/usage", operatorUsage)
        .route("/api/operator", operator);
    },
  },
  {
    prefixes: ["/api/espace/auth", "/api/espace", "/l"],
    load: async () => {
      const { signedLinks, space, spaceAuth } = await import("./space");
      return base().route("/api/espace/auth", spaceAuth).route("/api/espace", space).route("/l", signedLinks);
    },
  },
];

const full = async (): Promise<App> => (await import("./index")).app;

export const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

/** The group serving `path`, or undefined when the full app does. */
export const groupOf = (path: string) =>
  groups.find((group) => group.prefixes.some((prefix) => under(path, prefix)));

const loaded = new Map<object, Promise<App>>();

/** The app that answers `path`, imported on first use (a failed import is tried again next time). */
export function appFor(path: string): Promise<App> {
  const group = groupOf(path);
  const key = group ?? full;
  let app = loaded.get(key);
  if (!app) {
    app = group ? group.load() : full();
    app.catch(() => loaded.delete(key));
    loaded.set(key, app);
  }
  return app;
}

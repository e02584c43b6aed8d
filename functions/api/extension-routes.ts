/**
 * The routes the browser extension's tokens may call (session.ts refuses any other with 403
 * `extension.scope`), and the only routes that answer the extension's origin with CORS (cors.ts). The
 * token acts as its user, so every visibility rule of the console still applies on these. Keys are route
 * keys as `routeKeys()` prints them; extension.test.ts checks that each one exists.
 */
export const extensionRoutes: ReadonlySet<string> = new Set([
  "GET /api/agencies",
  "GET /api/templates",
  "GET /api/templates/{templateId}",
  "GET /api/contacts",
  "POST /api/campaigns/recipients",
  "POST /api/campaigns/preview",
  "POST /api/campaigns",
  "GET /api/campaigns/{campaignId}",
  "GET /api/extension/replies",
]);

/** The extension's own sign-in routes: public (the token is in the body), CORS for its origin too. */
export const extensionAuthPaths = [
  "/api/extension/auth/login",
  "/api/extension/auth/refresh",
  "/api/extension/auth/logout",
];

const patterns = [...extensionRoutes].map((key) => {
  const [method, path] = key.split(" ") as [string, string];
  const source = path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{\w+\}/g, "[^/]+");
  return { method, path: new RegExp(`^${source}/?$`) };
});

/** Whether METHOD path (before routing: a CORS preflight has no route) is one the extension may call. */
export function isExtensionRoute(method: string, path: string) {
  if (extensionAuthPaths.includes(path.replace(/\/$/, ""))) return method === "POST";
  return patterns.some((pattern) => pattern.method === method && pattern.path.test(path));
}

import { agencies } from "./agencies";
import { apiKeys } from "./api-keys";
import { base } from "./app";
import { publicApply } from "./apply";
import { audit } from "./audit";
import { auth } from "./auth";
import { campaigns } from "./campaigns";
import { company } from "./company";
import { contactImports } from "./contact-imports";
import { contacts } from "./contacts";
import { conversations } from "./conversations";
import { deadLetters } from "./dead-letters";
import { docs } from "./docs";
import { extension } from "./extension";
import { extensionRoutes } from "./extension-routes";
import { publicFiles } from "./files";
import { health } from "./health";
import { home } from "./home";
import { infoCampaigns } from "./info-campaigns";
import { invitations, publicInvitations } from "./invitations";
import { keyScopes } from "./key-scopes";
import { lists } from "./lists";
import { operator, operatorAuth } from "./operator";
import { operatorUsage } from "./operator-usage";
import { partners } from "./partners";
import { recruitment } from "./recruitment";
import { reminders } from "./reminders";
import { reports } from "./reports";
import { signature } from "./signature";
import { signedLinks, space, spaceAuth } from "./space";
import { staff } from "./staff";
import { templates } from "./templates";
import { usage } from "./usage";
import { users } from "./users";
import { vault } from "./vault";
import { webhooks } from "./webhooks";

export const app = base()
  .route("/api/health", health)
  .route("/api/auth", auth)
  .route("/api/public/invitations", publicInvitations)
  .route("/api/public/files", publicFiles)
  .route("/api/public/apply", publicApply)
  .route("/api/users", users)
  .route("/api/invitations", invitations)
  .route("/api/agencies", agencies)
  .route("/api/company", company)
  .route("/api/audit", audit)
  .route("/api/api-keys", apiKeys)
  .route("/api/webhooks", webhooks)
  .route("/api/campaigns", campaigns)
  .route("/api/templates", templates)
  .route("/api/contacts", contacts)
  .route("/api/conversations", conversations)
  .route("/api/contact-imports", contactImports)
  .route("/api/lists", lists)
  .route("/api/dead-letters", deadLetters)
  .route("/api/partners", partners)
  .route("/api/vault", vault)
  .route("/api/info-campaigns", infoCampaigns)
  .route("/api/signature", signature)
  .route("/api/staff", staff)
  .route("/api/reminders", reminders)
  .route("/api/recruitment", recruitment)
  .route("/api/home", home)
  .route("/api/extension", extension)
  .route("/api/reports", reports)
  .route("/api/usage", usage)
  .route("/api/operator/auth", operatorAuth)
  .route("/api/operator/usage", operatorUsage)
  .route("/api/operator", operator)
  .route("/api/espace/auth", spaceAuth)
  .route("/api/espace", space)
  .route("/l", signedLinks)
  .route("/api/docs", docs);

/** API keys (key-scopes.ts): a bearer scheme, and each route keys may call marked with it and its scope. */
app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
  type: "http",
  scheme: "bearer",
  description:
    "An API key `rk_live_…` created by an Admin (« Intégrations »), in `Authorization: Bearer <key>`. Only the routes marked with it accept it, within its scopes (read, send, dossiers); 60 calls a minute per key (429 with Retry-After).",
});
app.openAPIRegistry.registerComponent("securitySchemes", "session", {
  type: "apiKey",
  in: "cookie",
  name: "relais_session",
  description: "The console's session (login); mutations also need the x-csrf-token header.",
});
app.openAPIRegistry.registerComponent("securitySchemes", "extension", {
  type: "http",
  scheme: "bearer",
  description:
    "The browser extension's access token `rxa_…` (POST /api/extension/auth/login), acting as its user on the routes marked with it.",
});
for (const definition of app.openAPIRegistry.definitions) {
  if (definition.type !== "route") continue;
  const key = `${definition.route.method.toUpperCase()} ${definition.route.path}`;
  const scope = keyScopes[key];
  const security: Record<string, string[]>[] = [];
  if (scope) security.push({ apiKey: [scope] });
  if (extensionRoutes.has(key)) security.push({ extension: [] });
  if (security.length > 0) definition.route.security = [...security, { session: [] }];
}

app.doc31("/api/openapi.json", {
  openapi: "3.1.0",
  info: { title: "Relais API", version: "1.0.0", description: "SMS and email for staffing agencies" },
});

export type AppType = typeof app;

/** Every METHOD path the app answers, as API Gateway route keys (`GET /api/health`). */
export function routeKeys() {
  const keys = app.routes
    .filter((route) => route.method !== "ALL")
    .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, "{$1}").replace(/(.)\/$/, "$1")}`);
  return [...new Set(keys)].sort();
}

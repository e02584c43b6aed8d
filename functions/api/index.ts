import { agencies } from "./agencies";
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
import { publicFiles } from "./files";
import { health } from "./health";
import { home } from "./home";
import { invitations, publicInvitations } from "./invitations";
import { lists } from "./lists";
import { partners } from "./partners";
import { recruitment } from "./recruitment";
import { reminders } from "./reminders";
import { reports } from "./reports";
import { signedLinks, space, spaceAuth } from "./space";
import { templates } from "./templates";
import { users } from "./users";
import { vault } from "./vault";

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
  .route("/api/campaigns", campaigns)
  .route("/api/templates", templates)
  .route("/api/contacts", contacts)
  .route("/api/conversations", conversations)
  .route("/api/contact-imports", contactImports)
  .route("/api/lists", lists)
  .route("/api/dead-letters", deadLetters)
  .route("/api/partners", partners)
  .route("/api/vault", vault)
  .route("/api/reminders", reminders)
  .route("/api/recruitment", recruitment)
  .route("/api/home", home)
  .route("/api/reports", reports)
  .route("/api/espace/auth", spaceAuth)
  .route("/api/espace", space)
  .route("/l", signedLinks)
  .route("/api/docs", docs);

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

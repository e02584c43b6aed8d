import { base } from "./app";
import { health } from "./health";

export const app = base().route("/api/health", health);

app.doc31("/api/openapi.json", {
  openapi: "3.1.0",
  info: { title: "Relais API", version: "1.0.0", description: "SMS and email for staffing agencies" },
});

export type AppType = typeof app;

/** Every METHOD path the app answers, as API Gateway route keys (`GET /api/health`). */
export function routeKeys() {
  const keys = app.routes
    .filter((route) => route.method !== "ALL")
    .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, "{$1}")}`);
  return [...new Set(keys)].sort();
}

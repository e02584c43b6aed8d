import type { Context } from "hono";
import { matchedRoutes, routePath } from "hono/route";
import type { ApiKeyScope } from "../../core/actor";

/**
 * The routes an API key may call, and the scope each needs: the one place that opens a route to keys
 * (session.ts refuses a key on any other route with 403 `apikey.scope`; openapi.json marks these with
 * the bearer scheme). Keys are route keys as `routeKeys()` prints them; key-scopes.test.ts checks that
 * each one exists.
 */
export const keyScopes: Record<string, ApiKeyScope> = {
  "GET /api/contacts": "read",
  "GET /api/contacts/{contactId}": "read",
  "GET /api/campaigns": "read",
  "GET /api/campaigns/{campaignId}": "read",
  "GET /api/campaigns/{campaignId}/counts": "read",
  "GET /api/campaigns/{campaignId}/messages": "read",
  "GET /api/campaigns/{campaignId}/recipients": "read",
  "GET /api/campaigns/{campaignId}/report": "read",
  "GET /api/templates": "read",
  "GET /api/templates/{templateId}": "read",
  "POST /api/campaigns": "send",
  "POST /api/campaigns/preview": "send",
  "GET /api/recruitment/campaigns": "dossiers",
  "GET /api/recruitment/campaigns/{campaignId}": "dossiers",
  "GET /api/recruitment/campaigns/{campaignId}/dossiers": "dossiers",
  "GET /api/recruitment/campaigns/{campaignId}/dossiers/{dossierId}": "dossiers",
  "POST /api/recruitment/campaigns/{campaignId}/dossiers/status/preview": "dossiers",
  "POST /api/recruitment/campaigns/{campaignId}/dossiers/status": "dossiers",
};

/**
 * `GET /api/contacts/{contactId}` for the route that will answer this request: the first endpoint matched
 * (middleware is method ALL). Not the last one: mounted in another app (the local server's static files
 * after the API), later catch-alls match too.
 */
export function routeKeyOf(c: Context) {
  const endpoint = matchedRoutes(c).find((route) => route.method !== "ALL");
  const path = (endpoint?.path ?? routePath(c, -1)).replace(/:(\w+)/g, "{$1}").replace(/(.)\/$/, "$1");
  return `${c.req.method} ${path}`;
}

export const scopeOf = (c: Context): ApiKeyScope | undefined => keyScopes[routeKeyOf(c)];

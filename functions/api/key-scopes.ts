import type { Context } from "hono";
import { routePath } from "hono/route";
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
  // TODO(lead, at merge): the recruitment dossier routes (branch `recruit`) → "dossiers", e.g.
  // "GET /api/dossiers": "dossiers", "GET /api/dossiers/{dossierId}": "dossiers",
  // "PATCH /api/dossiers/{dossierId}/status": "dossiers", and the campaign d'appel reads.
};

/** `GET /api/contacts/{contactId}` for the route that will answer this request (the last one matched). */
export function routeKeyOf(c: Context) {
  const path = routePath(c, -1)
    .replace(/:(\w+)/g, "{$1}")
    .replace(/(.)\/$/, "$1");
  return `${c.req.method} ${path}`;
}

export const scopeOf = (c: Context): ApiKeyScope | undefined => keyScopes[routeKeyOf(c)];

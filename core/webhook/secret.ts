import { randomBytes } from "node:crypto";
import { isConditionalFailure } from "../db";
import { open, seal } from "../signature/envelope";
import { WebhookEndpointEntity } from "./webhook.entity";

/**
 * An endpoint's signing secret: shown once to the Admin at creation, then stored only sealed
 * (core/signature/envelope.ts, its own key, the company as associated data).
 */
export function generate() {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

export const sealFor = (companyId: string, secret: string) =>
  seal(Buffer.from(secret, "utf8"), companyId, "webhook");

type Stored = { companyId: string; endpointId: string; sealedSecret?: string; secret?: string };

/**
 * The secret deliveries are signed with. An endpoint created before sealing holds it in clear: it is
 * sealed and the clear one removed in one conditional update (a concurrent run that did it first, or a
 * deleted endpoint, leaves nothing to do).
 */
export async function signingSecret(endpoint: Stored): Promise<string> {
  if (endpoint.sealedSecret)
    return open(endpoint.sealedSecret, endpoint.companyId, "webhook").toString("utf8");
  if (!endpoint.secret) throw new Error(`Webhook endpoint ${endpoint.endpointId} has no secret`);
  await sealClear(endpoint);
  return endpoint.secret;
}

/** Seals a clear secret in place; true when this call did it. */
export async function sealClear(endpoint: Stored) {
  const clear = endpoint.secret;
  if (!clear) return false;
  try {
    await WebhookEndpointEntity.patch({ companyId: endpoint.companyId, endpointId: endpoint.endpointId })
      .set({ sealedSecret: sealFor(endpoint.companyId, clear) })
      .remove(["secret"])
      .where(
        ({ secret, sealedSecret }, { eq, notExists }) =>
          `${eq(secret, clear)} AND ${notExists(sealedSecret)}`,
      )
      .go({ response: "none" });
    return true;
  } catch (error) {
    if (isConditionalFailure(error)) return false;
    throw error;
  }
}

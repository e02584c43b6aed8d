import { createHash } from "node:crypto";
import * as z from "zod";
import { usePartner } from "../actor";
import { config } from "../config";
import { VisibleError } from "../error";
import { fn } from "../fn";
import { useEmployee } from "./employee";
import { PushSubscriptionEntity } from "./employee.entity";

/**
 * Web Push to employees who installed the space and allowed notifications: the subscription their
 * browser gives is stored per partner; a publication is pushed with `web-push` (VAPID, aes128gcm).
 */

/** The push services of the browsers we support; anything else would make the server call any URL. */
const pushHosts = [
  /^fcm\.googleapis\.com$/,
  /^updates\.push\.services\.mozilla\.com$/,
  /(^|\.)push\.apple\.com$/,
  /(^|\.)notify\.windows\.com$/,
];

function allowedEndpoint(endpoint: string) {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  // The local cloud and the tests use a push service of their own on http://127.0.0.1.
  if (config("STAGE") === "local") return url.protocol === "https:" || url.protocol === "http:";
  return url.protocol === "https:" && pushHosts.some((host) => host.test(url.hostname));
}

export const Subscription = z.object({
  endpoint: z.string().max(2000),
  keys: z.object({ p256dh: z.string().max(200), auth: z.string().max(100) }),
});

const hashOf = (endpoint: string) => createHash("sha256").update(endpoint).digest("base64url");

export function publicKey() {
  return { publicKey: config("VAPID_PUBLIC_KEY") ?? null };
}

/** « Recevoir les notifications »: stores this browser's subscription for the signed-in employee. */
export const subscribe = fn(Subscription, async (input) => {
  await useEmployee();
  if (!allowedEndpoint(input.endpoint))
    throw new VisibleError("push.endpoint_invalid", "This browser's push service is not supported", 400);
  const { companyId, partnerId } = usePartner();
  await PushSubscriptionEntity.put({
    companyId,
    partnerId,
    endpointHash: hashOf(input.endpoint),
    endpoint: input.endpoint,
    p256dh: input.keys.p256dh,
    auth: input.keys.auth,
  }).go();
  return { subscribed: true };
});

export const unsubscribe = fn(z.object({ endpoint: z.string().max(2000) }), async ({ endpoint }) => {
  const { companyId, partnerId } = usePartner();
  await PushSubscriptionEntity.delete({ companyId, partnerId, endpointHash: hashOf(endpoint) }).go();
  return { subscribed: false };
});

/**
 * Pushes `payload` to every browser of a partner; true when at least one accepted it. Subscriptions the
 * push service says are gone (404, 410) are deleted; other failures count as not delivered.
 */
export async function push(
  companyId: string,
  partnerId: string,
  payload: unknown,
  /** Web Push `Topic`: a message sent again replaces one the push service still holds. */
  options: { topic?: string } = {},
) {
  const publicKey = config("VAPID_PUBLIC_KEY");
  const privateKey = config("VAPID_PRIVATE_KEY");
  if (!publicKey || !privateKey) return false;
  const found = await PushSubscriptionEntity.query.byPartner({ companyId, partnerId }).go();
  if (found.data.length === 0) return false;
  const { default: webpush } = await import("web-push");
  let delivered = false;
  for (const subscription of found.data) {
    const key = { companyId, partnerId, endpointHash: subscription.endpointHash };
    let request: ReturnType<typeof webpush.generateRequestDetails>;
    try {
      // web-push encrypts (aes128gcm) and signs (VAPID); fetch sends, so the local push service can be http.
      request = webpush.generateRequestDetails(
        { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
        JSON.stringify(payload),
        {
          vapidDetails: { subject: config("VAPID_SUBJECT"), publicKey, privateKey },
          TTL: 86_400,
          ...(options.topic ? { topic: options.topic.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 32) } : {}),
        },
      );
    } catch {
      // Keys a browser could not have given: this subscription can never work.
      await PushSubscriptionEntity.delete(key).go();
      continue;
    }
    let status = 0;
    try {
      const answer = await fetch(request.endpoint, {
        method: request.method,
        headers: request.headers as Record<string, string>,
        body: request.body ? new Uint8Array(request.body) : undefined,
        redirect: "error",
        signal: AbortSignal.timeout(10_000),
      });
      status = answer.status;
    } catch {
      continue;
    }
    if (status === 404 || status === 410) await PushSubscriptionEntity.delete(key).go();
    else if (status >= 200 && status < 300) delivered = true;
  }
  return delivered;
}

import * as z from "zod";

/**
 * The one place that reads process.env. Stacks set these on each function (only the ones it needs),
 * scripts/local sets them for the local cloud. AWS endpoints are not here: the SDK reads
 * AWS_ENDPOINT_URL_<SERVICE> itself.
 */
const Env = z.object({
  STAGE: z.string().default("local"),
  AWS_REGION: z.string().default("eu-west-3"),
  TABLE_NAME: z.string().min(1),
  DISPATCH_QUEUE_URL: z.url(),
  DISPATCH_QUEUE_ARN: z.string().min(1),
  IMPORT_QUEUE_URL: z.url(),
  /** Job queues' ARNs: where the Scheduler drops a job of their kinds (core/queues.ts). */
  IMPORT_QUEUE_ARN: z.string().min(1),
  /** Webhook attempts (core/webhook/delivery.ts), apart from dispatch so slow receivers never delay SMS. */
  WEBHOOK_QUEUE_URL: z.url(),
  WEBHOOK_QUEUE_ARN: z.string().min(1),
  /** Closed companies' erasure (core/operator/erasure.ts), on a queue whose consumer alone may Scan. */
  ERASURE_QUEUE_URL: z.url(),
  ERASURE_QUEUE_ARN: z.string().min(1),
  /** The provider-event queues, where a dead event is put back when an Admin retries it. */
  SMS_EVENTS_QUEUE_URL: z.url(),
  SMS_INBOUND_QUEUE_URL: z.url(),
  EMAIL_EVENTS_QUEUE_URL: z.url(),
  EMAIL_INBOUND_QUEUE_URL: z.url(),
  SMS_EVENTS_TOPIC_ARN: z.string().min(1),
  SMS_INBOUND_TOPIC_ARN: z.string().min(1),
  /** Domain events (core/event.ts): the publisher puts them here, each subscriber's queue filters them. */
  EVENTS_TOPIC_ARN: z.string().min(1),
  ATTACHMENTS_BUCKET: z.string().min(1),
  VAULT_BUCKET: z.string().min(1),
  SES_CONFIGURATION_SET: z.string().min(1),
  MAIL_FROM: z.email(),
  SMS_CONFIGURATION_SET: z.string().min(1),
  SCHEDULE_GROUP: z.string().min(1),
  SCHEDULER_ROLE_ARN: z.string().min(1),
  /** Where the console is served; used in links sent by SMS and email. */
  PUBLIC_URL: z.url().default("http://localhost:3000"),
  /**
   * Set on AWS: the value CloudFront adds to every request it forwards to the API (header
   * `x-relais-origin`). Requests without it reached API Gateway's own URL directly and are refused, so
   * `CloudFront-Viewer-Address` (the client IP of rate limits and the audit log) cannot be forged.
   */
  ORIGIN_SECRET: z.string().min(32).optional(),
  /**
   * The secret companies' signature certificates and webhook secrets are encrypted with
   * (core/signature/envelope.ts derives one AES key a purpose from it). A Secrets Manager secret on
   * AWS; generated once in `.local` by `npm start`.
   */
  SIGNATURE_SECRET: z.string().min(32),
  /**
   * Web Push (VAPID) for the employees' space: the public key goes to browsers, the private one signs
   * each push. Local: a development pair (scripts/local/provision.ts); AWS: SST secrets. Unset: no push,
   * employees are told by SMS or email.
   */
  VAPID_PUBLIC_KEY: z
    .string()
    .optional()
    .transform((key) => key || undefined),
  VAPID_PRIVATE_KEY: z
    .string()
    .optional()
    .transform((key) => key || undefined),
  VAPID_SUBJECT: z.string().default("mailto:support@relais.app"),
  /** Sessions end after this long without a request (30 min), and in any case after SESSION_MAX_SECONDS. */
  SESSION_IDLE_SECONDS: z.coerce.number().int().min(60).default(1800),
  SESSION_MAX_SECONDS: z.coerce
    .number()
    .int()
    .min(300)
    .default(12 * 3600),
  /**
   * Origins of the browser extension (web/extension) the API answers with CORS, comma-separated
   * (`chrome-extension://<id>`). The id is fixed by the manifest's `key`: the default is that id.
   */
  EXTENSION_ORIGINS: z
    .string()
    .default("chrome-extension://amhgabnghelbaeemdgfomnpjjgoaiklh")
    .transform((origins) =>
      origins
        .split(",")
        .map((origin) => origin.trim())
        .filter(Boolean),
    ),
  /**
   * Hosts (names or IPs, comma-separated) that webhooks may reach over http:// or on a private address:
   * a receiver on this machine for `npm start` and the tests. Never set on AWS, and no request can set it.
   */
  WEBHOOK_ALLOW_HOSTS: z
    .string()
    .default("")
    .transform((hosts) =>
      hosts
        .split(",")
        .map((host) => host.trim().toLowerCase())
        .filter(Boolean),
    ),
});
export type Env = z.infer<typeof Env>;
type Key = keyof Env;

const cache = new Map<Key, unknown>();

/** Reads one setting, failing with the variable's name when a function was deployed without it. */
export function config<K extends Key>(key: K): Env[K] {
  if (cache.has(key)) return cache.get(key) as Env[K];
  const parsed = Env.shape[key].safeParse(process.env[key]);
  if (!parsed.success) {
    throw new Error(`Setting ${key} is missing or invalid: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  }
  cache.set(key, parsed.data);
  return parsed.data as Env[K];
}

/** Tests and the local runner change the environment at start-up; forget what was read before. */
export function resetConfig() {
  cache.clear();
}

export const settingNames = Object.keys(Env.shape) as Key[];

import * as z from "zod";
import { useCompanyId, useRole, useUser } from "../actor";
import { Audit } from "../audit";
import { config } from "../config";
import { isConditionalFailure } from "../db";
import { VisibleError } from "../error";
import { fn } from "../fn";
import * as Queue from "../platform/queue";
import { type QueueName, queueName, queueOf, queues } from "../queues";
import { DeadLetterEntity } from "./dead-letter.entity";

/** Dead letters that name no company: the operators' (CloudWatch alarm), never shown to a company. */
export const platform = "platform";

type Source = "dispatch" | "import" | "event";

/**
 * The queue a dead message came from: its DLQ's name without `-dlq` (stacks/queue.ts), e.g.
 * `dev-relais-dispatch` for `arn:aws:sqs:…:dev-relais-dispatch-dlq`.
 */
export function sourceQueueOf(deadLetterQueueArn: string | undefined) {
  const name = deadLetterQueueArn?.split(":").pop() ?? "";
  return name.endsWith("-dlq") ? name.slice(0, -"-dlq".length) : undefined;
}

type Json = Record<string, unknown>;
const parse = (text: unknown): Json => {
  try {
    const value: unknown = JSON.parse(String(text));
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {};
  } catch {
    return {};
  }
};
const text = (value: unknown) => (typeof value === "string" && value ? value : undefined);

/** What a job or event is about, for the list: its first `…Id` field besides its company and job. */
function subjectOf(fields: Json) {
  for (const [key, value] of Object.entries(fields))
    if (/^[a-z]+Id$/.test(key) && !["companyId", "jobId"].includes(key) && text(value)) return text(value);
  return undefined;
}

/**
 * Who a dead SQS body belongs to and what it was, from its shape alone (no list of kinds): a job or a
 * domain event names its company at its top level (`{ kind, companyId, … }`), an event inside its SNS
 * envelope (`{ id, name, companyId, occurredAt, payload }`); provider events carry ours in the SMS
 * `context` or the SES `mail.tags`. Inbound messages name no company: the platform's.
 */
export function describe(body: string): {
  companyId: string;
  source: Source;
  kind: string;
  subjectId?: string;
} {
  const parsed = parse(body);
  if (Object.keys(parsed).length === 0) return { companyId: platform, source: "event", kind: "unreadable" };
  if (text(parsed.kind))
    return {
      companyId: text(parsed.companyId) ?? platform,
      source: "dispatch",
      kind: String(parsed.kind),
      subjectId: subjectOf(parsed),
    };
  // A domain event (core/event.ts) delivered raw to its subscriber's queue.
  if (text(parsed.name) && text(parsed.companyId) && "payload" in parsed)
    return {
      companyId: String(parsed.companyId),
      source: "event",
      kind: String(parsed.name),
      subjectId: subjectOf((parsed.payload ?? {}) as Json) ?? text(parsed.id),
    };
  const message = parse(parsed.Message ?? "{}");
  if (text(message.companyId)) {
    const attributes = (parsed.MessageAttributes ?? {}) as Record<string, { Value?: unknown }>;
    return {
      companyId: String(message.companyId),
      source: "event",
      kind: text(message.name) ?? text(attributes.name?.Value) ?? "event",
      subjectId: subjectOf((message.payload ?? {}) as Json),
    };
  }
  const context = (message.context ?? {}) as Json;
  const tags = ((message.mail as { tags?: Record<string, string[]> } | undefined)?.tags ?? {}) as Record<
    string,
    string[]
  >;
  const kind = String(
    message.eventType ?? message.notificationType ?? (message.inboundMessageId ? "inbound-sms" : "event"),
  );
  return {
    companyId: text(context.companyId) ?? text(tags.companyId?.[0]) ?? platform,
    source: "event",
    kind,
    subjectId: text(context.campaignId) ?? text(tags.campaignId?.[0]),
  };
}

/** The dead-letters consumer: records each DLQ message once (conditional create on its SQS id). */
export async function record(input: {
  messageId: string;
  body: string;
  attempts: number;
  firstSentAt?: string;
  /** The DLQ's ARN (the SQS record's eventSourceARN). */
  deadLetterQueueArn?: string;
}) {
  const described = describe(input.body);
  const queue = sourceQueueOf(input.deadLetterQueueArn);
  // The import queue's dead letters read « Import » in the console, whatever their kind.
  if (described.source !== "event" && queueOf(queue) === "import") described.source = "import";
  try {
    await DeadLetterEntity.create({
      ...described,
      subjectId: described.subjectId || undefined,
      queue,
      deadLetterId: input.messageId,
      body: input.body.slice(0, 100_000),
      attempts: input.attempts,
      firstSentAt: input.firstSentAt,
      arrivedAt: new Date().toISOString(),
      expiresAt: Math.floor(Date.now() / 1000) + 30 * 86_400,
    }).go({ response: "none" });
  } catch (error) {
    if (!isConditionalFailure(error)) throw error;
  }
  return described;
}

export const Info = z.object({
  deadLetterId: z.string(),
  source: z.enum(["dispatch", "import", "event"]),
  kind: z.string(),
  subjectId: z.string().optional(),
  attempts: z.number(),
  arrivedAt: z.string(),
  status: z.enum(["open", "retried", "dismissed"]),
  retryable: z.boolean(),
});

/** « Échecs techniques » (Admin): the company's dead letters, newest first. */
export const list = fn(z.object({ cursor: z.string().max(2000).optional() }), async (input) => {
  useRole("admin");
  const page = await DeadLetterEntity.query
    .byCompany({ companyId: useCompanyId() })
    .go({ order: "desc", cursor: input.cursor ?? null, limit: 50 });
  return {
    items: page.data.map((row) => ({
      deadLetterId: row.deadLetterId,
      source: row.source,
      kind: row.kind,
      subjectId: row.subjectId,
      attempts: row.attempts,
      arrivedAt: row.arrivedAt,
      status: row.status,
      retryable: row.status === "open" && retryQueue(row) !== undefined,
    })),
    cursor: page.cursor ?? undefined,
  };
});

async function settle(deadLetterId: string, status: "retried" | "dismissed") {
  useRole("admin");
  const key = { companyId: useCompanyId(), deadLetterId };
  try {
    const { data } = await DeadLetterEntity.patch(key)
      .set({ status, handledBy: useUser().userId, handledAt: new Date().toISOString() })
      .where((attr, { eq }) => eq(attr.status, "open"))
      .go({ response: "all_new" });
    return data as { body: string; source: Source; kind: string; subjectId?: string; queue?: string };
  } catch (error) {
    if (!isConditionalFailure(error)) throw error;
    const { data } = await DeadLetterEntity.get(key).go();
    if (!data) throw new VisibleError("dead_letter.not_found", "Not found", 404);
    throw new VisibleError("dead_letter.settled", "Already retried or dismissed", 409);
  }
}

/**
 * Where a dead letter goes back: the queue it died on, by name. Older dead letters named the queue
 * without its stage (`dispatch`), or only their source.
 */
function retryQueue(row: { source: Source; queue?: string }): string | undefined {
  const queue = row.queue ?? (row.source === "event" ? undefined : row.source);
  if (!queue) return undefined;
  return queue in queues ? queueName(config("STAGE"), queue as QueueName) : queue;
}

/**
 * « Relancer »: the message goes back on the queue it died on, as it was, to the same consumer. Safe
 * because every consumer is idempotent: a send job sends under its lease only what is still to send, an
 * import resumes from its checkpoint, a status event only ever moves a message forward, a reply is
 * recorded once by its inbound id.
 */
export const retry = fn(z.string(), async (deadLetterId) => {
  const { data } = await DeadLetterEntity.get({ companyId: useCompanyId(), deadLetterId }).go();
  if (!data) throw new VisibleError("dead_letter.not_found", "Not found", 404);
  const queue = retryQueue(data);
  if (!queue)
    throw new VisibleError("dead_letter.not_retryable", "Where this message came from is not known", 400);
  const url = await Queue.urlOf(queue);
  const settled = await settle(deadLetterId, "retried");
  await Queue.send(url, JSON.parse(settled.body));
  await Audit.record("dead_letter.retried", {
    target: {
      type: "dead_letter",
      id: deadLetterId,
      label: `${settled.kind} ${settled.subjectId ?? ""}`.trim(),
    },
    details: { queue },
  });
});

export const dismiss = fn(z.string(), async (deadLetterId) => {
  const settled = await settle(deadLetterId, "dismissed");
  await Audit.record("dead_letter.dismissed", {
    target: {
      type: "dead_letter",
      id: deadLetterId,
      label: `${settled.kind} ${settled.subjectId ?? ""}`.trim(),
    },
  });
});

import { z } from "zod";
import { useCompanyId, useRole, useUser } from "../actor";
import { Audit } from "../audit";
import { config } from "../config";
import { isConditionalFailure } from "../db";
import { VisibleError } from "../error";
import * as Event from "../event";
import { fn } from "../fn";
import * as Queue from "../platform/queue";
import { subscribers } from "../subscribers";
import { DeadLetterEntity } from "./dead-letter.entity";

/** Dead letters that name no company: the operators' (CloudWatch alarm), never shown to a company. */
export const platform = "platform";

type Source = "dispatch" | "import" | "event";

/** Every work queue, and the setting naming where its messages go back when retried. */
const queues = {
  dispatch: "DISPATCH_QUEUE_URL",
  import: "IMPORT_QUEUE_URL",
  "sms-events": "SMS_EVENTS_QUEUE_URL",
  "sms-inbound": "SMS_INBOUND_QUEUE_URL",
  "email-events": "EMAIL_EVENTS_QUEUE_URL",
  "email-inbound": "EMAIL_INBOUND_QUEUE_URL",
} as const;
/** Subscribers' queues (`events-<subscriber>`) go back through EVENT_QUEUE_URLS. */
const eventQueues = subscribers.map((subscriber) => Event.queueName(subscriber));
type QueueName = keyof typeof queues | (typeof eventQueues)[number];

/**
 * The queue a dead message came from, read off its DLQ's ARN: each DLQ is named `<queue>-dlq`, prefixed
 * with `<stage>-relais-` on AWS (stacks/queue.ts).
 */
export function queueOf(deadLetterQueueArn: string | undefined): QueueName | undefined {
  const name = deadLetterQueueArn?.split(":").pop() ?? "";
  return [...(Object.keys(queues) as QueueName[]), ...eventQueues].find(
    (queue) => name === `${queue}-dlq` || name.endsWith(`-${queue}-dlq`),
  );
}

function queueUrl(queue: QueueName) {
  if (queue in queues) return config(queues[queue as keyof typeof queues]);
  const subscriber = subscribers.find((candidate) => Event.queueName(candidate) === queue);
  const url = subscriber && config("EVENT_QUEUE_URLS")[subscriber.name];
  if (!url) throw new Error(`No URL for queue ${queue}`);
  return url;
}

/** Who a dead SQS body belongs to and what it was: jobs carry their company, events their tags. */
export function describe(body: string): {
  companyId: string;
  source: Source;
  kind: string;
  subjectId?: string;
} {
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return { companyId: platform, source: "event", kind: "unreadable" };
  }
  const companyOf = (value: unknown) => (typeof value === "string" && value ? value : platform);
  // A domain event (core/event.ts), delivered raw to its subscriber's queue: the company is on top.
  const event = Event.Envelope.safeParse(parsed);
  if (event.success)
    return {
      companyId: companyOf(event.data.companyId),
      source: "event",
      kind: event.data.name,
      subjectId: String((event.data.payload as { campaignId?: unknown } | null)?.campaignId ?? event.data.id),
    };
  if (parsed.kind === "send" || parsed.kind === "campaign.launch")
    return {
      companyId: companyOf(parsed.companyId),
      source: "dispatch",
      kind: String(parsed.kind),
      subjectId: String(parsed.campaignId ?? ""),
    };
  if (parsed.kind === "contacts")
    return {
      companyId: companyOf(parsed.companyId),
      source: "import",
      kind: "import",
      subjectId: String(parsed.importId ?? ""),
    };
  // SNS envelope: SMS events carry our context, SES events our tags; inbound messages name no company.
  let message: Record<string, unknown> = {};
  try {
    message = JSON.parse(String(parsed.Message ?? "{}")) as Record<string, unknown>;
  } catch {}
  const context = (message.context ?? {}) as Record<string, unknown>;
  const tags = ((message.mail as { tags?: Record<string, string[]> } | undefined)?.tags ?? {}) as Record<
    string,
    string[]
  >;
  const companyId = companyOf(context.companyId ?? tags.companyId?.[0]);
  const kind = String(
    message.eventType ?? message.notificationType ?? (message.inboundMessageId ? "inbound-sms" : "event"),
  );
  return {
    companyId,
    source: "event",
    kind,
    subjectId: String(context.campaignId ?? tags.campaignId?.[0] ?? ""),
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
  try {
    await DeadLetterEntity.create({
      ...described,
      subjectId: described.subjectId || undefined,
      queue: queueOf(input.deadLetterQueueArn),
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

/** Where a dead letter goes back: the queue it died on; older ones without it, their job's queue. */
function retryQueue(row: { source: Source; queue?: string }): QueueName | undefined {
  if (row.queue && (row.queue in queues || (eventQueues as string[]).includes(row.queue)))
    return row.queue as QueueName;
  if (row.source === "dispatch" || row.source === "import") return row.source;
  return undefined;
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
  const settled = await settle(deadLetterId, "retried");
  await Queue.send(queueUrl(queue), JSON.parse(settled.body));
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

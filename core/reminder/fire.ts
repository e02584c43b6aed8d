import { subDays } from "date-fns";
import { ulid } from "ulid";
import * as z from "zod";
import { AgencyEntity } from "../agency/agency.entity";
import { CampaignEntity, MessageEntity } from "../campaign/campaign.entity";
import { launchWritten } from "../campaign/unattended";
import { ContactEntity } from "../contact/contact.entity";
import { isConditionalFailure, type TransactItem, TransactionCanceled, transactWrite, write } from "../db";
import { quietReason } from "../delivery/quiet-hours";
import { settingsOf } from "../delivery/settings";
import * as Job from "../job";
import { count as smsCount } from "../message/sms-segments";
import * as Scheduler from "../platform/scheduler";
import { fill } from "./catalogue";
import { cancelling, dueShards, today } from "./reminder";
import { CustomerEntity, ReminderEntity, ScenarioEntity, VehicleEntity } from "./reminder.entity";
import { reminderTickCron, reminderTickJob, reminderTickName } from "./schedule";

/**
 * Firing, designed for a million pending reminders: one EventBridge Scheduler schedule (hourly) rather
 * than one per reminder. The tick reads the pending reminders of the last days from the sparse `byDue`
 * index (day × shard partitions), and sends one `reminders.fire` job per company whose hours allow
 * sending now. A fire run takes its company's due reminders 25 at a time: one transaction marks them
 * sent and writes their messages (message id = reminder id), on condition that they are still pending
 * and that the run's campaign is not open yet. Then it opens one campaign per agency around those
 * messages and hands it to the delivery engine. A redelivered or crashed run resumes under the same run
 * id; a duplicated run takes only what is left; nothing is sent twice or lost.
 */

/** A tick looks this far back, so a day of outage, a long weekend or a holiday loses nothing. */
export const lookBackDays = 14;
const chunk = 25;
/** Stop taking reminders with this little of the invocation left: a continuation carries on. */
const marginMs = 30_000;

export const TickJob = z.object({
  kind: z.literal("reminders.tick"),
  companyId: z.string(),
  /** The occurrence's scheduled time (Scheduler context attribute); absent or unreplaced: now. */
  at: z.string().optional(),
});
export const Tick = Job.define({
  kind: "reminders.tick",
  queue: "dispatch",
  schema: TickJob,
  run: (job) => tick(timeOf(job.at)),
});

const timeOf = (at: string | undefined) => {
  const time = at ? Date.parse(at) : Number.NaN;
  return Number.isNaN(time) ? new Date() : new Date(time);
};

export const FireJob = z.object({
  kind: z.literal("reminders.fire"),
  companyId: z.string(),
  runId: z.string().min(1).max(40),
  days: z
    .array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/))
    .min(1)
    .max(lookBackDays + 1),
  at: z.string().optional(),
});
export type FireJob = z.infer<typeof FireJob>;
export const Fire = Job.define({
  kind: "reminders.fire",
  queue: "import",
  schema: FireJob,
  run: (job, context) => fire(job, { timeLeft: context.timeLeft }),
});

/** The days a tick looks at, oldest first. */
export function window(now: Date) {
  const last = today(now);
  const days: string[] = [];
  for (let back = lookBackDays; back >= 0; back--)
    days.push(today(subDays(new Date(`${last}T12:00:00Z`), back)));
  return days;
}

/** Which companies have reminders due now and may send: one fire job each. */
export async function tick(now = new Date()) {
  const days = window(now);
  const due = new Map<string, Set<string>>();
  await Promise.all(
    days.flatMap((dueDay) =>
      Array.from({ length: dueShards }, async (_, shard) => {
        const found = await ReminderEntity.query
          .byDue({ dueDay, dueShard: String(shard) })
          .go({ pages: "all", attributes: ["companyId"] });
        for (const { companyId } of found.data)
          due.set(companyId, (due.get(companyId) ?? new Set()).add(dueDay));
      }),
    ),
  );
  const jobs: Array<{ id: string; job: FireJob }> = [];
  for (const [companyId, companyDays] of due) {
    const { quietHours } = await settingsOf(companyId);
    if (quietReason(now, quietHours)) continue;
    jobs.push({
      id: String(jobs.length),
      job: {
        kind: "reminders.fire",
        companyId,
        runId: ulid(now.getTime()),
        days: [...companyDays].sort(),
        at: now.toISOString(),
      },
    });
  }
  for (let start = 0; start < jobs.length; start += 10) await Job.enqueueBatch(jobs.slice(start, start + 10));
  return { companies: jobs.length, skipped: due.size - jobs.length };
}

type Reminder = NonNullable<Awaited<ReturnType<ReturnType<typeof ReminderEntity.get>["go"]>>["data"]>;

/** The campaign a run opens for an agency: after the run id (a ULID), so it sorts by time among campaigns. */
export const campaignIdOf = (runId: string, agencyId: string) => `${runId}-rem-${agencyId}`;

export async function fire(job: FireJob, options: { timeLeft?: () => number } = {}) {
  const { companyId, runId } = job;
  const inTime = () => !options.timeLeft || options.timeLeft() > marginMs;
  const reminders: Reminder[] = [];
  await Promise.all(
    job.days.flatMap((dueDay) =>
      Array.from({ length: dueShards }, async (_, shard) => {
        const found = await ReminderEntity.query
          .byDue({ dueDay, dueShard: String(shard), companyId })
          .go({ pages: "all" });
        reminders.push(...found.data);
      }),
    ),
  );
  const context = await contextOf(companyId);
  const byAgency = new Map<string, Reminder[]>();
  for (const reminder of reminders.sort((a, b) => a.reminderId.localeCompare(b.reminderId)))
    byAgency.set(reminder.agencyId, [...(byAgency.get(reminder.agencyId) ?? []), reminder]);
  let taken = 0;
  let cancelled = 0;
  for (const [agencyId, group] of byAgency) {
    const campaignId = campaignIdOf(runId, agencyId);
    for (let start = 0; start < group.length; start += chunk) {
      if (!inTime()) {
        // Past the invocation's time: the same run goes on in a new message (its campaigns are not open yet).
        await Job.enqueue(job);
        return { outcome: "continued" as const, taken, cancelled };
      }
      const outcome = await take(group.slice(start, start + chunk), campaignId, context);
      if (outcome === "closed") break;
      taken += outcome.taken;
      cancelled += outcome.cancelled;
    }
  }
  // Every agency's campaign of this run, also those a crashed attempt wrote and this one found nothing for.
  let messages = 0;
  for (const agency of context.agencies.values()) {
    messages += await launchWritten({
      companyId,
      campaignId: campaignIdOf(runId, agency.agencyId),
      title: `Relances clients du ${formatDay(today(timeOf(job.at)))}`,
      agencyId: agency.agencyId,
      createdBy: "system",
      createdByName: "Relances automatiques",
      at: job.at,
    });
  }
  return { outcome: "fired" as const, taken, cancelled, messages };
}

const formatDay = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;

type Context = Awaited<ReturnType<typeof contextOf>>;

async function contextOf(companyId: string) {
  const [scenarios, agencies] = await Promise.all([
    ScenarioEntity.query.byCompany({ companyId }).go({ pages: "all" }),
    AgencyEntity.query.byCompany({ companyId }).go({ pages: "all" }),
  ]);
  return {
    companyId,
    scenarios: new Map(scenarios.data.map((scenario) => [scenario.scenarioId, scenario])),
    agencies: new Map(agencies.data.map((agency) => [agency.agencyId, agency])),
  };
}

const civilityText: Record<string, string> = {
  M: "M.",
  Mme: "Mme",
  "M et Mme": "M. et Mme",
  Mlle: "Mlle",
  Societe: "",
};

/**
 * Takes up to 25 due reminders into the run's campaign in one transaction. A reminder changed meanwhile
 * (cancelled, moved, taken by a duplicate run) makes the transaction fail: then each goes alone. The
 * campaign already open means a duplicate of this run finished: nothing more goes into it.
 */
async function take(group: Reminder[], campaignId: string, context: Context) {
  const { companyId } = context;
  const keys = group.map(({ contactId, vehicleId }) => ({ companyId, contactId, vehicleId }));
  const [contacts, customers, vehicles] = await Promise.all([
    ContactEntity.get(unique(keys.map(({ contactId }) => ({ companyId, contactId })))).go(),
    CustomerEntity.get(unique(keys.map(({ contactId }) => ({ companyId, contactId })))).go(),
    VehicleEntity.get([...new Map(keys.map((key) => [key.vehicleId, key])).values()]).go(),
  ]);
  const contactOf = new Map(contacts.data.map((row) => [row.contactId, row]));
  const customerOf = new Map(customers.data.map((row) => [row.contactId, row]));
  const vehicleOf = new Map(vehicles.data.map((row) => [row.vehicleId, row]));
  const jobId = group[0]!.reminderId;
  const now = new Date().toISOString();
  const writesOf = (reminder: Reminder): TransactItem[] => {
    const key = { companyId, reminderId: reminder.reminderId };
    const contact = contactOf.get(reminder.contactId);
    const pending = ({ status }: { status: unknown }, { eq }: { eq: (a: unknown, b: unknown) => string }) =>
      eq(status, "pending");
    const why =
      !contact || contact.erasedAt || !contact.mobile
        ? "no_mobile"
        : contact.optOutSmsAt
          ? "opted_out"
          : undefined;
    if (why) return [write.update(cancelling(key, why, { at: now }).params())];
    const vehicle = vehicleOf.get(reminder.vehicleId);
    const customer = customerOf.get(reminder.contactId);
    const agency = context.agencies.get(reminder.agencyId);
    const civility = civilityText[customer?.civility ?? contact!.civility ?? ""] ?? "";
    const template = reminder.text ?? context.scenarios.get(reminder.scenarioId)?.template ?? "";
    const body = fill(template, {
      civilite: civility,
      nom: civility
        ? (contact!.lastName ?? "")
        : [contact!.firstName, contact!.lastName].filter(Boolean).join(" "),
      immatriculation: vehicle?.plate ?? reminder.plate,
      modele: [vehicle?.make, vehicle?.model].filter(Boolean).join(" ") || "véhicule",
      garage: agency?.name ?? "",
      telephone: agency?.phone ?? "",
    })
      // An empty variable leaves no stray space or comma (« RDV : Garage, . » → « RDV : Garage. »).
      .replace(/[ \t]{2,}/g, " ")
      .replace(/ ([,.])/g, "$1")
      .replace(/,+([.!?]|$)/g, "$1")
      .trim();
    return [
      write.update(
        ReminderEntity.patch(key)
          .set({ status: "sent", sentAt: now, campaignId, messageId: reminder.reminderId })
          .remove(["dueDay", "dueShard"])
          .where(pending)
          .params(),
      ),
      write.put(
        MessageEntity.create({
          companyId,
          campaignId,
          messageId: reminder.reminderId,
          jobId,
          contactId: reminder.contactId,
          name: reminder.name,
          channel: "sms",
          status: "scheduled",
          to: contact!.mobile!,
          body,
          units: smsCount(body).segments,
        }).params(),
      ),
    ];
  };
  const notOpen = campaignNotOpen(companyId, campaignId);
  // Built once per reminder: one write means cancelled (no mobile, opted out), two mean taken.
  const planned = group.map(writesOf);
  const tally = (done: TransactItem[][]) => {
    const cancelled = done.filter((writes) => writes.length === 1).length;
    return { taken: done.length - cancelled, cancelled };
  };
  try {
    await transactWrite([...planned.flat(), notOpen]);
    return tally(planned);
  } catch (error) {
    if (campaignWasOpen(error)) return "closed" as const;
  }
  const done: TransactItem[][] = [];
  for (const writes of planned) {
    try {
      await transactWrite([...writes, notOpen]);
      done.push(writes);
    } catch (error) {
      if (campaignWasOpen(error)) return "closed" as const;
    }
  }
  return tally(done);
}

/**
 * A refused take: true when the run's campaign was already open (its ConditionCheck, the last item, was
 * refused); false when only a reminder had changed; anything else is thrown.
 */
function campaignWasOpen(error: unknown) {
  if (!isConditionalFailure(error)) throw error;
  const reasons = error instanceof TransactionCanceled ? error.reasons : [];
  return reasons.at(-1)?.code === "ConditionalCheckFailed";
}

/** A condition on the run's campaign item: not created yet. */
function campaignNotOpen(companyId: string, campaignId: string): TransactItem {
  const { Key, TableName } = CampaignEntity.get({ companyId, campaignId }).params() as {
    Key: Record<string, unknown>;
    TableName: string;
  };
  return {
    ConditionCheck: {
      TableName,
      Key,
      ConditionExpression: "attribute_not_exists(#pk)",
      ExpressionAttributeNames: { "#pk": "pk" },
    },
  } as TransactItem;
}

const unique = <T extends { contactId: string }>(keys: T[]) => [
  ...new Map(keys.map((key) => [key.contactId, key])).values(),
];

/** The local cloud's copy of the AWS schedule (the Scheduler stack declares the same one). */
export async function scheduleTick() {
  await Scheduler.cron(reminderTickName, reminderTickCron, reminderTickJob);
}

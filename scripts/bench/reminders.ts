import { SQSClient } from "@aws-sdk/client-sqs";
import { fromZonedTime } from "date-fns-tz";
import { ulid } from "ulid";
import { withActor } from "../../core/actor";
import { Agency } from "../../core/agency";
import { CampaignEntity } from "../../core/campaign/campaign.entity";
import { Company } from "../../core/company";
import { CompanyEntity } from "../../core/company/company.entity";
import { ContactEntity, ContactKeyEntity } from "../../core/contact/contact.entity";
import { dynamo, scheduler, smsVoice } from "../../core/platform/clients";
import { Reminder } from "../../core/reminder";
import { tick } from "../../core/reminder/fire";
import { shardOf, today } from "../../core/reminder/reminder";
import { ReminderEntity, VehicleEntity } from "../../core/reminder/reminder.entity";
import { freePort } from "../local/ports";
import { REGION } from "../local/resources";
import { startLocal } from "../local/runtime";
import { countCalls, measure, pool, report } from "./harness";

/**
 * After-sales reminders at volume. Creation: BENCH_REMINDERS (100,000) reminders through the verb the API
 * runs (`Reminder.schedule`, ten per customer call), against the raw BatchWriteItem rate of as many
 * same-sized items in the same run. Firing: one day's worth (BENCH_DUE, 10,000: one per customer) through
 * the hourly tick → fire job → campaign → SMS sent, against the raw rate of the same writes.
 */
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const perCustomer = 10;

async function setUp(customers: number) {
  const companyId = await Company.create({ code: `R${ulid().slice(-10)}`, name: "Bench Garage" });
  await CompanyEntity.patch({ companyId })
    .set({
      quietStart: "00:00",
      quietEnd: "00:00",
      quietSundays: false,
      quietHolidays: false,
      smsPerSecond: 0,
      // Far above a day's reminders: the bench measures the pipeline, not the monthly cap.
      smsMonthlyCapMillicents: 1_000_000 * 100_000,
    })
    .go();
  const agency = await withActor({ type: "system", companyId, reason: "bench" }, () =>
    Agency.createFirst("Garage Bench"),
  );
  const rows = Array.from({ length: customers }, (_, index) => {
    const mobile = `+3362${String(index).padStart(7, "0")}`;
    return {
      contact: {
        companyId,
        contactId: ulid(),
        lastName: `Client${index}`,
        mobile,
        smsCapable: true,
        type: "client" as const,
        agencyIds: [agency.agencyId],
        searchText: `client${index}`,
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
      },
      vehicleId: ulid(),
      mobile,
    };
  });
  for (let start = 0; start < rows.length; start += 25) {
    const chunk = rows.slice(start, start + 25);
    await ContactEntity.put(chunk.map((row) => row.contact)).go();
    await ContactKeyEntity.put(
      chunk.map((row) => ({ companyId, key: `m:${row.mobile}`, contactId: row.contact.contactId })),
    ).go();
    await VehicleEntity.put(
      chunk.map((row, index) => ({
        companyId,
        contactId: row.contact.contactId,
        vehicleId: row.vehicleId,
        plate: `AB-${String(100 + ((start + index) % 899))}-CD`,
        model: "308",
      })),
    ).go();
  }
  const actor = {
    type: "user" as const,
    companyId,
    userId: "bench",
    role: "admin" as const,
    agencyIds: [agency.agencyId],
    name: "Bench",
  };
  return { companyId, agencyId: agency.agencyId, actor, rows };
}

export async function remindersBench(
  total = Number(process.env.BENCH_REMINDERS ?? 100_000),
  due = Number(process.env.BENCH_DUE ?? 10_000),
) {
  const customers = Math.max(due, Math.ceil(total / perCustomer));
  const local = await startLocal({
    port: await freePort(),
    serve: false,
    cloud: "process",
    pollers: {
      sqs: new SQSClient({ region: REGION, useQueueUrlAsEndpoint: false }),
      concurrency: { "sms-events": 0, "sms-inbound": 0 },
    },
  });
  try {
    const { companyId, agencyId, actor, rows } = await setUp(customers);
    const tomorrow = nextDay(today());
    // Creation through the verb: ten scenarios per customer call, the first one due tomorrow for `due` customers.
    const calls = countCalls({ dynamodb: dynamo(), scheduler: scheduler(), sms: smsVoice() });
    const scenarioIds = (await withActor(actor, () => Reminder.scenarios()))
      .filter((scenario) => scenario.scenarioId !== "texte_libre")
      .map((scenario) => scenario.scenarioId);
    const callers = rows.slice(0, Math.ceil(total / perCustomer)).map((row, index) => ({ ...row, index }));
    const created = await measure(() =>
      pool(callers, concurrency, async (row) => {
        const { index } = row;
        await withActor(actor, () =>
          Reminder.schedule({
            contactId: row.contact.contactId,
            vehicleId: row.vehicleId,
            agencyId,
            items: Array.from({ length: perCustomer }, (_, item) => ({
              scenarioId: scenarioIds[item % scenarioIds.length]!,
              ...(item === 0 && index < due ? { date: tomorrow } : { inMonths: 2 + item }),
            })),
          }),
        );
      }),
    );
    const createdCount = callers.length * perCustomer;
    const creationCalls = new Map(calls);
    calls.clear();

    // Raw: the same number of same-sized items, BatchWriteItem, same concurrency.
    const sample = (
      await ReminderEntity.query.byContact({ companyId, contactId: callers[0]!.contact.contactId }).go()
    ).data[0]!;
    const rawItems = Array.from({ length: createdCount }, () => {
      const reminderId = ulid();
      return {
        ...sample,
        companyId: `raw-${companyId}`,
        reminderId,
        dueDay: "2099-01-01",
        dueShard: shardOf(reminderId),
      };
    });
    const batches: Array<typeof rawItems> = [];
    for (let start = 0; start < rawItems.length; start += 25) batches.push(rawItems.slice(start, start + 25));
    const raw = await measure(() =>
      pool(batches, concurrency, async (batch) => {
        await ReminderEntity.put(batch).go();
      }),
    );
    calls.clear();

    // Firing: the tick at tomorrow 10:00 Paris, then the fire job and the delivery engine on the local queues.
    const fired = await measure(async () => {
      const started = performance.now();
      await tick(fromZonedTime(`${tomorrow}T10:00:00`, "Europe/Paris"));
      let campaignId: string | undefined;
      for (;;) {
        const { data } = await ReminderEntity.query
          .byContact({ companyId, contactId: rows[due - 1]!.contact.contactId })
          .go();
        campaignId = data.find((row) => row.dueOn === tomorrow && row.status === "sent")?.campaignId;
        if (campaignId) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const taken = performance.now();
      for (;;) {
        const { data } = await CampaignEntity.get({ companyId, campaignId }).go();
        if (data?.status === "sent") break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      return { started, taken, sent: performance.now() };
    });
    const firing = fired.result;
    const sum = (map: Map<string, number>, prefix: string) =>
      [...map].filter(([key]) => key.startsWith(prefix)).reduce((total, [, n]) => total + n, 0);
    const writes = (map: Map<string, number>) =>
      sum(map, "dynamodb.BatchWriteItem") +
      sum(map, "dynamodb.PutItem") +
      sum(map, "dynamodb.UpdateItem") +
      sum(map, "dynamodb.TransactWriteItems");

    report(
      `reminders — ${createdCount.toLocaleString("fr-FR")} created, ${due.toLocaleString("fr-FR")} due and fired, ${concurrency} in flight`,
      [
        ["created reminders/s (Reminder.schedule, 10 per call)", createdCount / created.seconds],
        ["raw BatchWriteItem items/s (same items, same concurrency)", createdCount / raw.seconds],
        ["creation / raw", createdCount / created.seconds / (createdCount / raw.seconds)],
        ["Scheduler calls per reminder created", sum(creationCalls, "scheduler.") / createdCount],
        ["DynamoDB write requests per reminder created", writes(creationCalls) / createdCount],
        [
          "DynamoDB requests per reminder created (reads too)",
          sum(creationCalls, "dynamodb.") / createdCount,
        ],
        [
          "fired reminders/s (tick → taken into the campaign)",
          due / ((firing.taken - firing.started) / 1000),
        ],
        [
          "taken / raw (two items a reminder, its update and its message, at the raw item rate)",
          due / ((firing.taken - firing.started) / 1000) / (createdCount / raw.seconds / 2),
        ],
        [
          "fired reminders/s end to end (tick → every SMS sent)",
          due / ((firing.sent - firing.started) / 1000),
        ],
        ["DynamoDB write requests per fired reminder (take, send, statuses)", writes(calls) / due],
        ["Scheduler calls per fired reminder", sum(calls, "scheduler.") / due],
        ["provider calls per fired reminder (SendTextMessage)", sum(calls, "sms.SendTextMessage") / due],
        ["peak RSS MiB (creation)", created.peakMiB],
        ["peak RSS MiB (firing, with pollers and handlers)", fired.peakMiB],
      ],
    );
    for (const [operation, n] of [...calls].sort()) console.log(`    firing ${operation}: ${n}`);
  } finally {
    await local.stop();
  }
}

const nextDay = (day: string) => {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
};

import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { InitializeMiddleware, MetadataBearer } from "@smithy/types";
import { monotonicFactory } from "ulid";
import { withActor } from "../../core/actor";
import { Agency } from "../../core/agency";
import { Company } from "../../core/company";
import { config } from "../../core/config";
import { Contact } from "../../core/contact";
import { contactItem, contactShards, shardOf, tokenItem } from "../../core/contact/contact.entity";
import { searchText, tokensOf } from "../../core/contact/fields";
import { BatchWriter } from "../../core/db";
import { documents, dynamo } from "../../core/platform/clients";
import { freePort } from "../local/ports";
import { startLocal } from "../local/runtime";
import { measure, report } from "./harness";

/**
 * The contacts list and search in a large company (BENCH_CONTACT_SIZES, default 50,000 and 500,000): the
 * first page and a rare-name search, each against a raw `Query Limit 50` on one of the company's list
 * partitions in the same run, with the read units each request consumed. Contacts are written as the
 * import worker writes them (contact item and search words), with common French names so that the
 * search's word partitions are as crowded as a real company's; one contact has a rare name.
 */
const sizes = (process.env.BENCH_CONTACT_SIZES ?? "50000,500000").split(",").map(Number);
const repeats = Number(process.env.BENCH_REPEATS ?? 25);
const ulid = monotonicFactory();

const firstNames = [
  "Camille",
  "Léa",
  "Lucas",
  "Hugo",
  "Emma",
  "Jade",
  "Louis",
  "Chloé",
  "Nathan",
  "Inès",
  "Jules",
  "Manon",
  "Gabriel",
  "Sarah",
  "Arthur",
  "Lina",
  "Adam",
  "Zoé",
  "Raphaël",
  "Alice",
];
const lastNames = [
  "Martin",
  "Bernard",
  "Thomas",
  "Petit",
  "Robert",
  "Richard",
  "Durand",
  "Dubois",
  "Moreau",
  "Laurent",
  "Simon",
  "Michel",
  "Lefebvre",
  "Leroy",
  "Roux",
  "David",
  "Bertrand",
  "Morel",
  "Fournier",
  "Girard",
  "Bonnet",
  "Dupont",
  "Lambert",
  "Fontaine",
  "Rousseau",
  "Vincent",
  "Muller",
  "Lefevre",
  "Faure",
  "Andre",
];

/** Read units of every read, through ReturnConsumedCapacity (DynamoDB Local reports it as AWS does). */
function readUnits(client: ReturnType<typeof dynamo>) {
  const state = { units: 0, requests: 0 };
  const middleware: InitializeMiddleware<object, MetadataBearer> = (next, context) => async (args) => {
    const name = String(context.commandName);
    const reading = /^(Query|GetItem|BatchGetItem|Scan)Command$/.test(name);
    if (reading) (args.input as Record<string, unknown>).ReturnConsumedCapacity = "TOTAL";
    const result = await next(args);
    if (reading) {
      state.requests++;
      const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
      for (const entry of Array.isArray(consumed) ? consumed : consumed ? [consumed] : [])
        state.units += (entry as { CapacityUnits?: number }).CapacityUnits ?? 0;
    }
    return result;
  };
  client.middlewareStack.add(middleware, { step: "initialize", name: "bench-read-units" });
  return state;
}

async function company(size: number) {
  const companyId = await Company.create({ code: `C${ulid().slice(-10)}`, name: "Bench Contacts" });
  const agency = await withActor({ type: "system", companyId, reason: "bench" }, () =>
    Agency.createFirst("Agence"),
  );
  const writer = new BatchWriter(8);
  const now = new Date().toISOString();
  const chunk: Array<Record<string, unknown>> = [];
  const flush = async () => {
    await writer.put(chunk.splice(0));
  };
  for (let index = 0; index < size; index++) {
    const rare = index === Math.floor(size / 2);
    const firstName = rare ? "Zébulonne" : firstNames[index % firstNames.length]!;
    const lastName = rare ? "Quarterback" : lastNames[(index * 7) % lastNames.length]!;
    const mobile = `+336${String(10_000_000 + index).slice(-8)}`;
    const contact = {
      companyId,
      contactId: ulid(),
      firstName,
      lastName,
      mobile,
      smsCapable: true,
      type: "externe" as const,
      agencyIds: [agency.agencyId],
      archived: false,
      searchText: searchText({ firstName, lastName, mobile }),
      createdAt: now,
    };
    chunk.push(contactItem(contact, now));
    for (const token of tokensOf(contact)) chunk.push(tokenItem(contact, token));
    if (chunk.length >= 2000) await flush();
  }
  await flush();
  return {
    companyId,
    actor: {
      type: "user" as const,
      companyId,
      userId: "bench",
      role: "admin" as const,
      agencyIds: [agency.agencyId],
      name: "Bench",
    },
  };
}

type Sample = { times: number[]; units: number };

/**
 * Runs each operation a few times untimed (the emulator's JIT and caches warm up for all alike), then
 * times them in interleaved rounds, so a busy moment on the machine falls on every operation, not on one.
 */
async function timedRounds<Name extends string>(
  units: ReturnType<typeof readUnits>,
  operations: Record<Name, () => Promise<unknown>>,
) {
  const entries = Object.entries(operations) as Array<[Name, () => Promise<unknown>]>;
  const samples: Record<string, Sample> = {};
  for (const [name, work] of entries) {
    samples[name] = { times: [], units: 0 };
    for (let run = 0; run < 5; run++) await work();
  }
  for (let round = 0; round < repeats; round++) {
    for (const [name, work] of entries) {
      const before = units.units;
      const started = performance.now();
      await work();
      samples[name]!.times.push(performance.now() - started);
      samples[name]!.units += units.units - before;
    }
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, sample]) => {
      const times = [...sample.times].sort((a, b) => a - b);
      return [name, { median: times[Math.floor(times.length / 2)]!, units: sample.units / repeats }];
    }),
  ) as Record<Name, { median: number; units: number }>;
}

export async function contactsBench() {
  const local = await startLocal({ port: await freePort(), serve: false, pollers: { concurrency: {} } });
  try {
    const units = readUnits(dynamo());
    for (const size of sizes) {
      const written = await measure(() => company(size));
      const { companyId, actor } = written.result;
      const shard = shardOf(ulid());
      let found = 0;
      const newest = (inShard: string, limit: number) =>
        documents().send(
          new QueryCommand({
            TableName: config("TABLE_NAME"),
            IndexName: "gsi1",
            KeyConditionExpression: "gsi1pk = :pk",
            ExpressionAttributeValues: {
              ":pk": `$relais#companyid_${companyId.toLowerCase()}#archived_false#shard_${inShard}`,
            },
            Limit: limit,
            ScanIndexForward: false,
          }),
        );
      const share = Math.ceil(50 / contactShards);
      const { raw, shards, page, search } = await timedRounds(units, {
        raw: () => newest(shard, 50),
        // What the emulator does with side-by-side queries (DynamoDB runs them concurrently).
        shards: () =>
          Promise.all(Array.from({ length: contactShards }, (_, index) => newest(String(index), share))),
        page: () => withActor(actor, () => Contact.search({ limit: 50 })),
        search: async () => {
          const result = await withActor(actor, () => Contact.search({ query: "quarterback", limit: 50 }));
          found = result.items.length;
        },
      });
      report(
        `contacts — ${size.toLocaleString("fr-FR")} contacts in one company (${repeats} interleaved rounds after a warm-up, median)`,
        [
          ["written items/s (contact + search words, as the import writes them)", 0],
          ["raw Query Limit 50 ms", raw.median],
          [`${contactShards} raw Query Limit ${share} at once ms`, shards.median],
          ["first page (50) ms", page.median],
          ["page / raw (goal ≤ 2)", page.median / raw.median],
          ["rare-name search ms", search.median],
          ["search / raw (goal ≤ 3)", search.median / raw.median],
          ["contacts found by the search", found],
          [
            "read units: raw / page / search",
            `${raw.units.toFixed(1)} / ${page.units.toFixed(1)} / ${search.units.toFixed(1)}`,
          ],
          ["seeding seconds", written.seconds],
        ].filter(([label]) => !String(label).startsWith("written")) as Array<[string, string | number]>,
      );
    }
  } finally {
    await local.stop();
  }
}

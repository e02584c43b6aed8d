import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type BatchWriteCommandOutput,
} from "@aws-sdk/lib-dynamodb";
import type { InitializeMiddleware, MetadataBearer } from "@smithy/types";
import { build } from "esbuild";
import { ulid } from "ulid";
import { type Actor, withActor } from "../../core/actor";
import { Agency } from "../../core/agency";
import { Company } from "../../core/company";
import { config } from "../../core/config";
import { Contact } from "../../core/contact";
import { ContactImport } from "../../core/contact-import";
import { columns, plan } from "../../core/contact-import/columns";
import { ContactImportEntity } from "../../core/contact-import/contact-import.entity";
import { defaults } from "../../core/contact-import/job";
import { limits } from "../../core/contact-import/source";
import { RowValidator } from "../../core/contact-import/validate";
import { documents, dynamo, s3 } from "../../core/platform/clients";
import { Spreadsheet } from "../../core/spreadsheet";
import { freePort } from "../local/ports";
import { root, startLocal } from "../local/runtime";
import { countCalls, measure, report } from "./harness";
import { contactRows, contactsXlsx } from "./import-data";

/**
 * Contacts import, end to end on the local cloud: a generated workbook uploaded through the presigned
 * POST, dry run, start, and the production worker run by the local import poller until `done`. Beside it,
 * the same run's parse+validate rate without any write, and the raw BatchWriteItem rate of the same table
 * for the same number of items, written with the worker's concurrency: the ceiling the import aims at.
 */

/** Counts the items each DynamoDB write request carries, by operation. */
function countItems(client: ReturnType<typeof dynamo>) {
  const items = new Map<string, number>();
  const middleware: InitializeMiddleware<object, MetadataBearer> = (next, context) => async (args) => {
    const operation = String(context.commandName ?? "").replace(/Command$/, "");
    const input = args.input as {
      RequestItems?: Record<string, unknown[]>;
      TransactItems?: unknown[];
    };
    const count =
      operation === "BatchWriteItem"
        ? Object.values(input.RequestItems ?? {}).reduce((sum, list) => sum + list.length, 0)
        : operation === "TransactWriteItems"
          ? (input.TransactItems?.length ?? 0)
          : ["PutItem", "UpdateItem", "DeleteItem"].includes(operation)
            ? 1
            : 0;
    if (count > 0) items.set(operation, (items.get(operation) ?? 0) + count);
    return next(args);
  };
  client.middlewareStack.add(middleware, { step: "initialize", name: "bench-count-items" });
  return items;
}

/** Total milliseconds spent waiting on each operation, to compare the worker's requests with raw ones. */
function timeCalls(client: ReturnType<typeof dynamo>) {
  const spent = new Map<string, number>();
  const middleware: InitializeMiddleware<object, MetadataBearer> = (next, context) => async (args) => {
    const started = performance.now();
    try {
      return await next(args);
    } finally {
      const operation = String(context.commandName ?? "").replace(/Command$/, "");
      spent.set(operation, (spent.get(operation) ?? 0) + performance.now() - started);
    }
  };
  client.middlewareStack.add(middleware, { step: "initialize", name: "bench-time-calls" });
  return spent;
}

/** Peak V8 heap while `work` runs, in MiB: what the import itself holds, without the emulators' buffers. */
async function peakHeap<T>(work: () => Promise<T>) {
  let peak = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 20);
  try {
    return { result: await work(), heapMiB: peak / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

const sum = (map: Map<string, number>, filter: (key: string) => boolean = () => true) =>
  [...map].filter(([key]) => filter(key)).reduce((total, [, value]) => total + value, 0);

/** Items the worker writes for a new row of the file: the contact, its keys and its search words. */
function itemsPerRowOf(tag: string) {
  let items = 0;
  let count = 0;
  for (const row of contactRows(1000, 0, tag)) {
    const { value } = Contact.normalize(row);
    items += 1 + Contact.keysOf(value).length + Contact.tokensOf(value).length;
    count++;
  }
  return Math.round(items / count);
}

async function parseAndValidate(bytes: Buffer) {
  const validator = new RowValidator(plan());
  let valid = 0;
  let rows = 0;
  for await (const row of Spreadsheet.readRows({ bytes, fileName: "bench.xlsx" }, columns, limits)) {
    rows++;
    if (validator.check(row).ok) valid++;
  }
  return { rows, valid };
}

async function uploadTo(target: { url: string; fields: Record<string, string> }, bytes: Buffer) {
  const form = new FormData();
  for (const [name, value] of Object.entries(target.fields)) form.append(name, value);
  form.append("file", new Blob([new Uint8Array(bytes)]), "bench.xlsx");
  const response = await fetch(target.url, { method: "POST", body: form });
  if (response.status >= 300) throw new Error(`upload refused: ${response.status} ${await response.text()}`);
}

/**
 * Items shaped and sized like the worker's (a contact, its key items and its search words), `itemsPerRow`
 * a row, made 25 at a time just before they are sent (a few microseconds a batch) so that a million of them
 * never sit in memory. The contact carries its list index (gsi1) as the worker's does.
 */
function* rawBatches(rows: number, itemsPerRow: number) {
  const companyId = `bench-raw-${ulid()}`;
  const now = new Date().toISOString();
  let batch: Array<Record<string, unknown>> = [];
  for (let row = 0; row < rows; row++) {
    const contactId = ulid();
    const mobile = `+336${String(10_000_000 + row).padStart(8, "0")}`;
    const email = `camille.martin.${row}@exemple.fr`;
    const searchText = `camille martin ${email} ${mobile.slice(1)} 0${mobile.slice(3)}`;
    batch.push({
      pk: `$relais#companyid_${companyId}#contactid_${contactId}`.toLowerCase(),
      sk: "$contact_1",
      gsi1pk: `$relais#companyid_${companyId}#archived_false#shard_${row % 4}`,
      gsi1sk: `$contact_1#contactid_${contactId}`.toLowerCase(),
      companyId,
      contactId,
      shard: String(row % 4),
      civility: "Mme",
      firstName: "Camille",
      lastName: "Martin",
      email,
      mobile,
      smsCapable: true,
      type: "externe",
      skills: ["cariste CACES 3", "agent de quai"],
      position: "Vénissieux",
      agencyIds: new Set(["01BENCHAGENCY0000000000000"]),
      customFields: {},
      archived: false,
      searchText,
      createdAt: now,
      updatedAt: now,
      __edb_e__: "contact",
      __edb_v__: "1",
    });
    for (const key of [`m:${mobile}`, `e:${email}`].slice(0, itemsPerRow - 1)) {
      batch.push({
        pk: `$relais#companyid_${companyId}#key_${key}`,
        sk: "$contactkey_1",
        companyId,
        key,
        contactId,
        __edb_e__: "contactKey",
        __edb_v__: "1",
      });
    }
    const words = ["camille", "martin", email, `0${mobile.slice(3)}`, "cariste", "caces", "agent", "quai"];
    for (let index = 0; index < Math.round(itemsPerRow) - 3; index++) {
      const token = words[index % words.length]!;
      batch.push({
        pk: `$relais#companyid_${companyId}#bucket_${token.slice(0, 3)}`,
        sk: `$contacttoken_1#token_${token}#contactid_${contactId}`.toLowerCase(),
        companyId,
        token,
        contactId,
        bucket: token.slice(0, 3),
        agencyIds: new Set(["01BENCHAGENCY0000000000000"]),
        archived: false,
        type: "externe",
        searchText,
        __edb_e__: "contactToken",
        __edb_v__: "1",
      });
    }
    while (batch.length >= 25) {
      yield batch.slice(0, 25);
      batch = batch.slice(25);
    }
  }
  if (batch.length > 0) yield batch;
}

/** BatchWriteItem of 25 items, `concurrency` requests in flight, unprocessed items sent again. */
async function writeRaw(rows: number, itemsPerRow: number, concurrency: number) {
  const table = config("TABLE_NAME");
  const batches = rawBatches(rows, itemsPerRow);
  const worker = async () => {
    for (let next = batches.next(); !next.done; next = batches.next()) {
      let request: BatchWriteCommandInput["RequestItems"] = {
        [table]: next.value.map((item) => ({ PutRequest: { Item: item } })),
      };
      while (request && Object.keys(request).length > 0) {
        const result: BatchWriteCommandOutput = await documents().send(
          new BatchWriteCommand({ RequestItems: request }),
        );
        request = result.UnprocessedItems;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/**
 * The worker bundled the way `sst deploy` bundles functions (esbuild, ESM, minified), so that the child
 * process below carries what a Lambda carries and not tsx's compiler.
 */
async function bundleWorker() {
  const outfile = join(mkdtempSync(join(tmpdir(), "relais-bench-")), "import-worker.mjs");
  await build({
    entryPoints: [join(root, "scripts/bench/import-worker.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    minify: true,
    logLevel: "error",
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  return outfile;
}

/**
 * V8 lets garbage pile up to several hundred MiB before collecting when nothing limits it; with a small
 * young generation and a capped old one the worker shows what it really holds (the import streams: about
 * 50 MiB live over a 50,000-row file). BENCH_WORKER_FLAGS="" runs it with Node's defaults instead.
 */
const workerFlags = process.env.BENCH_WORKER_FLAGS ?? "--max-semi-space-size=4 --max-old-space-size=96";

/** The worker alone in a child process, as in Lambda; resolves with what it measured of itself. */
async function isolatedWorker(job: ContactImport.Job) {
  const bundle = await bundleWorker();
  return new Promise<{ loadedMiB: number; peakMiB: number; seconds: number }>((resolve, reject) => {
    const flags = workerFlags.split(" ").filter(Boolean);
    const child = spawn(process.execPath, [...flags, bundle, JSON.stringify(job)], {
      cwd: root,
      // exceljs's dependencies call the deprecated Buffer(); not ours to fix, and not worth the noise.
      env: { ...process.env, NODE_NO_WARNINGS: "1" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      rmSync(dirname(bundle), { recursive: true, force: true });
      const last = output.trim().split("\n").pop() ?? "";
      if (code === 0 && last.startsWith("{")) resolve(JSON.parse(last));
      else reject(new Error(`isolated worker exited with ${code}: ${output}`));
    });
  });
}

/** Uploaded and dry-run like a real import, then left `queued` with no message: the caller runs the job. */
async function preparedImport(bytes: Buffer, agencyId: string, actor: Actor & { type: "user" }) {
  return withActor(actor, async () => {
    const created = await ContactImport.create({ fileName: "isolated.xlsx", size: bytes.byteLength });
    await uploadTo(created.upload, bytes);
    await ContactImport.check({ importId: created.import.importId });
    await ContactImportEntity.patch({ companyId: actor.companyId, importId: created.import.importId })
      .set({
        status: "queued",
        agencyIds: [agencyId],
        onlyValid: true,
        startedBy: { userId: actor.userId, name: actor.name, role: actor.role, agencyIds: actor.agencyIds },
      })
      .go();
    return { kind: "contacts" as const, companyId: actor.companyId, importId: created.import.importId };
  });
}

export async function importBench(rows = Number(process.env.BENCH_ROWS ?? 50_000)) {
  const local = await startLocal({ port: await freePort(), serve: false });
  try {
    const rssStart = process.memoryUsage().rss / 1024 / 1024;
    const tag = ulid().toLowerCase();
    const generated = await measure(() => contactsXlsx(rows, 0, tag));
    const bytes = generated.result;

    // Parse + validate alone: the reader and Contact.normalize, from memory, no I/O.
    const parsed = await measure(() => parseAndValidate(bytes));

    // A company of its own, and an Admin acting in it.
    const companyId = await Company.create({ code: `B${ulid().slice(-10)}`, name: "Bench Intérim" });
    const agency = await withActor({ type: "system", companyId, reason: "bench" }, () =>
      Agency.createFirst("Agence Lyon"),
    );
    const actor: Actor & { type: "user" } = {
      type: "user",
      companyId,
      userId: ulid(),
      role: "admin",
      agencyIds: [agency.agencyId],
      name: "Bench",
    };
    // DynamoDB Local compiles its hot paths as it runs: warm it up, then take the raw rate a first time.
    const calls = countCalls({ dynamodb: dynamo(), s3: s3() });
    const items = countItems(dynamo());
    const spent = timeCalls(dynamo());
    const expectedPerRow = itemsPerRowOf(tag);
    await writeRaw(Math.min(rows, 10_000), expectedPerRow, defaults.concurrency);
    calls.clear();
    spent.clear();
    const rawBefore = await measure(() => writeRaw(rows, expectedPerRow, defaults.concurrency));
    const rawLatency = (spent.get("BatchWriteItem") ?? 0) / (calls.get("dynamodb.BatchWriteItem") ?? 1);

    let workerSeconds = 0;
    let polls = 0;
    let checkSeconds = 0;
    const heapBefore = process.memoryUsage().heapUsed / 1024 / 1024;
    const rssBefore = process.memoryUsage().rss / 1024 / 1024;
    const endToEnd = await measure(() =>
      peakHeap(() =>
        withActor(actor, async () => {
          const created = await ContactImport.create({ fileName: "export-ats.xlsx", size: bytes.byteLength });
          await uploadTo(created.upload, bytes);
          const checkStarted = performance.now();
          const checked = await ContactImport.check({ importId: created.import.importId });
          checkSeconds = (performance.now() - checkStarted) / 1000;
          if (checked.errorCount > 0)
            console.log(`  dry run found ${checked.errorCount} error(s)`, checked.errors.slice(0, 3));
          calls.clear();
          items.clear();
          spent.clear();
          const started = performance.now();
          await ContactImport.start({
            importId: created.import.importId,
            agencyIds: [agency.agencyId],
            onlyValid: true,
          });
          for (;;) {
            polls++;
            const info = await ContactImport.fromId(created.import.importId);
            if (info.status === "done" || info.status === "failed") {
              workerSeconds = (performance.now() - started) / 1000;
              return info;
            }
            await new Promise((resolve) => setTimeout(resolve, 250));
          }
        }),
      ),
    );
    const done = endToEnd.result.result;
    const heapPeak = endToEnd.result.heapMiB;
    if (done.status !== "done") throw new Error(`import ${done.status}: ${done.failure?.message}`);
    const workerCalls = new Map(calls);
    // The bench's own polling of the import is not the worker's doing.
    workerCalls.set("dynamodb.GetItem", (workerCalls.get("dynamodb.GetItem") ?? 0) - polls);
    const workerSpent = new Map(spent);
    const workerItems = new Map(items);
    const written = done.progress.created + done.progress.updated;
    // Item writes that carry contacts (not progress updates, lock or audit).
    const contactItems = workerItems.get("BatchWriteItem") ?? 0;
    const itemsPerRow = contactItems / Math.max(1, written);

    // The same number of items per row, pre-built, written as fast as BatchWriteItem goes: once before the
    // import and once after, since DynamoDB Local (a JVM) speeds up as it warms.
    const perRow = Math.max(1, Math.round(itemsPerRow));
    calls.clear();
    spent.clear();
    const rawAfter = await measure(() => writeRaw(rows, perRow, defaults.concurrency));
    const rawLatencyAfter = (spent.get("BatchWriteItem") ?? 0) / (calls.get("dynamodb.BatchWriteItem") ?? 1);
    const rawRowsPerSecond = (rows / rawBefore.seconds + rows / rawAfter.seconds) / 2;
    const rawItemsPerSecond = rawRowsPerSecond * perRow;

    // The worker alone, in a process of its own, on a second file of as many new contacts.
    const isolatedJob = await preparedImport(
      await contactsXlsx(rows, 1_000_000, `${tag}b`),
      agency.agencyId,
      actor,
    );
    const isolated = await isolatedWorker(isolatedJob);

    const endToEndRate = rows / endToEnd.seconds;
    const workerRate = rows / workerSeconds;
    const parseRate = parsed.result.rows / parsed.seconds;
    const peak = endToEnd.peakMiB;
    report(
      `import — ${rows.toLocaleString("fr-FR")} rows, ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB .xlsx (chunks of ${defaults.chunkSize}, ${defaults.concurrency} in flight)`,
      [
        ["generate .xlsx (streamed writer) s", generated.seconds],
        ["parse + validate rows/s (target ≥ 50 000)", parseRate],
        ["dry run through S3 (check) s", checkSeconds],
        ["end to end rows/s (upload → check → start → done)", endToEndRate],
        ["worker rows/s (start → done)", workerRate],
        ["raw BatchWriteItem items/s (mean of before and after)", rawItemsPerSecond],
        [
          "raw BatchWriteItem rows/s before / after the import",
          `${Math.round(rows / rawBefore.seconds)} / ${Math.round(rows / rawAfter.seconds)}`,
        ],
        ["raw BatchWriteItem rows/s (same items per row)", rawRowsPerSecond],
        ["end to end / raw (target ≥ 0.8)", endToEndRate / rawRowsPerSecond],
        ["worker / raw", workerRate / rawRowsPerSecond],
        ["DynamoDB requests per row (worker)", sum(workerCalls, (key) => key.startsWith("dynamodb.")) / rows],
        [
          "DynamoDB write requests per row",
          sum(workerCalls, (key) => /Batch[W]rite|PutItem|UpdateItem|DeleteItem|TransactWrite/.test(key)) /
            rows,
        ],
        ["DynamoDB items written per row", sum(workerItems) / rows],
        ["contact items per written row (BatchWriteItem)", itemsPerRow],
        [
          "BatchWriteItem mean latency ms: worker / raw before / raw after",
          `${((workerSpent.get("BatchWriteItem") ?? 0) / (workerCalls.get("dynamodb.BatchWriteItem") ?? 1)).toFixed(1)} / ${rawLatency.toFixed(1)} / ${rawLatencyAfter.toFixed(1)}`,
        ],
        [
          "share of the worker's DynamoDB wait in BatchGetItem (key lookups)",
          (workerSpent.get("BatchGetItem") ?? 0) / sum(workerSpent),
        ],
        [
          `worker alone: bundled, own process, ${workerFlags || "default V8 flags"} rows/s`,
          rows / isolated.seconds,
        ],
        [
          "worker alone: RSS after loading its modules / peak MiB (target < 200)",
          `${isolated.loadedMiB.toFixed(0)} / ${isolated.peakMiB.toFixed(0)}`,
        ],
        ["RSS with the local cloud running, before anything MiB", rssStart],
        ["peak RSS while parsing + validating MiB", parsed.peakMiB],
        ["peak RSS during the import, whole bench process with emulators MiB", peak],
        ["RSS just before the import MiB", rssBefore],
        ["peak RSS increase during import MiB", peak - rssBefore],
        ["V8 heap before / peak during the import MiB", `${heapBefore.toFixed(0)} / ${heapPeak.toFixed(0)}`],
        ["created / skipped", `${done.progress.created} / ${done.progress.skipped}`],
        ["worker runs (local Lambda budget is 60 s: more than one means continuations)", done.runs],
      ],
    );
    for (const [operation, count] of workerCalls) console.log(`    ${operation}: ${count}`);
    for (const [operation, count] of workerItems) console.log(`    items ${operation}: ${count}`);
    const met = (ok: boolean) => (ok ? "met" : "missed");
    console.log(
      `  targets: parse+validate ${met(parseRate >= 50_000)}, end to end ${met(endToEndRate >= 0.8 * rawRowsPerSecond)}, worker RSS ${met(isolated.peakMiB < 200)}`,
    );
  } finally {
    await local.stop();
  }
}

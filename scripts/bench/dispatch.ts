import { SQSClient } from "@aws-sdk/client-sqs";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { InitializeMiddleware, MetadataBearer } from "@smithy/types";
import { ulid } from "ulid";
import { withActor } from "../../core/actor";
import { Agency } from "../../core/agency";
import { CampaignEntity, MessageEntity } from "../../core/campaign/campaign.entity";
import { assignJobs } from "../../core/campaign/jobs";
import { Company } from "../../core/company";
import { CompanyEntity } from "../../core/company/company.entity";
import { config } from "../../core/config";
import { parallelSends } from "../../core/delivery/send";
import { documents, dynamo, smsVoice, sqs } from "../../core/platform/clients";
import * as Queue from "../../core/platform/queue";
import { freePort } from "../local/ports";
import { consumers, REGION } from "../local/resources";
import { startLocal } from "../local/runtime";
import { countCalls, cpuPerItem, measure, report } from "./harness";

/**
 * A campaign of BENCH_RECIPIENTS (10 000) SMS through the local pipeline: launch job → fan-out →
 * dispatch pollers (the production handler) → SMS emulator, rate limit off. Beside it, the raw
 * conditional UpdateItem rate of DynamoDB Local at the same concurrency: the ceiling a send aims at.
 */
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
/**
 * Sends in flight: each poller hands the handler a batch of jobs, which it runs side by side (Powertools'
 * parallel batch processing), `parallelSends` messages of each job at once. Raw runs as many writers.
 */
const inFlight = concurrency * consumers.dispatch.batchSize * parallelSends;

/** Items written by PartiQL batches: each statement is one conditional write, counted as such. */
function statementsWritten(client: ReturnType<typeof dynamo>) {
  const state = { statements: 0 };
  const middleware: InitializeMiddleware<object, MetadataBearer> = (next) => async (args) => {
    const input = args.input as { Statements?: unknown[] };
    if (Array.isArray(input.Statements)) state.statements += input.Statements.length;
    return next(args);
  };
  client.middlewareStack.add(middleware, { step: "initialize", name: "bench-statements" });
  return state;
}

/** Time of the last call of one operation, through the SDK's middleware stack. */
function lastCall(client: ReturnType<typeof smsVoice>, operation: string) {
  const state = { at: 0 };
  const middleware: InitializeMiddleware<object, MetadataBearer> = (next, context) => async (args) => {
    const result = await next(args);
    if (String(context.commandName).replace(/Command$/, "") === operation) state.at = performance.now();
    return result;
  };
  client.middlewareStack.add(middleware, { step: "initialize", name: "bench-last-call" });
  return state;
}

/** Waits until `count` stops changing for a second. */
async function settled(count: () => Promise<number>) {
  let last = -1;
  for (;;) {
    const now = await count();
    if (now === last) return;
    last = now;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function rawUpdates(count: number) {
  const companyId = `bench-raw-${ulid()}`;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      await documents().send(
        new UpdateCommand({
          TableName: config("TABLE_NAME"),
          Key: { pk: `raw#${companyId}`, sk: `m#${index}` },
          UpdateExpression: "SET #s = :sending, attemptId = :a",
          ConditionExpression: "attribute_not_exists(#s) OR #s = :scheduled",
          ExpressionAttributeNames: { "#s": "status" },
          ExpressionAttributeValues: { ":sending": "sending", ":scheduled": "scheduled", ":a": ulid() },
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

/** A company without quiet hours or rate limit (the pipeline's own speed) and a scheduled SMS campaign. */
async function campaignOf(recipients: number) {
  const companyId = await Company.create({ code: `B${ulid().slice(-10)}`, name: "Bench" });
  await CompanyEntity.patch({ companyId })
    .set({
      quietStart: "00:00",
      quietEnd: "00:00",
      quietSundays: false,
      quietHolidays: false,
      smsPerSecond: 0,
    })
    .go();
  const agency = await withActor({ type: "system", companyId, reason: "bench" }, () =>
    Agency.createFirst("Agence Bench"),
  );
  const campaignId = ulid();
  const messages = assignJobs(
    Array.from({ length: recipients }, (_, index) => ({
      companyId,
      campaignId,
      messageId: ulid(),
      channel: "sms" as const,
      to: `+3361${String(index).padStart(7, "0")}`,
      body: "Mission demain à Lyon 8h-16h, dispo ? Répondez OUI ou NON",
      units: 1,
      status: "scheduled" as const,
    })),
  );
  for (let start = 0; start < messages.length; start += 500)
    await MessageEntity.put(messages.slice(start, start + 500)).go();
  await CampaignEntity.create({
    companyId,
    campaignId,
    kind: "yesno",
    title: "Bench",
    agencyId: agency.agencyId,
    createdBy: "bench",
    createdByName: "Bench",
    status: "scheduled",
    sendAt: new Date().toISOString(),
    smsCount: recipients,
    recipients,
  }).go();
  return { companyId, campaignId };
}

/** Launches the campaign and waits until every message is sent and recorded (the campaign Envoyé). */
async function dispatched(key: { companyId: string; campaignId: string }, sent: () => number, count: number) {
  await Queue.send(config("DISPATCH_QUEUE_URL"), { kind: "campaign.launch", ...key });
  const deadline = Date.now() + 15 * 60_000;
  while (sent() < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  // Anything that would call twice would do so within the lease: watch a little longer.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  // Done means recorded: every message counted and the campaign Envoyé, so the writes counted are all
  // of them and nothing of the dispatch still runs beside the raw measurement.
  while (Date.now() < deadline) {
    const { data } = await CampaignEntity.get(key).go();
    if (data?.status === "sent") return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`campaign ${key.campaignId} was not sent within 15 minutes`);
}

/**
 * DynamoDB Local is a JVM: its first tens of thousands of requests of each kind run before the JIT has
 * compiled them, at well under half the later rate (the raw rate of the same 10 000 updates goes from
 * ~700/s cold to ~2 000/s warm). AWS has no such warm-up, and raw, measured last, always met a warm JVM.
 * So both measurements start warm: first a whole campaign of the same size and the same raw updates,
 * on other items, unmeasured. BENCH_WARMUP=0 skips it.
 */
const warmUp = process.env.BENCH_WARMUP !== "0";

export async function dispatchBench(recipients = Number(process.env.BENCH_RECIPIENTS ?? 10_000)) {
  const pollerSqs = new SQSClient({ region: REGION, useQueueUrlAsEndpoint: false });
  const local = await startLocal({
    port: await freePort(),
    serve: false,
    // The emulated AWS services in a process of their own: on AWS, the providers' work is not the worker's.
    cloud: "process",
    // Status events wait in their queue during the run: on AWS their consumers are other Lambdas on an
    // on-demand table; here they would share DynamoDB Local's one JVM with the dispatch being measured.
    pollers: { sqs: pollerSqs, concurrency: { dispatch: concurrency, "sms-events": 0, "sms-inbound": 0 } },
  });
  try {
    const provider = countCalls({ sms: smsVoice() });
    const sends = () => provider.get("sms.SendTextMessage") ?? 0;
    const events = () => Queue.probe(local.queueUrls["sms-events"]).then((queue) => queue.waiting);
    if (warmUp) {
      await dispatched(await campaignOf(recipients), sends, recipients);
      await rawUpdates(recipients);
      await settled(events);
      provider.clear();
    }
    const { companyId, campaignId } = await campaignOf(recipients);

    const writes = countCalls({ dynamodb: dynamo() });
    const queue = countCalls({ sqs: sqs(), poller: pollerSqs });
    const last = lastCall(smsVoice(), "SendTextMessage");
    const batched = statementsWritten(dynamo());
    const started = performance.now();
    const pids = { worker: process.pid, emulators: local.pids.emulators, dynamodb: local.pids.dynamodb };
    const { result: run, perItem: dispatchCpu } = await cpuPerItem(pids, recipients, () =>
      measure(() => dispatched({ companyId, campaignId }, sends, recipients)),
    );
    // The emulator publishes two events per message a little after each send: let them all land first.
    await settled(events);
    const seconds = (last.at - started) / 1000;
    const dispatchRate = recipients / seconds;
    const writeOps = ["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"];
    const writeRequests = [...writes]
      .filter(([key]) => [...writeOps, "BatchExecuteStatement"].some((op) => key.endsWith(`.${op}`)))
      .reduce((sum, [, n]) => sum + n, 0);
    // Every statement of a BatchExecuteStatement is an UPDATE: one write each, like an UpdateItem.
    const dynamoWrites =
      writeRequests - (writes.get("dynamodb.BatchExecuteStatement") ?? 0) + batched.statements;
    const sqsRequests = [...queue.values()].reduce((sum, n) => sum + n, 0);
    const calls = sends();

    const breakdown = [...writes, ...queue].sort();
    const { result: raw, perItem: rawCpu } = await cpuPerItem(pids, recipients, () =>
      measure(() => rawUpdates(recipients)),
    );
    const cpu = (perItem: Record<string, number | undefined>) =>
      Object.entries(perItem)
        .map(
          ([name, ms]) =>
            `${name} ${ms === undefined ? "?" : ms.toLocaleString("fr-FR", { maximumFractionDigits: 2 })}`,
        )
        .join(" · ");
    const rawRate = recipients / raw.seconds;
    report(
      `dispatch — ${recipients.toLocaleString("fr-FR")} SMS, ${concurrency} pollers × ${consumers.dispatch.batchSize} jobs × ${parallelSends} sends in flight, rate limit off, ${warmUp ? "after" : "without"} a warm-up`,
      [
        ["messages/s, launch → last provider call", dispatchRate],
        ["provider calls per message (target 1,0)", calls / recipients],
        ["DynamoDB items written per message*", dynamoWrites / recipients],
        ["DynamoDB write requests per message*", writeRequests / recipients],
        ["SQS requests per message", sqsRequests / recipients],
        ["worker peak RSS MiB (pollers + handlers; emulators apart)", run.peakMiB],
        [`raw conditional UpdateItem/s (${inFlight} in flight)`, rawRate],
        ["dispatch rate / raw rate (target ≥ 0,5)", dispatchRate / rawRate],
        ["CPU ms per message, dispatch (launch → recorded)", cpu(dispatchCpu)],
        ["CPU ms per update, raw", cpu(rawCpu)],
      ],
    );
    console.log("  * the dispatch path only: status events were left queued during the run.");
    for (const [operation, n] of breakdown) console.log(`    ${operation}: ${n}`);
  } finally {
    await local.stop();
  }
}

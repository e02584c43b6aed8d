import { PutObjectCommand } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { ulid } from "ulid";
import { withActor } from "../../core/actor";
import { Agency } from "../../core/agency";
import { CampaignEntity } from "../../core/campaign/campaign.entity";
import { Company } from "../../core/company";
import { CompanyEntity } from "../../core/company/company.entity";
import { config } from "../../core/config";
import { PartnerEntity } from "../../core/partner/partner.entity";
import { dynamo, s3 } from "../../core/platform/clients";
import { Vault } from "../../core/vault";
import * as Links from "../../core/vault/links";
import { LinkEntity } from "../../core/vault/vault.entity";
import { freePort } from "../local/ports";
import { REGION } from "../local/resources";
import { startLocal } from "../local/runtime";
import { countCalls, measure, pool, report } from "./harness";

/**
 * The vault's volume paths. Bulk publication: BENCH_DOCUMENTS (2,000) payslips to as many partners — dry
 * run and registration, browser-style presigned POSTs, the background publication (sniff, one transaction
 * each with its link, event and announcement) and the announcement SMS all sent — against the raw
 * PutObject rate of the same files at the same concurrency. Then signed-link resolutions (valid token →
 * session → redirect), with their p95 latency.
 */
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);

const payslip = (index: number) => {
  const filler = "0".repeat(30_000);
  return new TextEncoder().encode(`%PDF-1.4\n% Bulletin de paie ${index}\n${filler}\n%%EOF\n`);
};

async function setUp(count: number) {
  const companyId = await Company.create({ code: `V${ulid().slice(-10)}`, name: "Bench Coffre" });
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
  const partners = Array.from({ length: count }, (_, index) => ({
    companyId,
    partnerId: ulid(),
    kind: "person" as const,
    firstName: "Jean",
    lastName: `Bench${index}`,
    matricule: `M${String(index).padStart(6, "0")}`,
    categoryIds: ["interimaire"],
    mobile: `+3361${String(index).padStart(7, "0")}`,
    preferredChannel: "sms" as const,
    language: "fr" as const,
  }));
  for (let start = 0; start < partners.length; start += 25)
    await PartnerEntity.put(partners.slice(start, start + 25)).go();
  const actor = {
    type: "user" as const,
    companyId,
    userId: "bench",
    role: "admin" as const,
    agencyIds: [agency.agencyId],
    name: "Bench",
  };
  return { companyId, agencyId: agency.agencyId, actor, partners };
}

export async function vaultBench(count = Number(process.env.BENCH_DOCUMENTS ?? 2000)) {
  const pollerSqs = new SQSClient({ region: REGION, useQueueUrlAsEndpoint: false });
  const local = await startLocal({
    port: await freePort(),
    serve: false,
    cloud: "process",
    pollers: { sqs: pollerSqs, concurrency: { "sms-events": 0, "sms-inbound": 0 } },
  });
  try {
    const { companyId, agencyId, actor, partners } = await setUp(count);
    const files = partners.map((partner, index) => ({
      fileName: `${partner.matricule}_bulletin_2026-11.pdf`,
      bytes: payslip(index),
    }));
    const calls = countCalls({ dynamodb: dynamo(), s3: s3() });
    const run = await measure(async () => {
      const started = performance.now();
      const batch = await withActor(actor, () =>
        Vault.createBatch({
          typeId: "bulletin-de-paie",
          rule: "matricule",
          agencyId,
          files: files.map(({ fileName, bytes }) => ({ fileName, size: bytes.length })),
        }),
      );
      const registered = performance.now();
      const byName = new Map(files.map((file) => [file.fileName, file.bytes]));
      await pool(batch.uploads, concurrency, async (upload) => {
        const form = new FormData();
        for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
        form.append(
          "file",
          new Blob([new Uint8Array(byName.get(upload.fileName)!)], { type: "application/pdf" }),
        );
        const posted = await fetch(upload.url, { method: "POST", body: form });
        if (posted.status >= 300) throw new Error(`upload ${posted.status}`);
      });
      const uploaded = performance.now();
      await withActor(actor, () => Vault.publish(batch.batchId));
      for (;;) {
        const state = await withActor(actor, () => Vault.batch(batch.batchId));
        if (state.status === "published") break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const published = performance.now();
      const campaignId = `${batch.batchId}-vault`;
      for (;;) {
        const { data } = await CampaignEntity.get({ companyId, campaignId }).go();
        if (data?.status === "sent") break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const notified = performance.now();
      return { started, registered, uploaded, published, notified };
    });
    const t = run.result;
    const endToEnd = (t.notified - t.started) / 1000;
    const callsOf = (prefix: string) =>
      [...calls].filter(([key]) => key.startsWith(prefix)).reduce((sum, [, n]) => sum + n, 0);
    const breakdown = [...calls].sort();
    const dynamoCalls = callsOf("dynamodb.");
    const s3Calls = callsOf("s3.");

    const raw = await measure(() =>
      pool(files, concurrency, async (file, index) => {
        await s3().send(
          new PutObjectCommand({
            Bucket: config("VAULT_BUCKET"),
            Key: `bench/${companyId}/${index}`,
            Body: file.bytes,
            ContentType: "application/pdf",
          }),
        );
      }),
    );

    // Signed links: as many live tokens as documents, resolved through the API as a browser would.
    const { app } = await import("../../functions/api");
    const tokens: string[] = [];
    const items = partners.map((partner) => {
      const link = Links.newLink({ companyId, partnerId: partner.partnerId, documentIds: [], days: 30 });
      tokens.push(link.token);
      return link.item;
    });
    for (let start = 0; start < items.length; start += 25)
      await LinkEntity.put(items.slice(start, start + 25)).go();
    calls.clear();
    const latencies: number[] = [];
    const resolved = await measure(() =>
      pool(tokens, concurrency, async (token) => {
        const began = performance.now();
        const answer = await app.request(
          `/l/${token}`,
          {},
          { incoming: { socket: { remoteAddress: "10.9.9.9" } } },
        );
        if (answer.status !== 302) throw new Error(`link ${answer.status}`);
        latencies.push(performance.now() - began);
      }),
    );
    latencies.sort((a, b) => a - b);
    const p95 = latencies[Math.floor(latencies.length * 0.95)] ?? 0;
    const linkDynamo = [...calls]
      .filter(([key]) => key.startsWith("dynamodb."))
      .reduce((sum, [, n]) => sum + n, 0);

    report(
      `vault — ${count.toLocaleString("fr-FR")} payslips to as many partners, ${concurrency} uploads in flight`,
      [
        ["files/s end to end (register → upload → publish → SMS sent)", count / endToEnd],
        ["  of which register (dry run + presign) s", (t.registered - t.started) / 1000],
        ["  upload (presigned POST) s", (t.uploaded - t.registered) / 1000],
        ["  publish (sniff, file, link, event, message) s", (t.published - t.uploaded) / 1000],
        ["  announce (campaign → SMS sent) s", (t.notified - t.published) / 1000],
        ["raw S3 PutObject files/s (same files, same concurrency)", count / raw.seconds],
        ["end to end / raw PutObject", count / endToEnd / (count / raw.seconds)],
        ["DynamoDB calls per document (register → sent)", dynamoCalls / count],
        ["S3 calls per document (excluding the browser's POST)", s3Calls / count],
        ["peak RSS MiB (API verbs + pollers + handlers)", run.peakMiB],
        ["signed-link resolutions/s (valid token → 302)", count / resolved.seconds],
        ["signed-link p95 ms", p95],
        ["DynamoDB calls per resolution", linkDynamo / count],
      ],
    );
    for (const [operation, n] of breakdown) console.log(`    ${operation}: ${n}`);
  } finally {
    await local.stop();
  }
}

import { createECDH, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { SQSClient } from "@aws-sdk/client-sqs";
import { ulid } from "ulid";
import { withActor } from "../../core/actor";
import { Announcement } from "../../core/announcement";
import { AnnouncementEntity } from "../../core/announcement/announcement.entity";
import { CampaignEntity } from "../../core/campaign/campaign.entity";
import { Employee } from "../../core/employee";
import { PushSubscriptionEntity } from "../../core/employee/employee.entity";
import { PartnerEntity } from "../../core/partner/partner.entity";
import { dynamo, smsVoice, sqs } from "../../core/platform/clients";
import { StaffGroup } from "../../core/staff-group";
import { freePort } from "../local/ports";
import { REGION } from "../local/resources";
import { startLocal } from "../local/runtime";
import { benchCompany } from "./bench-company";
import { countCalls, measure, report } from "./harness";

/**
 * An announcement to a large group: BENCH_EMPLOYEES (2,000) employees, a third with the space installed
 * and push allowed (a push service of our own on this machine, answering after BENCH_PUSH_MS, 100 ms, as
 * a real one might), the others by SMS. Published now for « Tous les salariés »: the notify job plans,
 * chunk jobs push and write the SMS, the last one launches the campaign, the SMS go out.
 */
async function setUp(count: number, endpoint: string) {
  const { companyId, actor } = await benchCompany({ prefix: "A", name: "Bench Annonces" });
  // No quiet window for employees either: notified at once, whatever the hour of the run.
  await withActor(actor, () => Employee.updateSettings({ quietStart: "00:00", quietEnd: "00:00" }));
  const partners = Array.from({ length: count }, (_, index) => ({
    companyId,
    partnerId: ulid(),
    kind: "person" as const,
    lastName: `Salarié${index}`,
    categoryIds: ["salarie-structure"],
    mobile: `+3361${String(index).padStart(7, "0")}`,
    language: "fr" as const,
  }));
  for (let start = 0; start < partners.length; start += 25)
    await PartnerEntity.put(partners.slice(start, start + 25)).go();
  const keys = createECDH("prime256v1");
  keys.generateKeys();
  const auth = randomBytes(16).toString("base64url");
  const subscribed = partners.filter((_, index) => index % 3 === 0);
  for (let start = 0; start < subscribed.length; start += 25)
    await PushSubscriptionEntity.put(
      subscribed.slice(start, start + 25).map(({ partnerId }) => ({
        companyId,
        partnerId,
        endpointHash: partnerId,
        endpoint: `${endpoint}/${partnerId}`,
        p256dh: keys.getPublicKey().toString("base64url"),
        auth,
      })),
    ).go();
  return { companyId, actor, subscribed: subscribed.length };
}

export async function announcementsBench(
  count = Number(process.env.BENCH_EMPLOYEES ?? 2000),
  pushMs = Number(process.env.BENCH_PUSH_MS ?? 100),
) {
  const pushes = new Map<string, number>();
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      const partnerId = String(request.url).split("/").pop()!;
      pushes.set(partnerId, (pushes.get(partnerId) ?? 0) + 1);
      setTimeout(() => response.writeHead(201).end(), pushMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
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
    const port = (server.address() as AddressInfo).port;
    const { companyId, actor, subscribed } = await setUp(count, `http://127.0.0.1:${port}/push`);
    const calls = countCalls({ dynamodb: dynamo(), sqs: sqs(), sms: smsVoice() });
    let polls = 0;
    const run = await measure(async () => {
      const started = performance.now();
      const { announcementId } = await withActor(actor, () =>
        Announcement.create({
          type: "message",
          titleFr: "Réunion d'équipe",
          titleEn: "Team meeting",
          groupIds: [StaffGroup.ALL],
          endsAt: new Date(Date.now() + 86_400_000).toISOString(),
        }),
      );
      let notifiedAt: string | undefined;
      while (!notifiedAt) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        polls++;
        notifiedAt = (await AnnouncementEntity.get({ companyId, announcementId }).go()).data?.notifiedAt;
      }
      const notified = performance.now();
      const notifyCalls = new Map(calls);
      const notifyPolls = polls;
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        polls++;
        const { data } = await CampaignEntity.get({
          companyId,
          campaignId: `${announcementId}-annonce`,
        }).go();
        if (data?.status === "sent") break;
      }
      return { started, notified, sent: performance.now(), notifyCalls, notifyPolls };
    });
    const t = run.result;
    const sum = (map: Map<string, number>, prefix: string) =>
      [...map].filter(([key]) => key.startsWith(prefix)).reduce((total, [, n]) => total + n, 0);
    const sms = count - subscribed;
    const twice = [...pushes.values()].filter((n) => n > 1).length;
    report(
      `announcements — ${count.toLocaleString("fr-FR")} employees, ${subscribed.toLocaleString("fr-FR")} by push (${pushMs} ms each), ${sms.toLocaleString("fr-FR")} by SMS`,
      [
        [
          "employees notified/s (publish → every channel decided, campaign launched)",
          count / ((t.notified - t.started) / 1000),
        ],
        ["employees/s end to end (→ every SMS sent)", count / ((t.sent - t.started) / 1000)],
        ["pushes received / employees subscribed", `${pushes.size} / ${subscribed}`],
        ["employees pushed twice", twice],
        // The bench's own polls (one GetItem each) are left out.
        [
          "DynamoDB calls per employee (to notified)",
          (sum(t.notifyCalls, "dynamodb.") - t.notifyPolls) / count,
        ],
        ["DynamoDB calls per employee (to every SMS sent)", (sum(calls, "dynamodb.") - polls) / count],
        ["SQS calls per employee (to every SMS sent)", sum(calls, "sqs.") / count],
        ["provider calls per SMS employee (SendTextMessage)", sum(calls, "sms.SendTextMessage") / sms],
        ["peak RSS MiB (API verb + pollers + handlers)", run.peakMiB],
      ],
    );
    for (const [operation, n] of [...calls].sort()) console.log(`    ${operation}: ${n}`);
  } finally {
    await local.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

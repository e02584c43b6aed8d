import { createECDH, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ulid } from "ulid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Actor, withActor } from "../actor";
import { CampaignEntity, MessageEntity } from "../campaign/campaign.entity";
import { PushSubscriptionEntity } from "../employee/employee.entity";
import { push } from "../employee/push";
import { PartnerEntity } from "../partner/partner.entity";
import { StaffGroup } from "../staff-group";
import { newCompany } from "../test-helpers";
import { AnnouncementChunkEntity, AnnouncementEntity, AnnouncementNoticeEntity } from "./announcement.entity";
import { Announcement } from "./index";
import { type ChunkJob, notify, notifyChunk } from "./notify";

/** A push service of our own: it counts what each partner's browser receives, and the Topic. */
const received = new Map<string, string[]>();
const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    const partnerId = String(request.url).split("/").pop()!;
    received.set(partnerId, [...(received.get(partnerId) ?? []), String(request.headers.topic)]);
    response.writeHead(201).end();
  });
});
beforeAll(() => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve)));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const browserKeys = createECDH("prime256v1");
browserKeys.generateKeys();
const authSecret = randomBytes(16).toString("base64url");

const size = 450;
const chunkSize = 100;

/**
 * A company of `size` employees: every third subscribed to push, the others by SMS or email alternately,
 * every 50th with neither number nor email. An announcement for everyone, starting tomorrow, so that
 * only the test notifies it.
 */
async function setUp() {
  const company = await newCompany();
  const { companyId } = company;
  const partners = Array.from({ length: size }, (_, index) => {
    const kind = index % 50 === 49 ? "none" : index % 3 === 0 ? "push" : index % 2 === 0 ? "sms" : "email";
    return {
      kind,
      row: {
        companyId,
        partnerId: ulid(),
        kind: "person" as const,
        lastName: `Salarié${index}`,
        categoryIds: ["salarie-structure"],
        mobile: kind === "sms" || kind === "push" ? `+3361${String(index).padStart(7, "0")}` : undefined,
        email: kind === "email" ? `salarie${index}@example.fr` : undefined,
        language: "fr" as const,
      },
    };
  });
  for (let start = 0; start < size; start += 25)
    await PartnerEntity.put(partners.slice(start, start + 25).map((partner) => partner.row)).go();
  const port = (server.address() as AddressInfo).port;
  const subscribed = partners.filter((partner) => partner.kind === "push").map((p) => p.row.partnerId);
  for (let start = 0; start < subscribed.length; start += 25)
    await PushSubscriptionEntity.put(
      subscribed.slice(start, start + 25).map((partnerId) => ({
        companyId,
        partnerId,
        endpointHash: partnerId,
        endpoint: `http://127.0.0.1:${port}/push/${partnerId}`,
        p256dh: browserKeys.getPublicKey().toString("base64url"),
        auth: authSecret,
      })),
    ).go();
  const admin: Actor = {
    type: "user",
    companyId,
    userId: company.admin.userId,
    role: "admin",
    agencyIds: [company.agencies[0]],
    name: "Alice",
  };
  const { announcementId } = await withActor(admin, () =>
    Announcement.create({
      type: "message",
      titleFr: "Réunion",
      titleEn: "Meeting",
      groupIds: [StaffGroup.ALL],
      startsAt: new Date(Date.now() + 86_400_000).toISOString(),
      endsAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    }),
  );
  const asSystem = <T>(run: () => Promise<T>) =>
    withActor({ type: "system", companyId, reason: "test" }, run);
  const byKind = (kind: string) => partners.filter((partner) => partner.kind === kind);
  return { companyId, announcementId, partners, subscribed, asSystem, byKind };
}

type World = Awaited<ReturnType<typeof setUp>>;

async function chunkLeased(world: World, chunk: number) {
  const { data } = await AnnouncementChunkEntity.get({
    companyId: world.companyId,
    announcementId: world.announcementId,
    chunk,
  }).go();
  return (data?.leaseUntil ?? 0) > Date.now();
}

/** The chunk jobs a planning enqueues, kept for the test to deliver. */
async function plan(world: World) {
  const jobs: ChunkJob[] = [];
  const planned = await world.asSystem(() =>
    notify(world.announcementId, {
      chunkSize,
      enqueue: async (enqueued) => {
        jobs.push(...enqueued);
      },
    }),
  );
  expect(planned).toEqual({ outcome: "planned", chunks: Math.ceil(size / chunkSize) });
  return jobs;
}

/** Everyone told once: one marker each, one push per subscribed browser, one message per SMS or email. */
async function expectEveryoneOnce(world: World, pushedTwice: string[] = []) {
  const { companyId, announcementId } = world;
  const notices = (
    await AnnouncementNoticeEntity.query.byAnnouncement({ companyId, announcementId }).go({ pages: "all" })
  ).data;
  expect(notices).toHaveLength(size);
  const channelOf = new Map(notices.map((row) => [row.partnerId, row.channel]));
  for (const partner of world.partners) expect(channelOf.get(partner.row.partnerId)).toBe(partner.kind);
  for (const partnerId of world.subscribed) {
    const topics = received.get(partnerId) ?? [];
    expect(topics).toHaveLength(pushedTwice.includes(partnerId) ? 2 : 1);
    expect(new Set(topics)).toEqual(new Set([announcementId]));
  }
  for (const partner of [...world.byKind("sms"), ...world.byKind("email"), ...world.byKind("none")])
    expect(received.get(partner.row.partnerId)).toBeUndefined();
  const messages = (
    await MessageEntity.query
      .byCampaign({ companyId, campaignId: `${announcementId}-annonce` })
      .go({ pages: "all" })
  ).data;
  const sms = world.byKind("sms").map((partner) => partner.row.mobile);
  const emails = world.byKind("email").map((partner) => partner.row.email);
  expect(messages.filter((m) => m.channel === "sms").map((m) => m.to)).toEqual(expect.arrayContaining(sms));
  expect(messages.filter((m) => m.channel === "email").map((m) => m.to)).toEqual(
    expect.arrayContaining(emails),
  );
  expect(messages).toHaveLength(sms.length + emails.length);
  // Send jobs stay within what one SendJob carries.
  const perJob = new Map<string, number>();
  for (const message of messages) perJob.set(message.jobId!, (perJob.get(message.jobId!) ?? 0) + 1);
  expect(Math.max(...perJob.values())).toBeLessThanOrEqual(25);
  const { data: campaign } = await CampaignEntity.get({
    companyId,
    campaignId: `${announcementId}-annonce`,
  }).go();
  expect(campaign).toMatchObject({
    recipients: sms.length + emails.length,
    smsCount: sms.length,
    excluded: world.byKind("none").length,
  });
  const { data: announcement } = await AnnouncementEntity.get({ companyId, announcementId }).go();
  expect(announcement).toMatchObject({
    notifiedPush: world.subscribed.length,
    notifiedSms: sms.length,
    notifiedEmail: emails.length,
    notifiedAt: expect.any(String),
  });
}

describe("notifying a group larger than one chunk", () => {
  it("fans out into chunk jobs; the last one done launches the campaign and counts", async () => {
    const world = await setUp();
    const jobs = await plan(world);
    expect(jobs).toHaveLength(5);
    const ids = jobs.flatMap((job) => job.partnerIds);
    expect(new Set(ids).size).toBe(size);
    expect(new Set(ids)).toEqual(new Set(world.partners.map((partner) => partner.row.partnerId)));
    const outcomes = [];
    for (const job of jobs) outcomes.push(await world.asSystem(() => notifyChunk(job)));
    expect(outcomes.slice(0, -1).map((outcome) => outcome.outcome)).toEqual(Array(4).fill("chunk_done"));
    expect(outcomes.at(-1)).toEqual({
      outcome: "notified",
      push: world.subscribed.length,
      sms: world.byKind("sms").length,
      email: world.byKind("email").length,
    });
    await expectEveryoneOnce(world);
    // A planning delivered after the end does nothing.
    expect(await world.asSystem(() => notify(world.announcementId, { chunkSize }))).toEqual({
      outcome: "skipped",
    });
  }, 180_000);

  it("gives the same result when every job is delivered twice, in other orders and at once", async () => {
    const world = await setUp();
    const first = await plan(world);
    const second = await plan(world);
    expect(second).toEqual(first);
    const later: Array<{ job: ChunkJob; delaySeconds?: number }> = [];
    const enqueue = async (jobs: ChunkJob[], delaySeconds?: number) => {
      later.push(...jobs.map((job) => ({ job, delaySeconds })));
    };
    // Two deliveries of one chunk at once: the second finds the lease held and comes back later.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const waiting: typeof push = async (...args) => {
      await gate;
      return push(...args);
    };
    const holder = world.asSystem(() => notifyChunk(first[2]!, { enqueue, push: waiting }));
    await expect.poll(() => chunkLeased(world, 2)).toBe(true);
    expect(await world.asSystem(() => notifyChunk(second[2]!, { enqueue }))).toEqual({ outcome: "held" });
    expect(later).toEqual([{ job: first[2], delaySeconds: expect.any(Number) }]);
    expect(later[0]!.delaySeconds).toBeGreaterThan(0);
    open();
    expect((await holder).outcome).toBe("chunk_done");
    // The rest: the first deliveries in order alongside the second ones in reverse, then what came back.
    await Promise.all([
      (async () => {
        for (const job of first) await world.asSystem(() => notifyChunk(job, { enqueue }));
      })(),
      (async () => {
        for (const job of [...second].reverse()) await world.asSystem(() => notifyChunk(job, { enqueue }));
      })(),
    ]);
    for (let index = 0; index < later.length; index++)
      await world.asSystem(() => notifyChunk(later[index]!.job, { enqueue }));
    for (const job of [...first.slice(2), ...first.slice(0, 2)])
      expect((await world.asSystem(() => notifyChunk(job, { enqueue }))).outcome).toBe("skipped");
    await expectEveryoneOnce(world);
  }, 180_000);

  it("tells everyone once when a chunk crashes half-way and is delivered again", async () => {
    const world = await setUp();
    const jobs = await plan(world);
    const subscribed = new Set(world.subscribed);
    let pushes = 0;
    let crashedOn: string | undefined;
    // The crash window: the third subscribed employee's push is sent, then the Lambda dies before its marker.
    const crashing: typeof push = async (companyId, partnerId, payload, options) => {
      const delivered = await push(companyId, partnerId, payload, options);
      if (subscribed.has(partnerId) && ++pushes === 3) {
        crashedOn = partnerId;
        throw new Error("Lambda crashed");
      }
      return delivered;
    };
    await expect(world.asSystem(() => notifyChunk(jobs[1]!, { push: crashing }))).rejects.toThrow(
      "Lambda crashed",
    );
    expect(crashedOn).toBeDefined();
    const { data: halfWay } = await AnnouncementEntity.get({
      companyId: world.companyId,
      announcementId: world.announcementId,
    }).go();
    expect(halfWay?.notifiedChunks ?? []).toEqual([]);
    for (const job of jobs) await world.asSystem(() => notifyChunk(job));
    // Pushed again after the crash, under the same Topic and tag: one notification on the phone.
    await expectEveryoneOnce(world, [crashedOn!]);
  }, 180_000);

  it("keeps everyone in their chunk when a planning is delivered again after someone joined", async () => {
    const world = await setUp();
    const first = await plan(world);
    const joined = { ...world.partners[0]!.row, partnerId: ulid(), lastName: "Nouveau" };
    await PartnerEntity.put([joined]).go();
    const jobs: ChunkJob[] = [];
    await world.asSystem(() =>
      notify(world.announcementId, {
        // A different size would give another number of chunks: the one fixed first stands.
        chunkSize: 10,
        enqueue: async (enqueued) => {
          jobs.push(...enqueued);
        },
      }),
    );
    expect(jobs).toHaveLength(first.length);
    for (const [index, job] of first.entries())
      expect(jobs[index]!.partnerIds.filter((id) => id !== joined.partnerId)).toEqual(job.partnerIds);
    expect(jobs.filter((job) => job.partnerIds.includes(joined.partnerId))).toHaveLength(1);
  }, 180_000);

  it("hands a chunk over to a copy of itself when its time runs out", async () => {
    const world = await setUp();
    const jobs = await plan(world);
    const handedOver: ChunkJob[] = [];
    let left = 60_000;
    const outcome = await world.asSystem(() =>
      notifyChunk(jobs[0]!, {
        // Each employee started costs 2 s of the invocation: the chunk stops before the reserve.
        timeLeft: () => (left -= 2_000),
        enqueue: async (enqueued) => {
          handedOver.push(...enqueued);
        },
      }),
    );
    expect(outcome.outcome).toBe("continued");
    expect(handedOver).toEqual([jobs[0]]);
    for (const job of [...handedOver, ...jobs.slice(1)]) await world.asSystem(() => notifyChunk(job));
    await expectEveryoneOnce(world);
  }, 180_000);
});

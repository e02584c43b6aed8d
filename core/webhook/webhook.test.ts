import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ulid } from "ulid";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { withActor } from "../actor";
import { MessageEntity } from "../campaign/campaign.entity";
import { write } from "../db";
import { ReplyReceived } from "../delivery/reply.events";
import { advance, type MessageKey } from "../delivery/status";
import { MessageStatusChanged } from "../delivery/status.events";
import { commit, OutboxEntity } from "../event";
import { open } from "../signature/envelope";
import { newCompany, type TestCompany, until } from "../test-helpers";
import { check, isBlocked, type Resolver } from "./address";
import { attempt, retryDelaysSeconds } from "./delivery";
import { post } from "./post";
import { verify } from "./signature";
import * as Subscriptions from "./subscriptions";
import * as Webhook from "./webhook";
import { WebhookDeliveryEntity, WebhookEndpointEntity } from "./webhook.entity";

/**
 * Outgoing webhooks against real local receivers. The test run allows 127.0.0.1 (WEBHOOK_ALLOW_HOSTS,
 * scripts/local/test-setup.ts) so the local cloud's jobs can reach them; the SSRF cases pass the
 * production setting (no allowed host) explicitly.
 */
type Received = { headers: IncomingMessage["headers"]; body: string; path: string };
type Receiver = {
  url: string;
  received: Received[];
  answer: { status: number; location?: string };
  server: Server;
};

async function receiver(): Promise<Receiver> {
  const received: Received[] = [];
  const answer: Receiver["answer"] = { status: 200 };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        path: request.url ?? "",
      });
      response.writeHead(answer.status, answer.location ? { location: answer.location } : {});
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, received, answer, server };
}

/** The receiver's side, written here from the documented scheme only (not with core's helper). */
function independentlyVerified(secret: string, request: Received) {
  const signature = String(request.headers["relais-signature"]);
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature);
  if (!match) return false;
  const expected = createHmac("sha256", secret).update(`${match[1]}.${request.body}`).digest();
  return timingSafeEqual(expected, Buffer.from(match[2]!, "hex"));
}

let company: TestCompany;
let hook: Receiver;
const admin = <T>(run: () => Promise<T>) =>
  withActor(
    {
      type: "user",
      companyId: company.companyId,
      userId: company.admin.userId,
      role: "admin",
      agencyIds: [company.agencies[0]],
      name: "Alice Admin",
    },
    run,
  );

beforeAll(async () => {
  company = await newCompany();
  hook = await receiver();
});
afterAll(() => hook.server.close());

const deliveryOf = (endpointId: string, eventId: string) =>
  WebhookDeliveryEntity.get({ companyId: company.companyId, endpointId, eventId })
    .go({ consistent: true })
    .then(({ data }) => data);

describe("webhook delivery", () => {
  it("signs a ping so that the receiver can verify it with its own HMAC", async () => {
    const { secret, endpoint } = await admin(() =>
      Webhook.create({ url: hook.url, events: ["message.replied"] }),
    );
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const sent = await admin(() => Webhook.ping(endpoint.endpointId));
    const request = await until(async () =>
      hook.received.find((item) => item.headers["relais-event-id"] === sent.eventId),
    );
    expect(request.headers["relais-event"]).toBe("ping");
    expect(independentlyVerified(secret, request)).toBe(true);
    expect(independentlyVerified(`${secret}x`, request)).toBe(false);
    expect(JSON.parse(request.body)).toMatchObject({ id: sent.eventId, type: "ping" });
    const done = await until(async () => {
      const [latest] = await admin(() => Webhook.deliveries(endpoint.endpointId));
      return latest?.status === "succeeded" ? latest : undefined;
    });
    expect(done).toMatchObject({ event: "ping", responseStatus: 200, attempts: 1 });
    expect(done.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("forwards a reply (reply.received) as message.replied through the event pipeline", async () => {
    // A company of its own: no other endpoint of these tests listens to its replies.
    const other = await newCompany();
    const own = await receiver();
    const asOther = <T>(run: () => Promise<T>) =>
      withActor(
        {
          type: "user",
          companyId: other.companyId,
          userId: other.admin.userId,
          role: "admin",
          agencyIds: [],
          name: "Alice Admin",
        },
        run,
      );
    const { secret } = await asOther(() => Webhook.create({ url: own.url, events: ["message.replied"] }));
    const messageId = ulid();
    const [event] = await withActor({ type: "system", companyId: other.companyId, reason: "test" }, () =>
      commit(
        [],
        [
          ReplyReceived.create({
            campaignId: ulid(),
            messageId,
            replyId: ulid(),
            channel: "sms",
            classification: "yes",
            body: "OUI",
          }),
        ],
      ),
    );
    const request = await until(
      async () => own.received.find((item) => item.headers["relais-event-id"] === event!.id),
      30_000,
    );
    own.server.close();
    expect(own.received).toHaveLength(1);
    expect(request.headers["relais-event"]).toBe("message.replied");
    expect(JSON.parse(request.body)).toMatchObject({
      id: event!.id,
      type: "message.replied",
      data: { messageId, classification: "yes", body: "OUI" },
    });
    expect(independentlyVerified(secret, request)).toBe(true);
  });

  it("after a 500 schedules the next attempt a minute later, then « Renvoyer » sends it again", async () => {
    const failing = await receiver();
    failing.answer.status = 500;
    try {
      const { endpoint } = await admin(() =>
        Webhook.create({ url: failing.url, events: ["message.replied"] }),
      );
      const eventId = ulid();
      await WebhookDeliveryEntity.create({
        companyId: company.companyId,
        endpointId: endpoint.endpointId,
        eventId,
        event: "message.replied",
        body: JSON.stringify({ id: eventId, type: "message.replied", data: {} }),
        status: "pending",
        attempts: 0,
        createdAt: new Date().toISOString(),
        expiresAt: Math.floor(Date.now() / 1000) + 3600,
      }).go();
      const job = {
        kind: "webhook.attempt" as const,
        companyId: company.companyId,
        endpointId: endpoint.endpointId,
        eventId,
        attempt: 1,
      };
      expect(await attempt(job)).toBe("pending");
      const after = await deliveryOf(endpoint.endpointId, eventId);
      expect(after).toMatchObject({ status: "pending", attempts: 1, responseStatus: 500, error: "HTTP 500" });
      expect(Date.parse(after!.nextAttemptAt!) - Date.parse(after!.lastAttemptAt!)).toBe(
        retryDelaysSeconds[0] * 1000,
      );
      // The same job again (SQS redelivery) sends nothing more.
      expect(await attempt(job)).toBe("skipped");
      expect(failing.received).toHaveLength(1);

      // Past 24 h after the event, a failure closes the delivery.
      const late = await attempt(
        { ...job, attempt: 2 },
        { now: () => new Date(Date.now() + 24 * 3600 * 1000) },
      );
      expect(late).toBe("failed");
      expect(await deliveryOf(endpoint.endpointId, eventId)).toMatchObject({ status: "failed", attempts: 2 });

      failing.answer.status = 204;
      const again = await admin(() => Webhook.redeliver(endpoint.endpointId, eventId));
      expect(again.status).toBe("pending");
      const done = await until(async () => {
        const row = await deliveryOf(endpoint.endpointId, eventId);
        return row?.status === "succeeded" ? row : undefined;
      });
      expect(done).toMatchObject({ attempts: 3, responseStatus: 204 });
      expect(failing.received.map((item) => item.headers["relais-event-id"])).toEqual([
        eventId,
        eventId,
        eventId,
      ]);
    } finally {
      failing.server.close();
    }
  });
});

describe("signing secret at rest", () => {
  const rawEndpoint = async (companyId: string, endpointId: string) => {
    const { data } = await WebhookEndpointEntity.get({ companyId, endpointId }).go({
      data: "raw",
      consistent: true,
    });
    return (data as { Item?: Record<string, unknown> }).Item;
  };
  /** A delivery waiting for its first attempt, and the job that makes it. */
  async function pending(companyId: string, endpointId: string) {
    const eventId = ulid();
    await WebhookDeliveryEntity.create({
      companyId,
      endpointId,
      eventId,
      event: "message.replied",
      body: JSON.stringify({ id: eventId, type: "message.replied", data: {} }),
      status: "pending",
      attempts: 0,
      createdAt: new Date().toISOString(),
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    }).go();
    return { kind: "webhook.attempt" as const, companyId, endpointId, eventId, attempt: 1 };
  }
  const receivedFor = (eventId: string) =>
    until(async () => hook.received.find((item) => item.headers["relais-event-id"] === eventId));
  const verified = (secret: string, request: Received) =>
    verify(secret, String(request.headers["relais-signature"]), request.body);

  it("stores only the sealed secret, and deliveries are signed with the one shown at creation", async () => {
    const { secret, endpoint } = await admin(() =>
      Webhook.create({ url: hook.url, events: ["message.replied"] }),
    );
    const item = await rawEndpoint(company.companyId, endpoint.endpointId);
    expect(item).toBeDefined();
    expect(item).not.toHaveProperty("secret");
    expect(JSON.stringify(item)).not.toContain(secret);
    expect(JSON.stringify(item)).not.toContain(secret.slice("whsec_".length));
    expect(open(String(item!.sealedSecret), company.companyId, "webhook").toString("utf8")).toBe(secret);
    // Neither the list nor a change hands it back.
    const listed = await admin(() => Webhook.list());
    const changed = await admin(() =>
      Webhook.update({ endpointId: endpoint.endpointId, changes: { events: ["message.replied"] } }),
    );
    for (const shown of [listed, changed]) {
      expect(JSON.stringify(shown)).not.toContain(secret);
      expect(JSON.stringify(shown)).not.toContain(String(item!.sealedSecret));
    }
    const job = await pending(company.companyId, endpoint.endpointId);
    expect(await attempt(job)).toBe("succeeded");
    const request = await receivedFor(job.eventId);
    expect(verified(secret, request)).toBe(true);
    expect(verified(`${secret}x`, request)).toBe(false);
  });

  it("does not open a sealed secret moved to another company, nor as another purpose", async () => {
    const { endpoint } = await admin(() => Webhook.create({ url: hook.url, events: ["message.replied"] }));
    const sealedSecret = String((await rawEndpoint(company.companyId, endpoint.endpointId))!.sealedSecret);
    const thief = await newCompany();
    expect(() => open(sealedSecret, thief.companyId, "webhook")).toThrow();
    expect(() => open(sealedSecret, company.companyId, "certificate")).toThrow();
    // Copied whole into the other company's partition: its deliveries cannot be signed, nothing is sent.
    await WebhookEndpointEntity.create({
      companyId: thief.companyId,
      endpointId: endpoint.endpointId,
      url: hook.url,
      events: ["message.replied"],
      sealedSecret,
      active: true,
      createdAt: new Date().toISOString(),
      createdByName: "Mallory",
    }).go();
    const before = hook.received.length;
    const job = await pending(thief.companyId, endpoint.endpointId);
    await expect(attempt(job)).rejects.toThrow();
    expect(hook.received.length).toBe(before);
    const { data: left } = await WebhookDeliveryEntity.get({
      companyId: thief.companyId,
      endpointId: endpoint.endpointId,
      eventId: job.eventId,
    }).go({ consistent: true });
    expect(left).toMatchObject({ status: "pending", attempts: 0 });
  });

  it("still signs with an older endpoint's clear secret, sealing it and removing the clear one", async () => {
    const endpointId = ulid();
    const secret = `whsec_${ulid()}`;
    // As endpoints were stored before sealing.
    await WebhookEndpointEntity.create({
      companyId: company.companyId,
      endpointId,
      url: hook.url,
      events: ["message.replied"],
      secret,
      active: true,
      createdAt: new Date().toISOString(),
      createdByName: "Alice Admin",
    }).go();
    expect(await rawEndpoint(company.companyId, endpointId)).toHaveProperty("secret", secret);

    // Two attempts at once both read the clear secret: one seals it, the other finds it done.
    const jobs = await Promise.all([
      pending(company.companyId, endpointId),
      pending(company.companyId, endpointId),
    ]);
    expect(await Promise.all(jobs.map((job) => attempt(job)))).toEqual(["succeeded", "succeeded"]);
    for (const job of jobs) expect(verified(secret, await receivedFor(job.eventId))).toBe(true);

    const item = await rawEndpoint(company.companyId, endpointId);
    expect(item).not.toHaveProperty("secret");
    expect(JSON.stringify(item)).not.toContain(secret);
    expect(open(String(item!.sealedSecret), company.companyId, "webhook").toString("utf8")).toBe(secret);

    // From then on, through the sealed one: the receiver's secret is unchanged.
    const next = await pending(company.companyId, endpointId);
    expect(await attempt(next)).toBe("succeeded");
    expect(verified(secret, await receivedFor(next.eventId))).toBe(true);
  });

  it("seals an older endpoint's clear secret when its Admin lists the endpoints", async () => {
    const endpointId = ulid();
    const secret = `whsec_${ulid()}`;
    await WebhookEndpointEntity.create({
      companyId: company.companyId,
      endpointId,
      url: hook.url,
      events: ["message.replied"],
      secret,
      active: false,
      createdAt: new Date().toISOString(),
      createdByName: "Alice Admin",
    }).go();
    const listed = await admin(() => Webhook.list());
    expect(listed.map((item) => item.endpointId)).toContain(endpointId);
    expect(JSON.stringify(listed)).not.toContain(secret);
    const item = await rawEndpoint(company.companyId, endpointId);
    expect(item).not.toHaveProperty("secret");
    expect(open(String(item!.sealedSecret), company.companyId, "webhook").toString("utf8")).toBe(secret);
  });
});

describe("endpoint removal", () => {
  it("deletes the endpoint's deliveries with it, so no copy of a body outlives it unseen", async () => {
    const { endpoint } = await admin(() => Webhook.create({ url: hook.url, events: ["message.replied"] }));
    const sent = await admin(() => Webhook.ping(endpoint.endpointId));
    expect(await deliveryOf(endpoint.endpointId, sent.eventId)).toBeTruthy();
    await admin(() => Webhook.remove(endpoint.endpointId));
    const { data } = await WebhookDeliveryEntity.query
      .byEndpoint({ companyId: company.companyId, endpointId: endpoint.endpointId })
      .go({ consistent: true });
    expect(data).toEqual([]);
  });
});

describe("webhooks queue", () => {
  it("runs attempts on their own queue: the dispatch consumer refuses one, so SMS never wait on a receiver", async () => {
    const { config } = await import("../config");
    const Job = await import("../job");
    const target = await Job.target("webhook.attempt");
    expect(target).toMatchObject({ queue: "webhooks", url: config("WEBHOOK_QUEUE_URL") });
    expect(target.url).not.toBe(config("DISPATCH_QUEUE_URL"));
    const job = {
      kind: "webhook.attempt",
      companyId: company.companyId,
      endpointId: ulid(),
      eventId: ulid(),
      attempt: 1,
    };
    const context = { deadline: Date.now() + 60_000, timeLeft: () => 60_000, redelivered: false };
    await expect(Job.run(job, "dispatch", context)).rejects.toThrow(/runs on webhooks, not on dispatch/);
    // On its own queue it runs (nothing to send: no such delivery).
    expect(await Job.run(job, "webhooks", context)).toBe("skipped");
  });
});

describe("SSRF", () => {
  const production = { allowHosts: [] as string[] };
  const port = () => new URL(hook.url).port;

  it("refuses loopback, metadata and IPv6 loopback, and nothing reaches the target", async () => {
    const before = hook.received.length;
    for (const url of [
      `https://127.0.0.1:${port()}/hook`,
      `http://127.0.0.1:${port()}/hook`,
      "https://169.254.169.254/latest/meta-data/",
      `https://[::1]:${port()}/hook`,
      `https://[::ffff:127.0.0.1]:${port()}/hook`,
      "https://[fd00:ec2::254]/",
    ]) {
      const outcome = await post(url, "{}", {}, production);
      expect(outcome.ok, url).toBe(false);
      expect(outcome.status, url).toBeUndefined();
      expect(outcome.error, url).toMatch(/https|private or reserved/);
    }
    expect(hook.received.length).toBe(before);
  });

  it("refuses a name resolving to a private address, or to one private address among public ones", async () => {
    const toPrivate: Resolver = async () => [{ address: "10.0.0.1", family: 4 }];
    const mixed: Resolver = async () => [
      { address: "93.184.215.14", family: 4 },
      { address: "10.0.0.1", family: 4 },
    ];
    for (const resolve of [toPrivate, mixed]) {
      const outcome = await post("https://hooks.example.com/x", "{}", {}, { ...production, resolve });
      expect(outcome).toMatchObject({ ok: false, error: expect.stringContaining("10.0.0.1") });
    }
  });

  it("connects to the address it checked (pinned), keeping the name in Host", async () => {
    const before = hook.received.length;
    const resolve: Resolver = async () => [{ address: "127.0.0.1", family: 4 }];
    // A name no real DNS knows: only the pinned lookup can lead to the receiver.
    const outcome = await post(
      `http://receiver.invalid:${port()}/pinned`,
      "{}",
      {},
      {
        allowHosts: ["receiver.invalid"],
        resolve,
      },
    );
    expect(outcome).toMatchObject({ ok: true, status: 200 });
    const request = hook.received.slice(before).find((item) => item.path === "/pinned");
    expect(request?.headers.host).toBe(`receiver.invalid:${port()}`);
  });

  it("gives up on a receiver that trickles its answer past the time limit", async () => {
    const trickling = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/plain" });
      const drip = setInterval(() => response.write("."), 100);
      response.on("close", () => clearInterval(drip));
    });
    await new Promise<void>((resolve) => trickling.listen(0, "127.0.0.1", resolve));
    const { port: trickle } = trickling.address() as AddressInfo;
    try {
      // The answer never ends: without an overall limit this would wait forever.
      const outcome = await post(
        `http://127.0.0.1:${trickle}/slow`,
        "{}",
        {},
        {
          allowHosts: ["127.0.0.1"],
          timeoutMs: 600,
        },
      );
      expect(outcome).toMatchObject({ ok: false, error: "No answer within 0.6 s" });
    } finally {
      trickling.closeAllConnections();
      trickling.close();
    }
  });

  it("does not follow a redirect to 127.0.0.1: recorded as a failure, the target untouched", async () => {
    const target = await receiver();
    const redirecting = await receiver();
    redirecting.answer.status = 302;
    redirecting.answer.location = target.url;
    try {
      const outcome = await post(redirecting.url, "{}", {}, { allowHosts: ["127.0.0.1"] });
      expect(outcome).toMatchObject({ ok: false, status: 302, error: "Redirect (302) not followed" });
      expect(redirecting.received).toHaveLength(1);
      expect(target.received).toHaveLength(0);
    } finally {
      target.server.close();
      redirecting.server.close();
    }
  });

  it("classifies addresses", () => {
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "::1",
      "::",
      "fe80::1",
      "fc00::1",
      "fd00:ec2::254",
      "::ffff:127.0.0.1",
      "::ffff:a9fe:a9fe",
      "ff02::1",
      "not-an-ip",
    ])
      expect(isBlocked(address), address).toBe(true);
    for (const address of [
      "8.8.8.8",
      "93.184.215.14",
      "172.32.0.1",
      "2606:4700:4700::1111",
      "2001:4860:4860::8888",
    ])
      expect(isBlocked(address), address).toBe(false);
  });

  it("reads IPv4 in decimal, hex, octal or short forms as the address it is, without asking DNS", async () => {
    // A name would resolve to a public address: only parsing the host as an IP can refuse these.
    const toPublic: Resolver = async () => [{ address: "93.184.215.14", family: 4 }];
    for (const url of [
      "https://2130706433/",
      "https://0x7f.1/",
      "https://0x7f000001/",
      "https://0177.0.0.1/",
      "https://127.1/",
      "https://127.0.0.1./",
      "https://0.0.0.0/",
      "https://0/",
      "https://[::]/",
      "https://[::ffff:0:7f00:1]/",
      "https://[2002:7f00:1::]/",
      "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
      "https://192.88.99.1/",
    ])
      await expect(check(new URL(url), [], toPublic), url).rejects.toThrow(/private or reserved/);
  });

  it("refuses localhost however it is written, and IPv6 zone ids as invalid URLs", async () => {
    const system = (host: string) =>
      Promise.resolve([
        { address: host.startsWith("localhost") ? "127.0.0.1" : "93.184.215.14", family: 4 as const },
      ]);
    for (const url of ["https://localhost./", "https://LOCALHOST/", "https://localhost.:8443/"])
      await expect(check(new URL(url), [], system), url).rejects.toThrow(/private or reserved/);
    // The trailing dot is not the allowed host: a name is allowed only as written in the setting.
    await expect(check(new URL("https://localhost./"), ["localhost"], system)).rejects.toThrow(
      /private or reserved/,
    );
    expect(() => new URL("https://[fe80::1%25eth0]/")).toThrow();
    await expect(
      admin(async () =>
        Webhook.create({ url: "https://[fe80::1%25eth0]/hook", events: ["message.replied"] }),
      ),
    ).rejects.toThrow(/Invalid URL/);
    expect(await post("https://[fe80::1%25eth0]/hook", "{}", {}, production)).toMatchObject({
      ok: false,
      error: "Invalid URL",
    });
  });

  it("refuses http and private addresses at creation with a clear 400", async () => {
    await expect(check(new URL("http://hooks.example.com/"), [])).rejects.toThrow(/https/);
    for (const url of ["https://169.254.169.254/", "https://10.0.0.1/hook", "http://example.com/"])
      await expect(admin(() => Webhook.create({ url, events: ["message.replied"] }))).rejects.toMatchObject({
        code: "webhook.url_refused",
        status: 400,
      });
  });
});

describe("signature helper", () => {
  it("accepts a fresh signature, refuses a replayed old one or a changed body", async () => {
    const { header } = await import("./signature");
    const body = '{"id":"1"}';
    const now = new Date();
    const signed = header("whsec_test", body, now);
    expect(verify("whsec_test", signed, body, now)).toBe(true);
    expect(verify("whsec_test", signed, '{"id":"2"}', now)).toBe(false);
    expect(verify("whsec_test", signed, body, new Date(now.getTime() + 6 * 60_000))).toBe(false);
    expect(verify("whsec_other", signed, body, now)).toBe(false);
  });
});

describe("message.status_changed", () => {
  const outbox = async (companyId: string) =>
    (await OutboxEntity.query.byCompany({ companyId }).go({ consistent: true })).data.filter(
      (row) => row.name === "message.status_changed",
    );
  async function message(companyId: string) {
    const key = { companyId, campaignId: ulid(), messageId: ulid() };
    await MessageEntity.create({ ...key, channel: "sms", to: "+33612000000", status: "scheduled" }).go();
    return key;
  }
  const statusOf = async (key: MessageKey) =>
    (await MessageEntity.get(key).go({ consistent: true })).data?.status;

  it("is recorded with each real change for a subscribed company, never for a move that changes nothing", async () => {
    const listening = await newCompany();
    await Subscriptions.store(listening.companyId, ["message.status_changed"]);
    const key = await message(listening.companyId);

    expect(await advance(key, "sent")).toMatchObject({ status: "scheduled" });
    expect(await advance(key, "sent")).toBeUndefined();
    expect(await advance(key, "delivered", { statusReason: "TEXT_DELIVERED" })).toMatchObject({
      status: "sent",
    });
    // Late or out-of-order: no move, no event.
    expect(await advance(key, "sent")).toBeUndefined();
    expect(await advance({ ...key, messageId: ulid() }, "delivered")).toBeUndefined();

    expect(await statusOf(key)).toBe("delivered");
    const events = (await outbox(listening.companyId)).map((row) => row.payload);
    expect(events).toEqual([
      {
        campaignId: key.campaignId,
        messageId: key.messageId,
        from: "scheduled",
        status: "sent",
        channel: "sms",
      },
      {
        campaignId: key.campaignId,
        messageId: key.messageId,
        from: "sent",
        status: "delivered",
        channel: "sms",
        reason: "TEXT_DELIVERED",
      },
    ]);
  });

  it("is not recorded for a company without a subscribed endpoint, whose statuses still move", async () => {
    const quiet = await newCompany();
    const key = await message(quiet.companyId);
    expect(await advance(key, "sent")).toMatchObject({ status: "scheduled" });
    expect(await advance(key, "delivered")).toMatchObject({ status: "sent" });
    expect(await statusOf(key)).toBe("delivered");
    expect(await outbox(quiet.companyId)).toEqual([]);
  });

  it("shares the status write's fate: an event that cannot be written leaves the status as it was", async () => {
    const listening = await newCompany();
    await Subscriptions.store(listening.companyId, ["message.status_changed"]);
    const key = await message(listening.companyId);
    const create = MessageStatusChanged.create.bind(MessageStatusChanged);
    // The outbox write refused (a put that must not find the message's own item, which exists).
    const spy = vi.spyOn(MessageStatusChanged, "create").mockImplementation((payload) => {
      const recorded = create(payload);
      const refused = MessageEntity.create({ ...key, channel: "sms", to: "+33612000000", status: "sent" });
      return { ...recorded, write: write.put(refused.params()) };
    });
    try {
      await expect(advance(key, "sent")).rejects.toThrow();
    } finally {
      spy.mockRestore();
    }
    expect(await statusOf(key)).toBe("scheduled");
    expect(await outbox(listening.companyId)).toEqual([]);
  });
});

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { open } from "../../core/signature/envelope";
import { verify } from "../../core/webhook/signature";
import { WebhookEndpointEntity } from "../../core/webhook/webhook.entity";
import { type Browser, loggedIn, newCompany, type TestCompany, until } from "./testing";

/** The signing secret through the API: handed over once at creation, never again, stored sealed. */
type Received = { signature: string; eventId: string; body: string };
let company: TestCompany;
let admin: Browser;
let receiver: Server;
let url: string;
const received: Received[] = [];
beforeAll(async () => {
  company = await newCompany();
  admin = await loggedIn(company, company.admin.email);
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        signature: String(request.headers["relais-signature"]),
        eventId: String(request.headers["relais-event-id"]),
        body: Buffer.concat(chunks).toString("utf8"),
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(() => receiver.close());

describe("webhook secret", () => {
  it("is shown at creation only, stored sealed, and signs the test sent from the console", async () => {
    const created = await admin.post("/api/webhooks", { url, events: ["message.replied"] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const secret = String(created.body.secret);
    expect(secret).toMatch(/^whsec_/);
    const { endpointId } = created.body.endpoint as { endpointId: string };

    const { data } = await WebhookEndpointEntity.get({ companyId: company.companyId, endpointId }).go({
      data: "raw",
      consistent: true,
    });
    const item = (data as { Item?: Record<string, unknown> }).Item;
    expect(item).not.toHaveProperty("secret");
    expect(JSON.stringify(item)).not.toContain(secret);
    const sealed = String(item?.sealedSecret);
    expect(open(sealed, company.companyId, "webhook").toString("utf8")).toBe(secret);

    const answers = [
      await admin.get("/api/webhooks"),
      await admin.patch(`/api/webhooks/${endpointId}`, { events: ["message.replied", "dossier.submitted"] }),
      await admin.post(`/api/webhooks/${endpointId}/ping`),
      await admin.get(`/api/webhooks/${endpointId}/deliveries`),
    ];
    for (const answer of answers) {
      expect(answer.status).toBeLessThan(300);
      const text = JSON.stringify(answer.body);
      expect(text).not.toContain(secret);
      expect(text).not.toContain(sealed);
      expect(text).not.toMatch(/secret/i);
    }

    const pinged = (answers[2]!.body.delivery as { eventId: string }).eventId;
    const request = await until(async () => received.find((item) => item.eventId === pinged));
    expect(verify(secret, request.signature, request.body)).toBe(true);
  });
});

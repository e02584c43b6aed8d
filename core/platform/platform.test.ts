import { SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { ulid } from "ulid";
import { afterEach, describe, expect, it } from "vitest";
import { config, resetConfig } from "../config";
import { sns, sqs } from "./clients";
import * as Mailer from "./mailer";
import * as Queue from "./queue";
import * as Scheduler from "./scheduler";
import * as Sms from "./sms";
import * as Storage from "./storage";
import * as Topic from "./topic";

/**
 * Contract tests of the ports against the local cloud: the same SDK calls production makes, so a
 * difference between an emulator and AWS's documented behaviour shows up here.
 */
async function scratchQueue() {
  const created = await sqs().send(new CreateQueueCommand({ QueueName: `test-${ulid()}` }));
  const attributes = await sqs().send(
    new GetQueueAttributesCommand({ QueueUrl: created.QueueUrl, AttributeNames: ["QueueArn"] }),
  );
  return { url: created.QueueUrl!, arn: attributes.Attributes!.QueueArn! };
}

async function drain(queueUrl: string, expected: number, timeoutMs = 10_000) {
  const bodies: string[] = [];
  const deadline = Date.now() + timeoutMs;
  while (bodies.length < expected && Date.now() < deadline) {
    const received = await sqs().send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    bodies.push(...(received.Messages ?? []).map((message) => message.Body ?? ""));
  }
  return bodies;
}

describe("Queue port", () => {
  it("enqueues more than ten messages in batches, each exactly once", async () => {
    const queue = await scratchQueue();
    const messages = Array.from({ length: 23 }, (_, index) => ({ id: `m${index}`, body: { index } }));
    await Queue.sendBatch(queue.url, messages);
    const bodies = await drain(queue.url, 23);
    const indexes = bodies.map((body) => (JSON.parse(body) as { index: number }).index).sort((a, b) => a - b);
    expect(indexes).toEqual(messages.map((_, index) => index));
  });
});

describe("Topic port", () => {
  it("publishes to SNS and reaches a subscribed queue inside the SNS envelope", async () => {
    const queue = await scratchQueue();
    await sns().send(
      new SubscribeCommand({
        TopicArn: config("SMS_EVENTS_TOPIC_ARN"),
        Protocol: "sqs",
        Endpoint: queue.arn,
      }),
    );
    const marker = ulid();
    await Topic.publish(config("SMS_EVENTS_TOPIC_ARN"), { marker });
    const bodies = await drain(queue.url, 1);
    const envelope = JSON.parse(bodies[0] ?? "{}") as { Type: string; Message: string };
    expect(envelope.Type).toBe("Notification");
    expect(JSON.parse(envelope.Message)).toEqual({ marker });
  });
});

describe("Storage port", () => {
  it("stores and reads back an object", async () => {
    const key = `tests/${ulid()}.txt`;
    await Storage.put("vault", key, "Contrat signé", "text/plain; charset=utf-8");
    const body = await Storage.read("vault", key);
    expect(await body.transformToString()).toBe("Contrat signé");
  });

  it("lets a browser upload through a presigned POST and download through a signed link", async () => {
    const key = `tmp/${ulid()}.csv`;
    const upload = await Storage.presignUpload("attachments", key, { maxBytes: 1024 });
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append("file", new Blob(["nom;prenom\nMartin;Camille\n"], { type: "text/csv" }), "liste.csv");
    const posted = await fetch(upload.url, { method: "POST", body: form });
    expect(posted.status).toBeLessThan(300);

    const link = await Storage.presignDownload("attachments", key, { fileName: "liste.csv" });
    const downloaded = await fetch(link);
    expect(await downloaded.text()).toBe("nom;prenom\nMartin;Camille\n");
  });
});

describe("Mailer port", () => {
  it("sends an email with an attachment that the local mailbox shows", async () => {
    const subject = `Planning ${ulid()}`;
    const id = await Mailer.send({
      to: ["camille.martin@example.fr"],
      subject,
      html: "<p>Bonjour Camille</p>",
      text: "Bonjour Camille",
      attachments: [
        { fileName: "planning.txt", contentType: "text/plain", content: new TextEncoder().encode("lundi") },
      ],
      tags: { campaign: "c1" },
    });
    expect(id).toBeTruthy();
    const store = (await (await fetch(`${process.env.AWS_ENDPOINT_URL_SESV2}/store`)).json()) as {
      emails: Array<{ subject: string; attachments?: Array<{ filename?: string }> }>;
    };
    const mail = store.emails.find((email) => email.subject === subject);
    expect(mail).toBeDefined();
    expect(JSON.stringify(mail)).toContain("planning.txt");
  });
});

describe("SMS port", () => {
  const control = () => process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2;
  afterEach(async () => {
    await fetch(`${control()}/_emulator/faults`, { method: "DELETE" });
  });

  it("sends a text and gets a message id", async () => {
    const id = await Sms.send({
      to: "+33612345678",
      body: "Dispo demain ? Répondez OUI ou NON",
      messageType: "TRANSACTIONAL",
    });
    expect(id).toMatch(/\w+/);
  });

  it("classifies throttling as transient, so the queue retries it", async () => {
    await fetch(`${control()}/_emulator/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ operation: "SendTextMessage", error: "ThrottlingException", count: 10 }),
    });
    await expect(
      Sms.send({ to: "+33612345678", body: "x", messageType: "TRANSACTIONAL" }),
    ).rejects.toMatchObject({
      name: "SmsError",
      kind: "transient",
    });
  });

  it("classifies an invalid destination as permanent", async () => {
    await expect(Sms.send({ to: "+3361", body: "x", messageType: "TRANSACTIONAL" })).rejects.toMatchObject({
      name: "SmsError",
      kind: "permanent",
    });
  });
});

describe("Scheduler port", () => {
  const saved = process.env.DISPATCH_QUEUE_ARN;
  afterEach(() => {
    process.env.DISPATCH_QUEUE_ARN = saved;
    resetConfig();
  });

  it("fires a one-time schedule onto the target queue once, then forgets it", async () => {
    const queue = await scratchQueue();
    process.env.DISPATCH_QUEUE_ARN = queue.arn;
    resetConfig();
    const name = `test-${ulid()}`;
    await Scheduler.scheduleOnce({ name, at: new Date(Date.now() + 1000), input: { kind: "launch", name } });
    // A retried create (same name) reschedules instead of failing or duplicating.
    await Scheduler.scheduleOnce({ name, at: new Date(Date.now() + 1000), input: { kind: "launch", name } });
    const bodies = await drain(queue.url, 1);
    expect(bodies.map((body) => JSON.parse(body))).toEqual([{ kind: "launch", name }]);
    expect(await drain(queue.url, 1, 2000)).toEqual([]);
    await Scheduler.cancel(name);
  });

  it("cancels a schedule before it fires", async () => {
    const queue = await scratchQueue();
    process.env.DISPATCH_QUEUE_ARN = queue.arn;
    resetConfig();
    const name = `test-${ulid()}`;
    await Scheduler.scheduleOnce({ name, at: new Date(Date.now() + 1500), input: { name } });
    await Scheduler.cancel(name);
    await Scheduler.cancel(name);
    expect(await drain(queue.url, 1, 3000)).toEqual([]);
  });
});

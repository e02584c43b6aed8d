import { GetScheduleCommand } from "@aws-sdk/client-scheduler";
import { SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { ulid } from "ulid";
import { afterEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { config, resetConfig } from "../config";
import * as Job from "../job";
import { scheduler, sns, sqs } from "./clients";
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
  // A job kind of its own, on the import queue: any kind, on any job queue, can be scheduled.
  const Probe = Job.define({
    kind: "test.scheduler-probe",
    queue: "import",
    schema: z.object({ kind: z.literal("test.scheduler-probe"), companyId: z.string(), name: z.string() }),
    run: async () => {},
  });
  const saved = process.env.IMPORT_QUEUE_ARN;
  afterEach(() => {
    process.env.IMPORT_QUEUE_ARN = saved;
    resetConfig();
  });
  const onScratchQueue = async () => {
    const queue = await scratchQueue();
    process.env.IMPORT_QUEUE_ARN = queue.arn;
    resetConfig();
    return queue;
  };
  const probe = (name: string) => ({ kind: Probe.kind, companyId: "C1", name });

  it("fires a one-time schedule onto its job's queue once, then forgets it", async () => {
    const queue = await onScratchQueue();
    const name = `test-${ulid()}`;
    await Scheduler.at(name, new Date(Date.now() + 1000), probe(name));
    // A retried create (same name) reschedules instead of failing or duplicating.
    await Scheduler.at(name, new Date(Date.now() + 1000), probe(name));
    const bodies = await drain(queue.url, 1);
    expect(bodies.map((body) => JSON.parse(body))).toEqual([probe(name)]);
    expect(await drain(queue.url, 1, 2000)).toEqual([]);
    await Scheduler.cancel(name);
  });

  it("cancels a schedule before it fires", async () => {
    const queue = await onScratchQueue();
    const name = `test-${ulid()}`;
    // Far enough ahead that a slow machine still cancels first; the schedule must then be gone.
    await Scheduler.at(name, new Date(Date.now() + 20_000), probe(name));
    await Scheduler.cancel(name);
    await Scheduler.cancel(name);
    await expect(
      scheduler().send(new GetScheduleCommand({ Name: name, GroupName: config("SCHEDULE_GROUP") })),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    expect(await drain(queue.url, 1, 1000)).toEqual([]);
  });

  it("keeps a recurring schedule in Paris time, replacing it when created again", async () => {
    const queue = await onScratchQueue();
    const name = `test-${ulid()}`;
    await Scheduler.cron(name, "0 8 ? * MON-FRI *", probe(name));
    await Scheduler.cron(name, "cron(30 7 ? * MON-FRI *)", probe(name));
    const schedule = await scheduler().send(
      new GetScheduleCommand({ Name: name, GroupName: config("SCHEDULE_GROUP") }),
    );
    expect(schedule).toMatchObject({
      ScheduleExpression: "cron(30 7 ? * MON-FRI *)",
      ScheduleExpressionTimezone: "Europe/Paris",
      Target: { Arn: queue.arn, Input: JSON.stringify(probe(name)) },
    });
    expect(schedule.ActionAfterCompletion ?? "NONE").toBe("NONE");
    await Scheduler.cancel(name);
  });

  it("refuses a job of a kind nobody defined, before creating anything", async () => {
    await expect(
      Scheduler.at(`test-${ulid()}`, new Date(Date.now() + 60_000), {
        kind: "nobody.knows",
        companyId: "C1",
      }),
    ).rejects.toThrow(/nobody.knows/);
  });

  it("names schedules within Scheduler's rules, the same subject always alike", () => {
    expect(Scheduler.nameOf("campaign", "01J0000000000000000000000A")).toBe(
      "campaign-01J0000000000000000000000A",
    );
    const long = Scheduler.nameOf("reminder", "é/".repeat(40));
    expect(long).toMatch(/^[0-9a-zA-Z\-_.]{1,64}$/);
    expect(Scheduler.nameOf("reminder", "é/".repeat(40))).toBe(long);
    expect(Scheduler.nameOf("reminder", "è/".repeat(40))).not.toBe(long);
    expect(Scheduler.nameOf("a b")).not.toBe(Scheduler.nameOf("a_b"));
  });
});

describe("Queue port: addresses", () => {
  it("finds a queue's URL from its ARN, as a dead letter's retry does", async () => {
    const queue = await scratchQueue();
    expect(await Queue.urlOf(queue.arn)).toBe(queue.url);
  });
});

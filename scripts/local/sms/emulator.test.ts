import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ConflictException,
  CreateConfigurationSetCommand,
  CreateEventDestinationCommand,
  DescribeConfigurationSetsCommand,
  DescribeOptedOutNumbersCommand,
  DescribePhoneNumbersCommand,
  DescribeRegistrationsCommand,
  DescribeSenderIdsCommand,
  InternalServerException,
  PinpointSMSVoiceV2Client,
  RequestPhoneNumberCommand,
  RequestSenderIdCommand,
  ResourceNotFoundException,
  SendTextMessageCommand,
  SendVoiceMessageCommand,
  ThrottlingException,
  UpdatePhoneNumberCommand,
  ValidationException,
} from "@aws-sdk/client-pinpoint-sms-voice-v2";
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { type FauxqsServer, startFauxqs } from "fauxqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SmsEmulator, startSmsEmulator } from "./emulator";
import { type InboundSms, matches, type SmsEvent } from "./sms-events";
import { countSegments } from "./sms-segments";
import type { Message } from "./state";

const region = "eu-west-3";
const accountId = "123456789012";
const credentials = { accessKeyId: "local", secretAccessKey: "local" };
const configurationSet = "relais-test";

let fauxqs: FauxqsServer;
let emulator: SmsEmulator;
let dataDir: string;
let sms: PinpointSMSVoiceV2Client;
let sqs: SQSClient;
let eventsQueue: string;
let inboundQueue: string;
let inboundTopic: string;
let longNumber: string;

/** Everything read so far from each queue, so a test never loses what another one's read. */
const inbox = new Map<string, unknown[]>();

/** Reads the queue (long polling) until `done` holds over what it has received; the deadline is a safety net. */
async function waitFor<T>(queueUrl: string, select: (all: T[]) => T[], done: (found: T[]) => boolean) {
  const seen = inbox.get(queueUrl) ?? [];
  inbox.set(queueUrl, seen);
  const deadline = Date.now() + 8000;
  for (;;) {
    const found = select(seen as T[]);
    if (done(found)) return found;
    if (Date.now() > deadline) throw new Error(`Gave up waiting; found ${JSON.stringify(found)}`);
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    for (const message of Messages) {
      // SNS → SQS without raw delivery: the payload is the envelope's Message, as in production.
      seen.push(JSON.parse((JSON.parse(message.Body ?? "{}") as { Message: string }).Message));
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  }
}

const eventsOf = (messageId: string, untilFinal = true) =>
  waitFor<SmsEvent>(
    eventsQueue,
    (all) => all.filter((e) => e.messageId === messageId),
    (found) => (untilFinal ? found.some((e) => e.isFinal) : found.length > 0),
  );

const control = (path: string, init?: { method?: string; body?: unknown }) =>
  fetch(`${emulator.url}/_emulator${path}`, {
    method: init?.method ?? (init?.body ? "POST" : "GET"),
    headers: { "content-type": "application/json" },
    ...(init?.body ? { body: JSON.stringify(init.body) } : {}),
  });

const send = (to: string, body = "Bonjour, êtes-vous disponible demain ?", extra = {}) =>
  sms.send(
    new SendTextMessageCommand({
      DestinationPhoneNumber: to,
      OriginationIdentity: longNumber,
      MessageBody: body,
      MessageType: "TRANSACTIONAL",
      ConfigurationSetName: configurationSet,
      ...extra,
    }),
  );

beforeAll(async () => {
  fauxqs = await startFauxqs({ port: 0, logger: false, defaultRegion: region });
  const topicWithQueue = (name: string) => {
    const { topicArn } = fauxqs.createTopic(name, { region });
    const { queueUrl } = fauxqs.createQueue(name, { region });
    fauxqs.subscribe({ topic: name, queue: name, region });
    return { topicArn, queueUrl };
  };
  const events = topicWithQueue("sms-events");
  const inbound = topicWithQueue("sms-inbound");
  const eventsTopic = events.topicArn;
  eventsQueue = events.queueUrl;
  inboundTopic = inbound.topicArn;
  inboundQueue = inbound.queueUrl;
  sqs = new SQSClient({ region, endpoint: fauxqs.address, credentials });

  dataDir = await mkdtemp(join(tmpdir(), "sms-emulator-"));
  emulator = await startSmsEmulator({
    port: 0,
    region,
    accountId,
    snsEndpoint: fauxqs.address,
    dataDir,
    delayMs: 0,
    slowDelayMs: 0,
  });
  // No retries: each injected fault must surface as is.
  sms = new PinpointSMSVoiceV2Client({ region, endpoint: emulator.url, credentials, maxAttempts: 1 });

  await sms.send(new CreateConfigurationSetCommand({ ConfigurationSetName: configurationSet }));
  await sms.send(
    new CreateEventDestinationCommand({
      ConfigurationSetName: configurationSet,
      EventDestinationName: "to-sns",
      MatchingEventTypes: ["TEXT_ALL"],
      SnsDestination: { TopicArn: eventsTopic },
    }),
  );
  const number = await sms.send(
    new RequestPhoneNumberCommand({
      IsoCountryCode: "FR",
      MessageType: "TRANSACTIONAL",
      NumberCapabilities: ["SMS"],
      NumberType: "LONG_CODE",
    }),
  );
  longNumber = number.PhoneNumber ?? "";
  await sms.send(
    new UpdatePhoneNumberCommand({
      PhoneNumberId: number.PhoneNumberId,
      TwoWayEnabled: true,
      TwoWayChannelArn: inboundTopic,
    }),
  );
  await sms.send(new RequestSenderIdCommand({ SenderId: "RELAIS", IsoCountryCode: "FR" }));
});

afterAll(async () => {
  sms?.destroy();
  sqs?.destroy();
  await emulator?.stop();
  await fauxqs?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("SMS emulator, driven by the real PinpointSMSVoiceV2Client", () => {
  it("publishes TEXT_SUCCESSFUL then TEXT_DELIVERED with the documented fields and the Context echoed", async () => {
    const context = { messageId: "01J0000000000000000000TEST", companyId: "acme" };

    const { MessageId } = await send("+33612345678", "Mission demain 8h ?", { Context: context });
    const events = await eventsOf(MessageId ?? "");

    expect(events.map((e) => [e.eventType, e.isFinal])).toEqual([
      ["TEXT_SUCCESSFUL", false],
      ["TEXT_DELIVERED", true],
    ]);
    const delivered = events[1];
    expect(Object.keys(delivered ?? {}).sort()).toEqual(
      [
        "eventType",
        "eventVersion",
        "eventTimestamp",
        "isFinal",
        "originationPhoneNumber",
        "destinationPhoneNumber",
        "isInternationalSend",
        "isoCountryCode",
        "messageId",
        "messageRequestTimestamp",
        "messageEncoding",
        "messageType",
        "messageStatus",
        "messageStatusDescription",
        "context",
        "totalMessageParts",
        "totalMessagePrice",
        "totalCarrierFee",
      ].sort(),
    );
    expect(delivered).toMatchObject({
      eventVersion: "1.0",
      originationPhoneNumber: longNumber,
      destinationPhoneNumber: "+33612345678",
      isInternationalSend: false,
      isoCountryCode: "FR",
      messageId: MessageId,
      messageEncoding: "GSM",
      messageType: "TRANSACTIONAL",
      messageStatus: "DELIVERED",
      context,
      totalMessageParts: 1,
    });
    expect(events[0]?.messageStatusDescription).toBe("Message has been accepted by phone carrier");
    expect(delivered?.eventTimestamp).toBeGreaterThanOrEqual(delivered?.messageRequestTimestamp ?? Infinity);
  });

  it("counts parts and encoding into the events", async () => {
    const { MessageId } = await send("+33612345679", "Êtes-vous disponible ? ".repeat(4));

    const [first] = await eventsOf(MessageId ?? "");

    expect(first).toMatchObject({ messageEncoding: "Unicode", totalMessageParts: 2 });
  });

  it.each([
    ["+33600000001", ["TEXT_INVALID"]],
    ["+33600000002", ["TEXT_SUCCESSFUL", "TEXT_UNREACHABLE"]],
    ["+33600000003", ["TEXT_QUEUED", "TEXT_TTL_EXPIRED"]],
    ["+33600000005", ["TEXT_SPAM"]],
    ["+33600000007", ["TEXT_PENDING", "TEXT_SUCCESSFUL", "TEXT_DELIVERED"]],
  ])("plays the reserved outcome of %s", async (to, expected) => {
    const { MessageId } = await send(to);

    const events = await eventsOf(MessageId ?? "");

    expect(events.map((e) => e.eventType)).toEqual(expected);
    expect(events.at(-1)?.messageStatus).toBe(expected.at(-1)?.slice("TEXT_".length));
  });

  it("refuses the reserved opted-out number with ConflictException", async () => {
    const error = await send("+33600000006").catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConflictException);
    expect((error as ConflictException).Reason).toBe("DESTINATION_PHONE_NUMBER_OPTED_OUT");
  });

  it("refuses a destination that is not E.164 with ValidationException", async () => {
    for (const to of ["0612345678", "+3361234", "+33 6 12 34 56 78"]) {
      const error = await send(to).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ValidationException);
      expect((error as ValidationException).Fields?.[0]?.Name).toBe("DestinationPhoneNumber");
      expect((error as ValidationException).$metadata.httpStatusCode).toBe(400);
    }
  });

  it("answers ResourceNotFoundException for an unknown configuration set", async () => {
    const error = await send("+33612345678", "x", { ConfigurationSetName: "nope" }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as ResourceNotFoundException).ResourceType).toBe("configuration-set");
  });

  it("surfaces an injected ThrottlingException as the SDK's class, then recovers", async () => {
    await control("/faults", {
      body: { operation: "SendTextMessage", error: "ThrottlingException", count: 1 },
    });

    const error = await send("+33612345678").catch((e: unknown) => e);
    const next = await send("+33612345678");

    expect(error).toBeInstanceOf(ThrottlingException);
    expect((error as ThrottlingException).$metadata.httpStatusCode).toBe(400);
    expect((error as ThrottlingException).$retryable?.throttling).toBe(true);
    expect(next.MessageId).toBeDefined();
  });

  it("surfaces an injected InternalServerException as a 5xx", async () => {
    await control("/faults", { body: { operation: "*", error: "InternalServerException", count: 1 } });

    const error = await send("+33612345678").catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InternalServerException);
    expect((error as InternalServerException).$metadata.httpStatusCode).toBe(500);
    expect((error as InternalServerException).$fault).toBe("server");
  });

  it("clears injected faults on DELETE", async () => {
    await control("/faults", {
      body: { operation: "SendTextMessage", error: "ThrottlingException", count: 5 },
    });

    await control("/faults", { method: "DELETE" });

    await expect(send("+33612345678")).resolves.toHaveProperty("MessageId");
  });

  it("answers an unknown operation with a clear error", async () => {
    const error = await sms
      .send(
        new SendVoiceMessageCommand({
          DestinationPhoneNumber: "+33612345678",
          OriginationIdentity: longNumber,
        }),
      )
      .catch((e: unknown) => e);

    expect((error as Error).name).toBe("UnknownOperationException");
    expect((error as Error).message).toContain("SendVoiceMessage");
  });

  it("describes configuration sets with their event destinations, numbers and sender IDs", async () => {
    const sets = await sms.send(
      new DescribeConfigurationSetsCommand({ ConfigurationSetNames: [configurationSet] }),
    );
    const numbers = await sms.send(
      new DescribePhoneNumbersCommand({ Filters: [{ Name: "two-way-enabled", Values: ["true"] }] }),
    );
    const senders = await sms.send(new DescribeSenderIdsCommand({}));

    expect(sets.ConfigurationSets?.[0]?.EventDestinations?.[0]).toMatchObject({
      EventDestinationName: "to-sns",
      Enabled: true,
      MatchingEventTypes: ["TEXT_ALL"],
    });
    expect(sets.ConfigurationSets?.[0]?.CreatedTimestamp).toBeInstanceOf(Date);
    expect(numbers.PhoneNumbers?.map((n) => n.PhoneNumber)).toEqual([longNumber]);
    expect(numbers.PhoneNumbers?.[0]?.TwoWayChannelArn).toBe(inboundTopic);
    expect(senders.SenderIds?.[0]).toMatchObject({ SenderId: "RELAIS", IsoCountryCode: "FR" });
  });

  it("describes the registrations its numbers were requested with, and no other", async () => {
    const all = await sms.send(new DescribeRegistrationsCommand({}));
    expect(all.Registrations).toEqual([]);
    const error = await sms
      .send(new DescribeRegistrationsCommand({ RegistrationIds: ["registration-inconnue"] }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
  });

  it("reads its endpoint from AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2", async () => {
    const previous = process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2;
    process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2 = emulator.url;
    const client = new PinpointSMSVoiceV2Client({ region, credentials });
    try {
      const result = await client.send(new DescribeConfigurationSetsCommand({}));

      expect(result.ConfigurationSets?.map((s) => s.ConfigurationSetName)).toContain(configurationSet);
    } finally {
      client.destroy();
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2;
      else process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2 = previous;
    }
  });
});

describe("two-way SMS", () => {
  it("publishes a reply to the number's TwoWayChannelArn with the documented payload", async () => {
    const { MessageId } = await send("+33611111111", "Mission demain 8h, OUI ou NON ?");

    const response = await control("/reply", { body: { from: "+33611111111", body: "OUI" } });
    const { payload } = (await response.json()) as { payload: InboundSms };
    const [received] = await waitFor<InboundSms>(
      inboundQueue,
      (all) => all.filter((p) => p.inboundMessageId === payload.inboundMessageId),
      (found) => found.length > 0,
    );

    expect(response.status).toBe(202);
    expect(Object.keys(received ?? {}).sort()).toEqual(
      [
        "originationNumber",
        "destinationNumber",
        "messageKeyword",
        "messageBody",
        "inboundMessageId",
        "previousPublishedMessageId",
      ].sort(),
    );
    expect(received).toMatchObject({
      originationNumber: "+33611111111",
      destinationNumber: longNumber,
      messageKeyword: `KEYWORD_${accountId}`,
      messageBody: "OUI",
      previousPublishedMessageId: MessageId,
    });
  });

  it("still publishes STOP, then refuses to send to the opted-out number", async () => {
    const { MessageId } = await send("+33622222222");

    const response = await control("/reply", {
      body: { from: "+33622222222", body: "Stop", inReplyTo: MessageId },
    });
    const { payload } = (await response.json()) as { payload: InboundSms };
    const [received] = await waitFor<InboundSms>(
      inboundQueue,
      (all) => all.filter((p) => p.inboundMessageId === payload.inboundMessageId),
      (found) => found.length > 0,
    );
    const optedOut = await sms.send(new DescribeOptedOutNumbersCommand({ OptOutListName: "Default" }));
    const error = await send("+33622222222").catch((e: unknown) => e);

    expect(received).toMatchObject({
      messageKeyword: "STOP",
      messageBody: "Stop",
      previousPublishedMessageId: MessageId,
    });
    expect(optedOut.OptedOutNumbers?.map((o) => o.OptedOutNumber)).toContain("+33622222222");
    expect((error as ConflictException).Reason).toBe("DESTINATION_PHONE_NUMBER_OPTED_OUT");
  });

  it("refuses a reply to a message sent from a sender ID", async () => {
    const { MessageId } = await send("+33633333333", "Info", { OriginationIdentity: "RELAIS" });

    const response = await control("/reply", {
      body: { from: "+33633333333", body: "OUI", inReplyTo: MessageId },
    });

    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: string }).error).toContain("sender ID");
  });
});

describe("control API and phone page", () => {
  it("lists what was sent to a number, newest first", async () => {
    const first = await send("+33644444444", "premier");
    const second = await send("+33644444444", "second");

    const response = await control(`/messages?${new URLSearchParams({ to: "+33644444444" })}`);
    const { messages } = (await response.json()) as { messages: Message[] };

    expect(messages.map((m) => m.messageId)).toEqual([second.MessageId, first.MessageId]);
    expect(messages[0]).toMatchObject({ from: longNumber, body: "second", direction: "outbound" });
  });

  it("renders the phone page with every message text escaped", async () => {
    const hostile = `<script>alert("x")</script><img src=x onerror=alert(1)> & co`;
    await send("+33655555555", hostile);

    const response = await fetch(`${emulator.url}/?${new URLSearchParams({ number: "+33655555555" })}`);
    const html = await response.text();
    const fragment = await (
      await fetch(`${emulator.url}/phone/thread?${new URLSearchParams({ number: "+33655555555" })}`)
    ).text();

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(html).toContain(
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; co",
    );
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("Répondre (reply)");
    expect(fragment).toContain("&lt;script&gt;");
    expect(fragment).not.toContain("<script>");
    expect(response.headers.get("content-security-policy")).toContain("script-src 'nonce-");
  });

  it("escapes a hostile number typed in the page's address", async () => {
    const response = await fetch(
      `${emulator.url}/?${new URLSearchParams({ number: '"><svg onload=alert(1)>' })}`,
    );
    const html = await response.text();

    expect(html).toContain("&quot;&gt;&lt;svg onload=alert(1)&gt;");
    expect(html).not.toContain("<svg");
  });

  it("keeps its resources across a restart when given a data dir", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sms-emulator-restart-"));
    const options = { port: 0, region, accountId, snsEndpoint: fauxqs.address, dataDir: dir, delayMs: 0 };
    try {
      const before = await startSmsEmulator(options);
      const client = new PinpointSMSVoiceV2Client({
        region,
        endpoint: before.url,
        credentials,
        maxAttempts: 1,
      });
      await client.send(new CreateConfigurationSetCommand({ ConfigurationSetName: "kept" }));
      await before.stop();

      const after = await startSmsEmulator(options);
      const again = new PinpointSMSVoiceV2Client({
        region,
        endpoint: after.url,
        credentials,
        maxAttempts: 1,
      });
      const sets = await again.send(new DescribeConfigurationSetsCommand({}));
      await after.stop();
      client.destroy();
      again.destroy();

      expect(sets.ConfigurationSets?.map((s) => s.ConfigurationSetName)).toEqual(["kept"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("countSegments", () => {
  it.each([
    ["a".repeat(160), "GSM", 1],
    ["a".repeat(161), "GSM", 2],
    ["a".repeat(306), "GSM", 2],
    ["a".repeat(307), "GSM", 3],
    ["€".repeat(80), "GSM", 1],
    ["€".repeat(81), "GSM", 2],
    ["é".repeat(160), "GSM", 1],
    ["ê".repeat(70), "Unicode", 1],
    ["ê".repeat(71), "Unicode", 2],
    ["ê".repeat(134), "Unicode", 2],
    ["ê".repeat(135), "Unicode", 3],
  ])("counts %#", (body, encoding, parts) => {
    expect(countSegments(body)).toMatchObject({ encoding, parts });
  });
});

describe("matches", () => {
  it.each([
    [["ALL"], "TEXT_SPAM", true],
    [["TEXT_ALL"], "TEXT_DELIVERED", true],
    [["TEXT_DELIVERED"], "TEXT_DELIVERED", true],
    [["TEXT_DELIVERED"], "TEXT_SUCCESSFUL", false],
    [["VOICE_ALL"], "TEXT_DELIVERED", false],
  ] as const)("routes %j + %s → %s", (types, eventType, expected) => {
    expect(matches(types, eventType)).toBe(expected);
  });
});

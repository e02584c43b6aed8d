/**
 * A local AWS End User Messaging SMS ("pinpoint-sms-voice-v2"), since no emulator exists on npm.
 * Production code reaches it through the real SDK with AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2=<url>
 * (the SDK derives the variable from its serviceId "Pinpoint SMS Voice V2"). The wire protocol is awsJson1_0:
 * POST / with `X-Amz-Target: PinpointSMSVoiceV2.<Operation>`. Events and inbound replies go to real SNS
 * topics on `snsEndpoint` (fauxqs locally). See README.md for the reserved numbers and the control API.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { PublishBatchCommand, SNSClient } from "@aws-sdk/client-sns";
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";
import { AwsError } from "./aws-error";
import { controlRoutes } from "./control";
import { Delivery, type Publish } from "./delivery";
import { Faults } from "./faults";
import { operations } from "./operations";
import { normalizeNumber } from "./phone-numbers";
import { renderPhonePage, renderThread } from "./phone-page";
import { Store } from "./state";

export type SmsEmulatorOptions = {
  /** 0 picks a free port. */
  port: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  region: string;
  /** Used in the ARNs the emulator hands out and in inbound messageKeyword. */
  accountId: string;
  snsEndpoint: string;
  /** When set, configuration sets, numbers, sender IDs, opt-outs and the message log survive a restart. */
  dataDir?: string;
  /** Pause before each delivery event; 0 in tests. Default 200 ms. */
  delayMs?: number;
  /** Pause before the slow step of +33600000007. Default 3 s. */
  slowDelayMs?: number;
};

export type SmsEmulator = { url: string; port: number; stop(): Promise<void> };

const target = "PinpointSMSVoiceV2.";
const json10 = "application/x-amz-json-1.0";

export async function startSmsEmulator(options: SmsEmulatorOptions): Promise<SmsEmulator> {
  const host = options.host ?? "127.0.0.1";
  const store = await Store.open(options.dataDir);
  const sns = new SNSClient({
    region: options.region,
    endpoint: options.snsEndpoint,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const publish = batchedPublish(sns);
  const delivery = new Delivery(store, publish, {
    delayMs: options.delayMs ?? 200,
    slowDelayMs: options.slowDelayMs ?? 3000,
  });
  const faults = new Faults();
  const ops = operations({ store, region: options.region, accountId: options.accountId, delivery });

  const app = new Hono();

  app.post("/", async (c) => {
    const requestId = randomUUID();
    const headers = { "content-type": json10, "x-amzn-requestid": requestId };
    try {
      const header = c.req.header("x-amz-target") ?? "";
      const operation = header.startsWith(target) ? header.slice(target.length) : "";
      const run = Object.hasOwn(ops, operation) ? ops[operation] : undefined;
      if (!run)
        throw new AwsError(
          "UnknownOperationException",
          `The SMS emulator does not support ${header || "a request without X-Amz-Target"}. ` +
            `Supported: ${Object.keys(ops).join(", ")}`,
        );
      const injected = faults.take(operation);
      if (injected) throw injected;
      const output = await run(await readJson(c.req.raw));
      return c.body(JSON.stringify(output), 200, headers);
    } catch (error) {
      const awsError =
        error instanceof AwsError
          ? error
          : new AwsError("InternalServerException", "The SMS emulator failed; see its log");
      if (!(error instanceof AwsError)) console.error("[sms-emulator] operation failed:", error);
      return c.body(JSON.stringify(awsError.body(requestId)), awsError.status, {
        ...headers,
        "x-amzn-errortype": awsError.type,
      });
    }
  });

  app.get("/", (c) => {
    const nonce = randomBytes(12).toString("base64");
    const number = c.req.query("number");
    c.header(
      "content-security-policy",
      `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; connect-src 'self'; form-action 'self'`,
    );
    return c.html(renderPhonePage(store.data, number ? normalizeNumber(number) : undefined, nonce));
  });

  app.get("/phone/thread", (c) =>
    c.html(renderThread(store.data, normalizeNumber(c.req.query("number") ?? ""))),
  );

  app.route("/_emulator", controlRoutes({ store, accountId: options.accountId, publish, faults }));

  const server = createAdaptorServer({ fetch: app.fetch });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host === "0.0.0.0" || host === "::" ? "localhost" : host;

  return {
    url: `http://${shownHost}:${port}`,
    port,
    async stop() {
      await delivery.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ("closeAllConnections" in server) server.closeAllConnections();
      });
      sns.destroy();
      await store.flush();
    },
  };
}

/** awsJson bodies; an unreadable one is the service's SerializationException. */
async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AwsError("SerializationException", "The request body is not valid JSON");
  }
}

/**
 * Events published within one turn of the event loop go out as PublishBatch calls of up to ten per
 * topic: each still becomes its own SNS message, as on AWS, but a busy campaign costs the one process
 * running the local cloud a tenth of the requests. Each publish resolves once its batch is accepted.
 */
function batchedPublish(sns: SNSClient): Publish {
  const pending = new Map<string, Array<{ message: string; settle: (error?: Error) => void }>>();
  const flush = (topicArn: string) => {
    const entries = pending.get(topicArn) ?? [];
    pending.delete(topicArn);
    for (let start = 0; start < entries.length; start += 10) {
      const chunk = entries.slice(start, start + 10);
      sns
        .send(
          new PublishBatchCommand({
            TopicArn: topicArn,
            PublishBatchRequestEntries: chunk.map((entry, index) => ({
              Id: String(index),
              Message: entry.message,
            })),
          }),
        )
        .then((result) => {
          const failed = new Map((result.Failed ?? []).map((entry) => [entry.Id, entry]));
          for (const [index, entry] of chunk.entries()) {
            const failure = failed.get(String(index));
            entry.settle(
              failure ? new Error(failure.Message ?? failure.Code ?? "publish failed") : undefined,
            );
          }
        })
        .catch((error: Error) => {
          for (const entry of chunk) entry.settle(error);
        });
    }
  };
  return (topicArn, message) =>
    new Promise<void>((resolve, reject) => {
      const entries = pending.get(topicArn) ?? [];
      if (entries.length === 0) setImmediate(() => flush(topicArn));
      entries.push({
        message: JSON.stringify(message),
        settle: (error) => (error ? reject(error) : resolve()),
      });
      pending.set(topicArn, entries);
    });
}

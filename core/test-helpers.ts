import { ProvisionedThroughputExceededException } from "@aws-sdk/client-dynamodb";
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { ulid } from "ulid";
import { onTestFinished, vi } from "vitest";
import { type Role, withActor } from "./actor";
import { Agency } from "./agency";
import { Company } from "./company";
import { documents } from "./platform/clients";
import { User } from "./user";

/**
 * Fixtures shared by the tests of core/ and functions/: fresh companies and users, and the AWS events the
 * handlers receive, built from AWS's documented payloads. Tests only: it lives in core/ so that core's own
 * tests can use it without importing functions/.
 */

export const PASSWORD = "Motdepasse-solide-42";

export type TestCompany = Awaited<ReturnType<typeof newCompany>>;

/** A company of its own (fresh code), two agencies and an Admin with PASSWORD. */
export async function newCompany(name = "Intérim Test") {
  const code = `T${ulid().slice(-10)}`;
  const companyId = await Company.create({ code, name });
  return withActor({ type: "system", companyId, reason: "test" }, async () => {
    const main = await Agency.createFirst("Agence Lyon");
    const second = await Agency.createFirst("Agence Grenoble");
    const admin = await User.insert({
      email: `admin-${ulid().toLowerCase()}@example.fr`,
      firstName: "Alice",
      lastName: "Admin",
      role: "admin",
      agencyIds: [main.agencyId],
      password: PASSWORD,
      mustChangePassword: false,
    });
    return { companyId, code, agencies: [main.agencyId, second.agencyId] as [string, string], admin };
  });
}

export async function addUser(
  company: TestCompany,
  role: Role,
  agencyIds: string[],
  mustChangePassword = false,
) {
  return withActor({ type: "system", companyId: company.companyId, reason: "test" }, () =>
    User.insert({
      email: `${role}-${ulid().toLowerCase()}@example.fr`,
      firstName: "Test",
      lastName: role,
      role,
      agencyIds,
      password: PASSWORD,
      mustChangePassword,
    }),
  );
}

/** Polls `probe` every 200 ms until it answers something (the local cloud works in the background). */
export async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const region = "eu-west-3";
const account = "000000000000";

/** One SQS message as Lambda's event source mapping hands it over; `body` is JSON-encoded unless a string. */
export function sqsRecord(
  body: unknown,
  options: { queue?: string; receiveCount?: number; senderId?: string } = {},
): SQSRecord {
  const now = String(Date.now());
  return {
    messageId: ulid(),
    receiptHandle: `handle-${ulid()}`,
    body: typeof body === "string" ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: now,
      SenderId: options.senderId ?? "AIDAEXAMPLE",
      ApproximateFirstReceiveTimestamp: now,
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: `arn:aws:sqs:${region}:${account}:${options.queue ?? "test"}`,
    awsRegion: region,
  };
}

/** A batch of SQS records, as one Lambda invocation receives it. */
export const sqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

/** What SNS delivers to a subscribed queue (raw delivery off): `message` wrapped in its envelope. */
export function snsEnvelope(message: unknown, topic = "test-topic") {
  return {
    Type: "Notification",
    MessageId: ulid(),
    TopicArn: `arn:aws:sns:${region}:${account}:${topic}`,
    Message: typeof message === "string" ? message : JSON.stringify(message),
    Timestamp: new Date().toISOString(),
    SignatureVersion: "1",
    Signature: "",
    SigningCertURL: "",
    UnsubscribeURL: "",
  };
}

/**
 * What an EventBridge Scheduler schedule with an SQS target puts on the queue when it fires: its `Input`,
 * as is, sent by the scheduler's execution role.
 */
export const schedulerFired = (input: unknown, queue = "dispatch") =>
  sqsRecord(input, { queue, senderId: "AROAEXAMPLE:scheduler" });

/** The Lambda context handlers read: a request id and the time left. */
export function lambdaContext(remainingMs = 60_000): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: "test",
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${region}:${account}:function:test`,
    memoryLimitInMB: "1024",
    awsRequestId: ulid(),
    logGroupName: "/aws/lambda/test",
    logStreamName: "test",
    getRemainingTimeInMillis: () => remainingMs,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/**
 * Makes DynamoDB throttle the commands `matches` picks (ElectroDB sends through the shared document
 * client), for the rest of the test: a failure that is not a refused condition.
 */
export function throttleDynamo(
  matches: (command: { constructor: { name: string }; input: unknown }) => boolean,
) {
  const client = documents();
  const send = client.send.bind(client);
  const spy = vi.spyOn(client, "send").mockImplementation(((command: Parameters<typeof send>[0]) => {
    if (matches(command as never))
      return Promise.reject(
        new ProvisionedThroughputExceededException({ message: "Throughput exceeded", $metadata: {} }),
      );
    return send(command);
  }) as typeof client.send);
  onTestFinished(() => spy.mockRestore());
  return spy;
}

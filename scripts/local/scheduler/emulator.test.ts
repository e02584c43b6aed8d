import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  DeleteScheduleGroupCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ListScheduleGroupsCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ThrottlingException,
  UpdateScheduleCommand,
  ValidationException,
} from "@aws-sdk/client-scheduler";
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { type FauxqsServer, startFauxqs } from "fauxqs";
import { ulid } from "ulid";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type SchedulerEmulator, startSchedulerEmulator } from "./emulator";
import type { ScheduleView } from "./schedule-view";

const REGION = "eu-west-3";
const ACCOUNT = "000000000000";
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/scheduler-local`;
const credentials = { accessKeyId: "local", secretAccessKey: "local" };

let sqsServer: FauxqsServer;
let emulator: SchedulerEmulator;
let scheduler: SchedulerClient;
let sqs: SQSClient;

beforeAll(async () => {
  sqsServer = await startFauxqs({ port: 0, logger: false, defaultRegion: REGION });
  emulator = await startEmulator();
  scheduler = schedulerClient(emulator.url);
  sqs = new SQSClient({ region: REGION, endpoint: sqsServer.address, credentials });
});

afterEach(async () => {
  await control("POST", "/_emulator/reset");
});

afterAll(async () => {
  scheduler.destroy();
  sqs.destroy();
  await emulator.stop();
  await sqsServer.stop();
});

function startEmulator(dataDir?: string, tickMs = 20) {
  return startSchedulerEmulator({
    port: 0,
    region: REGION,
    accountId: ACCOUNT,
    sqsEndpoint: sqsServer.address,
    dataDir,
    tickMs,
    retryBaseMs: 10,
  });
}

function schedulerClient(endpoint: string, maxAttempts?: number) {
  return new SchedulerClient({ region: REGION, endpoint, credentials, maxAttempts });
}

async function control<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.ok, `${method} ${path} answered ${response.status}`).toBe(true);
  return (await response.json()) as T;
}

function newQueue(suffix = "") {
  const { queueUrl, queueArn } = sqsServer.createQueue(
    `q-${ulid()}${suffix}`,
    suffix === ".fifo" ? { attributes: { FifoQueue: "true" } } : undefined,
  );
  return { url: queueUrl, arn: queueArn };
}

async function receive(queueUrl: string, waitSeconds: number): Promise<Message[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: waitSeconds,
      MessageAttributeNames: ["All"],
      MessageSystemAttributeNames: ["All"],
    }),
  );
  if (Messages.length > 0) {
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle,
        })),
      }),
    );
  }
  return Messages;
}

/** Polls until `count` messages have arrived (or a few seconds have passed). */
async function waitForMessages(queueUrl: string, count: number, timeoutMs = 5000): Promise<Message[]> {
  const received: Message[] = [];
  const deadline = Date.now() + timeoutMs;
  while (received.length < count && Date.now() < deadline) {
    received.push(...(await receive(queueUrl, 1)));
  }
  return received;
}

/** Absence can only be shown by waiting: a few dozen ticks is plenty for a 20 ms tick. */
async function expectNoMessage(queueUrl: string) {
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(await receive(queueUrl, 0)).toEqual([]);
}

/**
 * at() has one-second precision: the next whole second at least `seconds` from now, in UTC. A past
 * time (negative seconds) fires at once, as AWS does within the event age.
 */
function atIn(seconds: number) {
  const date = new Date(Math.ceil((Date.now() + seconds * 1000) / 1000) * 1000);
  return `at(${date.toISOString().slice(0, 19)})`;
}

function scheduleInput(queueArn: string, overrides: Partial<CreateScheduleCommandInput> = {}) {
  return {
    Name: `s-${ulid()}`,
    ScheduleExpression: atIn(3600),
    FlexibleTimeWindow: { Mode: "OFF" },
    Target: { Arn: queueArn, RoleArn: ROLE_ARN, Input: JSON.stringify({ hello: "world" }) },
    ...overrides,
  } satisfies CreateScheduleCommandInput;
}

async function scheduleView(group: string, name: string) {
  return control<ScheduleView>("GET", `/_emulator/schedules/${group}/${name}`);
}

describe("schedule groups", () => {
  it("creates a group, reads it back and lists it beside the default group", async () => {
    const { ScheduleGroupArn } = await scheduler.send(new CreateScheduleGroupCommand({ Name: "campaigns" }));
    expect(ScheduleGroupArn).toBe(`arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule-group/campaigns`);

    const group = await scheduler.send(new GetScheduleGroupCommand({ Name: "campaigns" }));
    expect(group).toMatchObject({ Name: "campaigns", State: "ACTIVE" });
    expect(group.CreationDate).toBeInstanceOf(Date);

    const { ScheduleGroups = [] } = await scheduler.send(new ListScheduleGroupsCommand({}));
    expect(ScheduleGroups.map((g) => g.Name)).toEqual(["campaigns", "default"]);
  });

  it("deletes a group together with its schedules", async () => {
    const queue = newQueue();
    await scheduler.send(new CreateScheduleGroupCommand({ Name: "doomed" }));
    const input = scheduleInput(queue.arn, { GroupName: "doomed" });
    await scheduler.send(new CreateScheduleCommand(input));

    await scheduler.send(new DeleteScheduleGroupCommand({ Name: "doomed" }));

    await expect(scheduler.send(new GetScheduleGroupCommand({ Name: "doomed" }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(
      scheduler.send(new GetScheduleCommand({ Name: input.Name, GroupName: "doomed" })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it("refuses to delete the default group", async () => {
    await expect(scheduler.send(new DeleteScheduleGroupCommand({ Name: "default" }))).rejects.toBeInstanceOf(
      ValidationException,
    );
  });
});

describe("firing", () => {
  it("delivers an at() schedule's Input exactly once, then deletes it (ActionAfterCompletion DELETE)", async () => {
    const queue = newQueue();
    await scheduler.send(new CreateScheduleGroupCommand({ Name: "once" }));
    const input = scheduleInput(queue.arn, {
      GroupName: "once",
      ScheduleExpression: atIn(1),
      ActionAfterCompletion: "DELETE",
      Target: { Arn: queue.arn, RoleArn: ROLE_ARN, Input: '{"campaignId":"c-1"}' },
    });
    await scheduler.send(new CreateScheduleCommand(input));

    const messages = await waitForMessages(queue.url, 1);
    expect(messages.map((message) => message.Body)).toEqual(['{"campaignId":"c-1"}']);
    await expect(
      scheduler.send(new GetScheduleCommand({ Name: input.Name, GroupName: "once" })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expectNoMessage(queue.url);
  });

  it("keeps a fired one-time schedule when ActionAfterCompletion is NONE", async () => {
    const queue = newQueue();
    const input = scheduleInput(queue.arn, { ScheduleExpression: atIn(-1) });
    await scheduler.send(new CreateScheduleCommand(input));

    expect(await waitForMessages(queue.url, 1)).toHaveLength(1);
    const schedule = await scheduler.send(new GetScheduleCommand({ Name: input.Name }));
    expect(schedule.ActionAfterCompletion).toBe("NONE");
    expect((await scheduleView("default", input.Name)).nextFireAt).toBeNull();
  });

  it("fires rate() immediately and again each time a period passes", async () => {
    const queue = newQueue();
    const input = scheduleInput(queue.arn, { ScheduleExpression: "rate(1 minute)" });
    await scheduler.send(new CreateScheduleCommand(input));
    expect(await waitForMessages(queue.url, 1)).toHaveLength(1);

    await control("POST", "/_emulator/clock", { advanceSeconds: 60 });
    expect(await waitForMessages(queue.url, 1)).toHaveLength(1);
    await control("POST", "/_emulator/clock", { advanceSeconds: 60 });
    expect(await waitForMessages(queue.url, 1)).toHaveLength(1);

    const view = await scheduleView("default", input.Name);
    expect(view.history.filter((entry) => entry.outcome === "delivered")).toHaveLength(3);
  });

  it("sends an empty JSON object when the target has no Input", async () => {
    const queue = newQueue();
    const input = scheduleInput(queue.arn, {
      ScheduleExpression: atIn(-1),
      Target: { Arn: queue.arn, RoleArn: ROLE_ARN },
    });
    await scheduler.send(new CreateScheduleCommand(input));

    const [message] = await waitForMessages(queue.url, 1);
    expect(message?.Body).toBe("{}");
  });

  it("passes SqsParameters.MessageGroupId to a FIFO queue", async () => {
    const queue = newQueue(".fifo");
    const input = scheduleInput(queue.arn, {
      ScheduleExpression: atIn(-1),
      Target: {
        Arn: queue.arn,
        RoleArn: ROLE_ARN,
        Input: "{}",
        SqsParameters: { MessageGroupId: "agency-42" },
      },
    });
    await scheduler.send(new CreateScheduleCommand(input));

    const [message] = await waitForMessages(queue.url, 1);
    expect(message?.Attributes?.MessageGroupId).toBe("agency-42");
  });

  it("reschedules on UpdateSchedule, replacing the whole schedule", async () => {
    const queue = newQueue();
    const input = scheduleInput(queue.arn, { Description: "first version" });
    await scheduler.send(new CreateScheduleCommand(input));

    await scheduler.send(
      new UpdateScheduleCommand({
        ...input,
        Description: undefined,
        ScheduleExpression: atIn(-1),
        Target: { Arn: queue.arn, RoleArn: ROLE_ARN, Input: '{"version":2}' },
      }),
    );

    const schedule = await scheduler.send(new GetScheduleCommand({ Name: input.Name }));
    expect(schedule.Description).toBeUndefined();
    const [message] = await waitForMessages(queue.url, 1);
    expect(message?.Body).toBe('{"version":2}');
  });

  it("delivers nothing for a schedule deleted before it was due", async () => {
    const queue = newQueue();
    const input = scheduleInput(queue.arn, { ScheduleExpression: atIn(3600) });
    await scheduler.send(new CreateScheduleCommand(input));

    await scheduler.send(new DeleteScheduleCommand({ Name: input.Name }));
    await control("POST", "/_emulator/clock", { advanceSeconds: 7200 });

    await expectNoMessage(queue.url);
    await expect(scheduler.send(new GetScheduleCommand({ Name: input.Name }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it("does not fire a DISABLED schedule", async () => {
    const queue = newQueue();
    const input = scheduleInput(queue.arn, { ScheduleExpression: atIn(-1), State: "DISABLED" });
    await scheduler.send(new CreateScheduleCommand(input));

    await expectNoMessage(queue.url);
    expect((await scheduleView("default", input.Name)).nextFireAt).toBeNull();
  });

  it("fires a schedule on demand from the control API", async () => {
    const queue = newQueue();
    const input = scheduleInput(queue.arn);
    await scheduler.send(new CreateScheduleCommand(input));

    await control("POST", `/_emulator/schedules/default/${input.Name}/fire`);

    const [message] = await waitForMessages(queue.url, 1);
    expect(message?.Body).toBe('{"hello":"world"}');
    expect((await scheduleView("default", input.Name)).nextFireAt).not.toBeNull();
  });

  it("records non-SQS targets as not supported locally", async () => {
    const input = scheduleInput(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:fire`);
    await scheduler.send(new CreateScheduleCommand(input));

    await control("POST", `/_emulator/schedules/default/${input.Name}/fire`);

    await expect
      .poll(async () => (await scheduleView("default", input.Name)).lastResult?.outcome)
      .toBe("unsupported-target");
  });
});

describe("validation and errors", () => {
  it("refuses a duplicate name with ConflictException", async () => {
    const queue = newQueue();
    const input = scheduleInput(queue.arn);
    await scheduler.send(new CreateScheduleCommand(input));

    await expect(scheduler.send(new CreateScheduleCommand(input))).rejects.toBeInstanceOf(ConflictException);
  });

  it("replays a create with the same ClientToken instead of conflicting", async () => {
    const queue = newQueue();
    const input = scheduleInput(queue.arn, { ClientToken: "token-1" });
    const first = await scheduler.send(new CreateScheduleCommand(input));

    const second = await scheduler.send(new CreateScheduleCommand(input));

    expect(second.ScheduleArn).toBe(first.ScheduleArn);
  });

  it("refuses an unknown group with ResourceNotFoundException", async () => {
    const queue = newQueue();
    await expect(
      scheduler.send(new CreateScheduleCommand(scheduleInput(queue.arn, { GroupName: "nowhere" }))),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it("answers ResourceNotFoundException for a missing schedule", async () => {
    await expect(scheduler.send(new GetScheduleCommand({ Name: "missing" }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(scheduler.send(new DeleteScheduleCommand({ Name: "missing" }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it.each([
    ["a cron() with both day fields", { ScheduleExpression: "cron(0 9 * * * *)" }],
    ["a zero rate()", { ScheduleExpression: "rate(0 minutes)" }],
    ["an unknown time zone", { ScheduleExpressionTimezone: "Europe/Atlantis" }],
    ["a name outside the pattern", { Name: "no spaces allowed" }],
  ])("refuses %s with ValidationException", async (_, overrides) => {
    const queue = newQueue();
    await expect(
      scheduler.send(new CreateScheduleCommand(scheduleInput(queue.arn, overrides))),
    ).rejects.toBeInstanceOf(ValidationException);
  });

  it("refuses a target RoleArn that is not an IAM role", async () => {
    const queue = newQueue();
    const input = scheduleInput(queue.arn, { Target: { Arn: queue.arn, RoleArn: "not-a-role" } });
    await expect(scheduler.send(new CreateScheduleCommand(input))).rejects.toThrow(/RoleArn/);
  });

  it("surfaces an injected ThrottlingException as the SDK's class, once", async () => {
    const queue = newQueue();
    const noRetry = schedulerClient(emulator.url, 1);
    await control("POST", "/_emulator/faults", { operation: "CreateSchedule", error: "ThrottlingException" });

    await expect(noRetry.send(new CreateScheduleCommand(scheduleInput(queue.arn)))).rejects.toBeInstanceOf(
      ThrottlingException,
    );
    await expect(noRetry.send(new CreateScheduleCommand(scheduleInput(queue.arn)))).resolves.toBeDefined();
    noRetry.destroy();
  });
});

describe("retries and dead letters", () => {
  it("retries injected delivery failures and still delivers the message once", async () => {
    const queue = newQueue();
    await control("POST", "/_emulator/faults", {
      operation: "Deliver",
      error: "InternalServerException",
      count: 2,
    });
    const input = scheduleInput(queue.arn, { ScheduleExpression: atIn(-1) });
    await scheduler.send(new CreateScheduleCommand(input));

    expect(await waitForMessages(queue.url, 1)).toHaveLength(1);
    await expectNoMessage(queue.url);
    const outcomes = (await scheduleView("default", input.Name)).history.map((entry) => entry.outcome);
    expect(outcomes).toEqual(["retrying", "retrying", "delivered"]);
  });

  it("sends the Input to the dead-letter queue once the retries are used up", async () => {
    const queue = newQueue();
    const dlq = newQueue();
    await control("POST", "/_emulator/faults", {
      operation: "Deliver",
      error: "InternalServerException",
      count: 2,
    });
    const input = scheduleInput(queue.arn, {
      ScheduleExpression: atIn(-1),
      Target: {
        Arn: queue.arn,
        RoleArn: ROLE_ARN,
        Input: '{"lost":true}',
        RetryPolicy: { MaximumRetryAttempts: 1 },
        DeadLetterConfig: { Arn: dlq.arn },
      },
    });
    await scheduler.send(new CreateScheduleCommand(input));

    const [letter] = await waitForMessages(dlq.url, 1);
    expect(letter?.Body).toBe('{"lost":true}');
    expect(letter?.MessageAttributes?.ERROR_CODE?.StringValue).toBe("InternalServerException");
    expect(letter?.MessageAttributes?.EXHAUSTED_RETRY_CONDITION?.StringValue).toBe("MaximumRetryAttempts");
    expect(await receive(queue.url, 0)).toEqual([]);
  });
});

describe("listing", () => {
  it("filters by group, prefix and state, and pages with NextToken", async () => {
    const queue = newQueue();
    await scheduler.send(new CreateScheduleGroupCommand({ Name: "listing" }));
    for (const name of ["a-1", "a-2", "a-3", "b-1"]) {
      await scheduler.send(
        new CreateScheduleCommand(scheduleInput(queue.arn, { Name: name, GroupName: "listing" })),
      );
    }
    await scheduler.send(
      new CreateScheduleCommand(
        scheduleInput(queue.arn, { Name: "a-4", GroupName: "listing", State: "DISABLED" }),
      ),
    );
    await scheduler.send(new CreateScheduleCommand(scheduleInput(queue.arn, { Name: "a-9" })));

    const first = await scheduler.send(
      new ListSchedulesCommand({ GroupName: "listing", NamePrefix: "a-", State: "ENABLED", MaxResults: 2 }),
    );
    const second = await scheduler.send(
      new ListSchedulesCommand({
        GroupName: "listing",
        NamePrefix: "a-",
        State: "ENABLED",
        MaxResults: 2,
        NextToken: first.NextToken,
      }),
    );

    expect(first.Schedules?.map((s) => s.Name)).toEqual(["a-1", "a-2"]);
    expect(second.Schedules?.map((s) => s.Name)).toEqual(["a-3"]);
    expect(second.NextToken).toBeUndefined();
    expect(first.Schedules?.[0]?.Target?.Arn).toBe(queue.arn);
  });
});

describe("persistence", () => {
  it("keeps schedules across a restart and fires those that came due while stopped", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "scheduler-"));
    const queue = newQueue();
    const long = scheduleInput(queue.arn, { GroupName: "kept" });
    const soonExpression = atIn(1);
    const soon = scheduleInput(queue.arn, {
      ScheduleExpression: soonExpression,
      ActionAfterCompletion: "DELETE",
      Target: { Arn: queue.arn, RoleArn: ROLE_ARN, Input: '{"while":"down"}' },
    });
    // A tick far in the future: this instance saves schedules but never fires them.
    const first = await startEmulator(dataDir, 3_600_000);
    const firstClient = schedulerClient(first.url);
    await firstClient.send(new CreateScheduleGroupCommand({ Name: "kept" }));
    await firstClient.send(new CreateScheduleCommand(long));
    await firstClient.send(new CreateScheduleCommand(soon));
    firstClient.destroy();
    await first.stop();
    const dueAt = Date.parse(`${soonExpression.slice(3, -1)}Z`);
    await new Promise((resolve) => setTimeout(resolve, dueAt - Date.now() + 100));

    const second = await startEmulator(dataDir);
    const secondClient = schedulerClient(second.url);
    try {
      const kept = await secondClient.send(new GetScheduleCommand({ Name: long.Name, GroupName: "kept" }));
      expect(kept.ScheduleExpression).toBe(long.ScheduleExpression);
      const [message] = await waitForMessages(queue.url, 1);
      expect(message?.Body).toBe('{"while":"down"}');
    } finally {
      secondClient.destroy();
      await second.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe("status page", () => {
  it("lists schedules in French with every text escaped", async () => {
    const queue = newQueue();
    await control("POST", "/_emulator/faults", {
      operation: "Deliver",
      error: "Boom",
      message: "<script>alert(1)</script>",
      retryable: false,
    });
    const input = scheduleInput(queue.arn, { ScheduleExpression: "cron(0 9 ? * MON-FRI *)" });
    await scheduler.send(new CreateScheduleCommand({ ...input, ScheduleExpressionTimezone: "Europe/Paris" }));
    await control("POST", `/_emulator/schedules/default/${input.Name}/fire`);
    await expect
      .poll(async () => (await scheduleView("default", input.Name)).lastResult?.outcome)
      .toBe("failed");

    const response = await fetch(`${emulator.url}/`);
    const html = await response.text();

    expect(response.headers.get("content-type")).toMatch(/text\/html/);
    expect(html).toContain(input.Name);
    expect(html).toContain("cron(0 9 ? * MON-FRI *)");
    expect(html).toContain("Prochain déclenchement");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>");
  });
});

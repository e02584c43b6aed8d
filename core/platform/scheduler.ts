import { createHash } from "node:crypto";
import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  GetScheduleGroupCommand,
  ResourceNotFoundException,
  UpdateScheduleCommand,
} from "@aws-sdk/client-scheduler";
import { config } from "../config";
import * as Job from "../job";
import { scheduler } from "./clients/scheduler";

/**
 * EventBridge Scheduler: a job dropped on its kind's queue at a date (`at`) or on a recurrence (`cron`).
 * Names are unique within the group and reusing one replaces that schedule, so a retried create is
 * harmless; build them with `nameOf`.
 */

/** `at(yyyy-mm-ddThh:mm:ss)` is read in the schedule's time zone; we always pass UTC. */
const atExpression = (date: Date) => `at(${date.toISOString().slice(0, 19)})`;

const maxName = 64;

/**
 * A schedule name from its parts, joined by `-`: as is when it fits Scheduler's rules (64 characters of
 * [0-9a-zA-Z-_.]), else a readable prefix and a hash of the whole, so two subjects never share a name.
 */
export function nameOf(...parts: string[]) {
  const raw = parts.join("-");
  if (raw.length <= maxName && /^[0-9a-zA-Z\-_.]+$/.test(raw)) return raw;
  const hash = createHash("sha256").update(raw).digest("hex").slice(0, 16);
  return `${raw.replace(/[^0-9a-zA-Z\-_.]/g, "_").slice(0, maxName - hash.length - 1)}-${hash}`;
}

/** A one-time schedule: `job` reaches its queue at `date`, then AWS deletes the schedule. */
export async function at<J extends Job.Envelope>(name: string, date: Date, job: J) {
  await put({
    Name: name,
    ScheduleExpression: atExpression(date),
    ScheduleExpressionTimezone: "UTC",
    ActionAfterCompletion: "DELETE",
    ...(await target(job)),
  });
}

/**
 * A recurring schedule: `job` reaches its queue at every time `expression` names, read in `timezone`
 * (so "0 8 ? * MON-FRI *" stays at 8:00 in Paris across daylight saving). `expression` is the six fields
 * of Scheduler's `cron(...)`, with or without the `cron(...)` around them.
 */
export async function cron<J extends Job.Envelope>(
  name: string,
  expression: string,
  job: J,
  { timezone = "Europe/Paris" }: { timezone?: string } = {},
) {
  const fields = expression.trim().replace(/^cron\((.*)\)$/, "$1");
  await put({
    Name: name,
    ScheduleExpression: `cron(${fields})`,
    ScheduleExpressionTimezone: timezone,
    ActionAfterCompletion: "NONE",
    ...(await target(job)),
  });
}

/** A schedule every `expression` (`rate(5 minutes)`), counted from its creation. */
export async function rate<J extends Job.Envelope>(name: string, expression: string, job: J) {
  await put({
    Name: name,
    ScheduleExpression: expression,
    ActionAfterCompletion: "NONE",
    ...(await target(job)),
  });
}

async function target(job: Job.Envelope) {
  const { arn } = await Job.target(job.kind);
  return {
    Target: {
      Arn: arn,
      RoleArn: config("SCHEDULER_ROLE_ARN"),
      Input: JSON.stringify(job),
      RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
    },
  };
}

async function put(schedule: Omit<CreateScheduleCommandInput, "GroupName" | "FlexibleTimeWindow">) {
  const input: CreateScheduleCommandInput = {
    ...schedule,
    GroupName: config("SCHEDULE_GROUP"),
    FlexibleTimeWindow: { Mode: "OFF" },
  };
  try {
    await scheduler().send(new CreateScheduleCommand(input));
  } catch (error) {
    if (!(error instanceof ConflictException)) throw error;
    await scheduler().send(new UpdateScheduleCommand(input));
  }
}

/** Cancelling something already fired or cancelled is not an error. */
export async function cancel(name: string) {
  try {
    await scheduler().send(new DeleteScheduleCommand({ Name: name, GroupName: config("SCHEDULE_GROUP") }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
}

export async function probe() {
  await scheduler().send(new GetScheduleGroupCommand({ Name: config("SCHEDULE_GROUP") }));
  return {};
}

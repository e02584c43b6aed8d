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
import { scheduler } from "./clients/scheduler";

export type OneShot = {
  /** Unique within the group; reusing it reschedules (so a retried create is harmless). */
  name: string;
  at: Date;
  /** Sent as the SQS message body when the schedule fires. */
  input: unknown;
  timezone?: string;
};

/** `at(yyyy-mm-ddThh:mm:ss)` is read in the schedule's time zone; we always pass UTC. */
const atExpression = (date: Date) => `at(${date.toISOString().slice(0, 19)})`;

/** A one-time schedule that drops `input` on the dispatch queue, deleted by AWS once it has fired. */
export async function scheduleOnce(schedule: OneShot) {
  const input: CreateScheduleCommandInput = {
    Name: schedule.name,
    GroupName: config("SCHEDULE_GROUP"),
    ScheduleExpression: atExpression(schedule.at),
    ScheduleExpressionTimezone: "UTC",
    FlexibleTimeWindow: { Mode: "OFF" },
    ActionAfterCompletion: "DELETE",
    Target: {
      Arn: config("DISPATCH_QUEUE_ARN"),
      RoleArn: config("SCHEDULER_ROLE_ARN"),
      Input: JSON.stringify(schedule.input),
      RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
    },
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

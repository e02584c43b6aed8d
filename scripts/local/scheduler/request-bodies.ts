// Request bodies of the operations, validated with the constraints of the API reference.
import * as z from "zod";
import { ExpressionError, parseScheduleExpression } from "./expression";
import { ActionAfterCompletion, FlexibleTimeWindow, ResourceName, ScheduleState, Tag, Target } from "./model";
import { isValidTimeZone } from "./zoned-time";

const ClientToken = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-zA-Z0-9-_]+$/, "Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+");

/** The SDK sends epoch seconds; ISO strings are accepted for hand-written requests. */
const Timestamp = z.union([z.number(), z.string()]).transform((value, context) => {
  const ms = typeof value === "number" ? Math.round(value * 1000) : Date.parse(value);
  if (Number.isNaN(ms)) {
    context.addIssue({ code: "custom", message: "Member must be a timestamp" });
    return z.NEVER;
  }
  return ms;
});

/** CreateSchedule and UpdateSchedule take the same body: an update replaces the whole schedule. */
export const ScheduleBody = z
  .object({
    ScheduleExpression: z.string().min(1).max(256),
    Target,
    FlexibleTimeWindow,
    GroupName: ResourceName.optional(),
    StartDate: Timestamp.optional(),
    EndDate: Timestamp.optional(),
    Description: z.string().max(512).optional(),
    ScheduleExpressionTimezone: z.string().min(1).max(50).optional(),
    State: ScheduleState.optional(),
    KmsKeyArn: z.string().min(1).max(2048).optional(),
    ClientToken: ClientToken.optional(),
    ActionAfterCompletion: ActionAfterCompletion.optional(),
  })
  .superRefine((body, context) => {
    try {
      parseScheduleExpression(body.ScheduleExpression);
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      context.addIssue({ code: "custom", path: ["ScheduleExpression"], message: error.message });
    }
    const timezone = body.ScheduleExpressionTimezone;
    if (timezone !== undefined && !isValidTimeZone(timezone)) {
      context.addIssue({
        code: "custom",
        path: ["ScheduleExpressionTimezone"],
        message: `Invalid time zone ${timezone}`,
      });
    }
    if (
      body.FlexibleTimeWindow.Mode === "FLEXIBLE" &&
      body.FlexibleTimeWindow.MaximumWindowInMinutes === undefined
    ) {
      context.addIssue({
        code: "custom",
        path: ["FlexibleTimeWindow", "MaximumWindowInMinutes"],
        message: "MaximumWindowInMinutes is required when Mode is FLEXIBLE",
      });
    }
    if (body.StartDate !== undefined && body.EndDate !== undefined && body.EndDate <= body.StartDate) {
      context.addIssue({ code: "custom", path: ["EndDate"], message: "EndDate must be after StartDate" });
    }
  });
export type ScheduleBody = z.infer<typeof ScheduleBody>;

export const GroupBody = z.object({
  ClientToken: ClientToken.optional(),
  Tags: z.array(Tag).max(200).optional(),
});

export const TagBody = z.object({ Tags: z.array(Tag).max(200) });

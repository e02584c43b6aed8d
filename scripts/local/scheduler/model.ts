// Shapes of what the emulator keeps, parsed with zod both when a request arrives and when the state
// file is read back, so a hand-edited or older file fails loudly instead of misfiring.
import * as z from "zod";

export const NAME_PATTERN = /^[0-9a-zA-Z-_.]+$/;
const ROLE_ARN_PATTERN = /^arn:aws(-[a-z]+)?:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const SQS_ARN_PATTERN = /^arn:aws(-[a-z]+)?:sqs:[a-z0-9-]+:\d{12}:[a-zA-Z0-9\-_]+$/;

export const ResourceName = z
  .string()
  .min(1)
  .max(64)
  .regex(NAME_PATTERN, "Member must satisfy regular expression pattern: [0-9a-zA-Z-_.]+");

export const Tag = z.object({ Key: z.string().min(1).max(128), Value: z.string().max(256) });
export type Tag = z.infer<typeof Tag>;

export const RetryPolicy = z.object({
  MaximumEventAgeInSeconds: z.number().int().min(60).max(86_400).optional(),
  MaximumRetryAttempts: z.number().int().min(0).max(185).optional(),
});

// Loose: ECS, Kinesis, SageMaker… parameters are kept and returned as sent, though never used here.
export const Target = z.looseObject({
  Arn: z.string().min(1).max(1600),
  RoleArn: z
    .string()
    .min(1)
    .max(1600)
    .regex(
      ROLE_ARN_PATTERN,
      "Member must satisfy regular expression pattern: arn:aws(-[a-z]+)?:iam::\\d{12}:role\\/[\\w+=,.@\\/-]+",
    ),
  Input: z.string().min(1).optional(),
  DeadLetterConfig: z
    .object({
      Arn: z
        .string()
        .min(1)
        .max(1600)
        .regex(SQS_ARN_PATTERN, "Member must be the ARN of a standard SQS queue")
        .optional(),
    })
    .optional(),
  RetryPolicy: RetryPolicy.optional(),
  SqsParameters: z.object({ MessageGroupId: z.string().min(1).max(128).optional() }).optional(),
});
export type Target = z.infer<typeof Target>;

export const FlexibleTimeWindow = z.object({
  Mode: z.enum(["OFF", "FLEXIBLE"]),
  MaximumWindowInMinutes: z.number().int().min(1).max(1440).optional(),
});
export type FlexibleTimeWindow = z.infer<typeof FlexibleTimeWindow>;

export const ScheduleState = z.enum(["ENABLED", "DISABLED"]);
export const ActionAfterCompletion = z.enum(["NONE", "DELETE"]);

export const GroupRecord = z.object({
  name: z.string(),
  arn: z.string(),
  creationDate: z.number(),
  lastModificationDate: z.number(),
  tags: z.array(Tag),
});
export type GroupRecord = z.infer<typeof GroupRecord>;

/** Dates are epoch milliseconds here; the wire carries epoch seconds. */
export const ScheduleRecord = z.object({
  name: z.string(),
  groupName: z.string(),
  arn: z.string(),
  expression: z.string(),
  timezone: z.string().optional(),
  startDate: z.number().optional(),
  endDate: z.number().optional(),
  description: z.string().optional(),
  state: ScheduleState,
  kmsKeyArn: z.string().optional(),
  target: Target,
  flexibleTimeWindow: FlexibleTimeWindow,
  actionAfterCompletion: ActionAfterCompletion.optional(),
  creationDate: z.number(),
  lastModificationDate: z.number(),
  /** Creation or last update: recurring schedules only fire occurrences after it. */
  baseline: z.number(),
  /** The latest occurrence already turned into an invocation; null until the first one. */
  firedThrough: z.number().nullable(),
});
export type ScheduleRecord = z.infer<typeof ScheduleRecord>;

/** One firing of a schedule on its way to the target, kept until delivered or given up. */
export const Invocation = z.object({
  id: z.string(),
  scheduleArn: z.string(),
  groupName: z.string(),
  name: z.string(),
  target: Target,
  scheduledAt: z.number(),
  attempts: z.number().int(),
  nextAttemptAt: z.number(),
  manual: z.boolean(),
});
export type Invocation = z.infer<typeof Invocation>;

export const Outcome = z.enum([
  "delivered",
  "retrying",
  "failed",
  "dead-lettered",
  "unsupported-target",
  "missed",
  "deleted-after-completion",
]);
export type Outcome = z.infer<typeof Outcome>;

export const HistoryEntry = z.object({
  at: z.number(),
  groupName: z.string(),
  name: z.string(),
  outcome: Outcome,
  invocationId: z.string().optional(),
  scheduledAt: z.number().optional(),
  attempt: z.number().int().optional(),
  messageId: z.string().optional(),
  detail: z.string().optional(),
  manual: z.boolean().optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const PersistedState = z.object({
  version: z.literal(1),
  groups: z.array(GroupRecord),
  schedules: z.array(ScheduleRecord),
  invocations: z.array(Invocation),
  history: z.array(HistoryEntry),
});
export type PersistedState = z.infer<typeof PersistedState>;

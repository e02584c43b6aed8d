// Turns due occurrences into invocations and invocations into SQS messages, with the schedule's
// RetryPolicy and DeadLetterConfig. Driven by a timer in emulator.ts; every decision reads the
// emulator clock, so moving the clock behaves like waiting.
import type { MessageAttributeValue } from "@aws-sdk/client-sqs";
import { ulid } from "ulid";
import type { EmulatorClock } from "./clock";
import {
  nextOccurrence,
  type OccurrenceWindow,
  parseScheduleExpression,
  type ScheduleExpression,
} from "./expression";
import type { Faults } from "./faults";
import type { HistoryEntry, Invocation, ScheduleRecord, Target } from "./model";
import type { SchedulerState } from "./scheduler-state";
import { DeliveryFailure, parseSqsArn, type SqsDelivery } from "./sqs-delivery";

const DEFAULT_EVENT_AGE_SECONDS = 86_400;
const DEFAULT_RETRY_ATTEMPTS = 185;
const MAX_BACKOFF_MS = 60_000;
/** Per schedule and tick, so a long outage catches up without starving the other schedules. */
const MAX_FIRINGS_PER_TICK = 100;

export interface FiringEngineOptions {
  state: SchedulerState;
  clock: EmulatorClock;
  faults: Faults;
  delivery: SqsDelivery;
  /** First retry delay; doubles on each attempt up to a minute. */
  retryBaseMs: number;
  onChange: () => void;
}

export class FiringEngine {
  private readonly expressions = new Map<string, ScheduleExpression>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly nextCache = new WeakMap<
    ScheduleRecord,
    { firedThrough: number | null; next: number | null }
  >();

  constructor(private readonly options: FiringEngineOptions) {}

  /** When the schedule will fire by itself next, or null (disabled, finished, or unreadable). */
  nextFireAt(schedule: ScheduleRecord): number | null {
    if (schedule.state === "DISABLED") return null;
    // Records are replaced on update, so the cache only has to follow firedThrough; this keeps a
    // tick cheap with thousands of one-time schedules (time-zone maths goes through Intl).
    const cached = this.nextCache.get(schedule);
    if (cached && cached.firedThrough === schedule.firedThrough) return cached.next;
    let next: number | null = null;
    try {
      const expression = this.expression(schedule.expression);
      next = nextOccurrence(expression, this.firedThrough(schedule, expression), windowOf(schedule));
    } catch {
      next = null;
    }
    this.nextCache.set(schedule, { firedThrough: schedule.firedThrough, next });
    return next;
  }

  tick(): void {
    const now = this.options.clock.now();
    let changed = false;
    for (const schedule of [...this.options.state.schedules.values()]) {
      changed = this.fireDue(schedule, now) || changed;
    }
    this.attemptDue(now);
    if (changed) this.options.onChange();
  }

  /** Control API: one extra invocation now, leaving the schedule's own occurrences untouched. */
  fireNow(schedule: ScheduleRecord): string {
    const now = this.options.clock.now();
    const invocation = this.enqueue(schedule, now, true);
    this.attemptDue(now);
    this.options.onChange();
    return invocation.id;
  }

  /** Waits for deliveries already started; pending retries stay in the state (and its file). */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
  }

  private expression(text: string): ScheduleExpression {
    let parsed = this.expressions.get(text);
    if (!parsed) {
      parsed = parseScheduleExpression(text);
      // Every one-time schedule has its own at() text; start over rather than grow without bound.
      if (this.expressions.size >= 10_000) this.expressions.clear();
      this.expressions.set(text, parsed);
    }
    return parsed;
  }

  private firedThrough(schedule: ScheduleRecord, expression: ScheduleExpression): number {
    if (schedule.firedThrough !== null) return schedule.firedThrough;
    // A one-time schedule fires once even if its time has passed (within the event age, below);
    // recurring ones start at their creation or last update, as on AWS.
    return expression.kind === "at" ? Number.NEGATIVE_INFINITY : schedule.baseline - 1;
  }

  private fireDue(schedule: ScheduleRecord, now: number): boolean {
    if (schedule.state === "DISABLED") return false;
    const maxAgeMs = eventAgeMs(schedule.target);
    let changed = false;
    for (let fired = 0; fired < MAX_FIRINGS_PER_TICK; fired++) {
      const next = this.nextFireAt(schedule);
      if (next === null) {
        if (schedule.actionAfterCompletion === "DELETE") {
          this.options.state.deleteSchedule(schedule.groupName, schedule.name);
          this.record(schedule, { outcome: "deleted-after-completion" });
          changed = true;
        }
        break;
      }
      if (next > now) break;
      changed = true;
      if (now - next > maxAgeMs) {
        // Came due while the emulator was down (or the clock jumped) longer than the event may live.
        schedule.firedThrough = Math.max(next, now - maxAgeMs);
        this.record(schedule, {
          outcome: "missed",
          scheduledAt: next,
          detail: "Older than MaximumEventAgeInSeconds when the emulator saw it; not delivered",
        });
        continue;
      }
      schedule.firedThrough = next;
      this.enqueue(schedule, next, false);
    }
    return changed;
  }

  private enqueue(schedule: ScheduleRecord, scheduledAt: number, manual: boolean): Invocation {
    const invocation: Invocation = {
      id: ulid(),
      scheduleArn: schedule.arn,
      groupName: schedule.groupName,
      name: schedule.name,
      target: structuredClone(schedule.target),
      scheduledAt,
      attempts: 0,
      nextAttemptAt: scheduledAt,
      manual,
    };
    this.options.state.invocations.set(invocation.id, invocation);
    return invocation;
  }

  private attemptDue(now: number): void {
    for (const invocation of this.options.state.invocations.values()) {
      if (invocation.nextAttemptAt > now || this.inFlight.has(invocation.id)) continue;
      const run = this.attempt(invocation).finally(() => {
        this.inFlight.delete(invocation.id);
        this.options.onChange();
      });
      this.inFlight.set(invocation.id, run);
    }
  }

  private async attempt(invocation: Invocation): Promise<void> {
    const { state, clock, faults, delivery } = this.options;
    const { target } = invocation;
    invocation.attempts += 1;
    if (!parseSqsArn(target.Arn)) {
      state.invocations.delete(invocation.id);
      this.record(invocation, {
        outcome: "unsupported-target",
        detail: `Target ${target.Arn} is not supported locally: only SQS queue targets are delivered`,
      });
      return;
    }
    if (clock.now() - invocation.scheduledAt > eventAgeMs(target)) {
      state.invocations.delete(invocation.id);
      const failure = new DeliveryFailure(
        "EventExpired",
        "MaximumEventAgeInSeconds passed before delivery",
        false,
      );
      await this.deadLetter(invocation, failure, "MaximumEventAgeInSeconds");
      return;
    }
    try {
      const fault = faults.take("Deliver");
      if (fault) {
        throw new DeliveryFailure(fault.error, fault.message ?? `Injected ${fault.error}`, fault.retryable);
      }
      const messageId = await delivery.send({
        queueArn: target.Arn,
        // AWS sends an empty JSON object when a templated SQS target has no Input.
        body: withContext(target.Input ?? "{}", invocation),
        messageGroupId: target.SqsParameters?.MessageGroupId,
        // Stable across retries, so a FIFO queue drops a duplicate of a delivery that did land.
        deduplicationId: invocation.id,
      });
      state.invocations.delete(invocation.id);
      this.record(invocation, { outcome: "delivered", messageId });
    } catch (error) {
      const failure =
        error instanceof DeliveryFailure ? error : new DeliveryFailure("UnknownError", String(error), true);
      await this.afterFailure(invocation, failure);
    }
  }

  private async afterFailure(invocation: Invocation, failure: DeliveryFailure): Promise<void> {
    const now = this.options.clock.now();
    const retriesDone = invocation.attempts - 1;
    const maxRetries = invocation.target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_RETRY_ATTEMPTS;
    const delay = Math.min(this.options.retryBaseMs * 2 ** retriesDone, MAX_BACKOFF_MS);
    const tooOld = now + delay - invocation.scheduledAt > eventAgeMs(invocation.target);
    if (failure.retryable && retriesDone < maxRetries && !tooOld) {
      invocation.nextAttemptAt = now + delay;
      this.record(invocation, {
        outcome: "retrying",
        detail: `${failure.code}: ${failure.message} (next attempt in ${delay} ms)`,
      });
      return;
    }
    this.options.state.invocations.delete(invocation.id);
    const condition = !failure.retryable
      ? undefined
      : retriesDone >= maxRetries
        ? "MaximumRetryAttempts"
        : "MaximumEventAgeInSeconds";
    await this.deadLetter(invocation, failure, condition);
  }

  private async deadLetter(
    invocation: Invocation,
    failure: DeliveryFailure,
    condition?: string,
  ): Promise<void> {
    const dlqArn = invocation.target.DeadLetterConfig?.Arn;
    const detail = `${failure.code}: ${failure.message}`;
    if (!dlqArn) {
      this.record(invocation, { outcome: "failed", detail });
      return;
    }
    // Attribute names follow the dead-letter events described in the EventBridge Scheduler guide.
    const attributes: Record<string, MessageAttributeValue> = {
      ERROR_CODE: text(failure.code),
      ERROR_MESSAGE: text(failure.message.slice(0, 1000)),
      RETRY_ATTEMPTS: { DataType: "Number", StringValue: String(Math.max(0, invocation.attempts - 1)) },
      SCHEDULE_ARN: text(invocation.scheduleArn),
      TARGET_ARN: text(invocation.target.Arn),
    };
    if (condition) attributes.EXHAUSTED_RETRY_CONDITION = text(condition);
    try {
      const messageId = await this.options.delivery.send({
        queueArn: dlqArn,
        body: invocation.target.Input ?? "{}",
        attributes,
      });
      this.record(invocation, { outcome: "dead-lettered", messageId, detail });
    } catch (error) {
      const dlqError = error instanceof Error ? error.message : String(error);
      this.record(invocation, {
        outcome: "failed",
        detail: `${detail}; dead-letter queue refused it: ${dlqError}`,
      });
    }
  }

  private record(
    source: ScheduleRecord | Invocation,
    entry: Pick<HistoryEntry, "outcome"> & Partial<HistoryEntry>,
  ): void {
    const invocation = "attempts" in source ? source : undefined;
    this.options.state.record({
      at: this.options.clock.now(),
      groupName: source.groupName,
      name: source.name,
      invocationId: invocation?.id,
      scheduledAt: invocation?.scheduledAt,
      attempt: invocation?.attempts,
      manual: invocation?.manual || undefined,
      ...entry,
    });
  }
}

export function windowOf(schedule: ScheduleRecord): OccurrenceWindow {
  return {
    timeZone: schedule.timezone ?? "UTC",
    startDate: schedule.startDate,
    endDate: schedule.endDate,
    rateAnchor: schedule.baseline,
  };
}

function eventAgeMs(target: Target): number {
  return (target.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_EVENT_AGE_SECONDS) * 1000;
}

const text = (value: string): MessageAttributeValue => ({ DataType: "String", StringValue: value });

/**
 * The context attributes AWS replaces in a target's Input (EventBridge Scheduler guide, « Adding context
 * attributes »): the scheduled time is the emulator clock's, so moving the clock moves what the job sees.
 */
export function withContext(
  input: string,
  invocation: { id: string; scheduleArn: string; scheduledAt: number; attempts: number },
) {
  return input
    .replaceAll("<aws.scheduler.schedule-arn>", invocation.scheduleArn)
    .replaceAll(
      "<aws.scheduler.scheduled-time>",
      new Date(invocation.scheduledAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
    )
    .replaceAll("<aws.scheduler.execution-id>", invocation.id)
    .replaceAll("<aws.scheduler.attempt-number>", String(invocation.attempts));
}

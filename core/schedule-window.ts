import * as z from "zod";
import { isConditionalFailure } from "./db";
import type * as Job from "./job";
import * as Scheduler from "./platform/scheduler";

/**
 * A start/end window kept by EventBridge Scheduler: each edge is a one-time schedule dropping a job that
 * moves the subject's status, conditionally, so a repeated or late edge changes nothing. The features
 * keep their own job kinds and statuses; schedule names and kinds are persisted in live schedules, so
 * neither may change.
 */
export const Edge = z.enum(["start", "end"]);
export type Edge = z.infer<typeof Edge>;

/** A subject's window: its schedules are named `<parts>-start` and `<parts>-end`; `job` is what an edge drops. */
export function of<J extends Job.Envelope>(parts: string[], job: (edge: Edge) => J) {
  const name = (edge: Edge) => Scheduler.nameOf(...parts, edge);
  return {
    name,
    /**
     * Schedules the end (when there is one), then the start when it is still to come; a start already
     * past runs `startNow` instead.
     */
    async schedule(
      window: { startsAt: Date; endsAt?: Date; now: Date },
      startNow: () => Promise<unknown> = async () => undefined,
    ) {
      if (window.endsAt) await Scheduler.at(name("end"), window.endsAt, job("end"));
      if (window.startsAt > window.now) await Scheduler.at(name("start"), window.startsAt, job("start"));
      else await startNow();
    },
    /** Cancels both edges (one already fired or cancelled is no error). */
    async cancel() {
      await Promise.all([Scheduler.cancel(name("start")), Scheduler.cancel(name("end"))]);
    },
  };
}

/**
 * A conditional status move: `{ outcome }` when `patch` applied, `{ outcome: refused }` ("skipped" unless
 * told) when its condition refused it.
 */
export async function move<O extends string, R extends string = "skipped">(
  outcome: O,
  patch: () => Promise<unknown>,
  refused: R = "skipped" as R,
): Promise<{ outcome: O } | { outcome: R }> {
  try {
    await patch();
    return { outcome };
  } catch (error) {
    if (isConditionalFailure(error)) return { outcome: refused };
    throw error;
  }
}

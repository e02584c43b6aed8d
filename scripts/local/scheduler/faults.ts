// Fault injection: the next `count` calls of an operation fail with the chosen error. "Deliver"
// fails the next deliveries to targets (not to dead-letter queues) so retry policies get exercised.
import * as z from "zod";
import { ERROR_STATUS, isSchedulerErrorName } from "./aws-error";

export const API_OPERATIONS = [
  "CreateScheduleGroup",
  "GetScheduleGroup",
  "ListScheduleGroups",
  "DeleteScheduleGroup",
  "CreateSchedule",
  "GetSchedule",
  "UpdateSchedule",
  "DeleteSchedule",
  "ListSchedules",
  "ListTagsForResource",
  "TagResource",
  "UntagResource",
] as const;
export type ApiOperation = (typeof API_OPERATIONS)[number];

export const FaultRequest = z
  .object({
    /** An API operation, "*" for every API operation, or "Deliver". */
    operation: z.enum([...API_OPERATIONS, "*", "Deliver"]),
    error: z.string().min(1).max(200),
    count: z.number().int().min(1).max(10_000).default(1),
    message: z.string().max(1000).optional(),
    /** Deliver only: false makes the failure permanent (no retry, straight to the DLQ). */
    retryable: z.boolean().default(true),
  })
  .refine((fault) => fault.operation === "Deliver" || isSchedulerErrorName(fault.error), {
    message: `API faults must use one of ${Object.keys(ERROR_STATUS).join(", ")}`,
    path: ["error"],
  });
export type FaultRequest = z.infer<typeof FaultRequest>;

export interface Fault extends FaultRequest {
  id: number;
  remaining: number;
}

export class Faults {
  private faults: Fault[] = [];
  private nextId = 1;

  add(request: FaultRequest): Fault {
    const fault = { ...request, id: this.nextId++, remaining: request.count };
    this.faults.push(fault);
    return fault;
  }

  /** Consumes one use of the oldest fault matching the operation, if any. */
  take(operation: ApiOperation | "Deliver"): Fault | undefined {
    const fault = this.faults.find(
      (candidate) =>
        candidate.operation === operation || (candidate.operation === "*" && operation !== "Deliver"),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((candidate) => candidate !== fault);
    return { ...fault };
  }

  list(): Fault[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  clear(): void {
    this.faults = [];
  }
}

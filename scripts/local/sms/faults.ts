import * as z from "zod";
import { AwsError, errorNames } from "./aws-error";

/**
 * Injected failures: the next `count` calls to `operation` ("*" for any) answer `error` instead of running.
 * Each HTTP call counts, so an SDK client with retries (3 attempts by default) uses up to 3 per command.
 */
export const FaultInput = z.object({
  operation: z.string().min(1),
  error: z.enum(errorNames),
  count: z.number().int().min(1).default(1),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type FaultInput = z.input<typeof FaultInput>;
type Fault = z.output<typeof FaultInput> & { remaining: number };

export class Faults {
  private faults: Fault[] = [];

  add(input: FaultInput) {
    const fault = FaultInput.parse(input);
    this.faults.push({ ...fault, remaining: fault.count });
  }

  clear() {
    this.faults = [];
  }

  list() {
    return this.faults.map(({ operation, error, remaining, reason }) => ({
      operation,
      error,
      remaining,
      reason,
    }));
  }

  /** The error to answer for this call, consuming one use of the first matching fault. */
  take(operation: string): AwsError | undefined {
    const fault = this.faults.find(
      (f) => f.remaining > 0 && (f.operation === operation || f.operation === "*"),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return new AwsError(
      fault.error,
      fault.message ?? `Injected ${fault.error} for ${operation} (sms emulator)`,
      {
        ...(fault.reason ? { Reason: fault.reason } : {}),
      },
    );
  }
}

// Errors in the restJson1 shape the SDK decodes: the x-amzn-errortype header names the modelled
// exception, the status matches its httpError trait, and the body carries the message.
import type * as z from "zod";

export const ERROR_STATUS = {
  ValidationException: 400,
  ServiceQuotaExceededException: 402,
  ResourceNotFoundException: 404,
  ConflictException: 409,
  ThrottlingException: 429,
  InternalServerException: 500,
} as const;
export type SchedulerErrorName = keyof typeof ERROR_STATUS;

export function isSchedulerErrorName(value: string): value is SchedulerErrorName {
  return Object.hasOwn(ERROR_STATUS, value);
}

export class SchedulerError extends Error {
  constructor(
    readonly type: SchedulerErrorName,
    message: string,
  ) {
    super(message);
  }

  get status(): number {
    return ERROR_STATUS[this.type];
  }
}

export const notFound = (message: string) => new SchedulerError("ResourceNotFoundException", message);
export const conflict = (message: string) => new SchedulerError("ConflictException", message);
export const invalid = (message: string) => new SchedulerError("ValidationException", message);

/** AWS-style "N validation errors detected: Value at 'x' failed to satisfy constraint: …". */
export function fromZodIssues(issues: z.ZodError["issues"]): SchedulerError {
  const details = issues.map((issue) => {
    const path = issue.path.map(String).join(".") || "body";
    return `Value at '${path}' failed to satisfy constraint: ${issue.message}`;
  });
  const count = details.length === 1 ? "1 validation error" : `${details.length} validation errors`;
  return invalid(`${count} detected: ${details.join("; ")}`);
}

export function errorResponse(error: SchedulerError, requestId: string): Response {
  return Response.json(
    { __type: error.type, message: error.message, Message: error.message },
    {
      status: error.status,
      headers: { "x-amzn-errortype": error.type, "x-amzn-requestid": requestId },
    },
  );
}

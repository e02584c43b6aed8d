import { z } from "@hono/zod-openapi";

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      fields: z
        .array(z.object({ path: z.string(), code: z.string().optional(), message: z.string() }))
        .optional(),
      requestId: z.string().optional(),
      retryAfterSeconds: z.number().optional(),
    }),
  })
  .openapi("Error");

/** `{ 200: json(Schema, "…") }` and the usual error answers, for route definitions. */
export const json = <S extends z.ZodType>(schema: S, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

const error = (description: string) => json(ErrorBody, description);

export const errors = {
  400: error("Invalid request, with a message per field"),
  401: error("Not logged in, or the session expired"),
  403: error("Not allowed for this role, missing CSRF token, or password change required"),
  404: error("Not found (or belongs to another company)"),
  409: error("Conflicts with the current state"),
} as const;

export const body = <S extends z.ZodType>(schema: S) => ({
  body: { required: true, content: { "application/json": { schema } } },
});

export function IdParam<N extends string>(name: N) {
  const id = z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name, in: "path" } });
  return z.object({ [name]: id } as { [K in N]: typeof id });
}

/** Where the browser POSTs a file straight to S3 (a presigned POST's URL and form fields). */
export const PresignedPost = z.object({ url: z.string(), fields: z.record(z.string(), z.string()) });

/** One problem of an import's dry run, by line and column. */
export const ImportLineError = z.object({
  line: z.number(),
  column: z.string().optional(),
  code: z.string(),
  message: z.string(),
});

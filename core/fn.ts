import type * as z from "zod";

/** A verb that parses its input first, so its body can trust what it receives. */
export function fn<S extends z.ZodType, R>(schema: S, impl: (input: z.output<S>) => R) {
  const run = (input: z.input<S>) => impl(schema.parse(input));
  run.schema = schema;
  return run;
}

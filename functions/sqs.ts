import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import type * as z from "zod";
import * as Metrics from "../core/platform/metrics";
import { logger } from "./logger";

/**
 * An SQS consumer that parses each body with `schema` and reports failed records individually
 * (ReportBatchItemFailures): a thrown record is retried by SQS, the others are deleted.
 */
export function sqsHandler<S extends z.ZodType>(
  schema: S,
  work: (body: z.output<S>, record: SQSRecord, context: Context) => Promise<void>,
) {
  const processor = new BatchProcessor(EventType.SQS);
  return middy(async (event: SQSEvent, context: Context) => {
    try {
      return await processPartialResponse(
        event,
        (record: SQSRecord) => work(schema.parse(JSON.parse(record.body)), record, context),
        processor,
        { context },
      );
    } finally {
      // Business metrics of the whole batch, one EMF line per company (core/platform/metrics.ts).
      Metrics.flush();
    }
  }).use(injectLambdaContext(logger));
}

/** SNS wraps what was published in an envelope when it delivers to SQS. */
export function snsMessage<S extends z.ZodType>(schema: S) {
  return (body: { Message: string }) => schema.parse(JSON.parse(body.Message)) as z.output<S>;
}

import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { DeadLetter } from "../../core/dead-letter";
import { logger } from "../logger";

/**
 * Drains every dead-letter queue into the table, so each company's Admins see (and retry) their own
 * failed jobs in the console. Bodies are kept as received, readable or not.
 */
const processor = new BatchProcessor(EventType.SQS);

export const handler = middy(async (event: SQSEvent, context: Context) =>
  processPartialResponse(
    event,
    async (record: SQSRecord) => {
      const described = await DeadLetter.record({
        messageId: record.messageId,
        body: record.body,
        attempts: Number(record.attributes.ApproximateReceiveCount ?? 0),
        deadLetterQueueArn: record.eventSourceARN,
        firstSentAt: record.attributes.SentTimestamp
          ? new Date(Number(record.attributes.SentTimestamp)).toISOString()
          : undefined,
      });
      // The alarm on the dead-letters metric tells the operators; the log says what it was.
      logger.error("dead letter", {
        ...described,
        messageId: record.messageId,
        source: record.eventSourceARN,
      });
    },
    processor,
    { context },
  ),
).use(injectLambdaContext(logger));

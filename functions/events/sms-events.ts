import { z } from "zod";
import { logger } from "../logger";
import { snsMessage, sqsHandler } from "../sqs";

/** End User Messaging SMS configuration-set events (TEXT_DELIVERED…), SNS → SQS → here. */
const SmsEvent = z.object({ eventType: z.string(), messageId: z.string() }).loose();
const parse = snsMessage(SmsEvent);

export const handler = sqsHandler(z.object({ Message: z.string() }).loose(), async (envelope) => {
  const event = parse(envelope);
  logger.info("sms event", { eventType: event.eventType, messageId: event.messageId });
});

import { z } from "zod";
import { logger } from "../logger";
import { snsMessage, sqsHandler } from "../sqs";

/** SES configuration-set events (Delivery, Bounce, Complaint…), SNS → SQS → here. */
const EmailEvent = z
  .object({ eventType: z.string(), mail: z.object({ messageId: z.string() }).loose() })
  .loose();
const parse = snsMessage(EmailEvent);

export const handler = sqsHandler(z.object({ Message: z.string() }).loose(), async (envelope) => {
  const event = parse(envelope);
  logger.info("email event", { eventType: event.eventType, messageId: event.mail.messageId });
});

import { z } from "zod";
import { logger } from "../logger";
import { snsMessage, sqsHandler } from "../sqs";

/** Two-way SMS replies published by End User Messaging to the inbound topic, SNS → SQS → here. */
const Inbound = z
  .object({
    originationNumber: z.string(),
    destinationNumber: z.string(),
    messageBody: z.string(),
    inboundMessageId: z.string(),
    previousPublishedMessageId: z.string().optional(),
  })
  .loose();
const parse = snsMessage(Inbound);

export const handler = sqsHandler(z.object({ Message: z.string() }).loose(), async (envelope) => {
  const reply = parse(envelope);
  logger.info("sms reply", { inboundMessageId: reply.inboundMessageId });
});

import * as z from "zod";
import * as Replies from "../../core/delivery/replies";
import { logger } from "../logger";
import { snsMessage, sqsHandler } from "../sqs";

/** Two-way SMS replies published by End User Messaging to the inbound topic, SNS → SQS → reply. */
const parse = snsMessage(Replies.InboundSms);

export const handler = sqsHandler(z.object({ Message: z.string() }).loose(), async (envelope) => {
  const reply = parse(envelope);
  const result = await Replies.inboundSms(reply);
  logger.info("sms reply", { inboundMessageId: reply.inboundMessageId, outcome: result.outcome });
});

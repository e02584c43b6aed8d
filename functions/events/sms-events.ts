import { z } from "zod";
import { Delivery } from "../../core/delivery";
import { snsMessage, sqsHandler } from "../sqs";

/** End User Messaging SMS configuration-set events (TEXT_DELIVERED…), SNS → SQS → message status. */
const parse = snsMessage(Delivery.SmsEvent);

export const handler = sqsHandler(z.object({ Message: z.string() }).loose(), async (envelope) => {
  await Delivery.smsEvent(parse(envelope));
});

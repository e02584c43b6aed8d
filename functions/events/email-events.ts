import { z } from "zod";
import { Delivery } from "../../core/delivery";
import { snsMessage, sqsHandler } from "../sqs";

/** SES configuration-set events (Delivery, Bounce, Complaint…), SNS → SQS → message status. */
const parse = snsMessage(Delivery.EmailEvent);

export const handler = sqsHandler(z.object({ Message: z.string() }).loose(), async (envelope) => {
  await Delivery.emailEvent(parse(envelope));
});

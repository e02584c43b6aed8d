import * as z from "zod";
import * as Events from "../../core/delivery/events";
import { snsMessage, sqsHandler } from "../sqs";

/** SES configuration-set events (Delivery, Bounce, Complaint…), SNS → SQS → message status. */
const parse = snsMessage(Events.EmailEvent);

export const handler = sqsHandler(z.object({ Message: z.string() }).loose(), async (envelope) => {
  await Events.emailEvent(parse(envelope));
});

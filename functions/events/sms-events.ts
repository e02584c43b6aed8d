import * as z from "zod";
import * as Events from "../../core/delivery/events";
import { snsMessage, sqsHandler } from "../sqs";

/** End User Messaging SMS configuration-set events (TEXT_DELIVERED…), SNS → SQS → message status. */
const parse = snsMessage(Events.SmsEvent);

export const handler = sqsHandler(z.object({ Message: z.string() }).loose(), async (envelope) => {
  await Events.smsEvent(parse(envelope));
});

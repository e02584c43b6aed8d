import * as Event from "../../core/event";
import { subscriberOfQueue } from "../../core/subscribers";
import { logger } from "../logger";
import { sqsHandler } from "../sqs";

/**
 * Every subscriber's queue (`events-<name>`, raw SNS delivery: the body is the event's envelope). The
 * queue names the subscriber; `Event.deliver` skips an event it has handled already.
 */
export const handler = sqsHandler(Event.Envelope, async (envelope, record) => {
  const subscriber = subscriberOfQueue(record.eventSourceARN);
  if (!subscriber) throw new Error(`No subscriber reads ${record.eventSourceARN}`);
  const outcome = await Event.deliver(subscriber, envelope);
  logger.info("event delivered", {
    subscriber: subscriber.name,
    id: envelope.id,
    name: envelope.name,
    outcome,
  });
});

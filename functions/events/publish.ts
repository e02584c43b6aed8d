import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBStreamEvent } from "aws-lambda";
import { config } from "../../core/config";
import * as Event from "../../core/event";
import * as Topic from "../../core/platform/topic";
import { logger } from "../logger";

/**
 * The table's stream (INSERTs of outbox items, filtered by the event source mapping) → the `events`
 * topic, with the event's name as the `name` message attribute for the subscribers' filter policies.
 * A failure throws: the batch is retried (and bisected), so an event may be published twice, never lost.
 */
export async function handler(event: DynamoDBStreamEvent) {
  const envelopes = event.Records.flatMap((record) => {
    const image = record.eventName === "INSERT" ? record.dynamodb?.NewImage : undefined;
    const envelope = image && Event.fromOutbox(unmarshall(image as Record<string, AttributeValue>));
    return envelope ? [envelope] : [];
  });
  await Topic.publishEach(
    config("EVENTS_TOPIC_ARN"),
    envelopes.map((envelope) => ({
      id: envelope.id,
      message: envelope,
      attributes: { name: envelope.name },
    })),
  );
  logger.debug("events published", { count: envelopes.length });
}

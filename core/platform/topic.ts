import { GetTopicAttributesCommand, PublishBatchCommand, PublishCommand } from "@aws-sdk/client-sns";
import { sns } from "./clients/sns";

export async function publish(topicArn: string, message: unknown) {
  const result = await sns().send(
    new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify(message) }),
  );
  return result.MessageId;
}

/**
 * Publishes messages 10 a request (PublishBatch's limit), each with string message attributes for
 * subscription filter policies. Throws if any entry failed, after sending the others.
 */
export async function publishEach(
  topicArn: string,
  messages: Array<{ id: string; message: unknown; attributes: Record<string, string> }>,
) {
  const failed: string[] = [];
  for (let start = 0; start < messages.length; start += 10) {
    const chunk = messages.slice(start, start + 10);
    const result = await sns().send(
      new PublishBatchCommand({
        TopicArn: topicArn,
        PublishBatchRequestEntries: chunk.map((entry, index) => ({
          Id: String(index),
          Message: JSON.stringify(entry.message),
          MessageAttributes: Object.fromEntries(
            Object.entries(entry.attributes).map(([name, value]) => [
              name,
              { DataType: "String", StringValue: value },
            ]),
          ),
        })),
      }),
    );
    for (const failure of result.Failed ?? [])
      failed.push(`${chunk[Number(failure.Id)]?.id}: ${failure.Code}`);
  }
  if (failed.length > 0) throw new Error(`Not published: ${failed.join(", ")}`);
}

export async function probe(topicArn: string) {
  await sns().send(new GetTopicAttributesCommand({ TopicArn: topicArn }));
  return {};
}

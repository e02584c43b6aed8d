import { GetTopicAttributesCommand, PublishCommand } from "@aws-sdk/client-sns";
import { sns } from "./clients/sns";

export async function publish(topicArn: string, message: unknown) {
  const result = await sns().send(
    new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify(message) }),
  );
  return result.MessageId;
}

export async function probe(topicArn: string) {
  await sns().send(new GetTopicAttributesCommand({ TopicArn: topicArn }));
  return {};
}

import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { PinpointSMSVoiceV2Client } from "@aws-sdk/client-pinpoint-sms-voice-v2";
import { S3Client } from "@aws-sdk/client-s3";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { config } from "../config";

/**
 * One lazily created client per service, reused across invocations. Endpoints come from the SDK's own
 * AWS_ENDPOINT_URL_<SERVICE> variables, so this code is identical on AWS and against the emulators.
 */
function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

const region = () => config("AWS_REGION");

export const dynamo = lazy(() => new DynamoDBClient({ region: region() }));
export const documents = lazy(() =>
  DynamoDBDocumentClient.from(dynamo(), { marshallOptions: { removeUndefinedValues: true } }),
);
// Send to the configured endpoint rather than the QueueUrl's host: identical on AWS, and emulators
// hand out queue URLs on hosts of their own.
export const sqs = lazy(() => new SQSClient({ region: region(), useQueueUrlAsEndpoint: false }));
export const sns = lazy(() => new SNSClient({ region: region() }));
export const s3 = lazy(() => new S3Client({ region: region() }));
export const ses = lazy(() => new SESv2Client({ region: region() }));
export const smsVoice = lazy(() => new PinpointSMSVoiceV2Client({ region: region() }));
export const scheduler = lazy(() => new SchedulerClient({ region: region() }));

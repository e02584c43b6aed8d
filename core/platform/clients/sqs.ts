import { SQSClient } from "@aws-sdk/client-sqs";
import { lazy, region } from "../lazy";

// Send to the configured endpoint rather than the QueueUrl's host: identical on AWS, and emulators
// hand out queue URLs on hosts of their own.
export const sqs = lazy(() => new SQSClient({ region: region(), useQueueUrlAsEndpoint: false }));

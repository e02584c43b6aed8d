import type { Context, SQSEvent } from "aws-lambda";
import { interceptLocalhostDns } from "fauxqs";

/**
 * Runs one import job through the production handler in a process of its own, as Lambda would, and
 * prints its peak resident memory: the bench's own process also holds the emulators. Spawned by
 * import.ts with the local cloud's settings in the environment and the job as argument.
 */
interceptLocalhostDns();
process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
const job = process.argv[2];
if (!job) throw new Error("usage: import-worker.ts '<job json>'");

const { handler } = await import("../../functions/jobs/run");
const loadedMiB = process.memoryUsage().rss / 1024 / 1024;
const event: SQSEvent = {
  Records: [
    {
      messageId: "bench",
      receiptHandle: "bench",
      body: job,
      attributes: {
        ApproximateReceiveCount: "1",
        SentTimestamp: String(Date.now()),
        SenderId: "bench",
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: "",
      eventSource: "aws:sqs",
      eventSourceARN: "arn:aws:sqs:eu-west-3:000000000000:relais-local-import",
      awsRegion: "eu-west-3",
    },
  ],
};
// Lambda's longest timeout: the whole file in one run, as on AWS with the Messaging stack's settings.
const deadline = Date.now() + 900_000;
const context = { getRemainingTimeInMillis: () => deadline - Date.now() } as unknown as Context;
const started = performance.now();
const response = await handler(event, context);
const seconds = (performance.now() - started) / 1000;
const peakMiB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  `${JSON.stringify({ loadedMiB, peakMiB, seconds, failures: response?.batchItemFailures })}\n`,
);
process.exit(0);

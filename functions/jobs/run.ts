import * as Job from "../../core/job";
import { queueOf } from "../../core/queues";
import { logger } from "../logger";
import { sqsHandler } from "../sqs";

/**
 * Every job queue's consumer (core/queues.ts): campaign launches and send jobs on dispatch, imports on
 * import, and whatever kind core/jobs.ts lists next. The queue is read off the record's source ARN; the
 * kind's own code runs under its company's system actor. A thrown record is retried by SQS, then dead.
 */
export const handler = sqsHandler(Job.Envelope, async (envelope, record, context) => {
  const result = await Job.run(envelope, queueOf(record.eventSourceARN), {
    deadline: Date.now() + context.getRemainingTimeInMillis(),
    timeLeft: () => context.getRemainingTimeInMillis(),
    redelivered: Number(record.attributes.ApproximateReceiveCount) > 1,
  }).catch((error: unknown) => {
    if (error instanceof Job.UnknownJob) logger.error("job refused", { kind: envelope.kind, error });
    throw error;
  });
  if (result !== undefined)
    logger.info("job", { kind: envelope.kind, companyId: envelope.companyId, result });
});

import { z } from "zod";
import { withActor } from "../../core/actor";
import { Delivery } from "../../core/delivery";
import { logger } from "../logger";
import { sqsHandler } from "../sqs";

/**
 * The dispatch queue: campaign launches (from the Scheduler or Campaign.create) and send jobs, both
 * idempotent. A thrown record is retried by SQS; a job of an unknown kind is logged and dropped.
 */
export const handler = sqsHandler(z.object({ kind: z.string() }).loose(), async (body, record, context) => {
  const parsed = Delivery.Job.safeParse(body);
  if (!parsed.success) return logger.warn("unknown dispatch job", { kind: body.kind });
  const job = parsed.data;
  const actor = { type: "system" as const, companyId: job.companyId, reason: job.kind };
  if (job.kind === "campaign.launch") {
    const result = await withActor(actor, () => Delivery.launch(job));
    logger.info("campaign launch", { campaignId: job.campaignId, ...result });
  } else {
    const deadline = Date.now() + context.getRemainingTimeInMillis();
    const redelivered = Number(record.attributes.ApproximateReceiveCount) > 1;
    await withActor(actor, () => Delivery.sendJob(job, { deadline, redelivered }));
  }
});

import { withActor } from "../../core/actor";
import { ContactImport } from "../../core/contact-import/worker";
import { logger } from "../logger";
import { sqsHandler } from "../sqs";

/**
 * Background spreadsheet imports. Each message names one import; the core verb claims it under a lease,
 * so a redelivered or duplicated message is harmless, and hands over to a new message before the Lambda
 * runs out of time.
 */
export const handler = sqsHandler(ContactImport.Job, async (job, _record, context) => {
  const outcome = await withActor({ type: "system", companyId: job.companyId, reason: "import" }, () =>
    ContactImport.run(job, { timeLeft: () => context.getRemainingTimeInMillis() }),
  );
  if (outcome.result === "retrying") logger.warn("import will be retried", { ...outcome });
  else logger.info("import job", { ...outcome });
});

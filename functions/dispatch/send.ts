import { z } from "zod";
import { logger } from "../logger";
import { sqsHandler } from "../sqs";

/** Jobs on the dispatch queue: scheduled campaign launches and send batches (delivery engine issue). */
const Job = z.object({ kind: z.string() }).loose();

export const handler = sqsHandler(Job, async (job) => {
  logger.info("dispatch job", { kind: job.kind });
});

import { z } from "zod";
import { logger } from "../logger";
import { sqsHandler } from "../sqs";

/** Background spreadsheet imports (contacts issue). */
const Job = z.object({ kind: z.string() }).loose();

export const handler = sqsHandler(Job, async (job) => {
  logger.info("import job", { kind: job.kind });
});

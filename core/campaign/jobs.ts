/** Messages a send job carries at most: one SQS message, one lease, one batch of reads. */
export const jobSize = 25;

/**
 * Gives new messages their send job: 25 in a row share one, named after the first of them. A message
 * keeps its job for life — fan-out, hand-backs, carrier retries and dead-letter retries all send it under
 * that job's lease (core/delivery/send.ts) — so no two attempts ever hold it at once.
 */
export function assignJobs<M extends { messageId: string }>(
  messages: M[],
  size = jobSize,
): Array<M & { jobId: string }> {
  return messages.map((message, index) => ({
    ...message,
    jobId: messages[index - (index % size)]!.messageId,
  }));
}

import * as z from "zod";
import { config } from "../../core/config";
import * as EmailReplies from "../../core/delivery/email-replies";
import * as Replies from "../../core/delivery/replies";
import * as Storage from "../../core/platform/storage";
import { logger } from "../logger";
import { snsMessage, sqsHandler } from "../sqs";

/**
 * Email replies: SES receipt rule → S3 (the raw email) → SNS notification → SQS → here. The raw email
 * is deleted once the reply is recorded: only its new text is kept, on the reply.
 */
const parse = snsMessage(EmailReplies.ReceivedNotification);

export const handler = sqsHandler(z.object({ Message: z.string() }).loose(), async (envelope) => {
  const notification = parse(envelope);
  const { bucketName, objectKey } = notification.receipt.action;
  if (bucketName !== config("ATTACHMENTS_BUCKET")) {
    logger.warn("inbound email in an unexpected bucket", { bucketName });
    return;
  }
  let raw: Uint8Array;
  try {
    raw = await Storage.readBytes("attachments", objectKey);
  } catch (error) {
    // Already handled and deleted by an earlier delivery of this notification.
    if ((error as { name?: string }).name === "NoSuchKey") return;
    throw error;
  }
  const email = await EmailReplies.parse(raw);
  const result = await Replies.inboundEmail(email, notification.mail.messageId);
  logger.info("email reply", { sesMessageId: notification.mail.messageId, outcome: result.outcome });
  await Storage.remove("attachments", objectKey);
});

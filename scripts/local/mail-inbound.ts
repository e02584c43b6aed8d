import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { ulid } from "ulid";
import { REGION } from "./resources";

/**
 * SES email receiving, emulated: what a receipt rule with an S3 action does when mail arrives — store
 * the raw message in the bucket, then publish the documented "Received" notification to the topic —
 * so the production consumer (functions/events/email-inbound.ts) takes it from there via SQS.
 */
export type IncomingEmail = {
  from: string;
  to: string;
  subject?: string;
  text: string;
  /** The Message-ID answered; SES's are `<id@eu-west-3.amazonses.com>`. */
  inReplyTo?: string;
};

export function toMime(email: IncomingEmail, messageId: string) {
  const encoded = Buffer.from(email.text, "utf8").toString("base64").replace(/.{76}/g, "$&\r\n");
  return [
    `From: ${email.from}`,
    `To: ${email.to}`,
    `Subject: =?UTF-8?B?${Buffer.from(email.subject ?? "Re:", "utf8").toString("base64")}?=`,
    `Message-ID: <${messageId}>`,
    ...(email.inReplyTo ? [`In-Reply-To: ${email.inReplyTo}`, `References: ${email.inReplyTo}`] : []),
    `Date: ${new Date().toUTCString()}`,
    "MIME-Version: 1.0",
    'Content-Type: text/plain; charset="utf-8"',
    "Content-Transfer-Encoding: base64",
    "",
    encoded,
    "",
  ].join("\r\n");
}

export async function receiveEmail(email: IncomingEmail, env: NodeJS.ProcessEnv = process.env) {
  const base = {
    region: REGION,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
  };
  const s3 = new S3Client({ ...base, endpoint: env.AWS_ENDPOINT_URL_S3 });
  const sns = new SNSClient({ ...base, endpoint: env.AWS_ENDPOINT_URL_SNS });
  const sesMessageId = ulid().toLowerCase();
  const bucketName = env.ATTACHMENTS_BUCKET!;
  const objectKey = `inbound-email/${sesMessageId}`;
  const messageId = `${ulid()}@mail.example.fr`;
  await s3.send(new PutObjectCommand({ Bucket: bucketName, Key: objectKey, Body: toMime(email, messageId) }));
  await sns.send(
    new PublishCommand({
      TopicArn: env.EMAIL_INBOUND_TOPIC_ARN,
      Subject: "Amazon SES Email Receipt Notification",
      Message: JSON.stringify({
        notificationType: "Received",
        mail: {
          timestamp: new Date().toISOString(),
          source: email.from,
          messageId: sesMessageId,
          destination: [email.to],
          commonHeaders: { from: [email.from], to: [email.to], subject: email.subject ?? "" },
        },
        receipt: {
          timestamp: new Date().toISOString(),
          recipients: [email.to],
          spamVerdict: { status: "PASS" },
          virusVerdict: { status: "PASS" },
          action: { type: "S3", topicArn: env.EMAIL_INBOUND_TOPIC_ARN, bucketName, objectKey },
        },
      }),
    }),
  );
  return { messageId, objectKey };
}

/**
 * The local tools page's « answer an email »: finds the newest email the SES emulator holds for
 * `from` and answers it as a mail client would (to its Reply-To, In-Reply-To its SES Message-ID).
 */
export async function replyToLatest(
  input: { from: string; text: string },
  env: NodeJS.ProcessEnv = process.env,
) {
  const store = (await (await fetch(`${env.AWS_ENDPOINT_URL_SESV2}/store`)).json()) as {
    emails: Array<{ messageId: string; subject: string; replyTo?: string[]; destination: { to: string[] } }>;
  };
  const from = input.from.trim().toLowerCase();
  const latest = store.emails
    .filter(
      (email) => email.destination.to.some((to) => to.toLowerCase().includes(from)) && email.replyTo?.[0],
    )
    .at(-1);
  if (!latest) return undefined;
  return receiveEmail(
    {
      from,
      to: latest.replyTo![0]!,
      subject: `Re: ${latest.subject}`,
      text: input.text,
      inReplyTo: `<${latest.messageId}@eu-west-3.amazonses.com>`,
    },
    env,
  );
}

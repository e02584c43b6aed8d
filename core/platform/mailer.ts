import { GetAccountCommand, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { config } from "../config";
import { ses } from "./clients/ses";

export type Attachment = { fileName: string; contentType: string; content: Uint8Array };

export type Mail = {
  to: string[];
  subject: string;
  html: string;
  text: string;
  from?: string;
  replyTo?: string[];
  attachments?: Attachment[];
  /** Become SES message tags, echoed back on delivery events so they can be matched. */
  tags?: Record<string, string>;
};

export async function send(mail: Mail) {
  const result = await ses().send(
    new SendEmailCommand({
      FromEmailAddress: mail.from ?? config("MAIL_FROM"),
      Destination: { ToAddresses: mail.to },
      ReplyToAddresses: mail.replyTo,
      ConfigurationSetName: config("SES_CONFIGURATION_SET"),
      EmailTags: Object.entries(mail.tags ?? {}).map(([Name, Value]) => ({ Name, Value })),
      Content: {
        Simple: {
          Subject: { Data: mail.subject, Charset: "UTF-8" },
          Body: { Html: { Data: mail.html, Charset: "UTF-8" }, Text: { Data: mail.text, Charset: "UTF-8" } },
          Attachments: mail.attachments?.map((attachment) => ({
            FileName: attachment.fileName,
            ContentType: attachment.contentType,
            RawContent: attachment.content,
          })),
        },
      },
    }),
  );
  if (!result.MessageId) throw new Error("SES returned no MessageId");
  return result.MessageId;
}

export async function probe() {
  const account = await ses().send(new GetAccountCommand({}));
  return { sendingEnabled: account.SendingEnabled ?? false };
}

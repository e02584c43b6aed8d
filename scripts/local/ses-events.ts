import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import * as z from "zod";
import { REGION } from "./resources";

/**
 * SES event publishing, emulated: aws-ses-v2-local keeps what was sent but publishes no configuration-set
 * events, so this watches its store and publishes, for each new email, the event SES would send to the
 * `email-events` topic (documented "Delivery", "Bounce", "Complaint" records). The outcome follows SES's
 * mailbox simulator addresses: bounce@ → permanent bounce, complaint@ → delivery then complaint,
 * suppressionlist@ → bounce on the suppression list; any other address is delivered.
 */
const StoredEmail = z
  .object({
    messageId: z.string(),
    from: z.string().optional(),
    destination: z.object({ to: z.array(z.string()).default([]) }).loose(),
  })
  .loose();
const Store = z.object({ emails: z.array(StoredEmail) }).loose();
type StoredEmail = z.infer<typeof StoredEmail>;

const simulator = "@simulator.amazonses.com";

/** The SES events one sent email produces, in order. */
export function eventsFor(email: StoredEmail, now = new Date()) {
  const recipients = email.destination.to;
  const timestamp = now.toISOString();
  const mail = {
    timestamp,
    source: email.from ?? "",
    messageId: email.messageId,
    destination: recipients,
  };
  const to = (local: string) =>
    recipients.some((address) => address.toLowerCase() === `${local}${simulator}`);
  if (to("bounce") || to("suppressionlist"))
    return [
      {
        eventType: "Bounce",
        mail,
        bounce: {
          bounceType: "Permanent",
          bounceSubType: to("suppressionlist") ? "OnAccountSuppressionList" : "General",
          bouncedRecipients: recipients.map((emailAddress) => ({
            emailAddress,
            diagnosticCode: "smtp; 550 5.1.1 user unknown",
          })),
          timestamp,
        },
      },
    ];
  const delivery = {
    eventType: "Delivery",
    mail,
    delivery: {
      timestamp,
      recipients,
      processingTimeMillis: 250,
      smtpResponse: "250 2.6.0 Message received",
    },
  };
  if (to("complaint"))
    return [
      delivery,
      {
        eventType: "Complaint",
        mail,
        complaint: {
          complainedRecipients: recipients.map((emailAddress) => ({ emailAddress })),
          complaintFeedbackType: "abuse",
          timestamp,
        },
      },
    ];
  return [delivery];
}

/** Polls the mailbox's store and publishes each new email's events; `stop()` ends it. */
export function startSesEvents(options: {
  mailboxUrl: string;
  topicArn: string;
  env?: NodeJS.ProcessEnv;
  intervalMs?: number;
  /** Only the emails to these addresses (a test sharing the mailbox with others); default every email. */
  recipients?: string[];
  log?: (line: string) => void;
}) {
  const env = options.env ?? process.env;
  const sns = new SNSClient({
    region: REGION,
    endpoint: env.AWS_ENDPOINT_URL_SNS,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
  });
  const seen = new Set<string>();
  let running = true;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    try {
      const response = await fetch(`${options.mailboxUrl}/store`);
      const { emails } = Store.parse(await response.json());
      for (const email of emails) {
        if (seen.has(email.messageId)) continue;
        const wanted = options.recipients;
        if (wanted && !email.destination.to.some((address) => wanted.includes(address))) continue;
        for (const event of eventsFor(email))
          await sns.send(new PublishCommand({ TopicArn: options.topicArn, Message: JSON.stringify(event) }));
        seen.add(email.messageId);
      }
    } catch (error) {
      options.log?.(`SES events: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (running) timer = setTimeout(tick, options.intervalMs ?? 500);
  };
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
    },
  };
}

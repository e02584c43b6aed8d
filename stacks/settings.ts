/**
 * Deploy-time settings: what differs between one agency's deployment and another's and cannot be
 * derived from the stage. Read from the environment of `sst deploy` / `npm run synth` (a `.env.<stage>`
 * file works with `sst deploy`, which loads it). Runtime settings live in core/config.ts instead.
 */
export type Settings = {
  /** Console (and same-origin API) domain, e.g. `sms.agence.fr`. Required on prod. */
  domain?: string;
  /** Route 53 zone holding `domain`; defaults to the domain itself (SST looks it up). */
  hostedZone?: string;
  /** ACM certificate in us-east-1 for `domain` when its DNS is not in Route 53. */
  certificateArn?: string;
  /** Origin used in links and in S3 CORS; `undefined` until a domain or RELAIS_PUBLIC_URL is known. */
  publicUrl?: string;
  /** Default sender address; its domain must be a verified SES identity. */
  mailFrom: string;
  /** The SES identity that `mailFrom` belongs to (a domain or an address). */
  sesIdentity: string;
  /** Who receives CloudWatch alarms (dead letters, stuck queues); optional. */
  alarmEmail?: string;
  /** `false` skips `npm run build:web` and ships `web/dist` as is. */
  buildWeb: boolean;
};

type Source = Record<string, string | undefined>;

const trimmed = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

export function settings(stage: string, env: Source = process.env): Settings {
  const domain = trimmed(env.RELAIS_DOMAIN);
  if (stage === "prod" && !domain) {
    throw new Error("Stage prod needs RELAIS_DOMAIN (the console's domain) so links and CORS are stable");
  }
  const mailFrom = trimmed(env.RELAIS_MAIL_FROM) ?? `no-reply@${domain ?? "example.com"}`;
  if (stage === "prod" && !trimmed(env.RELAIS_MAIL_FROM)) {
    throw new Error("Stage prod needs RELAIS_MAIL_FROM, an address of a verified SES identity");
  }
  return {
    domain,
    hostedZone: trimmed(env.RELAIS_HOSTED_ZONE),
    certificateArn: trimmed(env.RELAIS_CERTIFICATE_ARN),
    publicUrl: domain ? `https://${domain}` : trimmed(env.RELAIS_PUBLIC_URL),
    mailFrom,
    sesIdentity: trimmed(env.RELAIS_SES_IDENTITY) ?? mailFrom.slice(mailFrom.indexOf("@") + 1),
    alarmEmail: trimmed(env.RELAIS_ALARM_EMAIL),
    buildWeb: env.RELAIS_WEB_BUILD !== "skip",
  };
}

/**
 * Without a domain the CloudFront URL is only known after the Web stack exists, and the Api stack cannot
 * reference it (Web → Api already, for the `/api/*` origin). Links then use this placeholder until
 * RELAIS_PUBLIC_URL is set to the printed SiteUrl and the stage is deployed again.
 */
export const placeholderUrl = (stage: string) => `https://${stage}.relais.invalid`;

import {
  DescribeConfigurationSetsCommand,
  DescribePhoneNumbersCommand,
  DescribeRegistrationsCommand,
  DescribeSenderIdsCommand,
  ResourceNotFoundException,
  SendTextMessageCommand,
} from "@aws-sdk/client-pinpoint-sms-voice-v2";
import { config } from "../config";
import { smsVoice } from "./clients/sms-voice";

export type Sms = {
  to: string;
  body: string;
  /** A sender ID for one-way info, a long number or short code when replies are expected. */
  originationIdentity?: string;
  messageType: "TRANSACTIONAL" | "PROMOTIONAL";
  /** Echoed back in every delivery event for this message (max 5 keys). */
  context?: Record<string, string>;
  /** Seconds before the carrier gives up (TEXT_TTL_EXPIRED). */
  timeToLive?: number;
  /** The most AWS may charge for this message, in US dollars ("0.24"): refused above it. */
  maxPrice?: string;
};

/** Why a send failed, and whether trying again later can help. */
export class SmsError extends Error {
  constructor(
    readonly kind: "transient" | "permanent",
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = "SmsError";
  }
}

const transient = new Set([
  "ThrottlingException",
  "InternalServerException",
  "ServiceQuotaExceededException",
]);

export async function send(sms: Sms) {
  try {
    const result = await smsVoice().send(
      new SendTextMessageCommand({
        DestinationPhoneNumber: sms.to,
        OriginationIdentity: sms.originationIdentity,
        MessageBody: sms.body,
        MessageType: sms.messageType,
        ConfigurationSetName: config("SMS_CONFIGURATION_SET"),
        Context: sms.context,
        TimeToLive: sms.timeToLive,
        MaxPrice: sms.maxPrice,
      }),
    );
    if (!result.MessageId)
      throw new SmsError("transient", "NO_MESSAGE_ID", "End User Messaging returned no id");
    return result.MessageId;
  } catch (error) {
    throw classify(error);
  }
}

function classify(error: unknown): unknown {
  if (error instanceof SmsError || !(error instanceof Error)) return error;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
  const reason = (error as { Reason?: string }).Reason ?? error.name;
  if (transient.has(error.name) || status >= 500) return new SmsError("transient", reason, error.message);
  return new SmsError("permanent", reason, error.message);
}

export async function probe() {
  const name = config("SMS_CONFIGURATION_SET");
  await smsVoice().send(new DescribeConfigurationSetsCommand({ ConfigurationSetNames: [name] }));
  return {};
}

/** Whether this account owns the number (E.164) and whether it can receive replies. */
export async function phoneNumber(number: string) {
  let NextToken: string | undefined;
  do {
    const page = await smsVoice().send(new DescribePhoneNumbersCommand({ NextToken }));
    const found = page.PhoneNumbers?.find((entry) => entry.PhoneNumber === number);
    if (found) return { twoWay: found.TwoWayEnabled ?? false };
    NextToken = page.NextToken;
  } while (NextToken);
  return undefined;
}

/** Whether this account registered the sender ID for the country. */
export async function senderIdExists(senderId: string, isoCountryCode = "FR") {
  try {
    const found = await smsVoice().send(
      new DescribeSenderIdsCommand({ SenderIds: [{ SenderId: senderId, IsoCountryCode: isoCountryCode }] }),
    );
    return (found.SenderIds?.length ?? 0) > 0;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}

/** A sender ID's registration as End User Messaging reports it; undefined if the account has none. */
export async function senderIdStatus(senderId: string, isoCountryCode = "FR") {
  try {
    const found = await smsVoice().send(
      new DescribeSenderIdsCommand({ SenderIds: [{ SenderId: senderId, IsoCountryCode: isoCountryCode }] }),
    );
    const sender = found.SenderIds?.[0];
    return sender
      ? { registered: sender.Registered ?? false, registrationId: sender.RegistrationId }
      : undefined;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

/** A long number's state (ACTIVE, PENDING…), two-way and registration; undefined if not the account's. */
export async function phoneNumberStatus(number: string) {
  let NextToken: string | undefined;
  do {
    const page = await smsVoice().send(new DescribePhoneNumbersCommand({ NextToken }));
    const found = page.PhoneNumbers?.find((entry) => entry.PhoneNumber === number);
    if (found)
      return {
        status: found.Status ?? "UNKNOWN",
        twoWay: found.TwoWayEnabled ?? false,
        registrationId: found.RegistrationId,
      };
    NextToken = page.NextToken;
  } while (NextToken);
  return undefined;
}

/** Registration statuses (CREATED, SUBMITTED, COMPLETE…) by registration id. */
export async function registrationStatuses(registrationIds: string[]) {
  const statuses = new Map<string, string>();
  if (registrationIds.length === 0) return statuses;
  try {
    const found = await smsVoice().send(
      new DescribeRegistrationsCommand({ RegistrationIds: [...new Set(registrationIds)] }),
    );
    for (const registration of found.Registrations ?? [])
      statuses.set(registration.RegistrationId ?? "", registration.RegistrationStatus ?? "UNKNOWN");
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  return statuses;
}

/**
 * The PinpointSMSVoiceV2 operations the emulator answers, with the request and response members of the
 * End User Messaging SMS API reference (https://docs.aws.amazon.com/pinpoint/latest/apireference_smsvoicev2/)
 * as modelled in @aws-sdk/client-pinpoint-sms-voice-v2. Enum values come from the SDK itself, so an input
 * the real service would refuse is refused here too.
 */
import { randomBytes, randomUUID } from "node:crypto";
import {
  EventType,
  MessageType as MessageTypes,
  NumberCapability,
  RequestableNumberType,
} from "@aws-sdk/client-pinpoint-sms-voice-v2";
import * as z from "zod";
import { AwsError, alreadyExists, invalid, notFound } from "./aws-error";
import type { Delivery } from "./delivery";
import { countryOf, generateNumber, isCountry, isValidDestination } from "./phone-numbers";
import { priceOf } from "./sms-events";
import { countSegments } from "./sms-segments";
import type { ConfigurationSet, EventDestination, Message, PhoneNumber, SenderId, Store } from "./state";
import { outcomeFor } from "./test-numbers";

export type OperationContext = { store: Store; region: string; accountId: string; delivery: Delivery };
export type Operation = (input: unknown) => unknown;

const values = <T extends Record<string, string>>(e: T) => Object.values(e) as [T[keyof T], ...T[keyof T][]];

const ResourceName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "1-64 letters, digits, _ or -");
const NameOrArn = z.string().min(1).max(256);
const MessageType = z.enum(values(MessageTypes));
const Tags = z
  .array(z.object({ Key: z.string().min(1).max(128), Value: z.string().max(256) }))
  .max(200)
  .default([]);
const Country = z.string().regex(/^[A-Z]{2}$/, "ISO 3166-1 alpha-2, e.g. FR");
const SenderIdName = z
  .string()
  .regex(/^(?=.*[A-Za-z])[A-Za-z0-9](?:[A-Za-z0-9-]{0,9}[A-Za-z0-9])?$/, "1-11 letters, digits or -");
const Arn = z.string().regex(/^arn:\S+$/, "an ARN");
const Filters = z.array(z.object({ Name: z.string(), Values: z.array(z.string()).min(1) })).optional();
const Page = { NextToken: z.string().optional(), MaxResults: z.number().int().min(1).max(100).optional() };
const Destinations = {
  CloudWatchLogsDestination: z.object({ IamRoleArn: Arn, LogGroupArn: Arn }).optional(),
  KinesisFirehoseDestination: z.object({ IamRoleArn: Arn, DeliveryStreamArn: Arn }).optional(),
  SnsDestination: z.object({ TopicArn: Arn }).optional(),
};
const MatchingEventTypes = z
  .array(z.enum(values(EventType)))
  .min(1)
  .refine((types) => !types.includes("TEXT_SENT"), "The TEXT_SENT event type is not supported");

/** Zod's verdict as the service's ValidationException, one Fields entry per problem. */
function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const isMissing = (issue: z.core.$ZodIssue) =>
    issue.code === "invalid_type" && valueAt(input, issue.path) === undefined;
  const fields = result.error.issues.map((issue) => ({
    Name: issue.path.map(String).join(".") || "(request)",
    Message: isMissing(issue) ? "Required" : issue.message,
  }));
  const missing = result.error.issues.some(isMissing);
  throw new AwsError("ValidationException", fields.map((f) => `${f.Name}: ${f.Message}`).join("; "), {
    Reason: missing ? "MISSING_PARAMETER" : "FIELD_VALIDATION_FAILED",
    Fields: fields,
  });
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) value = (value as Record<PropertyKey, unknown> | undefined)?.[key];
  return value;
}

/** NextToken is an opaque offset; the real service also refuses tokens it did not issue. */
function paginate<T>(items: T[], input: { NextToken?: string; MaxResults?: number }) {
  const start = input.NextToken ? Number(Buffer.from(input.NextToken, "base64url").toString()) : 0;
  if (!Number.isInteger(start) || start < 0) throw invalid("NextToken", "not a token", "INVALID_NEXT_TOKEN");
  const end = start + (input.MaxResults ?? 100);
  return {
    page: items.slice(start, end),
    ...(end < items.length ? { NextToken: Buffer.from(String(end)).toString("base64url") } : {}),
  };
}

type Field<T> = (item: T) => string | boolean | undefined | readonly string[];

/** Keeps the items whose field matches one of each filter's values; an unknown filter name is refused. */
function applyFilters<T>(items: T[], filters: z.output<typeof Filters>, fields: Record<string, Field<T>>) {
  let kept = items;
  for (const filter of filters ?? []) {
    const field = fields[filter.Name];
    if (!field) throw invalid("Filters", `unknown filter ${filter.Name}`, "INVALID_FILTER_VALUES");
    kept = kept.filter((item) => {
      const value = field(item);
      const actual = Array.isArray(value) ? value : [String(value)];
      return actual.some((v) => filter.Values.includes(v));
    });
  }
  return kept;
}

/** Built once: zod schemas are costly to construct, and SendTextMessage is the emulator's hot path. */
const SendTextMessageInput = z.object({
  DestinationPhoneNumber: z.string(),
  OriginationIdentity: NameOrArn.optional(),
  MessageBody: z.string().max(1600).optional(),
  MessageType: MessageType.optional(),
  Keyword: z.string().optional(),
  ConfigurationSetName: NameOrArn.optional(),
  MaxPrice: z
    .string()
    .regex(/^\d+(\.\d+)?$/, "a price in US dollars")
    .optional(),
  TimeToLive: z.number().int().min(5).max(259200).optional(),
  Context: z.record(z.string(), z.string()).optional(),
  DestinationCountryParameters: z.record(z.string(), z.string()).optional(),
  DryRun: z.boolean().optional(),
  ProtectConfigurationId: z.string().optional(),
  MessageFeedbackEnabled: z.boolean().optional(),
});

const epoch = (iso: string) => Date.parse(iso) / 1000;

const configurationSetInfo = ({ Tags: _, ...set }: ConfigurationSet) => ({
  ...set,
  DefaultMessageFeedbackEnabled: false,
  CreatedTimestamp: epoch(set.CreatedTimestamp),
});
const phoneNumberInfo = ({ Tags: _, ...number }: PhoneNumber) => ({
  ...number,
  CreatedTimestamp: epoch(number.CreatedTimestamp),
});
const senderIdInfo = ({ Tags: _, CreatedTimestamp: __, ...sender }: SenderId) => sender;

export function operations(ctx: OperationContext): Record<string, Operation> {
  const { store } = ctx;
  const arn = (resource: string) => `arn:aws:sms-voice:${ctx.region}:${ctx.accountId}:${resource}`;
  const now = () => new Date().toISOString();

  const requireSet = (nameOrArn: string) =>
    store.findConfigurationSet(nameOrArn) ?? fail(notFound("configuration-set", nameOrArn));
  const requireNumber = (idOrArn: string) =>
    store.data.phoneNumbers.find((n) => n.PhoneNumberId === idOrArn || n.PhoneNumberArn === idOrArn) ??
    fail(notFound("phone-number", idOrArn));
  const requireDestination = (set: ConfigurationSet, name: string) =>
    set.EventDestinations.find((d) => d.EventDestinationName === name) ??
    fail(notFound("event-destination", name));
  const eventDestinationResult = (set: ConfigurationSet, destination: EventDestination) => ({
    ConfigurationSetArn: set.ConfigurationSetArn,
    ConfigurationSetName: set.ConfigurationSetName,
    EventDestination: destination,
  });

  const optOutLists = () => new Set(["Default", ...store.data.phoneNumbers.map((n) => n.OptOutListName)]);
  const requireOptOutList = (nameOrArn: string) => {
    const name = nameOrArn.replace(/^arn:.*:opt-out-list\//, "");
    return optOutLists().has(name) ? name : fail(notFound("opt-out-list", nameOrArn));
  };
  const optedOutResult = (o: (typeof store.data.optedOutNumbers)[number]) => ({
    OptOutListArn: arn(`opt-out-list/${o.OptOutListName}`),
    OptOutListName: o.OptOutListName,
    OptedOutNumber: o.OptedOutNumber,
    OptedOutTimestamp: epoch(o.OptedOutTimestamp),
    EndUserOptedOut: o.EndUserOptedOut,
  });

  /** OriginationIdentity as documented: phone number, PhoneNumberId/Arn, SenderId/Arn (pools are not emulated). */
  function resolveOrigination(
    identity: string | undefined,
    set: ConfigurationSet | undefined,
    toCountry?: string,
  ) {
    const senderNamed = (name: string) => {
      const candidates = store.data.senderIds.filter((s) => s.SenderId === name || s.SenderIdArn === name);
      return candidates.find((s) => s.IsoCountryCode === toCountry) ?? candidates[0];
    };
    const key = identity ?? set?.DefaultSenderId;
    if (key) {
      const number = store.findPhoneNumber(key);
      if (number) return { kind: "phone-number" as const, from: number.PhoneNumber, number };
      const sender = senderNamed(key);
      if (sender) return { kind: "sender-id" as const, from: sender.SenderId, sender };
      if (/^(\+|phone-|pool-)|:phone-number\/|:pool\//.test(key)) throw notFound("phone-number", key);
      throw notFound("sender-id", key);
    }
    // Without an identity AWS picks one of the account's, preferring those of the destination country.
    const canSms = (n: PhoneNumber) => n.NumberCapabilities.includes("SMS");
    const number =
      store.data.phoneNumbers.find((n) => canSms(n) && n.IsoCountryCode === toCountry) ??
      store.data.phoneNumbers.find(canSms);
    const sender =
      store.data.senderIds.find((s) => s.IsoCountryCode === toCountry) ?? store.data.senderIds[0];
    if (number && (number.IsoCountryCode === toCountry || sender?.IsoCountryCode !== toCountry))
      return { kind: "phone-number" as const, from: number.PhoneNumber, number };
    if (sender) return { kind: "sender-id" as const, from: sender.SenderId, sender };
    throw new AwsError(
      "ConflictException",
      "No origination identity can send to this destination: call RequestPhoneNumber or RequestSenderId first",
      { Reason: "NO_ORIGINATION_IDENTITIES_FOUND" },
    );
  }

  return {
    CreateConfigurationSet(raw) {
      const input = parse(
        z.object({ ConfigurationSetName: ResourceName, Tags, ClientToken: z.string().optional() }),
        raw,
      );
      if (store.findConfigurationSet(input.ConfigurationSetName))
        throw alreadyExists("configuration-set", input.ConfigurationSetName);
      const set: ConfigurationSet = {
        ConfigurationSetArn: arn(`configuration-set/${input.ConfigurationSetName}`),
        ConfigurationSetName: input.ConfigurationSetName,
        EventDestinations: [],
        Tags: input.Tags,
        CreatedTimestamp: now(),
      };
      store.data.configurationSets.push(set);
      store.changed();
      return {
        ConfigurationSetArn: set.ConfigurationSetArn,
        ConfigurationSetName: set.ConfigurationSetName,
        Tags: set.Tags,
        CreatedTimestamp: epoch(set.CreatedTimestamp),
      };
    },

    DescribeConfigurationSets(raw) {
      const input = parse(
        z.object({ ConfigurationSetNames: z.array(NameOrArn).optional(), Filters, ...Page }),
        raw,
      );
      const sets = input.ConfigurationSetNames
        ? input.ConfigurationSetNames.map(requireSet)
        : store.data.configurationSets;
      const filtered = applyFilters(sets, input.Filters, {
        "event-destination-name": (s) => s.EventDestinations.map((d) => d.EventDestinationName),
        "matching-event-types": (s) => s.EventDestinations.flatMap((d) => d.MatchingEventTypes),
        "default-message-type": (s) => s.DefaultMessageType,
        "default-sender-id": (s) => s.DefaultSenderId,
        "default-message-feedback-enabled": () => false,
        "protect-configuration-id": () => [],
      });
      const { page, NextToken } = paginate(filtered, input);
      return { ConfigurationSets: page.map(configurationSetInfo), ...(NextToken ? { NextToken } : {}) };
    },

    DeleteConfigurationSet(raw) {
      const input = parse(z.object({ ConfigurationSetName: NameOrArn }), raw);
      const set = requireSet(input.ConfigurationSetName);
      store.data.configurationSets = store.data.configurationSets.filter((s) => s !== set);
      store.changed();
      return configurationSetInfo(set);
    },

    SetDefaultMessageType(raw) {
      const input = parse(z.object({ ConfigurationSetName: NameOrArn, MessageType }), raw);
      const set = requireSet(input.ConfigurationSetName);
      set.DefaultMessageType = input.MessageType;
      store.changed();
      const { ConfigurationSetArn, ConfigurationSetName } = set;
      return { ConfigurationSetArn, ConfigurationSetName, MessageType: input.MessageType };
    },

    SetDefaultSenderId(raw) {
      const input = parse(z.object({ ConfigurationSetName: NameOrArn, SenderId: SenderIdName }), raw);
      const set = requireSet(input.ConfigurationSetName);
      set.DefaultSenderId = input.SenderId;
      store.changed();
      const { ConfigurationSetArn, ConfigurationSetName } = set;
      return { ConfigurationSetArn, ConfigurationSetName, SenderId: input.SenderId };
    },

    CreateEventDestination(raw) {
      const input = parse(
        z.object({
          ConfigurationSetName: NameOrArn,
          EventDestinationName: ResourceName,
          MatchingEventTypes,
          ...Destinations,
          ClientToken: z.string().optional(),
        }),
        raw,
      );
      const kinds = [input.CloudWatchLogsDestination, input.KinesisFirehoseDestination, input.SnsDestination];
      if (kinds.filter(Boolean).length !== 1)
        throw invalid("SnsDestination", "Specify exactly one destination (SNS, CloudWatch Logs or Firehose)");
      const set = requireSet(input.ConfigurationSetName);
      if (set.EventDestinations.some((d) => d.EventDestinationName === input.EventDestinationName))
        throw alreadyExists("event-destination", input.EventDestinationName);
      if (set.EventDestinations.length >= 5)
        throw new AwsError(
          "ServiceQuotaExceededException",
          "A configuration set holds at most 5 event destinations",
          {
            Reason: "EVENT_DESTINATIONS_PER_CONFIGURATION_SET",
          },
        );
      const destination: EventDestination = {
        EventDestinationName: input.EventDestinationName,
        Enabled: true,
        MatchingEventTypes: input.MatchingEventTypes,
        ...(input.SnsDestination ? { SnsDestination: input.SnsDestination } : {}),
        ...(input.CloudWatchLogsDestination
          ? { CloudWatchLogsDestination: input.CloudWatchLogsDestination }
          : {}),
        ...(input.KinesisFirehoseDestination
          ? { KinesisFirehoseDestination: input.KinesisFirehoseDestination }
          : {}),
      };
      set.EventDestinations.push(destination);
      store.changed();
      return eventDestinationResult(set, destination);
    },

    UpdateEventDestination(raw) {
      const input = parse(
        z.object({
          ConfigurationSetName: NameOrArn,
          EventDestinationName: ResourceName,
          Enabled: z.boolean().optional(),
          MatchingEventTypes: MatchingEventTypes.optional(),
          ...Destinations,
        }),
        raw,
      );
      const set = requireSet(input.ConfigurationSetName);
      const destination = requireDestination(set, input.EventDestinationName);
      if (input.Enabled !== undefined) destination.Enabled = input.Enabled;
      if (input.MatchingEventTypes) destination.MatchingEventTypes = input.MatchingEventTypes;
      if (input.SnsDestination || input.CloudWatchLogsDestination || input.KinesisFirehoseDestination) {
        delete destination.SnsDestination;
        delete destination.CloudWatchLogsDestination;
        delete destination.KinesisFirehoseDestination;
        Object.assign(
          destination,
          input.SnsDestination ? { SnsDestination: input.SnsDestination } : {},
          input.CloudWatchLogsDestination
            ? { CloudWatchLogsDestination: input.CloudWatchLogsDestination }
            : {},
          input.KinesisFirehoseDestination
            ? { KinesisFirehoseDestination: input.KinesisFirehoseDestination }
            : {},
        );
      }
      store.changed();
      return eventDestinationResult(set, destination);
    },

    DeleteEventDestination(raw) {
      const input = parse(
        z.object({ ConfigurationSetName: NameOrArn, EventDestinationName: ResourceName }),
        raw,
      );
      const set = requireSet(input.ConfigurationSetName);
      const destination = requireDestination(set, input.EventDestinationName);
      set.EventDestinations = set.EventDestinations.filter((d) => d !== destination);
      store.changed();
      return eventDestinationResult(set, destination);
    },

    RequestPhoneNumber(raw) {
      const input = parse(
        z.object({
          IsoCountryCode: Country,
          MessageType,
          NumberCapabilities: z.array(z.enum(values(NumberCapability))).min(1),
          NumberType: z.enum(values(RequestableNumberType)),
          OptOutListName: NameOrArn.optional(),
          PoolId: z.string().optional(),
          RegistrationId: z.string().optional(),
          InternationalSendingEnabled: z.boolean().optional(),
          DeletionProtectionEnabled: z.boolean().optional(),
          Tags,
          ClientToken: z.string().optional(),
        }),
        raw,
      );
      if (!isCountry(input.IsoCountryCode))
        throw invalid("IsoCountryCode", `unknown country ${input.IsoCountryCode}`);
      if (input.NumberType === "SIMULATOR" && input.MessageType !== "TRANSACTIONAL")
        throw invalid("MessageType", "A SIMULATOR number must be TRANSACTIONAL");
      if (input.PoolId) throw notFound("phone-number", `pool ${input.PoolId} (pools are not emulated)`);
      const id = `phone-${randomBytes(16).toString("hex")}`;
      const taken = new Set(store.data.phoneNumbers.map((n) => n.PhoneNumber));
      const number: PhoneNumber = {
        PhoneNumberArn: arn(`phone-number/${id}`),
        PhoneNumberId: id,
        PhoneNumber: generateNumber(input.IsoCountryCode, taken),
        // Real numbers stay PENDING for a while; locally they are usable at once.
        Status: "ACTIVE",
        IsoCountryCode: input.IsoCountryCode,
        MessageType: input.MessageType,
        NumberCapabilities: input.NumberCapabilities,
        NumberType: input.NumberType,
        MonthlyLeasingPrice: input.NumberType === "SIMULATOR" ? "0.00" : "2.00",
        TwoWayEnabled: false,
        SelfManagedOptOutsEnabled: false,
        OptOutListName: input.OptOutListName?.replace(/^arn:.*:opt-out-list\//, "") ?? "Default",
        InternationalSendingEnabled: input.InternationalSendingEnabled ?? false,
        DeletionProtectionEnabled: input.DeletionProtectionEnabled ?? false,
        ...(input.RegistrationId ? { RegistrationId: input.RegistrationId } : {}),
        Tags: input.Tags,
        CreatedTimestamp: now(),
      };
      store.data.phoneNumbers.push(number);
      store.changed();
      return { ...phoneNumberInfo(number), Tags: number.Tags };
    },

    DescribePhoneNumbers(raw) {
      const input = parse(
        z.object({
          PhoneNumberIds: z.array(NameOrArn).optional(),
          Filters,
          Owner: z.enum(["SELF", "SHARED"]).optional(),
          ...Page,
        }),
        raw,
      );
      const numbers = input.PhoneNumberIds
        ? input.PhoneNumberIds.map(requireNumber)
        : store.data.phoneNumbers;
      const filtered = applyFilters(input.Owner === "SHARED" ? [] : numbers, input.Filters, {
        status: (n) => n.Status,
        "iso-country-code": (n) => n.IsoCountryCode,
        "message-type": (n) => n.MessageType,
        "number-capability": (n) => n.NumberCapabilities,
        "number-type": (n) => n.NumberType,
        "two-way-enabled": (n) => n.TwoWayEnabled,
        "two-way-channel-arn": (n) => n.TwoWayChannelArn,
        "self-managed-opt-outs-enabled": (n) => n.SelfManagedOptOutsEnabled,
        "opt-out-list-name": (n) => n.OptOutListName,
        "deletion-protection-enabled": (n) => n.DeletionProtectionEnabled,
      });
      const { page, NextToken } = paginate(filtered, input);
      return { PhoneNumbers: page.map(phoneNumberInfo), ...(NextToken ? { NextToken } : {}) };
    },

    UpdatePhoneNumber(raw) {
      const input = parse(
        z.object({
          PhoneNumberId: NameOrArn,
          TwoWayEnabled: z.boolean().optional(),
          TwoWayChannelArn: Arn.optional(),
          TwoWayChannelRole: Arn.optional(),
          SelfManagedOptOutsEnabled: z.boolean().optional(),
          OptOutListName: NameOrArn.optional(),
          InternationalSendingEnabled: z.boolean().optional(),
          DeletionProtectionEnabled: z.boolean().optional(),
        }),
        raw,
      );
      const number = requireNumber(input.PhoneNumberId);
      const channel = input.TwoWayChannelArn ?? number.TwoWayChannelArn;
      if (input.TwoWayEnabled && !channel)
        throw invalid(
          "TwoWayChannelArn",
          "Two-way SMS needs a TwoWayChannelArn",
          "TWO_WAY_TOPIC_NOT_PRESENT",
        );
      const { PhoneNumberId: _, OptOutListName, ...changes } = input;
      Object.assign(
        number,
        Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)),
        OptOutListName ? { OptOutListName: OptOutListName.replace(/^arn:.*:opt-out-list\//, "") } : {},
      );
      store.changed();
      return phoneNumberInfo(number);
    },

    ReleasePhoneNumber(raw) {
      const input = parse(z.object({ PhoneNumberId: NameOrArn }), raw);
      const number = requireNumber(input.PhoneNumberId);
      if (number.DeletionProtectionEnabled)
        throw new AwsError("ConflictException", "Deletion protection is enabled on this phone number", {
          Reason: "DELETION_PROTECTION_ENABLED",
          ResourceType: "phone-number",
          ResourceId: number.PhoneNumberId,
        });
      store.data.phoneNumbers = store.data.phoneNumbers.filter((n) => n !== number);
      store.changed();
      return { ...phoneNumberInfo(number), Status: "DELETED" };
    },

    RequestSenderId(raw) {
      const input = parse(
        z.object({
          SenderId: SenderIdName,
          IsoCountryCode: Country,
          MessageTypes: z.array(MessageType).min(1).default(["TRANSACTIONAL", "PROMOTIONAL"]),
          DeletionProtectionEnabled: z.boolean().optional(),
          Tags,
          ClientToken: z.string().optional(),
        }),
        raw,
      );
      if (!isCountry(input.IsoCountryCode))
        throw invalid("IsoCountryCode", `unknown country ${input.IsoCountryCode}`);
      const resourceId = `${input.SenderId}/${input.IsoCountryCode}`;
      if (
        store.data.senderIds.some(
          (s) => s.SenderId === input.SenderId && s.IsoCountryCode === input.IsoCountryCode,
        )
      )
        throw alreadyExists("sender-id", resourceId);
      const sender: SenderId = {
        SenderIdArn: arn(`sender-id/${resourceId}`),
        SenderId: input.SenderId,
        IsoCountryCode: input.IsoCountryCode,
        MessageTypes: input.MessageTypes,
        MonthlyLeasingPrice: "0.00",
        DeletionProtectionEnabled: input.DeletionProtectionEnabled ?? false,
        // A fresh sender ID is unregistered; the emulator lets it send anyway.
        Registered: false,
        Tags: input.Tags,
        CreatedTimestamp: now(),
      };
      store.data.senderIds.push(sender);
      store.changed();
      return { ...senderIdInfo(sender), Tags: sender.Tags };
    },

    DescribeSenderIds(raw) {
      const input = parse(
        z.object({
          SenderIds: z.array(z.object({ SenderId: NameOrArn, IsoCountryCode: Country })).optional(),
          Filters,
          Owner: z.enum(["SELF", "SHARED"]).optional(),
          ...Page,
        }),
        raw,
      );
      const senders = input.SenderIds
        ? input.SenderIds.map(
            ({ SenderId, IsoCountryCode }) =>
              store.data.senderIds.find(
                (s) =>
                  (s.SenderId === SenderId || s.SenderIdArn === SenderId) &&
                  s.IsoCountryCode === IsoCountryCode,
              ) ?? fail(notFound("sender-id", `${SenderId}/${IsoCountryCode}`)),
          )
        : store.data.senderIds;
      const filtered = applyFilters(input.Owner === "SHARED" ? [] : senders, input.Filters, {
        "sender-id": (s) => s.SenderId,
        "iso-country-code": (s) => s.IsoCountryCode,
        "message-type": (s) => s.MessageTypes,
        "deletion-protection-enabled": (s) => s.DeletionProtectionEnabled,
        registered: (s) => s.Registered,
      });
      const { page, NextToken } = paginate(filtered, input);
      return { SenderIds: page.map(senderIdInfo), ...(NextToken ? { NextToken } : {}) };
    },

    /**
     * Minimal: the registrations phone numbers were requested with (RequestPhoneNumber's RegistrationId),
     * each reported COMPLETE; any other id is not found. Enough for the operators' identity status.
     */
    DescribeRegistrations(raw) {
      const input = parse(z.object({ RegistrationIds: z.array(z.string()).optional(), ...Page }), raw);
      const known = [
        ...new Set(
          store.data.phoneNumbers.flatMap((number) => (number.RegistrationId ? [number.RegistrationId] : [])),
        ),
      ];
      const ids = input.RegistrationIds ?? known;
      for (const id of ids) if (!known.includes(id)) fail(notFound("registration", id));
      const { page, NextToken } = paginate(
        ids.map((id) => ({
          RegistrationId: id,
          RegistrationArn: arn(`registration/${id}`),
          RegistrationType: "FR_LONG_CODE_REGISTRATION",
          RegistrationStatus: "COMPLETE",
          CurrentVersionNumber: 1,
          CreatedTimestamp: epoch(now()),
        })),
        input,
      );
      return { Registrations: page, ...(NextToken ? { NextToken } : {}) };
    },

    DescribeOptedOutNumbers(raw) {
      const input = parse(
        z.object({
          OptOutListName: NameOrArn,
          OptedOutNumbers: z.array(z.string()).optional(),
          Filters,
          ...Page,
        }),
        raw,
      );
      const list = requireOptOutList(input.OptOutListName);
      const inList = store.data.optedOutNumbers.filter(
        (o) =>
          o.OptOutListName === list &&
          (!input.OptedOutNumbers || input.OptedOutNumbers.includes(o.OptedOutNumber)),
      );
      const filtered = applyFilters(inList, input.Filters, {
        "end-user-opted-out": (o) => o.EndUserOptedOut,
      });
      const { page, NextToken } = paginate(filtered, input);
      return {
        OptOutListArn: arn(`opt-out-list/${list}`),
        OptOutListName: list,
        OptedOutNumbers: page.map((o) => ({
          OptedOutNumber: o.OptedOutNumber,
          OptedOutTimestamp: epoch(o.OptedOutTimestamp),
          EndUserOptedOut: o.EndUserOptedOut,
        })),
        ...(NextToken ? { NextToken } : {}),
      };
    },

    PutOptedOutNumber(raw) {
      const input = parse(z.object({ OptOutListName: NameOrArn, OptedOutNumber: z.string() }), raw);
      if (!isValidDestination(input.OptedOutNumber))
        throw invalid("OptedOutNumber", "not a valid E.164 number");
      return optedOutResult(
        store.optOut(requireOptOutList(input.OptOutListName), input.OptedOutNumber, false),
      );
    },

    DeleteOptedOutNumber(raw) {
      const input = parse(z.object({ OptOutListName: NameOrArn, OptedOutNumber: z.string() }), raw);
      const list = requireOptOutList(input.OptOutListName);
      const record =
        store.findOptedOut(list, input.OptedOutNumber) ??
        fail(notFound("opted-out-number", input.OptedOutNumber));
      store.data.optedOutNumbers = store.data.optedOutNumbers.filter((o) => o !== record);
      store.changed();
      return optedOutResult(record);
    },

    SendTextMessage(raw) {
      const input = parse(SendTextMessageInput, raw);
      const to = input.DestinationPhoneNumber;
      if (!isValidDestination(to))
        throw invalid("DestinationPhoneNumber", `${to} is not a valid phone number in E.164 format`);
      if (!input.MessageBody)
        throw invalid("MessageBody", "A text message needs a MessageBody", "MISSING_PARAMETER");
      const set = input.ConfigurationSetName ? requireSet(input.ConfigurationSetName) : undefined;
      const toCountry = countryOf(to);
      const origin = resolveOrigination(input.OriginationIdentity, set, toCountry);
      const optOutList = origin.kind === "phone-number" ? origin.number.OptOutListName : "Default";
      if (outcomeFor(to).rejects || store.findOptedOut(optOutList, to))
        throw new AwsError("ConflictException", `The destination phone number ${to} is opted out`, {
          Reason: "DESTINATION_PHONE_NUMBER_OPTED_OUT",
          ResourceType: "opted-out-number",
          ResourceId: to,
        });
      const { encoding, parts } = countSegments(input.MessageBody);
      if (input.MaxPrice && priceOf(parts) > Number(input.MaxPrice))
        throw invalid("MaxPrice", `This message costs ${priceOf(parts)} USD`, "PRICE_OVER_THRESHOLD");
      const messageId = randomUUID();
      if (input.DryRun) return { MessageId: messageId };
      const message: Message = {
        messageId,
        direction: "outbound",
        from: origin.from,
        to,
        body: input.MessageBody,
        createdAt: now(),
        encoding,
        parts,
        status: "SENDING",
        events: [],
        originationKind: origin.kind,
        fromCountry:
          origin.kind === "phone-number" ? origin.number.IsoCountryCode : origin.sender.IsoCountryCode,
        ...(toCountry ? { toCountry } : {}),
        messageType:
          input.MessageType ??
          set?.DefaultMessageType ??
          (origin.kind === "phone-number" ? origin.number.MessageType : "TRANSACTIONAL"),
        ...(set ? { configurationSetName: set.ConfigurationSetName } : {}),
        ...(input.Context ? { context: input.Context } : {}),
        ...(input.TimeToLive ? { timeToLive: input.TimeToLive } : {}),
      };
      store.addMessage(message);
      ctx.delivery.start(message);
      return { MessageId: messageId };
    },
  };
}

function fail(error: AwsError): never {
  throw error;
}

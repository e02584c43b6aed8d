import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Encoding } from "./sms-segments";

/**
 * Everything the emulator remembers. Resources keep the API's own member names so Describe* answers are
 * plain copies; timestamps are stored as UTC ISO strings and turned into epoch seconds on the wire.
 */
export type MessageType = "TRANSACTIONAL" | "PROMOTIONAL";
export type Tag = { Key: string; Value: string };

export type EventDestination = {
  EventDestinationName: string;
  Enabled: boolean;
  MatchingEventTypes: string[];
  SnsDestination?: { TopicArn: string };
  CloudWatchLogsDestination?: { IamRoleArn: string; LogGroupArn: string };
  KinesisFirehoseDestination?: { IamRoleArn: string; DeliveryStreamArn: string };
};

export type ConfigurationSet = {
  ConfigurationSetArn: string;
  ConfigurationSetName: string;
  EventDestinations: EventDestination[];
  DefaultMessageType?: MessageType;
  DefaultSenderId?: string;
  Tags: Tag[];
  CreatedTimestamp: string;
};

export type PhoneNumber = {
  PhoneNumberArn: string;
  PhoneNumberId: string;
  PhoneNumber: string;
  Status: "ACTIVE" | "DELETED";
  IsoCountryCode: string;
  MessageType: MessageType;
  NumberCapabilities: string[];
  NumberType: string;
  MonthlyLeasingPrice: string;
  TwoWayEnabled: boolean;
  TwoWayChannelArn?: string;
  TwoWayChannelRole?: string;
  SelfManagedOptOutsEnabled: boolean;
  OptOutListName: string;
  InternationalSendingEnabled: boolean;
  DeletionProtectionEnabled: boolean;
  RegistrationId?: string;
  Tags: Tag[];
  CreatedTimestamp: string;
};

export type SenderId = {
  SenderIdArn: string;
  SenderId: string;
  IsoCountryCode: string;
  MessageTypes: MessageType[];
  MonthlyLeasingPrice: string;
  DeletionProtectionEnabled: boolean;
  Registered: boolean;
  Tags: Tag[];
  CreatedTimestamp: string;
};

export type OptedOutNumber = {
  OptOutListName: string;
  OptedOutNumber: string;
  OptedOutTimestamp: string;
  EndUserOptedOut: boolean;
};

export type MessageEvent = { eventType: string; isFinal: boolean; at: string; publishedTo: string[] };

/** One SMS, either sent by the application (outbound) or typed on the simulated phone (inbound). */
export type Message = {
  messageId: string;
  direction: "outbound" | "inbound";
  /** Outbound: the resolved origination (E.164 number or sender ID). Inbound: the handset. */
  from: string;
  to: string;
  body: string;
  createdAt: string;
  encoding: Encoding;
  parts: number;
  /** Last event type for outbound messages (TEXT_…), SENDING before the first; RECEIVED for inbound. */
  status: string;
  events: MessageEvent[];
  originationKind?: "phone-number" | "sender-id" | "handset";
  fromCountry?: string;
  toCountry?: string;
  messageType?: MessageType;
  configurationSetName?: string;
  context?: Record<string, string>;
  timeToLive?: number;
  /** Inbound only: the outbound message being answered and the topic the reply was published to. */
  inReplyTo?: string;
  keyword?: string;
  topicArn?: string;
};

export type State = {
  version: 1;
  configurationSets: ConfigurationSet[];
  phoneNumbers: PhoneNumber[];
  senderIds: SenderId[];
  optedOutNumbers: OptedOutNumber[];
  /** Newest last; trimmed to `messageLimit`. */
  messages: Message[];
};

const messageLimit = 2000;

export const emptyState = (): State => ({
  version: 1,
  configurationSets: [],
  phoneNumbers: [],
  senderIds: [],
  optedOutNumbers: [],
  messages: [],
});

/** In-memory state, written to `<dataDir>/sms-emulator.json` after each change when a data dir is given. */
export class Store {
  private dirty = false;
  private writing: Promise<void> | undefined;

  private constructor(
    public data: State,
    private readonly file: string | undefined,
  ) {}

  static async open(dataDir: string | undefined): Promise<Store> {
    if (!dataDir) return new Store(emptyState(), undefined);
    await mkdir(dataDir, { recursive: true });
    const file = join(dataDir, "sms-emulator.json");
    const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    });
    return new Store(
      text ? { ...emptyState(), ...(JSON.parse(text) as Partial<State>) } : emptyState(),
      file,
    );
  }

  addMessage(message: Message) {
    this.data.messages.push(message);
    if (this.data.messages.length > messageLimit)
      this.data.messages.splice(0, this.data.messages.length - messageLimit);
    this.changed();
  }

  findMessage(messageId: string): Message | undefined {
    return this.data.messages.find((message) => message.messageId === messageId);
  }

  /** By name or ARN, as every operation taking a ConfigurationSetName accepts. */
  findConfigurationSet(nameOrArn: string): ConfigurationSet | undefined {
    return this.data.configurationSets.find(
      (set) => set.ConfigurationSetName === nameOrArn || set.ConfigurationSetArn === nameOrArn,
    );
  }

  /** By id, ARN or the E.164 number itself (SendTextMessage's OriginationIdentity accepts all three). */
  findPhoneNumber(key: string): PhoneNumber | undefined {
    return this.data.phoneNumbers.find(
      (number) => number.PhoneNumberId === key || number.PhoneNumberArn === key || number.PhoneNumber === key,
    );
  }

  findOptedOut(list: string, number: string): OptedOutNumber | undefined {
    return this.data.optedOutNumbers.find((o) => o.OptOutListName === list && o.OptedOutNumber === number);
  }

  optOut(list: string, number: string, endUser: boolean): OptedOutNumber {
    const existing = this.findOptedOut(list, number);
    if (existing) return existing;
    const record = {
      OptOutListName: list,
      OptedOutNumber: number,
      OptedOutTimestamp: new Date().toISOString(),
      EndUserOptedOut: endUser,
    };
    this.data.optedOutNumbers.push(record);
    this.changed();
    return record;
  }

  /** Coalesces bursts of changes into sequential writes; a temp file + rename never leaves half a file. */
  changed() {
    if (!this.file) return;
    this.dirty = true;
    this.writing ??= this.writeLoop(this.file);
  }

  async flush() {
    await this.writing;
  }

  private async writeLoop(file: string) {
    try {
      while (this.dirty) {
        this.dirty = false;
        await writeFile(`${file}.tmp`, JSON.stringify(this.data, null, 2));
        await rename(`${file}.tmp`, file);
      }
    } catch (error) {
      console.error("[sms-emulator] could not save state:", error);
    } finally {
      this.writing = undefined;
    }
  }
}

import { Entity, Service } from "electrodb";
import { entityConfig, lazy, onTable } from "../db";

/**
 * Partitions of a company's contact list (and of its archive). Two take 2,000 rows/s of an import on
 * AWS (a 50,000-row file in 25 s; adaptive capacity adds more under sustained heat); a first page reads
 * them side by side (`list` in contact.ts). Four would double the write ceiling but make every first
 * page four queries, which DynamoDB Local runs one after another (see the `contacts` bench).
 */
export const contactShards = 2;
const ulidDigits = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** The last character of a ULID is random (or counts up within a millisecond): it spreads evenly. */
export const shardOf = (contactId: string) =>
  String(Math.max(0, ulidDigits.indexOf(contactId.slice(-1).toUpperCase())) % contactShards);

/** Search words live in partitions named for their first three characters. */
export const bucketOf = (token: string) => token.slice(0, 3);

export const contactTypes = ["externe", "interne", "client"] as const;
export const channels = ["sms", "email"] as const;

export const ContactEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "contact", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          contactId: { type: "string", required: true, readOnly: true },
          civility: { type: ["M", "Mme"] as const },
          firstName: { type: "string" },
          lastName: { type: "string" },
          email: { type: "string" },
          /** E.164; SMS goes here only when `smsCapable`. */
          mobile: { type: "string" },
          smsCapable: { type: "boolean", required: true, default: false },
          type: { type: contactTypes, required: true, default: "externe" },
          skills: { type: "list", items: { type: "string" } },
          description: { type: "string" },
          position: { type: "string" },
          agencyIds: { type: "set", items: "string", required: true },
          preferredChannel: { type: channels },
          optOutSmsAt: { type: "string" },
          optOutSmsSource: { type: "string" },
          /** The STOP reply that opted out, so its retry still sends the confirmation once. */
          optOutSmsReplyId: { type: "string" },
          optOutEmailAt: { type: "string" },
          optOutEmailSource: { type: "string" },
          customFields: { type: "any" },
          archived: { type: "boolean", required: true, default: false },
          erasedAt: { type: "string" },
          /** Folded name, email and number: what a search's other words are checked against. */
          searchText: { type: "string" },
          /** Which of the company's list partitions holds the contact, drawn from its id (see `shardOf`). */
          shard: {
            type: "string",
            readOnly: true,
            watch: ["contactId"],
            set: (_value, item) => (item?.contactId ? shardOf(String(item.contactId)) : undefined),
          },
          /**
           * The import line that last wrote it, and whether that created it: the same line written again (its
           * worker died or lost the import before counting it) counts as it did the first time.
           */
          importedBy: {
            type: "map",
            properties: {
              importId: { type: "string", required: true },
              line: { type: "number", required: true },
              created: { type: "boolean", required: true },
            },
          },
          createdAt: {
            type: "string",
            required: true,
            readOnly: true,
            default: () => new Date().toISOString(),
          },
          updatedAt: { type: "string", required: true, watch: "*", set: () => new Date().toISOString() },
        },
        indexes: {
          /** A partition per contact: the company's partition keeps its agencies, users and settings. */
          byId: {
            pk: { field: "pk", composite: ["companyId", "contactId"] },
            sk: { field: "sk", composite: [] },
          },
          /**
           * The list, newest first, read a page at a time with Limit. Archived contacts have partitions of
           * their own, so the usual list filters nothing; each kind is spread over `contactShards` partitions
           * so that an import's writes are not all on one (1,000 writes/s a partition on AWS).
           */
          byShard: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["companyId", "archived", "shard"] },
            sk: { field: "gsi1sk", composite: ["contactId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/**
 * One item per word a contact is searched by (first and last name, email and its local part, national
 * number, skills), in a partition named for the word's first three characters and sorted by the word:
 * a search is a begins_with Query on the rarest (longest) word typed, the other words, the visibility and
 * the filters checked on the item (it copies what they need). Written, rewritten and removed with the
 * contact; it holds personal data, so GDPR erasure removes it.
 */
export const ContactTokenEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "contactToken", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          token: { type: "string", required: true, readOnly: true },
          contactId: { type: "string", required: true, readOnly: true },
          /** `bucketOf(token)`: given on every write and key, as the partition is named by it. */
          bucket: { type: "string", required: true, readOnly: true },
          agencyIds: { type: "set", items: "string", required: true },
          archived: { type: "boolean", required: true, default: false },
          type: { type: contactTypes, required: true, default: "externe" },
          searchText: { type: "string" },
        },
        indexes: {
          byToken: {
            pk: { field: "pk", composite: ["companyId", "bucket"] },
            sk: { field: "sk", composite: ["token", "contactId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/**
 * One item per mobile number and per email address of a company, pointing at the contact that holds it:
 * how a number typed twice, or a row imported twice, finds the same contact.
 */
export const ContactKeyEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "contactKey", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          key: { type: "string", required: true, readOnly: true },
          contactId: { type: "string", required: true },
        },
        indexes: {
          byKey: { pk: { field: "pk", composite: ["companyId", "key"] }, sk: { field: "sk", composite: [] } },
        },
      },
      entityConfig(),
    ),
);

export const ContactService = lazy(
  () =>
    new Service(
      { contact: ContactEntity, contactKey: ContactKeyEntity, contactToken: ContactTokenEntity },
      entityConfig(),
    ),
);

/**
 * The items ElectroDB's put writes for a contact, a key and a search word, built directly: ElectroDB spends
 * 50–150 µs validating and formatting each item, several seconds of CPU over a 50,000-row import (about ten
 * items a row) on the path that only writes rows already normalised. contact.test.ts checks they equal
 * ElectroDB's.
 */
export function contactItem(
  row: { companyId: string; contactId: string; agencyIds: Iterable<string>; archived: boolean },
  now: string,
) {
  const companyId = row.companyId.toLowerCase();
  const contactId = row.contactId.toLowerCase();
  const shard = shardOf(row.contactId);
  return {
    ...row,
    agencyIds: new Set(row.agencyIds),
    shard,
    updatedAt: now,
    ...contactKey(row),
    gsi1pk: `$relais#companyid_${companyId}#archived_${row.archived}#shard_${shard}`,
    gsi1sk: `$contact_1#contactid_${contactId}`,
    __edb_e__: "contact",
    __edb_v__: "1",
  };
}

/** The table key of a contact, as ElectroDB writes it. */
export const contactKey = (row: { companyId: string; contactId: string }) => ({
  pk: `$relais#companyid_${row.companyId}#contactid_${row.contactId}`.toLowerCase(),
  sk: "$contact_1",
});

type Searchable = {
  companyId: string;
  contactId: string;
  agencyIds: Iterable<string>;
  archived: boolean;
  type: (typeof contactTypes)[number];
  searchText?: string;
};

/** The table key of a contact's search word. */
export const tokenKey = (item: { companyId: string; contactId: string; token: string }) => ({
  pk: `$relais#companyid_${item.companyId}#bucket_${bucketOf(item.token)}`.toLowerCase(),
  sk: `$contacttoken_1#token_${item.token}#contactid_${item.contactId}`.toLowerCase(),
});

/** The search item of one of a contact's words (`tokensOf` in fields.ts), as ElectroDB's put writes it. */
export function tokenItem(contact: Searchable, token: string) {
  const item: Record<string, unknown> = {
    companyId: contact.companyId,
    token,
    contactId: contact.contactId,
    bucket: bucketOf(token),
    agencyIds: new Set(contact.agencyIds),
    archived: contact.archived,
    type: contact.type,
    ...tokenKey({ companyId: contact.companyId, contactId: contact.contactId, token }),
    __edb_e__: "contactToken",
    __edb_v__: "1",
  };
  if (contact.searchText !== undefined) item.searchText = contact.searchText;
  return item;
}

/** The table key of a contact key item (a number or email held by a contact), as ElectroDB writes it. */
export const contactKeyOf = (item: { companyId: string; key: string }) => ({
  pk: `$relais#companyid_${item.companyId}#key_${item.key}`.toLowerCase(),
  sk: "$contactkey_1",
});

export function contactKeyItem(item: { companyId: string; key: string; contactId: string }) {
  return {
    ...item,
    ...contactKeyOf(item),
    __edb_e__: "contactKey",
    __edb_v__: "1",
  };
}

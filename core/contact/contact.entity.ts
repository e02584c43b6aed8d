import { Entity, Service } from "electrodb";
import { entityConfig, onTable } from "../db";

export const contactTypes = ["externe", "interne", "client"] as const;
export const channels = ["sms", "email"] as const;

export const ContactEntity = onTable(
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
        /** Folded name, email and number, for searching without a search engine. */
        searchText: { type: "string" },
        createdAt: {
          type: "string",
          required: true,
          readOnly: true,
          default: () => new Date().toISOString(),
        },
        updatedAt: { type: "string", required: true, watch: "*", set: () => new Date().toISOString() },
      },
      indexes: {
        byCompany: {
          pk: { field: "pk", composite: ["companyId"] },
          sk: { field: "sk", composite: ["contactId"] },
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

export const ContactService = new Service(
  { contact: ContactEntity, contactKey: ContactKeyEntity },
  entityConfig(),
);

/**
 * The items ElectroDB's put writes for a contact and for a key, built directly: ElectroDB spends 50–150 µs
 * validating and formatting each item, several seconds of CPU over a 50,000-row import (three items a row)
 * on the path that only writes rows already normalised. contact.test.ts checks they equal ElectroDB's.
 */
export function contactItem(
  row: { companyId: string; contactId: string; agencyIds: Iterable<string> },
  now: string,
) {
  const companyId = row.companyId.toLowerCase();
  return {
    ...row,
    agencyIds: new Set(row.agencyIds),
    updatedAt: now,
    pk: `$relais#companyid_${companyId}`,
    sk: `$contact_1#contactid_${row.contactId.toLowerCase()}`,
    __edb_e__: "contact",
    __edb_v__: "1",
  };
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

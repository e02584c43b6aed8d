import { Entity } from "electrodb";
import { entityConfig, onTable } from "../db";

/**
 * A distribution list ("Liste de diffusion"). Its custom fields have stable ids ("f1", "f2"…) so that a
 * rename touches this item only, never the 50,000 members that hold values under those ids.
 */
export const ListEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "list", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          listId: { type: "string", required: true, readOnly: true },
          name: { type: "string", required: true },
          /** Folded name, for searching lists by name. */
          searchName: { type: "string", required: true },
          agencyId: { type: "string", required: true },
          fields: {
            type: "list",
            required: true,
            items: {
              type: "map",
              properties: {
                id: { type: "string", required: true },
                name: { type: "string", required: true },
              },
            },
          },
          /** The next field id's number; never reused, so a removed field's stale values never come back. */
          fieldSeq: { type: "number", required: true, default: 0 },
          /** Kept by atomic ADDs after each write batch; recomputed exactly by `health` and `clean`. */
          memberCount: { type: "number", required: true, default: 0 },
          createdBy: { type: "string" },
          createdByName: { type: "string" },
          createdAt: {
            type: "string",
            required: true,
            readOnly: true,
            default: () => new Date().toISOString(),
          },
          updatedAt: {
            type: "string",
            required: true,
            default: () => new Date().toISOString(),
            watch: "*",
            set: () => new Date().toISOString(),
          },
        },
        indexes: {
          byCompany: {
            pk: { field: "pk", composite: ["companyId"] },
            sk: { field: "sk", composite: ["listId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/**
 * One item per member, in the list's own partition: a list of 50,000 pages and batch-writes without ever
 * loading whole. `values` maps field ids (not names) to text. gsi1 finds the lists a contact belongs to.
 */
export const ListMemberEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "listMember", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          listId: { type: "string", required: true, readOnly: true },
          contactId: { type: "string", required: true, readOnly: true },
          values: { type: "any" },
          addedAt: { type: "string", required: true, default: () => new Date().toISOString() },
        },
        indexes: {
          byList: {
            pk: { field: "pk", composite: ["companyId", "listId"] },
            sk: { field: "sk", composite: ["contactId"] },
          },
          byContact: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["companyId", "contactId"] },
            sk: { field: "gsi1sk", composite: ["listId"] },
          },
        },
      },
      entityConfig(),
    ),
);

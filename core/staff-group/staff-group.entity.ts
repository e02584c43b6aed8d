import { Entity } from "electrodb";
import { entityConfig, onTable } from "../db";

/** A group of employees (« liste de diffusion »); « Tous les salariés » is derived, never stored. */
export const StaffGroupEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "staffGroup", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          groupId: { type: "string", required: true, readOnly: true },
          name: { type: "string", required: true },
          createdAt: {
            type: "string",
            required: true,
            readOnly: true,
            default: () => new Date().toISOString(),
          },
        },
        indexes: {
          byCompany: {
            pk: { field: "pk", composite: ["companyId"] },
            sk: { field: "sk", composite: ["groupId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/** One employee in one group; a partner's groups are found by one get per group (groups are few). */
export const StaffGroupMemberEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "staffGroupMember", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          groupId: { type: "string", required: true, readOnly: true },
          partnerId: { type: "string", required: true, readOnly: true },
          addedAt: {
            type: "string",
            required: true,
            readOnly: true,
            default: () => new Date().toISOString(),
          },
        },
        indexes: {
          byGroup: {
            pk: { field: "pk", composite: ["companyId", "groupId"] },
            sk: { field: "sk", composite: ["partnerId"] },
          },
        },
      },
      entityConfig(),
    ),
);

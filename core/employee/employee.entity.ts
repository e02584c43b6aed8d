import { Entity } from "electrodb";
import { entityConfig, onTable } from "../db";

/**
 * What the company tells its employees about itself (« Coordonnées ») and when their phones may ring:
 * announcements published in the quiet window are shown at once but notified at its end.
 */
export const EmployeeSettingsEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "employeeSettings", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          phone: { type: "string" },
          email: { type: "string" },
          /** Free multi-line text: « Permanence de 9h00 à 12h00 »… */
          hours: { type: "string" },
          /** Local "HH:mm" in Europe/Paris; notifications wait from quietStart to quietEnd. */
          quietStart: { type: "string" },
          quietEnd: { type: "string" },
          updatedAt: {
            type: "string",
            required: true,
            watch: "*",
            default: () => new Date().toISOString(),
            set: () => new Date().toISOString(),
          },
        },
        indexes: {
          byCompany: { pk: { field: "pk", composite: ["companyId"] }, sk: { field: "sk", composite: [] } },
        },
      },
      entityConfig(),
    ),
);

/** A browser where an employee allowed notifications (Web Push); keyed by a hash of its endpoint. */
export const PushSubscriptionEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "pushSubscription", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          partnerId: { type: "string", required: true, readOnly: true },
          endpointHash: { type: "string", required: true, readOnly: true },
          endpoint: { type: "string", required: true },
          p256dh: { type: "string", required: true },
          auth: { type: "string", required: true },
          createdAt: {
            type: "string",
            required: true,
            readOnly: true,
            default: () => new Date().toISOString(),
          },
        },
        indexes: {
          byPartner: {
            pk: { field: "pk", composite: ["companyId", "partnerId"] },
            sk: { field: "sk", composite: ["endpointHash"] },
          },
        },
      },
      entityConfig(),
    ),
);

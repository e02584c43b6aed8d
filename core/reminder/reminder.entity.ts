import { Entity } from "electrodb";
import { entityConfig, onTable } from "../db";

export const civilities = ["M", "Mme", "M et Mme", "Mlle", "Societe"] as const;
export const reminderStatuses = ["pending", "sent", "cancelled"] as const;

/** A reminder scenario (Révision, Contrôle technique…): seeded per company on first read, then the company's. */
export const ScenarioEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "reminderScenario", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          scenarioId: { type: "string", required: true, readOnly: true },
          name: { type: "string", required: true },
          template: { type: "string", required: true },
          delayMonths: { type: "number", required: true },
          everyKm: { type: "number" },
          everyMonths: { type: "number" },
          firstMonths: { type: "number" },
          enabled: { type: "boolean", required: true, default: true },
          seeded: { type: "boolean", required: true, default: false },
        },
        indexes: {
          byCompany: {
            pk: { field: "pk", composite: ["companyId"] },
            sk: { field: "sk", composite: ["scenarioId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/** What a garage knows of a customer beyond the contact: the civility as written on letters (« M. et Mme »). */
export const CustomerEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "customer", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          contactId: { type: "string", required: true, readOnly: true },
          civility: { type: civilities },
          createdAt: {
            type: "string",
            required: true,
            readOnly: true,
            default: () => new Date().toISOString(),
          },
        },
        indexes: {
          byContact: {
            pk: { field: "pk", composite: ["companyId", "contactId"] },
            sk: { field: "sk", composite: [] },
          },
        },
      },
      entityConfig(),
    ),
);

/** A customer's vehicle, in the customer's partition. */
export const VehicleEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "vehicle", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          contactId: { type: "string", required: true, readOnly: true },
          vehicleId: { type: "string", required: true, readOnly: true },
          plate: { type: "string", required: true },
          make: { type: "string" },
          model: { type: "string" },
          deliveryDate: { type: "string" },
          deliveryKm: { type: "number" },
          lastDate: { type: "string" },
          lastKm: { type: "number" },
        },
        indexes: {
          byContact: {
            pk: { field: "pk", composite: ["companyId", "contactId"] },
            sk: { field: "sk", composite: ["vehicleId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/**
 * One reminder: a scenario for a customer's vehicle on a day. While pending it sits in `byDue` (a sparse,
 * cross-company index by day and shard), which the hourly tick reads; firing removes it from there in the
 * same transaction that writes its message, so a reminder is taken once.
 */
export const ReminderEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "reminder", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          reminderId: { type: "string", required: true, readOnly: true },
          contactId: { type: "string", required: true, readOnly: true },
          vehicleId: { type: "string", required: true, readOnly: true },
          agencyId: { type: "string", required: true },
          scenarioId: { type: "string", required: true, readOnly: true },
          scenarioName: { type: "string", required: true },
          /** The local day it is due, yyyy-MM-dd (Europe/Paris). */
          dueOn: { type: "string", required: true },
          status: { type: reminderStatuses, required: true },
          /** Custom text for this reminder (Texte libre); otherwise the scenario's template at firing time. */
          text: { type: "string" },
          /** For the list and its search: the customer's name, number and plate, folded. */
          name: { type: "string", required: true },
          mobile: { type: "string" },
          plate: { type: "string", required: true },
          searchText: { type: "string", required: true },
          createdAt: {
            type: "string",
            required: true,
            readOnly: true,
            default: () => new Date().toISOString(),
          },
          createdBy: { type: "string", required: true, readOnly: true },
          createdByName: { type: "string", required: true, readOnly: true },
          /** Present while pending only: keys of `byDue`. */
          dueDay: { type: "string" },
          dueShard: { type: "string" },
          sentAt: { type: "string" },
          campaignId: { type: "string" },
          messageId: { type: "string" },
          cancelledAt: { type: "string" },
          cancelledBy: { type: "string" },
          cancelReason: { type: ["user", "opted_out", "no_mobile"] as const },
        },
        indexes: {
          byId: {
            pk: { field: "pk", composite: ["companyId", "reminderId"] },
            sk: { field: "sk", composite: [] },
          },
          /** A company's reminders by due day: « Relances en cours ». */
          byCompany: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["companyId"] },
            sk: { field: "gsi1sk", composite: ["dueOn", "reminderId"] },
          },
          /** A customer's reminders (their page; cancelled together on STOP). */
          byContact: {
            index: "gsi2",
            pk: { field: "gsi2pk", composite: ["companyId", "contactId"] },
            sk: { field: "gsi2sk", composite: ["reminderId"] },
          },
          /** Pending ones only, across companies, by day: the hourly tick's one query per day and shard. */
          byDue: {
            index: "gsi3",
            pk: { field: "gsi3pk", composite: ["dueDay", "dueShard"] },
            sk: { field: "gsi3sk", composite: ["companyId", "reminderId"] },
          },
        },
      },
      entityConfig(),
    ),
);

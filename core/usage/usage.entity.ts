import { Entity } from "electrodb";
import { entityConfig, onTable } from "../db";

const counter = { type: "number" } as const;

/**
 * A company's usage in one calendar month (Europe/Paris), one item kept by the paths that cause it,
 * never computed by a scan:
 * - `emailMillicents`: the emails a send job sent, at the company's email price then;
 * - `millicents` and `smsUnits`: send jobs reserve their SMS cost and units before sending (a conditional
 *   ADD that is also the monthly cap, core/delivery/spending.ts) and give back what did not leave, so the
 *   cap and the bill read the same number;
 * - messages by status: each real status move adds the facts it gains or loses (the campaign counters'
 *   Tally), so a redelivered event, refused by the status's rank, counts nothing;
 * - `imports`: rows an import landed, in the transaction that ends it;
 * - `storageBytes`: the company's stored bytes after its last change this month (StorageEntity);
 * - `alerted80At`/`alerted100At`: the cap alerts, each written once by a conditional write.
 * Entity name "spend": it began as the spending counter, and its items stay readable.
 * The `byMonth` index lists every company's usage of a month for operators (one partition per month).
 */
export const UsageEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "spend", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          month: { type: "string", required: true, readOnly: true },
          millicents: counter,
          smsUnits: counter,
          /** Emails sent at the company's email price (not under the SMS cap). */
          emailMillicents: counter,
          smsSent: counter,
          smsDelivered: counter,
          smsFailed: counter,
          emailsSent: counter,
          emailsDelivered: counter,
          emailsFailed: counter,
          imports: counter,
          storageBytes: counter,
          alerted80At: { type: "string" },
          alerted100At: { type: "string" },
        },
        indexes: {
          byCompany: {
            pk: { field: "pk", composite: ["companyId"] },
            sk: { field: "sk", composite: ["month"] },
          },
          byMonth: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["month"] },
            sk: { field: "gsi1sk", composite: ["companyId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/** Bytes a company stores (vault documents), one item a company: ADDed on upload, taken off on deletion. */
export const StorageEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "storage", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          bytes: counter,
          files: counter,
        },
        indexes: {
          byCompany: {
            pk: { field: "pk", composite: ["companyId"] },
            sk: { field: "sk", composite: [] },
          },
        },
      },
      entityConfig(),
    ),
);

import { Entity, Service } from "electrodb";
import { entityConfig, lazy, onTable } from "../db";

export const CompanyEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "company", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          code: { type: "string", required: true },
          name: { type: "string", required: true },
          timezone: { type: "string", required: true, default: "Europe/Paris" },
          language: { type: ["fr", "en"] as const, required: true, default: "fr" },
          logoKey: { type: "string" },
          /** Price of one SMS unit in thousandths of a cent (4 500 = 0,045 €), for cost previews. */
          smsUnitPriceMillicents: { type: "number", required: true, default: 4500 },
          /** Quiet hours (local "HH:mm" in `timezone`), Sundays and French public holidays: no sends. */
          quietStart: { type: "string" },
          quietEnd: { type: "string" },
          quietSundays: { type: "boolean" },
          quietHolidays: { type: "boolean" },
          /** Messages per second per channel, held across workers (0 = no limit). */
          smsPerSecond: { type: "number" },
          emailsPerSecond: { type: "number" },
          /** The operator's ceilings on the rates above (0: none); Admins choose a rate up to them. */
          smsPerSecondMax: { type: "number" },
          emailsPerSecondMax: { type: "number" },
          /** SMS origination: sender ID for info messages, two-way number for Yes/No (else AWS picks). */
          smsSenderId: { type: "string" },
          smsReplyNumber: { type: "string" },
          /** Countries SMS may go to (region codes; default France and overseas), and the monthly cap. */
          smsCountries: { type: "list", items: { type: "string" } },
          /** Roles that may send « Urgent » (past quiet hours, now only); unset: Admin and Manager. */
          urgentRoles: { type: "list", items: { type: "string" } },
          smsMonthlyCapMillicents: { type: "number" },
          /**
           * Set by operators (core/operator): suspended or closing refuse sign-in and park sends; unset is
           * active. `plan` is a free label; the email price is per email, in millicents.
           */
          state: { type: ["active", "suspended", "closing", "erased"] as const },
          plan: { type: "string" },
          emailPriceMillicents: { type: "number" },
          stateChangedAt: { type: "string" },
          /** When a closing company's data is erased (the Scheduler's `at`). */
          erasureAt: { type: "string" },
          /** When core/operator/erasure.ts removed the company's data (its row alone stays). */
          erasedAt: { type: "string" },
          /** The customer's export made at closing (core/operator/export.ts), in the attachments bucket. */
          exportKey: { type: "string" },
          exportedAt: { type: "string" },
          createdAt: {
            type: "string",
            required: true,
            readOnly: true,
            default: () => new Date().toISOString(),
          },
        },
        indexes: {
          byId: { pk: { field: "pk", composite: ["companyId"] }, sk: { field: "sk", composite: [] } },
          /** Every company, oldest first: the operators' list (one partition; companies are few). */
          all: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: [] },
            sk: { field: "gsi1sk", composite: ["createdAt"] },
          },
        },
      },
      entityConfig(),
    ),
);

/** Claims a company code; the conditional create makes codes unique across the table. */
export const CompanyCodeEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "companyCode", version: "1", service: "relais" },
        attributes: {
          code: { type: "string", required: true, readOnly: true },
          companyId: { type: "string", required: true, readOnly: true },
        },
        indexes: { byCode: { pk: { field: "pk", composite: ["code"] }, sk: { field: "sk", composite: [] } } },
      },
      entityConfig(),
    ),
);

export const CompanyService = lazy(
  () => new Service({ company: CompanyEntity, companyCode: CompanyCodeEntity }, entityConfig()),
);

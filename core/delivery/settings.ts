import { CompanyEntity } from "../company/company.entity";
import { defaultQuietHours, type QuietHours } from "./quiet-hours";

export type DeliverySettings = { quietHours: QuietHours; perSecond: { sms: number; email: number } };

/** Defaults: 10 SMS/s and 14 emails/s (SES sandbox-free rate); 0 turns a limit off. */
export const defaultRates = { sms: 10, email: 14 };

/** The company's quiet hours and rate limits, defaults filled in. */
export async function settingsOf(companyId: string): Promise<DeliverySettings> {
  const { data } = await CompanyEntity.get({ companyId }).go();
  return {
    quietHours: {
      timezone: data?.timezone ?? defaultQuietHours.timezone,
      start: data?.quietStart ?? defaultQuietHours.start,
      end: data?.quietEnd ?? defaultQuietHours.end,
      sundays: data?.quietSundays ?? defaultQuietHours.sundays,
      holidays: data?.quietHolidays ?? defaultQuietHours.holidays,
    },
    perSecond: {
      sms: data?.smsPerSecond ?? defaultRates.sms,
      email: data?.emailsPerSecond ?? defaultRates.email,
    },
  };
}

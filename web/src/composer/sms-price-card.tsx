import type { Company } from "../accounts/types";
import { useI18n } from "../i18n/i18n";
import { formatEuros } from "./money";

/** The API's default when an operator never set the company's price. */
const defaultPrice = 4500;

/**
 * « Coût des SMS » on the company settings page: the price of one SMS unit, in euros with French decimals.
 * Operators set it (the cap and the bill read it), so Admins read it here.
 */
export function SmsPriceCard({ company }: { company: Company }) {
  const { t, locale } = useI18n();
  const price = company.smsUnitPriceMillicents ?? defaultPrice;
  return (
    <section className="card card-padded" data-testid="company-sms-price">
      <h2>{t("company.smsPrice.title")}</h2>
      <p>
        {t("company.smsPrice.label")} :{" "}
        <strong className="tabular" data-testid="company-sms-price-value">
          {formatEuros(price, locale)}
        </strong>
      </p>
      <p className="field-hint">
        {t("company.smsPrice.example", { cost: formatEuros(price * 1000, locale) })}{" "}
        {t("company.smsPrice.byOperator")}
      </p>
    </section>
  );
}

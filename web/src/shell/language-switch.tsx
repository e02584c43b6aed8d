import { useI18n } from "../i18n/i18n";
import { locales } from "../i18n/messages";

/** FR | EN segmented control; the choice is stored by the i18n provider. */
export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <fieldset className="segmented" aria-label={t("lang.label")}>
      {locales.map((option) => (
        <button
          key={option}
          type="button"
          className="segmented-option"
          aria-pressed={option === locale}
          aria-label={t(option === "fr" ? "lang.fr" : "lang.en")}
          lang={option}
          data-testid={`lang-${option}`}
          onClick={() => setLocale(option)}
        >
          {option.toUpperCase()}
        </button>
      ))}
    </fieldset>
  );
}

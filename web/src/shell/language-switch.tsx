import { auth } from "../accounts/client";
import { useI18n } from "../i18n/i18n";
import { locales } from "../i18n/messages";
import { useMe } from "../session/session-store";

/** FR | EN segmented control; stored by the i18n provider, and on the account when signed in. */
export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  const me = useMe();
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
          onClick={() => {
            setLocale(option);
            if (me && me.language !== option)
              void auth.preferences({ language: option }).catch(() => undefined);
          }}
        >
          {option.toUpperCase()}
        </button>
      ))}
    </fieldset>
  );
}

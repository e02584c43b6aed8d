import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { formatDateTime, formatNumber, formatTime } from "./format";
import { defaultLocale, isLocale, type Locale, type MessageKey, translate, type Vars } from "./messages";

const storageKey = "relais.locale";

export type Translate = (key: MessageKey, vars?: Vars) => string;

type I18n = {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
  number: (value: number, options?: Intl.NumberFormatOptions) => string;
  dateTime: (value: Date | string) => string;
  time: (value: Date | string) => string;
};

const I18nContext = createContext<I18n | null>(null);

function storedLocale(): Locale {
  try {
    const stored = localStorage.getItem(storageKey);
    return isLocale(stored) ? stored : defaultLocale;
  } catch {
    return defaultLocale;
  }
}

/** Whether this browser holds a language chosen with the switch (else the default applies). */
export function hasChosenLocale(): boolean {
  try {
    return isLocale(localStorage.getItem(storageKey));
  } catch {
    return false;
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(storedLocale);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      localStorage.setItem(storageKey, next);
    } catch {
      // private browsing may refuse storage; the choice then lasts for this visit only
    }
  }, []);

  const value = useMemo<I18n>(
    () => ({
      locale,
      setLocale,
      t: (key, vars) => translate(locale, key, vars),
      number: (n, options) => formatNumber(n, locale, options),
      dateTime: formatDateTime,
      time: formatTime,
    }),
    [locale, setLocale],
  );

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error("useI18n must be used inside <I18nProvider>");
  return i18n;
}

export function useT(): Translate {
  return useI18n().t;
}

import { useEffect } from "react";
import { useI18n } from "./i18n/i18n";
import type { MessageKey } from "./i18n/messages";

/** Sets `<title>` to “Page · Relais” in the current language. */
export function usePageTitle(key: MessageKey) {
  const { t } = useI18n();
  const title = `${t(key)} · ${t("app.name")}`;
  useEffect(() => {
    document.title = title;
  }, [title]);
}

import { errorText } from "../accounts/errors";
import { ApiError } from "../api";
import type { Translate } from "../i18n/i18n";
import { isMessageKey } from "../i18n/messages";

/** API errors of the vault in the person's language (`vault.error.<code>`), else the console's general text. */
export function vaultErrorText(t: Translate, error: unknown): string {
  if (error instanceof ApiError) {
    const key = `vault.error.${error.code}`;
    if (isMessageKey(key)) return t(key);
    const field = error.details.fields?.[0];
    if (error.status === 400 && field) return `${field.path}: ${field.message}`;
  }
  return errorText(t, error);
}

/** `1,2 Mo`, `34 Ko` (MB, KB in English): sizes as people read them. */
export function fileSize(
  bytes: number,
  t: Translate,
  number: (value: number, options?: Intl.NumberFormatOptions) => string,
) {
  if (bytes >= 1024 * 1024)
    return t("vault.size.mb", { size: number(bytes / 1024 / 1024, { maximumFractionDigits: 1 }) });
  return t("vault.size.kb", { size: number(Math.max(1, Math.round(bytes / 1024))) });
}

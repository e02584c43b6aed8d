import { ApiError, networkErrorCode } from "../api";
import type { Translate } from "../i18n/i18n";
import { isMessageKey } from "../i18n/messages";

/**
 * A sentence for the person in front of the console: a translated message for each code we know
 * (`error.<code>` in the message files), otherwise a generic one with the request id to quote.
 */
export function errorText(t: Translate, error: unknown): string {
  if (!(error instanceof ApiError)) return t("error.unexpected");
  if (error.code === networkErrorCode) return t("error.network");
  if (error.code === "auth.rate_limited") {
    const minutes = Math.max(1, Math.ceil((error.details.retryAfterSeconds ?? 60) / 60));
    return minutes === 1 ? t("error.auth.rate_limited_one") : t("error.auth.rate_limited", { minutes });
  }
  const key = `error.${error.code}`;
  if (isMessageKey(key)) return t(key);
  if (error.code === "request.invalid" && error.details.fields?.length) {
    return t("error.request.invalidFields", {
      fields: error.details.fields.map((field) => field.path || field.message).join(", "),
    });
  }
  const base =
    error.status >= 500 || error.status === 0
      ? t("error.unexpected")
      : error.message || t("error.unexpected");
  return error.details.requestId ? `${base} ${t("error.requestId", { id: error.details.requestId })}` : base;
}

export function errorCode(error: unknown): string | undefined {
  return error instanceof ApiError ? error.code : undefined;
}

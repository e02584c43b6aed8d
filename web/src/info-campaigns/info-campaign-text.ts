import { errorText } from "../accounts/errors";
import { ApiError } from "../api";
import type { Translate } from "../i18n/i18n";
import { isMessageKey } from "../i18n/messages";

/** API errors of information campaigns in the person's language (`infoCampaigns.error.<code>`). */
export function infoCampaignErrorText(t: Translate, error: unknown): string {
  if (error instanceof ApiError) {
    const key = `infoCampaigns.error.${error.code}`;
    if (isMessageKey(key)) return t(key, { message: error.message });
    const field = error.details.fields?.[0];
    if (error.status === 400 && field) return `${field.path}: ${field.message}`;
    if (error.status === 400) return error.message;
  }
  return errorText(t, error);
}

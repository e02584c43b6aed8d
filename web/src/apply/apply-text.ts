import { errorText } from "../accounts/errors";
import { ApiError } from "../api";
import type { Translate } from "../i18n/i18n";
import { isMessageKey } from "../i18n/messages";
import type { Answers, FormField } from "./client";

type CandidateText = { firstName: string; lastName: string; email: string; mobile: string };

export type Problem = { text: string };

export const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** A French mobile or an international number; the API has the final word. */
const mobilePattern = /^\+?[\d\s.()-]{9,20}$/;

/** What is wrong with the answers before sending: required ones left empty, an email or mobile mistyped. */
export function answerProblems(
  t: Translate,
  fields: FormField[],
  answers: Answers,
  candidate: CandidateText,
): Record<string, Problem> {
  const found: Record<string, Problem> = {};
  const required = { text: t("apply.error.required") };
  if (!candidate.firstName.trim()) found.firstName = required;
  if (!candidate.lastName.trim()) found.lastName = required;
  if (!candidate.email.trim()) found.email = required;
  else if (!emailPattern.test(candidate.email.trim())) found.email = { text: t("apply.error.email") };
  if (candidate.mobile.trim() && !mobilePattern.test(candidate.mobile.trim()))
    found.mobile = { text: t("apply.error.mobile") };
  for (const field of fields) {
    const text = (answers[field.fieldId] ?? "").trim();
    if (!text) {
      if (field.required)
        found[field.fieldId] = {
          text: t(field.kind === "file" ? "apply.error.fileRequired" : "apply.error.required"),
        };
      continue;
    }
    if (field.kind === "email" && !emailPattern.test(text))
      found[field.fieldId] = { text: t("apply.error.email") };
    if (field.kind === "mobile" && !mobilePattern.test(text))
      found[field.fieldId] = { text: t("apply.error.mobile") };
  }
  return found;
}

/** The API's field errors (`answers.<fieldId>`, `candidate.<key>`) under their fields. */
export function serverProblems(t: Translate, error: unknown): Record<string, Problem> {
  if (!(error instanceof ApiError) || !error.details.fields) return {};
  const found: Record<string, Problem> = {};
  for (const field of error.details.fields) {
    const fieldId = field.path.replace(/^(answers|candidate)\./, "").split(".")[0];
    if (!fieldId) continue;
    const key = `apply.error.${field.code}`;
    found[fieldId] ??= { text: field.code && isMessageKey(key) ? t(key) : field.message };
  }
  return found;
}

/** A sentence for the candidate: known codes (`apply.error.<code>`), too many tries, else the generic text. */
export function applyErrorText(t: Translate, error: unknown, during?: "upload"): string {
  if (error instanceof ApiError) {
    if (error.status === 429) return t("apply.error.tooMany");
    const key = `apply.error.${error.code}`;
    if (isMessageKey(key)) return t(key);
    if (error.status === 400 && error.details.fields?.length) return t("apply.error.fix");
  }
  if (during === "upload") return t("apply.error.upload");
  return errorText(t, error);
}

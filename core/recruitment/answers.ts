import { VisibleError } from "../error";
import { Phone } from "../phone";
import { fold } from "../text";
import { type Answers, type Field, limits } from "./types";

type Problem = { path: string; message: string };

/**
 * The answers checked against the campaign's fields, each problem named by its field (`answers.<id>`).
 * A draft may leave required fields empty; a submission may not. File answers are file ids, checked
 * against the dossier's uploads by the caller.
 */
export function checkAnswers(fields: Field[], answers: Answers, mode: "draft" | "submit") {
  const problems: Problem[] = [];
  const known = new Map(fields.map((field) => [field.fieldId, field]));
  const clean: Answers = {};
  for (const fieldId of Object.keys(answers))
    if (!known.has(fieldId)) problems.push({ path: `answers.${fieldId}`, message: "Unknown field" });
  for (const field of fields) {
    const path = `answers.${field.fieldId}`;
    const value = answers[field.fieldId]?.trim() ?? "";
    if (!value) {
      if (field.required && mode === "submit")
        problems.push({ path, message: `« ${field.label.fr} » is required` });
      continue;
    }
    const problem = problemOf(field, value);
    if (problem) problems.push({ path, message: problem });
    else clean[field.fieldId] = field.kind === "mobile" ? (Phone.parse(value)?.e164 ?? value) : value;
  }
  if (problems.length > 0) throw invalid(problems);
  return clean;
}

function problemOf(field: Field, value: string): string | undefined {
  switch (field.kind) {
    case "text":
      return value.length > limits.textChars ? `At most ${limits.textChars} characters` : undefined;
    case "longText":
      return value.length > limits.longTextChars ? `At most ${limits.longTextChars} characters` : undefined;
    case "email":
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) && value.length <= 254
        ? undefined
        : "Not an email address";
    case "mobile":
      return Phone.parse(value) ? undefined : "Not a phone number";
    case "date": {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return "A date, YYYY-MM-DD";
      const date = new Date(`${value}T00:00:00Z`);
      return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value
        ? "Not a date"
        : undefined;
    }
    case "choice":
      return field.options?.some((option) => option.value === value) ? undefined : "Not one of the options";
    case "file":
      return value.length > 64 ? "Not a file id" : undefined;
  }
}

export const invalid = (problems: Problem[]) =>
  new VisibleError("request.invalid", problems[0]?.message ?? "Invalid request", 400, { fields: problems });

export const searchTextOf = (dossier: {
  firstName?: string;
  lastName?: string;
  email?: string;
  mobile?: string;
}) =>
  fold(
    [
      dossier.firstName,
      dossier.lastName,
      dossier.email,
      dossier.mobile,
      dossier.mobile?.replace(/^\+33/, "0"),
    ]
      .filter(Boolean)
      .join(" "),
  );

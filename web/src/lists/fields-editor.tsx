import { useId, useState } from "react";
import { FieldError } from "../components/notice";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { Icon } from "../icons";
import { fieldNameProblem, type ListField, maxFields, toFieldName } from "./client";

export type FieldDraft = { id?: string; name: string };

type Problem = NonNullable<ReturnType<typeof fieldNameProblem>> | "twice";
const problemText: Record<Problem, MessageKey> = {
  empty: "lists.fields.problem.empty",
  long: "lists.fields.problem.long",
  chars: "lists.fields.problem.chars",
  global: "lists.fields.problem.global",
  twice: "lists.fields.problem.twice",
};

/** `%date_rdv%` chips: the names templates use for each member's value. */
export function FieldChips({ fields }: { fields: ListField[] }) {
  const { t } = useI18n();
  if (fields.length === 0) return <p className="text-subtle">{t("lists.fields.none")}</p>;
  return (
    <ul className="var-chips" data-testid="list-field-chips">
      {fields.map((field) => (
        <li key={field.id} className="var-chip">
          %{field.name}%
        </li>
      ))}
    </ul>
  );
}

/** The problems of a whole set of names, by row: the same rules as the API, plus duplicates. */
export function fieldProblems(fields: FieldDraft[]): (Problem | null)[] {
  const seen = new Set<string>();
  return fields.map((field) => {
    const problem = fieldNameProblem(field.name);
    const folded = field.name
      .trim()
      .normalize("NFD")
      .replace(/\p{Diacritic}/gu, "")
      .toLowerCase();
    if (problem) return problem;
    if (seen.has(folded)) return "twice";
    seen.add(folded);
    return null;
  });
}

/**
 * The custom variables of a list (at most 15): rename in place, remove, add. Renaming keeps the
 * members' values (they are stored under the field's id); removing a field removes its values.
 */
export function FieldsEditor({
  value,
  onChange,
  disabled,
}: {
  value: FieldDraft[];
  onChange: (value: FieldDraft[]) => void;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const id = useId();
  const [draft, setDraft] = useState("");
  const problems = fieldProblems(value);
  const full = value.length >= maxFields;

  const add = () => {
    const name = toFieldName(draft) || draft.trim();
    if (!name || full) return;
    onChange([...value, { name }]);
    setDraft("");
  };

  return (
    <div className="fields-editor" data-testid="fields-editor">
      {value.length > 0 && (
        <ul className="field-rows">
          {value.map((field, index) => {
            const problem = problems[index];
            return (
              <li key={field.id ?? `new-${index}`} className="field-row-edit">
                <span className="var-input">
                  <span aria-hidden="true">%</span>
                  <input
                    aria-label={t("lists.fields.name", { index: index + 1 })}
                    value={field.name}
                    disabled={disabled}
                    aria-invalid={problem ? true : undefined}
                    data-testid="field-name"
                    onChange={(event) =>
                      onChange(
                        value.map((row, at) => (at === index ? { ...row, name: event.target.value } : row)),
                      )
                    }
                  />
                  <span aria-hidden="true">%</span>
                </span>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={t("lists.fields.remove", { name: field.name })}
                  disabled={disabled}
                  data-testid="field-remove"
                  onClick={() => onChange(value.filter((_, at) => at !== index))}
                >
                  <Icon name="close" />
                </button>
                {problem && <FieldError>{t(problemText[problem], { max: 30 })}</FieldError>}
              </li>
            );
          })}
        </ul>
      )}
      <div className="inline-form">
        <label htmlFor={`${id}-new`} className="visually-hidden">
          {t("lists.fields.new")}
        </label>
        <input
          id={`${id}-new`}
          placeholder={t("lists.fields.placeholder")}
          value={draft}
          disabled={disabled || full}
          data-testid="field-new"
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter") {
              event.preventDefault();
              add();
            }
          }}
        />
        <button
          type="button"
          className="button"
          onClick={add}
          disabled={disabled || full || !draft.trim()}
          data-testid="field-add"
        >
          <Icon name="plus" />
          {t("lists.fields.add")}
        </button>
        <span className="text-subtle tabular">
          {t("lists.fields.count", { count: value.length, max: maxFields })}
        </span>
      </div>
      <p className="field-hint">{t("lists.fields.hint")}</p>
    </div>
  );
}

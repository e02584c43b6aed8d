import { type FormEvent, useId, useState } from "react";
import { useT } from "../i18n/i18n";
import { Icon } from "../icons";
import { customNameProblem, globals } from "./message-text";

/**
 * Buttons that insert `%Prénom`, `%Nom`, `%Email`, `%Mobile` (green) where the caret is, and a small box
 * to insert a custom `%name%` (blue). Buttons keep the focus in the field being written.
 */
export function VariableButtons({
  onInsert,
  disabled,
}: {
  onInsert: (text: string) => void;
  disabled?: boolean;
}) {
  const t = useT();
  const id = useId();
  const [custom, setCustom] = useState("");
  const name = custom.trim().replace(/^%|%$/g, "");
  const problem = name ? customNameProblem(name) : null;

  const insertCustom = (event: FormEvent) => {
    event.preventDefault();
    if (!name || problem) return;
    onInsert(`%${name}%`);
    setCustom("");
  };

  return (
    <div className="var-buttons" data-testid="variable-buttons">
      <span className="var-buttons-label">{t("templates.var.insert")}</span>
      {globals.map((global) => (
        <button
          key={global}
          type="button"
          className="msg-var msg-var-global msg-var-button"
          disabled={disabled}
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => onInsert(`%${global}`)}
          data-testid={`insert-${global}`}
        >
          <Icon name="plus" size={12} />%{global}
        </button>
      ))}
      <span className="msg-var-custom-insert">
        <label htmlFor={`${id}-custom`} className="visually-hidden">
          {t("templates.var.customName")}
        </label>
        <input
          id={`${id}-custom`}
          value={custom}
          disabled={disabled}
          placeholder={t("templates.var.customPlaceholder")}
          aria-invalid={problem ? true : undefined}
          title={problem ? t(`templates.var.problem.${problem}`) : undefined}
          onChange={(event) => setCustom(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter") insertCustom(event);
          }}
          data-testid="custom-variable-name"
        />
        <button
          type="button"
          className="msg-var msg-var-custom msg-var-button"
          disabled={disabled || !name || problem !== null}
          onMouseDown={(event) => event.preventDefault()}
          onClick={insertCustom}
          data-testid="insert-custom"
        >
          <Icon name="plus" size={12} />
          {name && !problem ? `%${name}%` : t("templates.var.custom")}
        </button>
      </span>
    </div>
  );
}

/** Inserts `text` at the caret of a textarea or input, as typing would, and returns the new value. */
export function insertAtCaret(
  element: HTMLTextAreaElement | HTMLInputElement | null,
  current: string,
  text: string,
) {
  if (!element) return current + text;
  const start = element.selectionStart ?? current.length;
  const end = element.selectionEnd ?? current.length;
  const next = current.slice(0, start) + text + current.slice(end);
  const caret = start + text.length;
  requestAnimationFrame(() => {
    element.focus();
    element.setSelectionRange(caret, caret);
  });
  return next;
}

import { type KeyboardEvent, useState } from "react";
import { useT } from "../i18n/i18n";
import { Icon } from "../icons";

/**
 * Skills as chips: Enter, `,` or `;` adds what was typed (a pasted « cariste, soudeur » becomes two
 * chips), Backspace in the empty box removes the last one.
 */
export function ChipsInput({
  id,
  value,
  onChange,
  disabled,
  placeholder,
  testId,
}: {
  id: string;
  value: string[];
  onChange: (value: string[]) => void;
  disabled?: boolean;
  placeholder?: string;
  testId?: string;
}) {
  const t = useT();
  const [draft, setDraft] = useState("");

  const add = (text: string) => {
    const parts = text
      .split(/[,;\n]/)
      .map((part) => part.replace(/\s+/g, " ").trim())
      .filter(Boolean);
    const next = [...value];
    for (const part of parts) {
      if (!next.some((chip) => chip.toLowerCase() === part.toLowerCase())) next.push(part);
    }
    if (next.length !== value.length) onChange(next);
    setDraft("");
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter" || event.key === "," || event.key === ";") {
      event.preventDefault();
      add(draft);
    } else if (event.key === "Backspace" && draft === "" && value.length > 0) {
      onChange(value.slice(0, -1));
    }
  };

  return (
    <div className={disabled ? "chips-input is-disabled" : "chips-input"} data-testid={testId}>
      {value.map((chip) => (
        <span className="chip" key={chip}>
          {chip}
          <button
            type="button"
            className="chip-remove"
            aria-label={t("contacts.skills.remove", { skill: chip })}
            disabled={disabled}
            onClick={() => onChange(value.filter((other) => other !== chip))}
          >
            <Icon name="close" size={12} />
          </button>
        </span>
      ))}
      <input
        id={id}
        value={draft}
        disabled={disabled}
        placeholder={value.length === 0 ? placeholder : undefined}
        autoComplete="off"
        onChange={(event) => {
          const text = event.target.value;
          if (/[,;\n]/.test(text)) add(text);
          else setDraft(text);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => draft.trim() && add(draft)}
      />
    </div>
  );
}

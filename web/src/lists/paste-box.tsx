import { useI18n } from "../i18n/i18n";
import { pastedEntries } from "./client";

/** A textarea for a block copied from Excel, counting the entries it sees as the person pastes. */
export function PasteBox({
  id,
  value,
  onChange,
  disabled,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  disabled?: boolean;
}) {
  const { t, number } = useI18n();
  const count = pastedEntries(value).length;
  return (
    <div className="field">
      <label htmlFor={id}>{t("lists.paste.label")}</label>
      <textarea
        id={id}
        className="paste-box"
        rows={6}
        value={value}
        disabled={disabled}
        spellCheck={false}
        placeholder={t("lists.paste.placeholder")}
        data-testid="paste-text"
        aria-describedby={`${id}-hint`}
        onChange={(event) => onChange(event.target.value)}
      />
      <p className="field-hint" id={`${id}-hint`}>
        {count > 0 ? t("lists.paste.detected", { count: number(count) }) : t("lists.paste.hint")}
      </p>
    </div>
  );
}
